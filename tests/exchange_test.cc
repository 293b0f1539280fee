// The exchange exports over a real store: a generated data set imported from three
// agencies and linked, then exported as HTCDS (one row per source record, with the
// person each belongs to) and as CTDC (one row per person, k-anonymised), in process
// and through the `gugus export` commands.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "domain/registry/exchange_service.h"
#include "domain/registry/import_service.h"
#include "domain/registry/link_service.h"
#include "domain/registry/reference_service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/reader.h"
#include "synth/generator.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  size_t Column(std::string_view name) const {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
};

Table ParseCsv(absl::StatusOr<std::unique_ptr<ingest::RowReader>> reader) {
  Table t;
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return t;
  t.header = (*reader)->header();
  ingest::RawRow row;
  for (;;) {
    auto more = (*reader)->Next(row);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    t.rows.push_back(row.cells);
  }
  return t;
}

class ExchangeTest : public ::testing::Test {
 protected:
  // Generated once (deterministic) and imported into a fresh copy per test.
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    std::string db = testing::PreparedDatabase(*dir_, "refs.db");
    auto store = testing::OpenStore(db);
    auto refs = domain::LoadReferenceIndexes(*store);
    ASSERT_TRUE(refs.ok()) << refs.status();
    refs_ = std::move(refs).value().release();
    synth::GeneratorOptions options;
    options.agencies = 3;
    options.persons = 300;
    options.seed = 11;
    options.out_dir = dir_->File("gen");
    auto summary = synth::Generate(options, refs_->regions);
    ASSERT_TRUE(summary.ok()) << summary.status();
    Table agencies = ParseCsv(ingest::OpenCsv(options.out_dir + "/agencies.csv"));
    for (const auto& c : agencies.rows) {  // code,name,type,region,file
      ASSERT_EQ(c.size(), 5u);
      agencies_.push_back({0, c[0], c[1], c[2], c[3]});
      files_.push_back(options.out_dir + "/" + c[4]);
    }
    ASSERT_EQ(agencies_.size(), 3u);
  }
  static void TearDownTestSuite() {
    delete refs_;
    delete dir_;
    agencies_.clear();
    files_.clear();
  }

  void SetUp() override {
    ASSERT_NE(refs_, nullptr);
    db_ = testing::PreparedDatabase(tmp_);
    store_ = testing::OpenStore(db_);
    domain::ImportService imports(*store_, refs_->regions, refs_->countries);
    for (size_t i = 0; i < agencies_.size(); ++i) {
      domain::Agency a = agencies_[i];
      absl::Status s = store_->agencies().Add(a);
      ASSERT_TRUE(s.ok() || absl::IsAlreadyExists(s)) << s;
      domain::ImportRequest request;
      request.path = files_[i];
      request.agency_code = a.code;
      request.today = Date{2026, 6, 30};
      auto report = imports.Import(request);
      ASSERT_TRUE(report.ok()) << report.status();
      records_ += report->counts.inserted;
    }
    ASSERT_GT(records_, 300);
  }

  void Link() {
    domain::LinkService links(*store_);
    auto report = links.Link({});
    ASSERT_TRUE(report.ok()) << report.status();
  }

  // (agency, record_id) → person id, from `gugus export links`'s source.
  std::map<std::pair<std::string, std::string>, int64_t> Links() {
    std::map<std::pair<std::string, std::string>, int64_t> out;
    EXPECT_TRUE(store_->links()
                    .ForEachExportLink([&](std::string_view agency,
                                           std::string_view record_id, int64_t person) {
                      out[{std::string(agency), std::string(record_id)}] = person;
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  testing::CommandResult Gugus(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return testing::RunGugus(args);
  }
  static TempDir* dir_;
  static domain::ReferenceIndexes* refs_;
  static std::vector<domain::Agency> agencies_;
  static std::vector<std::string> files_;
  TempDir tmp_;
  std::string db_;
  std::unique_ptr<domain::Store> store_;
  int64_t records_ = 0;
};

TempDir* ExchangeTest::dir_ = nullptr;
domain::ReferenceIndexes* ExchangeTest::refs_ = nullptr;
std::vector<domain::Agency> ExchangeTest::agencies_;
std::vector<std::string> ExchangeTest::files_;

TEST_F(ExchangeTest, CtdcHasOneRowPerLinkedPersonMinusTheDropped) {
  Link();
  std::set<int64_t> persons;
  for (const auto& [key, person] : Links()) persons.insert(person);
  ASSERT_GT(persons.size(), 100u);
  ASSERT_LT(static_cast<int64_t>(persons.size()), records_);  // linkage merged some

  for (int k : {1, 5}) {
    std::ostringstream out;
    auto report = domain::ExportCtdc(*store_, k, out);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->records, records_);
    EXPECT_EQ(report->unlinked, 0);
    EXPECT_EQ(report->ctdc.persons, static_cast<int64_t>(persons.size()));
    EXPECT_EQ(report->ctdc.rows, report->ctdc.persons - report->ctdc.dropped);
    Table t = ParseCsv(ingest::OpenCsvFromString(out.str()));
    EXPECT_EQ(static_cast<int64_t>(t.rows.size()), report->ctdc.rows) << k;
    if (k == 1) {
      EXPECT_EQ(report->ctdc.dropped, 0);
      EXPECT_EQ(report->ctdc.suppressed_total(), 0);
    }
    // The generated victims are mostly Indonesian women and men of known age.
    size_t gender = t.Column("gender"), citizenship = t.Column("citizenship");
    int64_t known_gender = 0, indonesian = 0;
    for (const auto& row : t.rows) {
      known_gender += row[gender] == "Female" || row[gender] == "Male";
      indonesian += row[citizenship] == "ID";
    }
    EXPECT_GT(known_gender, report->ctdc.rows / 2) << k;
    EXPECT_GT(indonesian, report->ctdc.rows / 2) << k;
  }
}

TEST_F(ExchangeTest, UnlinkedRecordsAreEachTheirOwnPerson) {
  std::ostringstream out;
  auto report = domain::ExportCtdc(*store_, 1, out);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->unlinked, records_);
  EXPECT_EQ(report->ctdc.persons, records_);
}

TEST_F(ExchangeTest, HtcdsHasEverySourceRecordWithItsPerson) {
  Link();
  auto links = Links();
  std::ostringstream out;
  auto report = domain::ExportHtcds(*store_, {}, out);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rows, records_);
  EXPECT_EQ(report->unlinked, 0);
  Table t = ParseCsv(ingest::OpenCsvFromString(out.str()));
  ASSERT_EQ(static_cast<int64_t>(t.rows.size()), records_);
  size_t person = t.Column("gugus_person_id"), agency = t.Column("gugus_agency"),
         record = t.Column("gugus_record_id"), org = t.Column("org_Type"),
         state = t.Column("prs_MailingState");
  EXPECT_EQ(t.header.end(),
            std::find(t.header.begin(), t.header.end(), "prs_IdentityNumber"));
  int64_t named_regions = 0;
  for (const auto& row : t.rows) {
    auto it = links.find({row[agency], row[record]});
    ASSERT_NE(it, links.end());
    EXPECT_EQ(row[person], std::to_string(it->second));
    EXPECT_FALSE(row[org].empty());
    // Region names, not codes, when the reference data has them.
    named_regions += !row[state].empty() && !std::isdigit(row[state][0]);
  }
  EXPECT_GT(named_regions, records_ / 2);
}

