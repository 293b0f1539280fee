// Fault injection: the import process is killed with SIGKILL at random points. Each
// time the database must be consistent (integrity and foreign keys intact, no
// half-written batch, records either all there or none), and a final run must leave
// exactly the database that one uninterrupted import gives.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "core/region_index.h"
#include "gtest/gtest.h"
#include "ingest/reference_files.h"
#include "synth/generator.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

bool OnPostgres(const std::string& db) { return db.starts_with("postgresql:"); }

// Everything in the database but wall-clock timestamps and, on PostgreSQL, the ids
// themselves: a killed import has used numbers of its sequences (which no rollback
// gives back), so the ids are compared by their order (rank) instead.
std::string CanonicalDump(const std::string& db) {
  std::string out;
  auto query = [&](const std::string& sql) { out += testing::QueryRows(db, sql); };
  // The schema too: whatever happens to an import, the tables and indexes stay as
  // they were.
  if (OnPostgres(db)) {
    query(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY 1, 2");
    query(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "ORDER BY 1");
  } else {
    query("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name");
  }
  query("SELECT id, code, name, type, region_code FROM agencies ORDER BY id");
  const std::string batch_rank =
      OnPostgres(db) ? "(SELECT count(*) FROM import_batches b WHERE b.id <= %s)" : "%s";
  auto rank = [&](const std::string& column) {
    std::string sql = batch_rank;
    return sql.replace(sql.find("%s"), 2, column);
  };
  query("SELECT " + rank("import_batches.id") +
        ", agency_id, file_name, file_digest, format, encoding, delimiter, header, "
        "rows, inserted, updated, unchanged, rejected, warnings, blank, finished_at IS "
        "NOT NULL FROM import_batches ORDER BY id");
  query(std::string("SELECT agency_id, record_id, current_version, ") +
        (OnPostgres(db) ? "encode(content_hash, 'hex')" : "hex(content_hash)") +
        " FROM source_records ORDER BY agency_id, record_id");
  if (OnPostgres(db)) {
    // Every column but the ids, with the record's (agency, id) and batch's rank.
    std::string columns = testing::QueryRows(
        db,
        "SELECT string_agg('v.' || column_name, ', ' ORDER BY ordinal_position) FROM "
        "information_schema.columns WHERE table_schema = current_schema() AND "
        "table_name = 'record_versions' AND column_name NOT IN ('id', "
        "'source_record_id', 'batch_id')");
    columns = columns.substr(0, columns.find('|'));
    query("SELECT s.agency_id, s.record_id, " + rank("v.batch_id") + ", " + columns +
          " FROM record_versions v JOIN source_records s ON s.id = v.source_record_id "
          "ORDER BY v.id");
    query("SELECT " + rank("r.batch_id") +
          ", r.line, r.raw, r.reasons, r.text FROM rejects r ORDER BY r.id");
  } else {
    query("SELECT * FROM record_versions ORDER BY id");
    query("SELECT * FROM rejects ORDER BY id");
  }
  return out;
}

struct Consistency {
  std::string integrity, foreign_keys;
  int64_t open_batches = 0, batches = 0, records = 0;
};

Consistency Check(const std::string& db) {
  Consistency c;
  if (OnPostgres(db)) {
    c.integrity = "ok|\n";  // PostgreSQL checks its pages and foreign keys itself
  } else {
    c.integrity = testing::QueryRows(db, "PRAGMA integrity_check");
    c.foreign_keys = testing::QueryRows(db, "PRAGMA foreign_key_check");
  }
  auto count = [&](const std::string& sql) {
    std::string value = testing::QueryValue(db, sql);
    EXPECT_FALSE(value.starts_with("error")) << value;
    return value.starts_with("error") ? -1 : std::stoll(value);
  };
  c.open_batches = count("SELECT count(*) FROM import_batches WHERE finished_at IS NULL");
  c.batches = count("SELECT count(*) FROM import_batches");
  c.records = count("SELECT count(*) FROM source_records");
  return c;
}

// Starts `gugus import`; with `max_file_bytes` > 0 no file it writes may grow past
// that size, as on a full disk (RLIMIT_FSIZE, with SIGXFSZ ignored so that writes
// fail with EFBIG instead of killing the process). Its stderr goes to `err_path`.
pid_t StartImport(const std::string& db, const std::string& file,
                  rlim_t max_file_bytes = 0, const std::string& err_path = "/dev/null") {
  pid_t pid = fork();
  if (pid == 0) {
    std::string binary = std::string(GUGUS_BINARY_DIR) + "/gugus";
    if (!freopen("/dev/null", "w", stdout)) _exit(126);
    if (!freopen(err_path.c_str(), "w", stderr)) _exit(126);
    if (max_file_bytes > 0) {
      signal(SIGXFSZ, SIG_IGN);
      rlimit limit{max_file_bytes, max_file_bytes};
      setrlimit(RLIMIT_FSIZE, &limit);
    }
    execl(binary.c_str(), binary.c_str(), "--db", db.c_str(), "import", file.c_str(),
          "--agency", "POLDA-NTT", static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// One generated agency file of about 40,000 rows for POLDA-NTT.
std::string GenerateFile(const testing::TempDir& dir, int64_t persons) {
  auto regions = ingest::LoadIdnAreaData(
      std::string(GUGUS_SOURCE_DIR) + "/node_modules/idn-area-data/data", false);
  if (!regions.ok()) return "";
  RegionIndex index(std::move(regions).value());
  synth::GeneratorOptions options;
  options.agencies = 1;
  options.persons = persons;
  options.seed = 7;
  options.out_dir = dir.File("gen");
  if (!synth::Generate(options, index).ok()) return "";
  for (const auto& entry : std::filesystem::directory_iterator(options.out_dir)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".csv") && name != "agencies.csv" && name != "truth.csv" &&
        name != "persons.csv")
      return entry.path().string();
  }
  return "";
}

TEST(FaultTest, DiskFullDuringImportFailsCleanlyAndChangesNothing) {
  GUGUS_SQLITE_ONLY("limits the size of the database file (PostgreSQL's server writes)");
  testing::TempDir dir;
  std::string file = GenerateFile(dir, 20000);
  ASSERT_FALSE(file.empty());
  std::string db = testing::PreparedDatabase(dir, "full.db");
  std::string before = CanonicalDump(db);
  // Room for the database as it is plus 2 MB: the import's ~10 MB cannot fit.
  rlim_t limit = std::filesystem::file_size(db) + (2 << 20);
  int status = 0;
  waitpid(StartImport(db, file, limit, dir.File("err")), &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "the process must fail, not crash";
  EXPECT_EQ(WEXITSTATUS(status), 1);
  std::string err = testing::ReadFile(dir.File("err"));
  EXPECT_NE(err.find("gugus: "), std::string::npos) << err;
  EXPECT_NE(err.find("disk full"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;

  Consistency c = Check(db);
  EXPECT_EQ(c.integrity, "ok|\n");
  EXPECT_EQ(c.batches, 0);
  EXPECT_EQ(CanonicalDump(db), before);

  // With room again, the same import succeeds.
  waitpid(StartImport(db, file), &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(Check(db).batches, 1);
}

TEST(KillImportTest, SigkillAtRandomPointsLeavesAConsistentDatabase) {
  testing::TempDir dir;
  std::string file = GenerateFile(dir, 40000);
  ASSERT_FALSE(file.empty());

  // The reference: one uninterrupted import.
  std::string reference = testing::PreparedDatabase(dir, "reference.db");
  auto start = std::chrono::steady_clock::now();
  int status = 0;
  waitpid(StartImport(reference, file), &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto duration = std::chrono::steady_clock::now() - start;
  Consistency full = Check(reference);
  ASSERT_EQ(full.batches, 1);
  ASSERT_GT(full.records, 40000);

  std::string db = testing::PreparedDatabase(dir, "killed.db");
  std::mt19937_64 rng(20261122);
  auto max_delay =
      std::chrono::duration_cast<std::chrono::microseconds>(duration) * 11 / 10;
  int killed_before_commit = 0;
  for (int i = 0; i < 20; ++i) {
    pid_t pid = StartImport(db, file);
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % max_delay.count()));
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) {
      ++killed_before_commit;
    } else {
      // The import finished first (the machine is faster than the reference run
      // suggested): aim earlier so that the kills keep landing inside it.
      max_delay = max_delay * 4 / 5;
    }
    Consistency c = Check(db);
    EXPECT_EQ(c.integrity, "ok|\n") << "kill " << i;
    EXPECT_EQ(c.foreign_keys, "") << "kill " << i;
    EXPECT_EQ(c.open_batches, 0) << "kill " << i;
    EXPECT_TRUE(c.batches == 0 || c.batches == 1) << "kill " << i;
    EXPECT_EQ(c.records, c.batches == 0 ? 0 : full.records) << "kill " << i;
  }
  EXPECT_GE(killed_before_commit, 10) << "most kills should land inside the import";

  waitpid(StartImport(db, file), &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(CanonicalDump(db), CanonicalDump(reference));
}

}  // namespace
}  // namespace gugus
