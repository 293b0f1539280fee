#include "linkage/cluster.h"

#include <algorithm>
#include <numeric>

#include "absl/container/flat_hash_map.h"

namespace gugus::linkage {

std::vector<uint32_t> Cluster(
    size_t n, std::vector<ScoredPair> links, const ClusterConstraints& constraints,
    double guard, const std::function<double(uint32_t, uint32_t)>& probability,
    ClusterStats* stats) {
  ClusterStats local;
  ClusterStats& s = stats ? *stats : local;
  std::vector<uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  // Members of each root (moved into the larger group on union).
  std::vector<std::vector<uint32_t>> members(n);
  for (uint32_t i = 0; i < n; ++i) members[i] = {i};
  auto find = [&](uint32_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  auto unite = [&](uint32_t ra, uint32_t rb) {
    if (members[ra].size() < members[rb].size()) std::swap(ra, rb);
    for (uint32_t m : members[rb]) members[ra].push_back(m);
    members[rb].clear();
    members[rb].shrink_to_fit();
    parent[rb] = ra;
    ++s.merges;
  };
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> cannot;
  for (const Pair& p : constraints.cannot_link) {
    if (p.first >= n || p.second >= n) continue;
    cannot[p.first].push_back(p.second);
    cannot[p.second].push_back(p.first);
  }
  auto forbidden = [&](uint32_t ra, uint32_t rb) {
    if (cannot.empty()) return false;
    const auto& small =
        members[ra].size() < members[rb].size() ? members[ra] : members[rb];
    uint32_t other = members[ra].size() < members[rb].size() ? rb : ra;
    for (uint32_t x : small) {
      auto it = cannot.find(x);
      if (it == cannot.end()) continue;
      for (uint32_t y : it->second)
        if (find(y) == other) return true;
    }
    return false;
  };

  for (const Pair& p : constraints.must_link) {
    if (p.first >= n || p.second >= n) continue;
    uint32_t ra = find(p.first), rb = find(p.second);
    if (ra != rb) unite(ra, rb);
  }
  // Records a reviewer has joined are one person to the guard: a record that looks
  // like any of them looks like that person. Without this, "same person" on A and B
  // would pull A away from the records it was linked to when those do not also
  // look like B. decided[x] is x's must-link group (its representative now).
  std::vector<uint32_t> decided;
  if (!constraints.must_link.empty()) {
    decided.resize(n);
    for (uint32_t i = 0; i < n; ++i) decided[i] = find(i);
  }

  std::sort(links.begin(), links.end(), [](const ScoredPair& x, const ScoredPair& y) {
    if (x.weight != y.weight) return x.weight > y.weight;
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  for (const ScoredPair& link : links) {
    if (link.a >= n || link.b >= n) continue;
    uint32_t ra = find(link.a), rb = find(link.b);
    if (ra == rb) continue;
    if (forbidden(ra, rb)) {
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
      if (decided.empty()) {
        for (size_t i = 0; i < ma.size(); i += step_a)
          for (uint32_t y : mb) {
            sum += probability(ma[i], y);
            ++count;
          }
      } else {
        // The best pair between each two decided groups, then the mean of those.
        absl::flat_hash_map<std::pair<uint32_t, uint32_t>, double> best;
        for (size_t i = 0; i < ma.size(); i += step_a)
          for (uint32_t y : mb) {
            double& b = best.try_emplace({decided[ma[i]], decided[y]}, 0.0).first->second;
            b = std::max(b, probability(ma[i], y));
          }
        for (const auto& [groups, p] : best) sum += p;
        count = best.size();
      }
      if (sum / static_cast<double>(count) < guard) {
        ++s.refused_guard;
        continue;
      }
    }
    unite(ra, rb);
  }

  // Representative: the smallest index, so that the labels do not depend on the
  // order of unions.
  std::vector<uint32_t> smallest(n, UINT32_MAX), out(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t r = find(i);
    smallest[r] = std::min(smallest[r], i);
  }
  for (uint32_t i = 0; i < n; ++i) out[i] = smallest[find(i)];
  return out;
}

}  // namespace gugus::linkage
