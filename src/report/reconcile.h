// Reconciliation: each agency's own count of victims against the unified count, and
// how many of its persons also appear at each other agency — the table that shows
// why the agencies' spreadsheets disagree and what the one number is.
//
// Pure computation over a FactSet (report/cube.h); thread-safe. With k > 1 every
// count of 1..k-1 persons is withheld (nullopt), as in every published output; the
// matrix is not additive (a person can be at three agencies), so no margin gives a
// withheld count away.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/cube.h"

namespace gugus::report {

struct AgencyReconciliation {
  std::string code, name, type;
  int64_t records = 0;               // never withheld: records are not persons
  std::optional<int64_t> persons;    // the agency's own count (distinct persons)
  std::optional<int64_t> only_here;  // persons no other agency has
  std::vector<std::optional<int64_t>> shared;  // persons also at agency j (same
                                               // order); at j = itself: its count
};

struct Reconciliation {
  std::vector<AgencyReconciliation> agencies;  // agencies with records, by code
  int64_t records = 0;
  // What adding the agencies' own numbers gives, against each person once. Withheld
  // like any count when small.
  std::optional<int64_t> sum_of_agency_counts, unified_persons;
  std::optional<int64_t> persons_at_several;  // reported by two agencies or more
  int k = 1;
};

Reconciliation Reconcile(const FactSet& facts, const FactFilter& filter, int k);

}  // namespace gugus::report
