#include "report/suppression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

namespace gugus::report {
namespace {

// One person per record, each with a province, a year and a sex.
struct Person {
  std::string province;
  int year;
  int sex;
};

FactSet Facts(const std::vector<std::pair<Person, int>>& groups) {
  FactSet set;
  set.agencies = {{1, "A", "A", "police", PackRegion("53")}};
  int64_t id = 0;
  for (const auto& [p, count] : groups)
    for (int i = 0; i < count; ++i) {
      Fact f;
      f.person = ++id;
      f.report_date = p.year * 10000 + 101;
      f.origin = PackRegion(p.province);
      f.sex = static_cast<int8_t>(p.sex);
      set.facts.push_back(f);
    }
  return set;
}

std::map<std::string, bool> Hidden(const StatTable& t) {
  std::map<std::string, bool> out;
  for (const auto& c : t.cells) {
    std::string name;
    for (size_t d = 0; d < c.key.size(); ++d)
      name += (d ? "/" : "") +
              (c.key[d] == kTotal ? std::string("*") : t.values[d][c.key[d]]);
    out[name] = c.suppressed;
  }
  return out;
}

TEST(Suppress, NothingBelowK2) {
  auto t = Tabulate(Facts({{{"53", 2023, 1}, 1}, {{"53", 2023, 2}, 9}}),
                    std::vector{Dim::kSex});
  ASSERT_TRUE(t.ok());
  auto stats = Suppress(*t, 1);
  ASSERT_TRUE(stats.ok());
  for (const auto& c : t->cells) EXPECT_FALSE(c.suppressed);
  EXPECT_EQ(t->k, 1);
}

TEST(Suppress, ASmallCellAloneInItsLineTakesTheNextSmallestWithIt) {
  // L 20, P 3, unknown 30: P is small; with the total known, hiding P alone would
  // give it away, so L (the smaller of the others) is hidden too.
  auto t = Tabulate(
      Facts({{{"53", 2023, 1}, 20}, {{"53", 2023, 2}, 3}, {{"53", 2023, 0}, 30}}),
      std::vector{Dim::kSex});
  ASSERT_TRUE(t.ok());
  auto stats = Suppress(*t, 5);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_THAT(Hidden(*t), ::testing::ElementsAre(::testing::Pair("*", false),
                                                 ::testing::Pair("L", true),
                                                 ::testing::Pair("P", true),
                                                 ::testing::Pair("unknown", false)));
  EXPECT_EQ(stats->primary, 1);
  EXPECT_EQ(stats->complementary, 1);
  for (const auto& c : t->cells) {
    EXPECT_EQ(c.primary, c.key[0] == 1);  // only P
  }
}

TEST(Suppress, TwoHiddenOnesAreNotEnough) {
  // L 1 and P 1 hidden with the total 52 and unknown 50 visible: both could only
  // be 1. The third cell goes too.
  auto t =
      Tabulate(Facts({{{"53", 2023, 1}, 1}, {{"53", 2023, 2}, 1}, {{"53", 2023, 0}, 50}}),
               std::vector{Dim::kSex});
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(Suppress(*t, 5).ok());
  EXPECT_THAT(Hidden(*t), ::testing::ElementsAre(::testing::Pair("*", false),
                                                 ::testing::Pair("L", true),
                                                 ::testing::Pair("P", true),
                                                 ::testing::Pair("unknown", true)));
}

TEST(Suppress, ASmallMarginIsHiddenWithItsOnlyCell) {
  // Province 32 has 2 persons, all L in 2024: the cell and its margins are small.
  auto t = Tabulate(Facts({{{"32", 2024, 1}, 2},
                           {{"53", 2023, 1}, 40},
                           {{"53", 2024, 1}, 35},
                           {{"53", 2023, 2}, 50},
                           {{"53", 2024, 2}, 45}}),
                    std::vector{Dim::kOriginProvince, Dim::kReportYear});
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(Suppress(*t, 5).ok());
  auto hidden = Hidden(*t);
  EXPECT_TRUE(hidden["32/2024"]);
  EXPECT_TRUE(hidden["32/*"]);
  // Its column must hide a second cell so that 32/2024 = */2024 − 53/2024 fails.
  EXPECT_TRUE(hidden["53/2024"]);
  EXPECT_FALSE(hidden["*/*"]);
}

TEST(Suppress, ATableThatCannotBeProvenSafeInTimeIsRefused) {
  auto t = Tabulate(
      Facts({{{"53", 2023, 1}, 20}, {{"53", 2023, 2}, 3}, {{"53", 2023, 0}, 30}}),
      std::vector{Dim::kSex});
  ASSERT_TRUE(t.ok());
  SuppressionBudget none;
  none.checks = 0;
  auto refused = Suppress(*t, 5, none);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()),
              ::testing::HasSubstr("fewer dimensions"));
  none.checks = 200000;
  none.time = std::chrono::milliseconds(-1);
  EXPECT_EQ(Suppress(*t, 5, none).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Suppress(*t, 5).ok());  // the default budget is plenty
}

// Every line (a margin and its cells along one dimension) has no hidden member or
// at least two, on random tables of three dimensions.
TEST(Suppress, NoLineEverHasExactlyOneHiddenMember) {
  std::mt19937 rng(7);
  const char* provinces[] = {"11", "32", "33", "35", "52", "53", "61", "64"};
  for (int round = 0; round < 20; ++round) {
    std::vector<std::pair<Person, int>> groups;
    for (const char* p : provinces)
      for (int year = 2021; year <= 2024; ++year)
        for (int sex = 0; sex <= 2; ++sex) {
          int n = static_cast<int>(rng() % 12);
          if (rng() % 4 == 0) n = 0;
          if (n) groups.push_back({{p, year, sex}, n});
        }
    auto t = Tabulate(Facts(groups),
                      std::vector{Dim::kOriginProvince, Dim::kReportYear, Dim::kSex});
    ASSERT_TRUE(t.ok());
    auto stats = Suppress(*t, 5);
    ASSERT_TRUE(stats.ok()) << stats.status();
    EXPECT_GT(stats->primary, 0);
    std::map<std::vector<int>, const StatCell*> by_key;
    for (const auto& c : t->cells) by_key[c.key] = &c;
    for (const auto& c : t->cells) {
      if (c.persons > 0 && c.persons < 5) {
        EXPECT_TRUE(c.suppressed);
      }
      for (size_t d = 0; d < c.key.size(); ++d) {
        if (c.key[d] != kTotal) continue;
        int hidden = c.suppressed ? 1 : 0;
        for (const auto& o : t->cells) {
          bool child = o.key[d] != kTotal;
          for (size_t e = 0; e < c.key.size() && child; ++e)
            if (e != d && o.key[e] != c.key[e]) child = false;
          if (child && o.suppressed) ++hidden;
        }
        EXPECT_NE(hidden, 1) << "round " << round;
      }
    }
  }
}

}  // namespace
}  // namespace gugus::report
