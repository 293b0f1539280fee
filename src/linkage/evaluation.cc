#include "linkage/evaluation.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace gugus::linkage {
namespace {

void Finish(Scores& s) {
  double tp = static_cast<double>(s.true_positives);
  s.precision =
      tp + s.false_positives ? tp / (tp + static_cast<double>(s.false_positives)) : 0;
  s.recall =
      tp + s.false_negatives ? tp / (tp + static_cast<double>(s.false_negatives)) : 0;
  s.f1 = s.precision + s.recall > 0
             ? 2 * s.precision * s.recall / (s.precision + s.recall)
             : 0;
}

uint64_t Choose2(uint64_t n) { return n * (n - 1) / 2; }

}  // namespace

uint64_t TruePairCount(const std::vector<int64_t>& truth,
                       const std::vector<uint8_t>& source, bool link) {
  absl::flat_hash_map<int64_t, std::pair<uint64_t, uint64_t>> sizes;
  for (size_t i = 0; i < truth.size(); ++i)
    (source[i] ? sizes[truth[i]].second : sizes[truth[i]].first) += 1;
  uint64_t n = 0;
  for (const auto& [entity, s] : sizes)
    n += link ? s.first * s.second : Choose2(s.first + s.second);
  return n;
}

Scores PairwiseScores(const std::vector<Pair>& predicted,
                      const std::vector<int64_t>& truth,
                      const std::vector<uint8_t>& source, bool link) {
  Scores s;
  absl::flat_hash_set<uint64_t> seen;
  for (auto [a, b] : predicted) {
    if (a > b) std::swap(a, b);
    if (a == b || (link && source[a] == source[b])) continue;
    if (!seen.insert(uint64_t{a} << 32 | b).second) continue;
    ++(truth[a] == truth[b] ? s.true_positives : s.false_positives);
  }
  s.false_negatives = TruePairCount(truth, source, link) - s.true_positives;
  Finish(s);
  return s;
}

namespace {

// How many records each predicted cluster, each true entity and each (cluster,
// entity) overlap holds: both cluster scores derive from these.
struct Contingency {
  absl::flat_hash_map<uint32_t, uint64_t> predicted;
  absl::flat_hash_map<int64_t, uint64_t> actual;
  absl::flat_hash_map<std::pair<uint32_t, int64_t>, uint64_t> both;

  Contingency(const std::vector<uint32_t>& cluster, const std::vector<int64_t>& truth) {
    for (size_t i = 0; i < cluster.size(); ++i) {
      ++predicted[cluster[i]];
      ++actual[truth[i]];
      ++both[{cluster[i], truth[i]}];
    }
  }
};

}  // namespace

Scores ClusterPairScores(const std::vector<uint32_t>& cluster,
                         const std::vector<int64_t>& truth) {
  Contingency c(cluster, truth);
  uint64_t tp = 0, p = 0, t = 0;
  for (const auto& [k, n] : c.both) tp += Choose2(n);
  for (const auto& [k, n] : c.predicted) p += Choose2(n);
  for (const auto& [k, n] : c.actual) t += Choose2(n);
  Scores s;
  s.true_positives = tp;
  s.false_positives = p - tp;
  s.false_negatives = t - tp;
  Finish(s);
  return s;
}

Scores BCubedScores(const std::vector<uint32_t>& cluster,
                    const std::vector<int64_t>& truth) {
  Contingency c(cluster, truth);
  double precision = 0, recall = 0;
  for (size_t i = 0; i < cluster.size(); ++i) {
    double together = static_cast<double>(c.both[{cluster[i], truth[i]}]);
    precision += together / static_cast<double>(c.predicted[cluster[i]]);
    recall += together / static_cast<double>(c.actual[truth[i]]);
  }
  Scores s;
  if (!cluster.empty()) {
    s.precision = precision / static_cast<double>(cluster.size());
    s.recall = recall / static_cast<double>(cluster.size());
    s.f1 = s.precision + s.recall > 0
               ? 2 * s.precision * s.recall / (s.precision + s.recall)
               : 0;
  }
  return s;
}

}  // namespace gugus::linkage
