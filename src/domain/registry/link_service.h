// `gugus link` and the review queue: source records → persons.
//
// Link() reads every source record's current version, links them with the
// settings below (linkage/linker.h) and stores, in one transaction, which person
// each record belongs to, the pairs left for review and the run with its fitted
// model. A full run fits the model anew and scores every candidate pair; an
// incremental run (the default once a model exists) keeps the model and scores
// only pairs that involve records not yet linked or corrected since (a new
// version), with existing persons held together. Either way:
//   - records are linked in the order of their stable keys (agency code,
//     record_id), so the same records give the same persons whatever order they
//     were imported in;
//   - reviewers' decisions bind: "same" joins the two persons its records are in,
//     whole (in a full run, the persons the model makes of the records without the
//     decision), "different" pairs never end in one person, splitting a person when
//     needed; the cluster guard judges only what the model links (cluster.h);
//   - person ids are stable: each cluster keeps the id most of its records had
//     (the larger overlap wins), so a run with no new data changes no id and new
//     data keeps the ids of the persons it does not touch; an id is never reused.
// Decide() records a reviewer's decision on a review item and applies it at once:
// "same" merges the two persons as they stand (every record of both ends in one
// person, the other id retired); "different" links the records of a person
// holding both again, apart, and leaves two persons already apart as they are.
// Explain(), ExplainRecords() and Explainer() only read: any number of threads may
// call them at once, also while a run is going on.
// Errors: FailedPrecondition (no records yet; no model yet, or one from other
// settings), NotFound (an unknown review item or record), and storage errors.
// Link() and Decide() are not thread-safe: one run at a time per store.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/repository.h"
#include "linkage/linker.h"

namespace gugus::domain {

// The settings `gugus link` uses (also shipped as bench/linkage/generated.settings.json,
// which a test keeps identical).
std::string_view DefaultLinkSettings();

struct LinkRequest {
  bool full = false;  // refit the model and rescore everything
  int threads = 0;    // 0: every core
  linkage::ProgressFn progress;
};

struct LinkReport {
  std::string kind;  // "full", "incremental", or "none" (nothing new to link)
  int64_t run_id = 0;
  int64_t records = 0;
  int64_t new_records = 0;  // records scored against everything this run
  int64_t candidate_pairs = 0;
  int64_t links = 0;    // pairs at or above the link threshold
  int64_t persons = 0;  // distinct persons after the run
  int64_t persons_created = 0;
  int64_t persons_retired = 0;  // ids that no longer hold a record
  int64_t records_moved = 0;    // records already linked that changed person
  int64_t review_pairs = 0;     // undecided pairs between the two thresholds
  int64_t review_items = 0;     // of which added to the review queue (capped)
  int em_iterations = 0;
  double seconds = 0;
};

// Explains pairs among a few records with the stored model: each comparison's level
// is computed from the records' current values (a valid NIK fills a missing birth
// date, sex or region first, as in a run) and weighed with the model's m and u.
// Term-frequency adjustments are left out (0): they depend on how common each
// value was among all records when the model was applied, which is not stored, so
// a pair's weight here can differ from its weight in the run by that adjustment.
// Immutable once made; thread-safe.
class RecordExplainer {
 public:
  explicit RecordExplainer(std::unique_ptr<linkage::Linker> linker);
  RecordExplainer(RecordExplainer&&) noexcept;
  RecordExplainer& operator=(RecordExplainer&&) noexcept;
  ~RecordExplainer();

  size_t size() const;
  // Records `a` and `b` by their index in the vector given to
  // LinkService::Explainer(); ids are "AGENCY/record_id".
  linkage::PairExplanation Explain(size_t a, size_t b) const;

 private:
  std::unique_ptr<linkage::Linker> linker_;
};

class LinkService {
 public:
  explicit LinkService(Store& store) : store_(store) {}
  // `fill_regions`: the regencies and cities an address fill resolves against,
  // loaded once by a caller that explains often (LoadRegionIndex(store, kRegency));
  // it must outlive the service. Null: loaded from the store when needed.
  LinkService(Store& store, const RegionIndex* fill_regions)
      : store_(store), fill_regions_(fill_regions) {}

  absl::StatusOr<LinkReport> Link(const LinkRequest& request);

  // The explanation of a review item (each field's values, agreement level, m, u and
  // weight), rebuilt from the item's stored evidence, the current model and the two
  // records' current values.
  absl::StatusOr<linkage::PairExplanation> Explain(const ReviewItem& item);

  // Why two source records (by source record id) are, or are not, the same person
  // under the current model (see RecordExplainer). NotFound, one message for
  // both, when either record is absent or outside `scope`.
  absl::StatusOr<linkage::PairExplanation> ExplainRecords(
      int64_t record_a, int64_t record_b, const RecordScope& scope = WholeStore());

  // An explainer over `records` (current versions, as FindRecords returns them),
  // for explaining many pairs among them with one model.
  absl::StatusOr<RecordExplainer> Explainer(const std::vector<StoredRecord>& records);

  // Records `decision` on review item `item` by `by` and relinks its persons.
  absl::StatusOr<LinkReport> Decide(int64_t item, Decision decision,
                                    const std::string& by, const std::string& note,
                                    const LinkRequest& request);

 private:
  // `relink_persons`: persons whose records are linked again as if new.
  // `after_decision`: run even when nothing is new, to apply a decision.
  absl::StatusOr<LinkReport> Run(const LinkRequest& request,
                                 const std::vector<int64_t>& relink_persons,
                                 bool after_decision = false);
  Store& store_;
  const RegionIndex* fill_regions_ = nullptr;
};

// A review item's evidence: "levels;tf adjustments", comma-separated per comparison
// ("1,0,3;2.31,0,0"). Compact (a queue may hold hundreds of thousands of items) and
// free of personal data: the values are read from the records when explained.
std::string EncodeEvidence(const linkage::PairExplanation& e);
absl::Status DecodeEvidence(std::string_view text, std::vector<int>& levels,
                            std::vector<double>& tf);

// Stable person ids (pure; exposed for tests). `cluster[i]` is record i's cluster
// label, `old_person[i]` its person before the run (0 = none). Each cluster takes
// the old id held by most of its records unless a cluster holding more of that
// id's records took it; the others get fresh ids from `next_id` upwards, in
// order of their first record (a run's records are in the order of their stable
// keys, agency code and record_id). Returns each record's person.
std::vector<int64_t> AssignPersonIds(const std::vector<uint32_t>& cluster,
                                     const std::vector<int64_t>& old_person,
                                     int64_t next_id);

}  // namespace gugus::domain
