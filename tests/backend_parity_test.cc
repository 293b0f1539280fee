// SPEC section 13: every command gives the same results on SQLite and PostgreSQL.
// The same generated agencies' files are imported and linked on each backend; the
// records, the persons (as a partition of the records), the import counts and the
// statistics must be the same.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/strcat.h"
#include "domain/registry/link_service.h"
#include "domain/registry/reference_service.h"
#include "domain/reporting/stats_service.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

// What a user can see of a store, in a form that compares across backends (no
// database ids).
struct Picture {
  domain::StoreSummary summary;
  std::vector<std::string> records;  // agency, record id, every value, one line each
  std::set<std::set<std::string>> persons;  // each person's records, "agency/id"
  std::vector<std::string> stats;           // every cell of a few tables
  int64_t review_items = 0;
};

std::vector<std::string> CellLines(const domain::StatsResult& result) {
  std::vector<std::string> out;
  for (const report::StatCell& cell : result.table.cells) {
    std::string line;
    for (size_t d = 0; d < cell.key.size(); ++d) {
      int k = cell.key[d];
      line += StrCat(k < 0 ? std::string("*") : result.table.values[d][k], "|");
    }
    out.push_back(StrCat(line, cell.records, "|", cell.persons, "|", cell.cases));
  }
  return out;
}

Picture Take(domain::Store& store) {
  Picture p;
  auto summary = store.records().Summary();
  EXPECT_TRUE(summary.ok()) << summary.status();
  if (summary.ok()) p.summary = *summary;
  EXPECT_TRUE(store.records()
                  .ForEachCurrentRecord([&](const domain::StoredRecord& r) {
                    std::string line = StrCat(r.agency_code, "|", r.version);
                    for (int f = 0; f < ingest::kFieldCount; ++f)
                      line += StrCat("|", r.parsed.value[f]);
                    p.records.push_back(std::move(line));
                    return absl::OkStatus();
                  })
                  .ok());
  std::map<int64_t, std::set<std::string>> by_person;
  EXPECT_TRUE(store.links()
                  .ForEachExportLink(
                      [&](std::string_view agency, std::string_view id, int64_t person) {
                        by_person[person].insert(StrCat(agency, "/", id));
                        return absl::OkStatus();
                      })
                  .ok());
  for (auto& [person, records] : by_person) p.persons.insert(std::move(records));
  domain::StatsService stats(store);
  for (std::vector<report::Dim> dims :
       {std::vector<report::Dim>{report::Dim::kOriginProvince, report::Dim::kSex},
        std::vector<report::Dim>{report::Dim::kAgency, report::Dim::kExploitation},
        std::vector<report::Dim>{report::Dim::kReportYear}}) {
    domain::StatsQuery query;
    query.dims = dims;
    query.k = 1;
    auto result = stats.Query(query);
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok()) continue;
    for (std::string& line : CellLines(*result)) p.stats.push_back(std::move(line));
  }
  auto review = store.links().CountReviewQueue(domain::WholeStore());
  EXPECT_TRUE(review.ok());
  p.review_items = review.ok() ? *review : -1;
  return p;
}

class BackendParityTest : public ::testing::Test {};

TEST_F(BackendParityTest, TheSameFilesGiveTheSameRecordsPersonsAndStatistics) {
  GUGUS_REQUIRE_POSTGRES();
  testing::TempDir dir;
  std::map<std::string, Picture> pictures;
  for (testing::BackendKind kind :
       {testing::BackendKind::kSqlite, testing::BackendKind::kPostgres}) {
    std::string name = kind == testing::BackendKind::kSqlite ? "sqlite" : "postgres";
    std::filesystem::create_directories(dir.path() / name);
    testing::TestDatabase db(kind, dir.path() / name);
    auto store = storage::OpenStore(db.address(), storage::OpenMode::kCreateOrUpgrade);
    ASSERT_TRUE(store.ok()) << name << ": " << store.status();
    auto counts = domain::InstallReference(
        **store, std::string(GUGUS_SOURCE_DIR) + "/node_modules/idn-area-data/data");
    ASSERT_TRUE(counts.ok()) << name << ": " << counts.status();
    auto refs = domain::LoadReferenceIndexes(**store);
    ASSERT_TRUE(refs.ok()) << refs.status();
    synth::GeneratorOptions options;
    options.agencies = 4;
    options.persons = 600;
    options.seed = 29;
    options.out_dir = (dir.path() / "files").string();  // the same files each time
    ASSERT_TRUE(testing::ImportGenerated(**store, **refs, options).ok());
    domain::LinkService links(**store);
    domain::LinkRequest request;
    request.full = true;
    request.threads = 2;
    auto report = links.Link(request);
    ASSERT_TRUE(report.ok()) << name << ": " << report.status();
    pictures[name] = Take(**store);
  }
  const Picture& lite = pictures["sqlite"];
  const Picture& pg = pictures["postgres"];
  EXPECT_GT(lite.records.size(), 600u);
  EXPECT_EQ(pg.summary.source_records, lite.summary.source_records);
  EXPECT_EQ(pg.summary.versions, lite.summary.versions);
  EXPECT_EQ(pg.summary.rejects, lite.summary.rejects);
  EXPECT_EQ(pg.summary.batches, lite.summary.batches);
  EXPECT_EQ(pg.records, lite.records);
  EXPECT_LT(lite.persons.size(), lite.records.size());  // some records were linked
  EXPECT_EQ(pg.persons.size(), lite.persons.size());
  EXPECT_TRUE(pg.persons == lite.persons) << "the persons differ as partitions";
  EXPECT_EQ(pg.review_items, lite.review_items);
  EXPECT_FALSE(lite.stats.empty());
  EXPECT_EQ(pg.stats, lite.stats);
}

}  // namespace
}  // namespace gugus
