#include "linkage/cluster.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace gugus::linkage {
namespace {

using Labels = std::vector<uint32_t>;

// Probabilities for the pairs listed (either order); every other pair `otherwise`.
struct Table {
  std::map<std::pair<uint32_t, uint32_t>, double> p;
  double otherwise = 0.0;
  double operator()(uint32_t a, uint32_t b) const {
    auto it = p.find({std::min(a, b), std::max(a, b)});
    return it == p.end() ? otherwise : it->second;
  }
};

// A–B and B–C are strong links; A and C, scored directly, look like two people.
TEST(ClusterTest, GuardStopsAChainThroughOneRecord) {
  const uint32_t a = 0, b = 1, c = 2;
  std::vector<ScoredPair> links = {{a, b, 10}, {b, c, 9}};
  Table probability{{{{a, b}, 0.999}, {{b, c}, 0.998}, {{a, c}, 0.001}}};

  ClusterStats stats;
  Labels guarded = Cluster(3, links, {}, 0.5, probability, &stats);
  // The stronger link wins; C is refused, since the mean over A–C and B–C is ~0.5.
  EXPECT_EQ(guarded, (Labels{0, 0, 2}));
  EXPECT_EQ(stats.refused_guard, 1u);
  EXPECT_EQ(stats.merges, 1u);

  ClusterStats unguarded_stats;
  Labels unguarded = Cluster(3, links, {}, 0.0, probability, &unguarded_stats);
  EXPECT_EQ(unguarded, (Labels{0, 0, 0}));
  EXPECT_EQ(unguarded_stats.refused_guard, 0u);
  EXPECT_EQ(unguarded_stats.merges, 2u);
}

TEST(ClusterTest, GuardLetsConsistentGroupsJoin) {
  std::vector<ScoredPair> links = {{0, 1, 10}, {1, 2, 9}, {2, 3, 8}};
  Table probability;
  probability.otherwise = 0.9;  // every pair of the four alike
  EXPECT_EQ(Cluster(4, links, {}, 0.5, probability), (Labels{0, 0, 0, 0}));
}

TEST(ClusterTest, CannotLinkHoldsEvenThroughAThirdRecord) {
  // 0–1 and 1–2 are strong, but a person decided that 0 and 2 are different people.
  std::vector<ScoredPair> links = {{0, 1, 10}, {1, 2, 9}, {2, 3, 8}};
  ClusterConstraints constraints;
  constraints.cannot_link = {{2, 0}};
  Table probability;
  probability.otherwise = 1.0;
  ClusterStats stats;
  Labels labels = Cluster(4, links, constraints, 0.5, probability, &stats);
  EXPECT_NE(labels[0], labels[2]);
  EXPECT_EQ(labels, (Labels{0, 0, 2, 2}));
  EXPECT_EQ(stats.refused_cannot_link, 1u);

  // Also when the link into the forbidden group comes first.
  std::vector<ScoredPair> reversed = {{0, 1, 8}, {1, 2, 9}, {2, 3, 10}};
  Labels other = Cluster(4, reversed, constraints, 0.0, probability);
  EXPECT_NE(other[0], other[2]);
  EXPECT_EQ(other, (Labels{0, 1, 1, 1}));
}

TEST(ClusterTest, MustLinkJoinsRecordsWithoutALink) {
  ClusterConstraints constraints;
  constraints.must_link = {{4, 1}, {3, 4}};
  Table probability;  // everything scores 0: must-links are not guarded
  Labels labels = Cluster(6, {{0, 5, 12}}, constraints, 0.5, probability);
  EXPECT_EQ(labels, (Labels{0, 1, 2, 1, 1, 0}));
}

// A reviewer says A and B are the same person. The model linked A to A2 and B to
// B2 (strongly alike), and neither A2 nor B2 looks like the other person. Joining
// A and B first and then weighing A2 and B2 against {A, B} let the guard keep one
// of them out: the decision moved a record instead of merging two persons.
TEST(ClusterTest, SameDecisionMergesTheTwoPersonsWhole) {
  const uint32_t a = 0, a2 = 1, b = 2, b2 = 3;
  Table probability{{{{a, a2}, 0.99}, {{a, b}, 0.3}, {{b, b2}, 0.99}}};
  std::vector<ScoredPair> links = {{a, a2, 9}, {b, b2, 8}};
  // Without the decision, two persons as linked.
  EXPECT_EQ(Cluster(4, links, {}, 0.5, probability), (Labels{0, 0, 2, 2}));

  ClusterConstraints decided;
  decided.must_link = {{a, b}};
  ClusterStats stats;
  EXPECT_EQ(Cluster(4, links, decided, 0.5, probability, &stats), (Labels{0, 0, 0, 0}));
  EXPECT_EQ(stats.refused_guard, 0u);
  // The same with the decision's records the other way round.
  decided.must_link = {{b2, a2}};
  EXPECT_EQ(Cluster(4, links, decided, 0.5, probability), (Labels{0, 0, 0, 0}));
}

// The guard still judges what the model links, decision or not: C looks like A2
// but not like A, so it stays out of A's person.
TEST(ClusterTest, GuardStillHoldsInsideADecidedPerson) {
  const uint32_t a = 0, a2 = 1, b = 2, c = 3;
  Table probability{{{{a, a2}, 0.99}, {{a2, c}, 0.9}, {{a, c}, 0.01}}};
  std::vector<ScoredPair> links = {{a, a2, 9}, {a2, c, 7}};
  ClusterConstraints decided;
  decided.must_link = {{a, b}};
  ClusterStats stats;
  EXPECT_EQ(Cluster(4, links, decided, 0.5, probability, &stats), (Labels{0, 0, 0, 3}));
  EXPECT_EQ(stats.refused_guard, 1u);
}

// Both decisions bind: "A same as B" merges their persons except the record a
// "different" decision keeps apart.
TEST(ClusterTest, CannotLinkHoldsAgainstTheMergeOfASameDecision) {
  const uint32_t a = 0, a2 = 1, b = 2, b2 = 3;
  Table probability;
  probability.otherwise = 0.9;
  std::vector<ScoredPair> links = {{a, a2, 9}, {b, b2, 8}};
  ClusterConstraints decided;
  decided.must_link = {{a, b}};
  decided.cannot_link = {{a2, b2}};
  ClusterStats stats;
  Labels labels = Cluster(4, links, decided, 0.5, probability, &stats);
  EXPECT_EQ(labels[a], labels[b]);
  EXPECT_NE(labels[a2], labels[b2]);
  EXPECT_EQ(labels, (Labels{0, 0, 0, 3}));  // the stronger link came first
  EXPECT_EQ(stats.refused_cannot_link, 1u);
}

// An existing person kept together counts as one record to the guard: a new record
// like one of its records joins it, though it looks nothing like the others.
TEST(ClusterTest, KeptGroupsCountAsOneToTheGuard) {
  Table probability{{{{0, 3}, 0.9}}};
  std::vector<ScoredPair> links = {{0, 3, 6}};
  ClusterConstraints kept;
  kept.keep_together = {{0, 1}, {0, 2}};
  EXPECT_EQ(Cluster(4, links, kept, 0.5, probability), (Labels{0, 0, 0, 0}));
  // The same three records joined by links instead: 3 is weighed against each.
  ClusterConstraints none;
  Labels linked = Cluster(4, {{0, 1, 9}, {0, 2, 9}, {0, 3, 6}}, none, 0.5,
                          [&](uint32_t x, uint32_t y) {
                            return std::max(x, y) == 3 ? probability(x, y) : 1.0;
                          });
  EXPECT_EQ(linked, (Labels{0, 0, 0, 3}));
}

TEST(ClusterTest, KeepTogetherGivesWayToACannotLink) {
  ClusterConstraints constraints;
  constraints.keep_together = {{0, 1}, {0, 2}};
  constraints.cannot_link = {{1, 2}};
  Table probability;
  ClusterStats stats;
  EXPECT_EQ(Cluster(3, {}, constraints, 0.5, probability, &stats), (Labels{0, 0, 2}));
  EXPECT_EQ(stats.refused_cannot_link, 1u);
}

TEST(ClusterTest, ConstraintsOutOfRangeAreIgnored) {
  ClusterConstraints constraints;
  constraints.must_link = {{0, 99}};
  constraints.cannot_link = {{1, 99}};
  Table probability;
  EXPECT_EQ(Cluster(2, {{0, 1, 5}, {1, 7, 5}}, constraints, 0.5, probability),
            (Labels{0, 0}));
}

TEST(ClusterTest, RepresentativeIsTheSmallestIndex) {
  std::vector<ScoredPair> links = {{7, 3, 10}, {3, 5, 10}, {6, 2, 10}, {4, 6, 9}};
  Table probability;
  probability.otherwise = 1.0;
  Labels labels = Cluster(8, links, {}, 0.5, probability);
  EXPECT_EQ(labels, (Labels{0, 1, 2, 3, 2, 3, 2, 3}));
  for (uint32_t i = 0; i < labels.size(); ++i) {
    EXPECT_LE(labels[i], i);
    EXPECT_EQ(labels[labels[i]], labels[i]);
  }
}

TEST(ClusterTest, SameClustersWhateverTheOrderOfLinks) {
  // Random links over 60 records, some ties, with a guard that refuses some merges
  // and a cannot-link: the order of the input must not matter.
  std::mt19937 rng(31337);
  std::uniform_int_distribution<uint32_t> record(0, 59);
  std::uniform_int_distribution<int> weight(5, 12);
  std::vector<ScoredPair> links;
  for (int i = 0; i < 120; ++i) {
    uint32_t a = record(rng), b = record(rng);
    if (a == b) continue;
    links.push_back({std::min(a, b), std::max(a, b), static_cast<float>(weight(rng))});
  }
  Table probability;
  for (const ScoredPair& l : links) probability.p[{l.a, l.b}] = 0.95;
  probability.otherwise = 0.2;
  ClusterConstraints constraints;
  constraints.cannot_link = {{links[0].a, links[1].b}};
  constraints.must_link = {{links[2].a, links[3].b}};

  ClusterStats first_stats;
  const Labels first = Cluster(60, links, constraints, 0.5, probability, &first_stats);
  EXPECT_GT(first_stats.merges, 0u);
  EXPECT_GT(first_stats.refused_guard, 0u);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(links.begin(), links.end(), rng);
    EXPECT_EQ(Cluster(60, links, constraints, 0.5, probability), first) << round;
  }
}

}  // namespace
}  // namespace gugus::linkage
