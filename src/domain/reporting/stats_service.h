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

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
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
  // The answer counted before the latest change, given while the new one is still
  // being counted (see Overview).
  bool recounting = false;
};

// A page of the persons whose records disagree (report::FindDisagreements).
struct DisagreementPage {
  int64_t total = 0;  // in all, under the caller's scope
  std::vector<report::Disagreement> persons;
};

class StatsService {
 public:
  explicit StatsService(Store& store);
  ~StatsService();  // waits for an overview being counted

  absl::StatusOr<StatsResult> Query(const StatsQuery& query);  // the whole store
  absl::StatusOr<StatsResult> Query(const StatsQuery& query, const Principal& principal);

  absl::StatusOr<report::Reconciliation> Reconcile(const StatsQuery& query);
  absl::StatusOr<report::Reconciliation> Reconcile(const StatsQuery& query,
                                                   const Principal& principal);

  // What Reconcile and Query for each of `tables` answer for `query`'s filter (its
  // dims are not used), from one load of the facts under one scope and k. Answers
  // are kept (up to kMaxKeptOverviews) while the facts are the same, keyed by the
  // filter, k and tables, so that a dashboard opened by a whole secretariat is
  // counted once. After a change an overview is counted again on a thread of the
  // service's own; the caller that finds the change waits for it at most
  // recount_wait, callers meanwhile not at all: they take the answer kept from
  // before the change, marked `recounting`, rather than hold a server thread for
  // seconds. When there is none, they wait as long as it takes.
  absl::StatusOr<StatsOverview> Overview(const StatsQuery& query,
                                         std::span<const std::vector<report::Dim>> tables,
                                         const Principal& principal);
  // Persons whose records, as the caller may see them, disagree on sex, birth date,
  // origin or NIK: the secretariat's work list, the most recently reported first.
  // Only `query`'s period and region are read. limit 1..100, offset 0..1,000,000
  // (InvalidArgument otherwise); callers that see no records get none. The whole
  // list is kept per scope while the facts are the same.
  absl::StatusOr<DisagreementPage> Disagreements(const StatsQuery& query, int limit,
                                                 int offset, const Principal* principal);

  // Loads the facts, so that the first statistics asked for need not (a server
  // calls it at start).
  absl::Status Warm();
  // Waits until no overview is being counted (tests, tools).
  void WaitForRecounts();
  // How long Overview waits for a recount before answering from before the change
  // (default 1 s); zero answers at once.
  void set_recount_wait(std::chrono::milliseconds wait);

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
  // The facts as the store has them now.
  absl::StatusOr<std::shared_ptr<const report::FactSet>> Facts();
  // The facts loaded, if they are still the store's; null when they must be loaded.
  absl::StatusOr<std::shared_ptr<const report::FactSet>> FactsIfCurrent();
  // What makes the facts current: the store's LinkState and every agency's
  // code|name|type|region.
  struct FactsBasis {
    LinkState state;
    std::vector<std::string> agencies;
    bool operator==(const FactsBasis&) const = default;
  };
  absl::StatusOr<FactsBasis> Basis();
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
  FactsBasis facts_basis_;
  bool names_loaded_ = false;
  std::vector<std::pair<std::string, std::string>> region_names_;   // code → name
  std::vector<std::pair<std::string, std::string>> country_names_;  // alpha-2 → name

  // An overview to count: its key (filter, k and tables), scope and tables.
  struct OverviewJob {
    std::string key;
    Scoped scoped;
    std::vector<std::vector<report::Dim>> tables;
  };
  struct KeptOverview {
    std::shared_ptr<const report::FactSet> facts;
    StatsOverview answer;
  };
  absl::StatusOr<KeptOverview> CountOverview(const OverviewJob& job);
  void CountOverviews();  // the counter_ thread: jobs_ until stopping_

  // Disagreement lists by filter, with the facts they came from.
  std::mutex disagreements_mu_;
  absl::flat_hash_map<std::string,
                      std::pair<std::shared_ptr<const report::FactSet>,
                                std::shared_ptr<const std::vector<report::Disagreement>>>>
      disagreements_;

  std::mutex overview_mu_;
  std::condition_variable counted_;  // an overview left counting_
  std::condition_variable queued_;   // jobs_ grew, or stopping_
  // Guarded by overview_mu_: the latest answer by key, with the facts it counted;
  // the keys being counted, their jobs not yet taken, and the last failure by key.
  absl::flat_hash_map<std::string, KeptOverview> overviews_;
  absl::flat_hash_set<std::string> counting_;
  std::deque<OverviewJob> jobs_;
  absl::flat_hash_map<std::string, absl::Status> failures_;
  std::chrono::milliseconds recount_wait_{1000};
  bool stopping_ = false;
  std::thread counter_;  // started with the first job
};

}  // namespace gugus::domain
