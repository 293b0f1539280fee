// Clustering scored pairs into entities (persons), guarded against chaining.
//
// Links are taken strongest first (Kruskal's order) into a union-find. Two groups
// are joined only when
//   - no cannot-link pair (a human "different people" decision) would end up inside
//     one group, and
//   - when either group already holds more than one record, the mean probability
//     over all cross pairs (scored on demand, at most kMaxCrossPairs of them) is at
//     least `guard`: one strong pair cannot chain two different people together
//     through a record that resembles both.
// Must-link pairs (human "same person" decisions) are joined first, unguarded, and
// the records they join count as one to the guard: the mean is over pairs of
// decided groups, each taking its best pair of records.
// Deterministic: the same input gives the same clusters. Not thread-safe to share
// a call; pure otherwise.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "linkage/blocking.h"

namespace gugus::linkage {

struct ScoredPair {
  uint32_t a = 0, b = 0;
  float weight = 0;  // match weight (model.h)
};

struct ClusterConstraints {
  std::vector<Pair> must_link;
  std::vector<Pair> cannot_link;
};

inline constexpr size_t kMaxCrossPairs = 400;

struct ClusterStats {
  uint64_t merges = 0;
  uint64_t refused_cannot_link = 0;
  uint64_t refused_guard = 0;
};

// Returns, for each of the `n` records, its cluster's representative: the smallest
// record index in the cluster. `links` are the pairs at or above the link threshold.
std::vector<uint32_t> Cluster(
    size_t n, std::vector<ScoredPair> links, const ClusterConstraints& constraints,
    double guard, const std::function<double(uint32_t, uint32_t)>& probability,
    ClusterStats* stats = nullptr);

}  // namespace gugus::linkage
