// Small-cell suppression: what may be published from a StatTable without letting
// anyone recover how many victims are in a small cell.
//
// Primary suppression hides every cell (interior or margin) with 1..k-1 persons.
// Complementary suppression then hides more cells until no hidden cell can be worked
// out from what stays visible. The attacker this guards against knows every visible
// cell and margin of the table (also those published by other queries over fewer
// dimensions), knows that a listed cell is not empty (at least 1), and reads each
// line of the table — a margin and the cells it sums over along one dimension — as
// an equation where the counts add up (they do when no person is in two cells of
// the line) and as bounds where they do not (a margin counts a person once: it lies
// between the largest cell and the sum). For records and persons alike, every hidden
// cell must keep at least two whole values consistent with all of that.
//
// How: (1) per line, a single hidden cell, or hidden cells whose total is below k or
// could only be all ones, gets the smallest visible cell of the line hidden with it;
// (2) an exact check with linear programming (GLPK) over every line at once finds
// each hidden cell's range; a cell pinned to one value gets another cell of its
// lines hidden, and the check repeats. Deterministic: the same table gives the same
// pattern.
//
// Thread-safe (GLPK calls are serialised). Errors: InvalidArgument when the table is
// too detailed to be proven safe within the budget (nothing may then be published:
// the caller should ask for fewer dimensions, a region or a period); Internal when
// GLPK fails.
#pragma once

#include <chrono>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "report/cube.h"

namespace gugus::report {

inline constexpr int kDefaultK = 5;

struct SuppressionStats {
  int64_t primary = 0;        // cells hidden for being small
  int64_t complementary = 0;  // cells hidden to protect them
  int64_t checks = 0;         // linear programs solved
};

// How long the proof may take, so that a request cannot run for minutes.
struct SuppressionBudget {
  std::chrono::milliseconds time{20000};
  int64_t checks = 200000;  // linear programs
};

// Marks table.cells' `suppressed`/`primary` for threshold k (k <= 1: nothing is
// hidden) and sets table.k.
absl::StatusOr<SuppressionStats> Suppress(StatTable& table, int k,
                                          const SuppressionBudget& budget = {});

}  // namespace gugus::report
