#include "report/reconcile.h"

#include <algorithm>

namespace gugus::report {

Reconciliation Reconcile(const FactSet& facts, const FactFilter& filter, int k) {
  const size_t n = facts.agencies.size();
  std::vector<int64_t> records(n), persons(n), only(n);
  std::vector<std::vector<int64_t>> shared(n, std::vector<int64_t>(n));
  Reconciliation out;
  out.k = std::max(k, 1);

  int64_t unified = 0, several = 0, sum = 0;
  std::vector<int32_t> at;  // the current person's agencies
  auto flush = [&] {
    if (at.empty()) return;
    std::sort(at.begin(), at.end());
    at.erase(std::unique(at.begin(), at.end()), at.end());
    ++unified;
    if (at.size() > 1) ++several;
    for (int32_t a : at) {
      ++persons[a];
      if (at.size() == 1) ++only[a];
      for (int32_t b : at)
        if (b != a) ++shared[a][b];
    }
    at.clear();
  };
  int64_t person = 0;
  bool first = true;
  for (uint32_t i : PersonOrder(facts, filter)) {
    const Fact& f = facts.facts[i];
    if (first || f.person != person) flush();
    first = false;
    person = f.person;
    at.push_back(f.agency);
    ++records[f.agency];
    ++out.records;
  }
  flush();

  auto publish = [&](int64_t v) -> std::optional<int64_t> {
    if (v > 0 && v < out.k) return std::nullopt;
    return v;
  };
  std::vector<size_t> shown;
  for (size_t a = 0; a < n; ++a)
    if (records[a] > 0) shown.push_back(a);
  std::sort(shown.begin(), shown.end(), [&](size_t a, size_t b) {
    return facts.agencies[a].code < facts.agencies[b].code;
  });
  for (size_t a : shown) {
    AgencyReconciliation row;
    row.code = facts.agencies[a].code;
    row.name = facts.agencies[a].name;
    row.type = facts.agencies[a].type;
    row.records = records[a];
    row.persons = publish(persons[a]);
    row.only_here = publish(only[a]);
    for (size_t b : shown)
      row.shared.push_back(a == b ? row.persons : publish(shared[a][b]));
    sum += persons[a];
    out.agencies.push_back(std::move(row));
  }
  out.sum_of_agency_counts = publish(sum);
  out.unified_persons = publish(unified);
  out.persons_at_several = publish(several);
  return out;
}

}  // namespace gugus::report
