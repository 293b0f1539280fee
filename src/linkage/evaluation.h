// Scoring a linkage against known truth, for tests and benchmarks: pairwise
// precision, recall and F1, and B-cubed (per record) cluster scores.
//
// `truth[i]` is the true entity of record i (any integer label); `source[i]` is 0/1
// as in Records. When `link` is set only left×right pairs count (a link of two
// files); otherwise every pair does (deduplication). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "linkage/blocking.h"

namespace gugus::linkage {

struct Scores {
  uint64_t true_positives = 0, false_positives = 0, false_negatives = 0;
  double precision = 0, recall = 0, f1 = 0;
};

// Pairs of records that truly belong together.
uint64_t TruePairCount(const std::vector<int64_t>& truth,
                       const std::vector<uint8_t>& source, bool link);

// Scores predicted pairs (each counted once whatever its order).
Scores PairwiseScores(const std::vector<Pair>& predicted,
                      const std::vector<int64_t>& truth,
                      const std::vector<uint8_t>& source, bool link);

// Scores the pairs implied by clusters (`cluster[i]`: record i's cluster label).
Scores ClusterPairScores(const std::vector<uint32_t>& cluster,
                         const std::vector<int64_t>& truth);

// B-cubed: for each record, the share of its predicted cluster that truly belongs
// with it (precision) and the share of its true entity that its cluster holds
// (recall), averaged over records.
Scores BCubedScores(const std::vector<uint32_t>& cluster,
                    const std::vector<int64_t>& truth);

}  // namespace gugus::linkage
