// The `gugus` binary as a user runs it: exit codes, messages, output formats
// (SPEC section 7's contracts).
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunGugus;
using testing::TestData;
using json = nlohmann::json;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = testing::PreparedDatabase(dir_); }
  testing::CommandResult Gugus(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunGugus(args);
  }
  testing::TempDir dir_;
  std::string db_;
};

TEST_F(CliTest, ImportJsonReportsCountsAndExitsZeroDespiteRejects) {
  auto r =
      Gugus({"import", TestData("import/rules.csv"), "--agency", "POLDA-NTT", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["rows"], 15);
  EXPECT_EQ(out["inserted"], 6);
  EXPECT_EQ(out["updated"], 0);
  EXPECT_EQ(out["unchanged"], 0);
  EXPECT_EQ(out["rejected"], 9);
  EXPECT_EQ(out["warnings"], 3);

  auto again =
      Gugus({"import", TestData("import/rules.csv"), "--agency", "POLDA-NTT", "--json"});
  ASSERT_EQ(again.exit_code, 0);
  json second = json::parse(again.out);
  EXPECT_EQ(second["inserted"], 0);
  EXPECT_EQ(second["unchanged"], 6);
  EXPECT_EQ(second["already_imported"], true);
}

TEST_F(CliTest, RejectsListLineAndReasonsAsCsvAndJson) {
  ASSERT_EQ(
      Gugus({"import", TestData("import/rules.csv"), "--agency", "POLDA-NTT"}).exit_code,
      0);
  auto csv = Gugus({"rejects", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("batch,agency,file,line,reasons,record_id,report_date"));
  EXPECT_THAT(csv.out,
              HasSubstr("1,POLDA-NTT,rules.csv,7,report_date is not a real date,R006"));
  auto lines = std::count(csv.out.begin(), csv.out.end(), '\n');
  EXPECT_EQ(lines, 10);  // header + 9 rejected rows

  auto js = Gugus({"rejects", "--batch", "1", "--format", "json"});
  ASSERT_EQ(js.exit_code, 0);
  std::istringstream in(js.out);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    json row = json::parse(line);
    EXPECT_TRUE(row.contains("line"));
    EXPECT_FALSE(row["reasons"].empty());
    ++n;
  }
  EXPECT_EQ(n, 9);
}

TEST_F(CliTest, ExportRecordsHasAgencyRecordIdThenTheInterchangeKeys) {
  ASSERT_EQ(
      Gugus({"import", TestData("import/rules.csv"), "--agency", "POLDA-NTT"}).exit_code,
      0);
  auto r = Gugus({"export", "records", "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(
      header,
      "agency,record_id,report_date,name,case_ref,nik,sex,birth_date,age,birth_place,"
      "origin_region,address,phone,nationality,exploitation,recruitment,destination,"
      "incident_date,suspects,notes");
  EXPECT_THAT(r.out,
              HasSubstr("POLDA-NTT,R002,2023-06-14,Asep Saepudin,,3202010501900012,L,"
                        "1990-01-05,33,,32.02,,+6281311112222,ID,forced_labour,sponsor,"
                        "SA,,,"));
  // Header, 6 records, and the newline kept inside R013's quoted notes.
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1 + 6 + 1);
}

TEST_F(CliTest, RecordsLooksUpByNameAndShowsHistory) {
  ASSERT_EQ(
      Gugus({"import", TestData("import/rules.csv"), "--agency", "POLDA-NTT"}).exit_code,
      0);
  auto r = Gugus({"records", "--name", "manek"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("POLDA-NTT R001"));
  EXPECT_THAT(r.out, HasSubstr("5371015203990001"));
  auto none = Gugus({"records", "--nik", "1111111111111111"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_THAT(none.out, HasSubstr("no records found"));
  EXPECT_EQ(Gugus({"records"}).exit_code, 1);
}

TEST_F(CliTest, AgencyAddValidatesAndListShowsIt) {
  auto ok = Gugus({"agency", "add", "BP3MI-NTB", "--name", "BP3MI Nusa Tenggara Barat",
                   "--type", "migrant_worker_agency", "--region", "52"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  auto list = Gugus({"agency", "list"});
  EXPECT_THAT(list.out, HasSubstr("BP3MI-NTB"));
  EXPECT_THAT(list.out, HasSubstr("migrant_worker_agency"));

  auto dup = Gugus(
      {"agency", "add", "BP3MI-NTB", "--name", "x", "--type", "ngo", "--region", "52"});
  EXPECT_EQ(dup.exit_code, 1);
  EXPECT_THAT(dup.err, HasSubstr("already exists"));
  auto type = Gugus(
      {"agency", "add", "LSM-1", "--name", "x", "--type", "church", "--region", "52"});
  EXPECT_EQ(type.exit_code, 1);
  EXPECT_THAT(type.err, HasSubstr("unknown agency type"));
  auto region = Gugus(
      {"agency", "add", "LSM-1", "--name", "x", "--type", "ngo", "--region", "99.99"});
  EXPECT_EQ(region.exit_code, 1);
  EXPECT_THAT(region.err, HasSubstr("unknown region"));
  auto national = Gugus({"agency", "add", "BARESKRIM", "--name", "Bareskrim Polri",
                         "--type", "police", "--region", "ID"});
  EXPECT_EQ(national.exit_code, 0) << national.err;
}

TEST_F(CliTest, BadInputGetsOneMessageNonZeroExitAndChangesNothing) {
  auto before = Gugus({"summary"}).out;
  struct Case {
    std::vector<std::string> args;
    int exit;
    std::string message;
  } cases[] = {
      {{"import", TestData("import/binary.csv"), "--agency", "POLDA-NTT"}, 1, "not"},
      {{"import", TestData("import/empty.csv"), "--agency", "POLDA-NTT"}, 1, "empty"},
      {{"import", TestData("import/rules.csv"), "--agency", "NOPE"}, 1, "unknown agency"},
      {{"import", dir_.File("missing.csv"), "--agency", "POLDA-NTT"}, 1, "no such file"},
      {{"import", TestData("import/missing_columns.csv"), "--agency", "POLDA-NTT"},
       1,
       "required column"},
      {{"import"}, 2, "required"},
      {{"frobnicate"}, 2, ""},
  };
  for (const Case& c : cases) {
    auto r = Gugus(c.args);
    EXPECT_EQ(r.exit_code, c.exit) << c.args[0] << " " << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message));
    if (c.exit == 1) {
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // one message
      EXPECT_THAT(r.err, Not(HasSubstr("terminate")));
    }
  }
  EXPECT_EQ(Gugus({"summary"}).out, before);
}

TEST(CliDatabaseTest, UnwritableOrMissingDatabaseIsAClearError) {
  GUGUS_SQLITE_ONLY("about database files: a path that cannot be created, a text file");
  // A path below a regular file can never be created, even by root.
  auto r = RunGugus({"--db", "/etc/passwd/gugus.db", "init"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("gugus: cannot"));
  testing::TempDir dir;
  auto missing = RunGugus({"--db", dir.File("none.db"), "agency", "list"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("gugus init"));
  EXPECT_FALSE(std::filesystem::exists(dir.File("none.db")));
  testing::WriteFile(dir.File("text.db"), "this is not a database, just text\n");
  auto notdb = RunGugus({"--db", dir.File("text.db"), "init"});
  EXPECT_EQ(notdb.exit_code, 1);
  EXPECT_THAT(notdb.err, HasSubstr("gugus: "));
  EXPECT_EQ(testing::ReadFile(dir.File("text.db")),
            "this is not a database, just text\n");
}

TEST(CliDatabaseTest, InitGrantsTheServersRoleOnPostgresqlAndRefusesItOnSqlite) {
  testing::TempDir dir;
  auto sqlite = RunGugus({"--db", dir.File("g.db"), "init", "--server-role", "gugus"});
  EXPECT_EQ(sqlite.exit_code, 1);
  EXPECT_THAT(sqlite.err, HasSubstr("--server-role is for PostgreSQL"));
  EXPECT_FALSE(std::filesystem::exists(dir.File("g.db")));  // refused before creating

  GUGUS_REQUIRE_POSTGRES();
  testing::TestDatabase db(testing::BackendKind::kPostgres, dir.path());
  const std::string role = "srv_" + db.address().substr(db.address().rfind('/') + 1);
  auto admin = [&](const std::string& sql) {
    pqxx::connection c(db.address());
    pqxx::nontransaction n(c);
    n.exec0(sql);
  };
  admin("CREATE ROLE " + role + " LOGIN PASSWORD 'rahasia-uji'");
  const std::string ref =
      std::string(GUGUS_SOURCE_DIR) + "/node_modules/idn-area-data/data";
  auto init =
      RunGugus({"--db", db.address(), "init", "--ref-dir", ref, "--server-role", role});
  EXPECT_EQ(init.exit_code, 0) << init.err;
  EXPECT_THAT(init.out, HasSubstr("role " + role + " may now read and write rows"));

  const std::string server = db.address() + "?user=" + role + "&password=rahasia-uji";
  auto add = RunGugus({"--db", server, "agency", "add", "LSM-A", "--name", "LSM A",
                       "--type", "ngo", "--region", "53"});
  EXPECT_EQ(add.exit_code, 0) << add.err;
  auto upgrade = RunGugus({"--db", server, "init", "--ref-dir", ref});
  EXPECT_EQ(upgrade.exit_code, 1);
  EXPECT_THAT(upgrade.err, HasSubstr("permission denied"));
  EXPECT_THAT(upgrade.err, Not(HasSubstr("rahasia")));  // the password is never shown
  admin("DROP OWNED BY " + role);
  admin("DROP ROLE " + role);
}

TEST(CliDatabaseTest, InitCreatesAndUpgradesIdempotently) {
  testing::TempDir dir;
  // On SQLite in folders that do not exist yet.
  std::string db = testing::EmptyDatabase(dir, "sub/folder/gugus.db");
  auto first =
      RunGugus({"--db", db, "init", "--ref-dir",
                std::string(GUGUS_SOURCE_DIR) + "/node_modules/idn-area-data/data"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("91"));  // ~91,000 regions
  auto second =
      RunGugus({"--db", db, "init", "--ref-dir",
                std::string(GUGUS_SOURCE_DIR) + "/node_modules/idn-area-data/data"});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  auto summary = RunGugus({"--db", db, "summary"});
  EXPECT_THAT(summary.out, HasSubstr("regions:          91600"));
}

}  // namespace
}  // namespace gugus
