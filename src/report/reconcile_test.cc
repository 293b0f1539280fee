#include "report/reconcile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gugus::report {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

// Police: persons 1, 2, 3. NGO: persons 1, 3, 4, 5. Shelter: persons 3, 6.
FactSet Fixture() {
  FactSet set;
  set.agencies = {{1, "POLDA", "Polda", "police", 530000},
                  {2, "LSM", "LSM", "ngo", 537100},
                  {3, "SHELTER", "Rumah aman", "social_service", 530000}};
  auto add = [&](int64_t person, int agency) {
    Fact f;
    f.person = person;
    f.agency = agency;
    f.report_date = 20240101;
    set.facts.push_back(f);
  };
  add(1, 0), add(1, 1), add(2, 0), add(2, 0), add(3, 0), add(3, 1), add(3, 2), add(4, 1),
      add(5, 1), add(6, 2);
  return set;
}

TEST(Reconcile, OwnCountsOverlapsAndTheUnifiedTotal) {
  Reconciliation r = Reconcile(Fixture(), {}, 1);
  ASSERT_EQ(r.agencies.size(), 3u);
  // By code: LSM, POLDA, SHELTER.
  EXPECT_EQ(r.agencies[0].code, "LSM");
  EXPECT_EQ(r.agencies[0].persons, 4);
  EXPECT_EQ(r.agencies[0].only_here, 2);  // 4 and 5
  EXPECT_THAT(r.agencies[0].shared, ElementsAre(Optional(4), Optional(2), Optional(1)));
  EXPECT_EQ(r.agencies[1].code, "POLDA");
  EXPECT_EQ(r.agencies[1].records, 4);
  EXPECT_EQ(r.agencies[1].persons, 3);
  EXPECT_EQ(r.agencies[1].only_here, 1);  // 2
  EXPECT_THAT(r.agencies[1].shared, ElementsAre(Optional(2), Optional(3), Optional(1)));
  EXPECT_EQ(r.agencies[2].persons, 2);
  EXPECT_EQ(r.sum_of_agency_counts, 9);
  EXPECT_EQ(r.unified_persons, 6);
  EXPECT_EQ(r.persons_at_several, 2);  // 1 and 3
  EXPECT_EQ(r.records, 10);
}

TEST(Reconcile, SmallCountsAreWithheldWhenPublished) {
  Reconciliation r = Reconcile(Fixture(), {}, 3);
  EXPECT_EQ(r.agencies[0].persons, 4);
  EXPECT_EQ(r.agencies[0].only_here, std::nullopt);  // 2 < 3
  EXPECT_THAT(r.agencies[1].shared, ElementsAre(std::nullopt, Optional(3), std::nullopt));
  EXPECT_EQ(r.agencies[1].records, 4);
  EXPECT_EQ(r.persons_at_several, std::nullopt);
  EXPECT_EQ(r.unified_persons, 6);
}

TEST(Reconcile, FilterByAgencyRegion) {
  FactFilter kupang;
  kupang.region = 537100;
  kupang.by_origin = false;
  Reconciliation r = Reconcile(Fixture(), kupang, 1);
  ASSERT_EQ(r.agencies.size(), 1u);
  EXPECT_EQ(r.unified_persons, 4);
}

}  // namespace
}  // namespace gugus::report
