// Clustering scored pairs into entities (persons), guarded against chaining, and
// bound by human decisions.
//
// Links are taken strongest first (Kruskal's order; equal weights by record index)
// into a union-find of groups. Two groups are joined only when
//   - no cannot-link pair (a human "different people" decision) would end up in one
//     cluster, and
//   - when either group already holds more than one record, the mean probability
//     over all cross pairs (scored on demand, at most kMaxCrossPairs of them) is at
//     least `guard`: one strong pair cannot chain two different people together
//     through a record that resembles both.
// Must-link pairs (human "same person" decisions) do not take part in that: the
// groups are what the model makes of the records, and a cluster is the groups that
// must-links join, whole and unguarded. "Same person" on two records thus merges
// the two persons they are in, and the guard never weighs a decision: it only
// judges the model's groups. Decisions that contradict each other (A same as B,
// B same as C, A different from C) keep the must-links.
// Keep-together pairs (an incremental run's existing persons) form groups before
// any link, unguarded but never against a cannot-link, and each counts as one
// record to the guard (the mean is over pairs of such groups, each taking its best
// pair of records): a new record that looks like one of a person's records looks
// like that person.
// Deterministic: the same input gives the same clusters whatever the order of the
// links. Not thread-safe to share a call; pure otherwise.
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
  std::vector<Pair> must_link;      // "same person": their clusters are one
  std::vector<Pair> cannot_link;    // "different people": never in one cluster
  std::vector<Pair> keep_together;  // one group from the start (existing persons)
};

inline constexpr size_t kMaxCrossPairs = 400;

struct ClusterStats {
  uint64_t merges = 0;  // links that joined two groups
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
