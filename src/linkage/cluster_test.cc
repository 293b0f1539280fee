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

// A reviewer says A and B are the same person. A was linked to A2 (strongly alike),
// and A2 does not look like B: without the decision the guard would keep A2 apart
// from {A, B} and the decision would only move A. With it, A2 looks like that
// person (through A), so the two persons merge.
TEST(ClusterTest, SameDecisionMergesThePersonsNotJustTheRecords) {
  const uint32_t a = 0, a2 = 1, b = 2, stranger = 3;
  Table probability{
      {{{a, a2}, 0.99}, {{a, b}, 0.6}, {{a2, b}, 0.05}, {{b, stranger}, 0.95}}};
  std::vector<ScoredPair> links = {{a, a2, 9}, {b, stranger, 8}};
  ClusterConstraints decided;
  decided.must_link = {{a, b}};
  Labels labels = Cluster(4, links, decided, 0.5, probability);
  EXPECT_EQ(labels[a2], labels[a]);
  EXPECT_EQ(labels[b], labels[a]);
  // The guard still holds for the rest: the stranger looks like B (0.95 for the
  // decided group {A, B}) but not like A2 (0), a mean of 0.475 < 0.5.
  EXPECT_NE(labels[stranger], labels[a]);

  // Without the decision, two persons as linked.
  EXPECT_EQ(Cluster(4, links, {}, 0.5, probability), (Labels{0, 0, 2, 2}));
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
