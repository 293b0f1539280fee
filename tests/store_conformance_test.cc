// The repository contract (src/domain/repository.h), run against every storage
// backend. A new backend adds itself to kBackends and must pass unchanged.
#include <functional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/stored_form.h"
#include "storage/sqlite/sqlite_store.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using ::testing::HasSubstr;

struct Backend {
  std::string name;
  // Opens a fresh, migrated, empty store in `dir`.
  std::function<std::unique_ptr<domain::Store>(const std::string& dir)> open;
};

void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

const Backend kSqlite{"sqlite", [](const std::string& dir) {
                        auto s = storage::OpenSqliteStore(
                            dir + "/conf.db", storage::OpenMode::kCreateOrUpgrade);
                        return s.ok() ? std::move(s).value() : nullptr;
                      }};

class StoreConformanceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path().string());
    ASSERT_NE(store_, nullptr);
    std::vector<Region> regions = {
        {"ID", "", "INDONESIA", RegionLevel::kNational},
        {"53", "ID", "NUSA TENGGARA TIMUR", RegionLevel::kProvince},
        {"53.71", "53", "KOTA KUPANG", RegionLevel::kRegency},
        {"53.71.01", "53.71", "Alak", RegionLevel::kDistrict}};
    ASSERT_TRUE(store_->reference().ReplaceRegions(regions).ok());
    agency_ = {0, "POLDA-NTT", "Polda NTT", "police", "53"};
    ASSERT_TRUE(store_->agencies().Add(agency_).ok());
  }

  ingest::ParsedRecord Record(const std::string& id, const std::string& name) {
    ingest::ParsedRecord r;
    r[ingest::Field::kRecordId] = id;
    r[ingest::Field::kReportDate] = "2023-01-01";
    r[ingest::Field::kName] = name;
    return r;
  }

  domain::ImportFileMeta Meta(const std::string& sha) {
    domain::ImportFileMeta m;
    m.agency_id = agency_.id;
    m.file_name = "f.csv";
    m.digest = sha;
    m.format = "csv";
    m.encoding = "utf-8";
    m.delimiter = ",";
    m.header = {"record_id", "report_date", "name"};
    return m;
  }

  testing::TempDir dir_;
  std::unique_ptr<domain::Store> store_;
  domain::Agency agency_;
};

TEST_P(StoreConformanceTest, AgenciesAreUniqueByCodeAndNeedAKnownRegion) {
  EXPECT_GT(agency_.id, 0);
  domain::Agency again{0, "POLDA-NTT", "x", "police", "53"};
  EXPECT_TRUE(absl::IsAlreadyExists(store_->agencies().Add(again)));
  domain::Agency nowhere{0, "X-1", "x", "ngo", "99"};
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->agencies().Add(nowhere)));
  auto found = store_->agencies().FindByCode("POLDA-NTT");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->name, "Polda NTT");
  EXPECT_TRUE(absl::IsNotFound(store_->agencies().FindByCode("NONE").status()));
  EXPECT_EQ(store_->agencies().List()->size(), 1u);
}

TEST_P(StoreConformanceTest, RegionsRoundTripByLevel) {
  auto all = store_->reference().LoadRegions();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
  auto upper = store_->reference().LoadRegions(RegionLevel::kRegency);
  EXPECT_EQ(upper->size(), 3u);
  ASSERT_TRUE(
      store_->reference().ReplaceCountries({{"MY", "MYS", "Malaysia", "Malaysia"}}).ok());
  EXPECT_EQ(store_->reference().LoadCountries()->at(0).alpha3, "MYS");
}

TEST_P(StoreConformanceTest, UncommittedImportLeavesNoTrace) {
  {
    auto tx = store_->records().BeginImport(Meta("aa"));
    ASSERT_TRUE(tx.ok()) << tx.status();
    ASSERT_TRUE((*tx)
                    ->Upsert(Record("1", "Siti"),
                             ingest::EncodeCells({"1", "2023-01-01", "Siti"}), "[]", 2,
                             "h1")
                    .ok());
    ASSERT_TRUE((*tx)
                    ->Reject(3, ingest::EncodeCells({"", "x", ""}), "",
                             ingest::EncodeIssues({{"name", "missing", "name is empty"}}))
                    .ok());
  }  // destroyed without Commit
  auto s = store_->records().Summary();
  EXPECT_EQ(s->batches, 0);
  EXPECT_EQ(s->source_records, 0);
  EXPECT_EQ(s->rejects, 0);
}