TEST_F(ExchangeTest, CliWritesFilesAndSummarises) {
  Link();
  std::string ctdc = tmp_.File("ctdc.csv");
  auto r = Gugus({"export", "ctdc", "--k", "5", "--out", ctdc});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_THAT(r.err, HasSubstr("rows written"));
  EXPECT_THAT(r.err, HasSubstr("dropped"));
  Table t = ParseCsv(ingest::OpenCsv(ctdc));
  EXPECT_GT(t.rows.size(), 50u);
  EXPECT_EQ(std::filesystem::status(ctdc).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  EXPECT_EQ(Gugus({"export", "ctdc", "--k", "1"}).exit_code, 2);  // k >= 2

  auto stdout_ctdc = Gugus({"export", "ctdc"});
  ASSERT_EQ(stdout_ctdc.exit_code, 0) << stdout_ctdc.err;
  EXPECT_THAT(stdout_ctdc.out, HasSubstr("yearOfRegistration,Datasource,gender"));

  auto htcds = Gugus({"export", "htcds", "--identifiers"});
  ASSERT_EQ(htcds.exit_code, 0) << htcds.err;
  EXPECT_THAT(htcds.out, HasSubstr("gugus_person_id,gugus_agency,gugus_record_id"));
  EXPECT_THAT(htcds.out, HasSubstr("prs_IdentityNumber"));

  // Each export is in the audit trail, without personal data.
  auto audit = Gugus({"audit", "list", "--action", "export.htcds"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_THAT(audit.out, HasSubstr("export.htcds"));
  EXPECT_THAT(audit.out, HasSubstr("\"identifiers\":true"));
  EXPECT_EQ(Gugus({"audit", "verify"}).exit_code, 0);

  // A folder that does not exist: an error, and nothing left behind.
  auto bad = Gugus({"export", "ctdc", "--out", tmp_.File("missing/ctdc.csv")});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("ctdc.csv"));
  EXPECT_THAT(bad.err, ::testing::Not(HasSubstr(tmp_.path().string())));
}

}  // namespace
}  // namespace gugus
