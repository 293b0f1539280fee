#include "linkage/evaluation.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace gugus::linkage {
namespace {

// Five records: truly {0, 1, 2} and {3, 4}; predicted {0, 1}, {2, 3}, {4}.
const std::vector<int64_t> kTruth = {1, 1, 1, 2, 2};
const std::vector<uint32_t> kClusters = {0, 0, 3, 3, 4};
const std::vector<uint8_t> kOneInput(5, 0);

TEST(EvaluationTest, ClusterPairsByHand) {
  // True pairs: (0,1) (0,2) (1,2) (3,4) = 4. Predicted pairs: (0,1) (2,3) = 2.
  // TP = 1 (0,1); FP = 1 (2,3); FN = 3.
  // Precision 1/2, recall 1/4, F1 = 2·(1/2)(1/4) / (3/4) = 1/3.
  Scores s = ClusterPairScores(kClusters, kTruth);
  EXPECT_EQ(s.true_positives, 1u);
  EXPECT_EQ(s.false_positives, 1u);
  EXPECT_EQ(s.false_negatives, 3u);
  EXPECT_DOUBLE_EQ(s.precision, 0.5);
  EXPECT_DOUBLE_EQ(s.recall, 0.25);
  EXPECT_DOUBLE_EQ(s.f1, 1.0 / 3.0);
}

TEST(EvaluationTest, PredictedPairsByHand) {
  // The same two predicted pairs, written in both orders, repeated, and with a
  // record paired with itself: each counts once, the self pair not at all.
  std::vector<Pair> predicted = {{1, 0}, {0, 1}, {2, 3}, {3, 2}, {4, 4}};
  Scores s = PairwiseScores(predicted, kTruth, kOneInput, /*link=*/false);
  EXPECT_EQ(s.true_positives, 1u);
  EXPECT_EQ(s.false_positives, 1u);
  EXPECT_EQ(s.false_negatives, 3u);
  EXPECT_DOUBLE_EQ(s.f1, 1.0 / 3.0);
  EXPECT_EQ(TruePairCount(kTruth, kOneInput, false), 4u);
}

TEST(EvaluationTest, BCubedByHand) {
  // record  its cluster  its entity   together  precision  recall
  //   0       {0,1}      {0,1,2}      {0,1}       2/2       2/3
  //   1       {0,1}      {0,1,2}      {0,1}       2/2       2/3
  //   2       {2,3}      {0,1,2}      {2}         1/2       1/3
  //   3       {2,3}      {3,4}        {3}         1/2       1/2
  //   4       {4}        {3,4}        {4}         1/1       1/2
  // Precision = 4/5 = 0.8; recall = (2/3 + 2/3 + 1/3 + 1/2 + 1/2) / 5 = 8/15;
  // F1 = 2·(4/5)(8/15) / (4/5 + 8/15) = (64/75) / (4/3) = 0.64.
  Scores s = BCubedScores(kClusters, kTruth);
  EXPECT_DOUBLE_EQ(s.precision, 0.8);
  EXPECT_DOUBLE_EQ(s.recall, 8.0 / 15.0);
  EXPECT_NEAR(s.f1, 0.64, 1e-12);
}

TEST(EvaluationTest, PerfectAndEmpty) {
  Scores perfect = BCubedScores({0, 0, 0, 3, 3}, kTruth);
  EXPECT_DOUBLE_EQ(perfect.f1, 1.0);
  EXPECT_DOUBLE_EQ(ClusterPairScores({7, 7, 7, 9, 9}, kTruth).f1, 1.0);
  // Labels are names only: any values do.
  EXPECT_DOUBLE_EQ(ClusterPairScores({9, 9, 9, 7, 7}, {-5, -5, -5, 40, 40}).f1, 1.0);

  // Every record alone: B-cubed precision 1, recall (1/3·3 + 1/2·2) / 5 = 2/5.
  Scores singletons = BCubedScores({0, 1, 2, 3, 4}, kTruth);
  EXPECT_DOUBLE_EQ(singletons.precision, 1.0);
  EXPECT_DOUBLE_EQ(singletons.recall, 0.4);
  Scores none = ClusterPairScores({0, 1, 2, 3, 4}, kTruth);
  EXPECT_EQ(none.true_positives, 0u);
  EXPECT_EQ(none.false_negatives, 4u);
  EXPECT_EQ(none.f1, 0.0);  // not NaN

  Scores empty = BCubedScores({}, {});
  EXPECT_EQ(empty.f1, 0.0);
  EXPECT_EQ(PairwiseScores({}, {}, {}, false).f1, 0.0);
}

TEST(EvaluationTest, LinkCountsOnlyLeftRightPairs) {
  // Entity 1: left {0, 1}, right {2}: true pairs (0,2) (1,2). Entity 2: right only.
  const std::vector<uint8_t> source = {0, 0, 1, 1, 1};
  EXPECT_EQ(TruePairCount(kTruth, source, /*link=*/true), 2u);
  // (0,1) and (3,4) are on one side: not pairs of a link, ignored.
  Scores s =
      PairwiseScores({{0, 2}, {0, 1}, {3, 4}, {2, 1}, {0, 3}}, kTruth, source, true);
  EXPECT_EQ(s.true_positives, 2u);
  EXPECT_EQ(s.false_positives, 1u);  // (0,3)
  EXPECT_EQ(s.false_negatives, 0u);
  EXPECT_DOUBLE_EQ(s.precision, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.recall, 1.0);
  EXPECT_DOUBLE_EQ(s.f1, 0.8);
}

}  // namespace
}  // namespace gugus::linkage
