#include "linkage/cluster.h"

#include <algorithm>
#include <numeric>

#include "absl/container/flat_hash_map.h"

namespace gugus::linkage {
namespace {

// Union-find with path halving and union by size.
class Sets {
 public:
  explicit Sets(size_t n) : parent_(n), size_(n, 1) {
    std::iota(parent_.begin(), parent_.end(), 0u);
  }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  // Joins two roots; returns (kept root, absorbed root).
  std::pair<uint32_t, uint32_t> Unite(uint32_t ra, uint32_t rb) {
    if (size_[ra] < size_[rb]) std::swap(ra, rb);
    parent_[rb] = ra;
    size_[ra] += size_[rb];
    return {ra, rb};
  }

 private:
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
};

}  // namespace

std::vector<uint32_t> Cluster(
    size_t n, std::vector<ScoredPair> links, const ClusterConstraints& constraints,
    double guard, const std::function<double(uint32_t, uint32_t)>& probability,
    ClusterStats* stats) {
  ClusterStats local;
  ClusterStats& s = stats ? *stats : local;
  // Groups: what the model (and keep-together) joined; the guard judges these.
  Sets groups(n);
  std::vector<std::vector<uint32_t>> members(n);
  for (uint32_t i = 0; i < n; ++i) members[i] = {i};
  // Clusters: groups joined by must-links too; cannot-links hold between these.
  Sets clusters(n);

  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> cannot;
  for (const Pair& p : constraints.cannot_link) {
    if (p.first >= n || p.second >= n) continue;
    cannot[p.first].push_back(p.second);
    cannot[p.second].push_back(p.first);
  }
  // Each cluster's records that have a cannot-link (by cluster root): few or none.
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> constrained;
  for (const auto& [x, others] : cannot) constrained[x].push_back(x);
  auto forbidden = [&](uint32_t ca, uint32_t cb) {
    if (cannot.empty()) return false;
    auto a = constrained.find(ca), b = constrained.find(cb);
    if (a == constrained.end() || b == constrained.end()) return false;
    bool a_smaller = a->second.size() < b->second.size();
    const std::vector<uint32_t>& small = a_smaller ? a->second : b->second;
    uint32_t other = a_smaller ? cb : ca;
    for (uint32_t x : small)
      for (uint32_t y : cannot.at(x))
        if (clusters.Find(y) == other) return true;
    return false;
  };
  auto join_clusters = [&](uint32_t ca, uint32_t cb) {
    if (ca == cb) return;
    auto [kept, absorbed] = clusters.Unite(ca, cb);
    auto it = constrained.find(absorbed);
    if (it == constrained.end()) return;
    std::vector<uint32_t> moved = std::move(it->second);
    constrained.erase(it);
    std::vector<uint32_t>& into = constrained[kept];
    into.insert(into.end(), moved.begin(), moved.end());
  };
  auto join_groups = [&](uint32_t ra, uint32_t rb) {
    auto [kept, absorbed] = groups.Unite(ra, rb);
    for (uint32_t m : members[absorbed]) members[kept].push_back(m);
    members[absorbed].clear();
    members[absorbed].shrink_to_fit();
  };

  for (const Pair& p : constraints.must_link) {
    if (p.first >= n || p.second >= n) continue;
    join_clusters(clusters.Find(p.first), clusters.Find(p.second));
  }
  for (const Pair& p : constraints.keep_together) {
    if (p.first >= n || p.second >= n) continue;
    uint32_t ra = groups.Find(p.first), rb = groups.Find(p.second);
    if (ra == rb) continue;
    uint32_t ca = clusters.Find(p.first), cb = clusters.Find(p.second);
    if (ca != cb && forbidden(ca, cb)) {
      ++s.refused_cannot_link;
      continue;
    }
    join_groups(ra, rb);
    join_clusters(ca, cb);
  }
  // A kept group is one record to the guard: kept[x] is x's group before any link.
  std::vector<uint32_t> kept;
  if (!constraints.keep_together.empty()) {
    kept.resize(n);
    for (uint32_t i = 0; i < n; ++i) kept[i] = groups.Find(i);
  }

  std::sort(links.begin(), links.end(), [](const ScoredPair& x, const ScoredPair& y) {
    if (x.weight != y.weight) return x.weight > y.weight;
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  for (const ScoredPair& link : links) {
    if (link.a >= n || link.b >= n) continue;
    uint32_t ra = groups.Find(link.a), rb = groups.Find(link.b);
    if (ra == rb) continue;
    uint32_t ca = clusters.Find(link.a), cb = clusters.Find(link.b);
    if (ca != cb && forbidden(ca, cb)) {
      ++s.refused_cannot_link;
      continue;
    }
    const auto& ma = members[ra];
    const auto& mb = members[rb];
    if (ma.size() + mb.size() > 2 && guard > 0) {
      // Spread the cross pairs evenly over both groups when there are too many.
      size_t step_a = std::max<size_t>(1, ma.size() * mb.size() / kMaxCrossPairs);
      double sum = 0;
      size_t count = 0;
      if (kept.empty()) {
        for (size_t i = 0; i < ma.size(); i += step_a)
          for (uint32_t y : mb) {
            sum += probability(ma[i], y);
            ++count;
          }
      } else {
        // The best pair between each two kept groups, then the mean of those.
        absl::flat_hash_map<std::pair<uint32_t, uint32_t>, double> best;
        for (size_t i = 0; i < ma.size(); i += step_a)
          for (uint32_t y : mb) {
            double& b = best.try_emplace({kept[ma[i]], kept[y]}, 0.0).first->second;
            b = std::max(b, probability(ma[i], y));
          }
        // Summed in a fixed order, not the map's: the mean must not depend on it.
        std::vector<double> values;
        values.reserve(best.size());
        for (const auto& [pair, p] : best) values.push_back(p);
        std::sort(values.begin(), values.end());
        for (double p : values) sum += p;
        count = values.size();
      }
      if (sum / static_cast<double>(count) < guard) {
        ++s.refused_guard;
        continue;
      }
    }
    join_groups(ra, rb);
    join_clusters(ca, cb);
    ++s.merges;
  }

  // Representative: the smallest index, so that the labels do not depend on the
  // order of unions.
  std::vector<uint32_t> smallest(n, UINT32_MAX), out(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t r = clusters.Find(i);
    smallest[r] = std::min(smallest[r], i);
  }
  for (uint32_t i = 0; i < n; ++i) out[i] = smallest[clusters.Find(i)];
  return out;
}

}  // namespace gugus::linkage
