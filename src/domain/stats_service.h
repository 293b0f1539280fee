// Unified statistics and reconciliation for the command line, the API and the
// annual report: one place decides which records count and how much is hidden.
//
// Who sees what (SPEC section 6):
//  - trusted callers (the command line) count the whole store, or a region;
//  - an account with record access counts the records it may see (ScopeOf), and may
//    ask for any k >= 1;
//  - an analyst sees no records, so counts every record of its region (agency's or
//    origin) but only ever with k >= kDefaultK: the same suppressed tables as every
//    published output.
//
// The facts are cached in memory and reloaded when records, links or agencies
// change (the store's LinkState and the agency list), so repeated queries cost only
// the counting. Thread-safe.
// Errors: InvalidArgument for bad dimensions, dates, k or region codes; NotFound for
// a region outside the caller's; storage errors as they come.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "domain/access.h"
#include "domain/repository.h"
#include "report/cube.h"
#include "report/reconcile.h"
#include "report/suppression.h"

namespace gugus::domain {

struct StatsQuery {
  std::vector<report::Dim> dims;
  int k = report::kDefaultK;  // 1 = nothing hidden (not for analysts)
  std::string from, to;       // report dates, inclusive; "" = open
  std::string region;         // a region code; "" = everything the caller may count
};

struct StatsResult {
  report::StatTable table;  // every cell with its margins, suppression applied
  report::SuppressionStats suppression;
  // Per dimension, per value (same order as table.values): an Indonesian label.
  std::vector<std::vector<std::string>> labels;
};

// Several tables and the reconciliation over one filter (a dashboard's numbers).
struct StatsOverview {
  report::Reconciliation reconciliation;
  std::vector<StatsResult> tables;  // one per table asked for, in that order
};

class StatsService {
 public:
  explicit StatsService(Store& store);

  absl::StatusOr<StatsResult> Query(const StatsQuery& query);  // the whole store
  absl::StatusOr<StatsResult> Query(const StatsQuery& query, const Principal& principal);

  absl::StatusOr<report::Reconciliation> Reconcile(const StatsQuery& query);
  absl::StatusOr<report::Reconciliation> Reconcile(const StatsQuery& query,
                                                   const Principal& principal);

  // What Reconcile and Query for each of `tables` answer for `query`'s filter (its
  // dims are not used), from one load of the facts under one scope and k. Answers
  // are kept (up to kMaxKeptOverviews) while the facts are the same, keyed by the
  // filter, k and tables, so that a dashboard opened by a whole secretariat is
  // counted once. After a change the first caller counts it again; callers asking
  // for the same one meanwhile get the answer kept from before the change (seconds
  // old) rather than holding a server thread while they wait, and wait only when
  // there is none.
  absl::StatusOr<StatsOverview> Overview(const StatsQuery& query,
                                         std::span<const std::vector<report::Dim>> tables,
                                         const Principal& principal);

 private:
  // The Indonesian label of a dimension's value code ("53" → "Nusa Tenggara Timur");
  // agencies are named from `facts`, which already holds them.
  absl::StatusOr<std::string> Label(report::Dim dim, const std::string& code,
                                    const report::FactSet& facts);
  struct Scoped {
    report::FactFilter filter;
    int k = report::kDefaultK;
  };
  absl::StatusOr<Scoped> Resolve(const StatsQuery& query, const Principal* principal);
  // The facts as the store has them now. With `or_previous`, while another caller
  // is loading newer ones, the ones loaded before (if any) rather than waiting.
  absl::StatusOr<std::shared_ptr<const report::FactSet>> Facts(bool or_previous = false);
  absl::StatusOr<StatsResult> Run(const StatsQuery& query, const Principal* principal);
  // One table of `facts`, suppressed and labelled.
  absl::StatusOr<StatsResult> Count(const report::FactSet& facts,
                                    std::span<const report::Dim> dims,
                                    const Scoped& scoped);
  absl::StatusOr<report::Reconciliation> RunReconcile(const StatsQuery& query,
                                                      const Principal* principal);
  absl::Status LoadNames();

  Store& store_;
  std::mutex mu_;
  std::condition_variable loaded_;  // loading_ became false
  // Guarded by mu_:
  bool loading_ = false;
  std::shared_ptr<const report::FactSet> facts_;
  LinkState facts_state_;
  std::vector<std::string> facts_agencies_;  // code|type|region of each agency
  bool names_loaded_ = false;
  std::vector<std::pair<std::string, std::string>> region_names_;   // code → name
  std::vector<std::pair<std::string, std::string>> country_names_;  // alpha-2 → name

  std::mutex overview_mu_;
  std::condition_variable counted_;  // an overview left counting_
  // Guarded by overview_mu_: the latest answer by filter, k and tables, with the
  // facts it counted, and the overviews being counted.
  struct KeptOverview {
    std::shared_ptr<const report::FactSet> facts;
    StatsOverview answer;
  };
  absl::flat_hash_map<std::string, KeptOverview> overviews_;
  absl::flat_hash_set<std::string> counting_;
};

}  // namespace gugus::domain