TEST_P(StoreConformanceTest, UpsertInsertsUpdatesAndRecognisesUnchanged) {
  auto tx = store_->records().BeginImport(Meta("aa"));
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(
      *(*tx)->Upsert(Record("1", "Siti"), ingest::EncodeCells({"1"}), "[]", 2, "h1"),
      domain::UpsertResult::kInserted);
  ASSERT_TRUE((*tx)->Commit({1, 1, 0, 0, 0, 0, 0}, "aa").ok());

  auto tx2 = store_->records().BeginImport(Meta("bb"));
  EXPECT_EQ(
      *(*tx2)->Upsert(Record("1", "Siti"), ingest::EncodeCells({"1"}), "[]", 2, "h1"),
      domain::UpsertResult::kUnchanged);
  EXPECT_EQ(*(*tx2)->Upsert(Record("1", "Siti Aminah"), ingest::EncodeCells({"1"}), "[]",
                            2, "h2"),
            domain::UpsertResult::kUpdated);
  ASSERT_TRUE((*tx2)->Commit({2, 0, 1, 1, 0, 0, 0}, "bb").ok());

  domain::RecordQuery q;
  q.record_id = "1";
  q.all_versions = true;
  auto versions = store_->records().FindRecords(q);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[1].parsed[ingest::Field::kName], "Siti Aminah");
  EXPECT_EQ((*versions)[1].version, 2);

  auto batch = store_->records().FindBatch(agency_.id, "bb");
  ASSERT_TRUE(batch.ok() && batch->has_value());
  EXPECT_EQ((*batch)->counts.updated, 1);
  EXPECT_FALSE(store_->records().FindBatch(agency_.id, "cc")->has_value());
}

TEST_P(StoreConformanceTest, ARecordNewInATransactionCannotBeUpsertedTwice) {
  auto tx = store_->records().BeginImport(Meta("aa"));
  ASSERT_TRUE(
      (*tx)->Upsert(Record("7", "Siti"), ingest::EncodeCells({"7"}), "[]", 2, "h1").ok());
  // A backend may notice at once or when it writes: by Commit at the latest.
  absl::Status status =
      (*tx)
          ->Upsert(Record("7", "Siti"), ingest::EncodeCells({"7"}), "[]", 3, "h2")
          .status();
  if (status.ok()) status = (*tx)->Commit({2, 2, 0, 0, 0, 0, 0}, "aa");
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  tx->reset();
  EXPECT_EQ(store_->records().Summary()->source_records, 0);
}

TEST_P(StoreConformanceTest, NameSearchTreatsWildcardsLiterally) {
  auto tx = store_->records().BeginImport(Meta("aa"));
  ASSERT_TRUE(
      (*tx)->Upsert(Record("1", "Siti"), ingest::EncodeCells({"1"}), "[]", 2, "h1").ok());
  ASSERT_TRUE(
      (*tx)
          ->Upsert(Record("2", "100% Dewi_x"), ingest::EncodeCells({"2"}), "[]", 3, "h2")
          .ok());
  ASSERT_TRUE((*tx)->Commit({2, 2, 0, 0, 0, 0, 0}, "aa").ok());
  domain::RecordQuery q;
  q.name = "%";
  EXPECT_EQ(store_->records().FindRecords(q)->size(), 1u);
  q.name = "_";
  EXPECT_EQ(store_->records().FindRecords(q)->size(), 1u);
  q.name = "SITI";
  EXPECT_EQ(store_->records().FindRecords(q)->size(), 1u);
  q.name = "' OR 1=1 --";
  EXPECT_EQ(store_->records().FindRecords(q)->size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformanceTest, ::testing::Values(kSqlite),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gugus
