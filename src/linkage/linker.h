// The linkage engine: normalise → block → compare → fit → score → cluster → explain.
//
//   Linker linker(settings, records, threads);
//   linker.Train(progress);                        // u on random pairs, then EM
//   auto pairs = linker.Score(0.5, progress);      // candidate pairs ≥ 0.5
//   auto clusters = linker.Cluster(pairs, {});     // one representative per record
//   auto why = linker.Explain(a, b);               // every level's weight
//
// Pure computation: no files, no storage. A Linker owns its records; after
// construction every const method is thread-safe. Memory: the records, their
// normalised values and blocking keys (a few hundred bytes a record); candidate
// pairs are streamed, never held, except those kept by Score().
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/region_index.h"
#include "linkage/blocking.h"
#include "linkage/cluster.h"
#include "linkage/comparison.h"
#include "linkage/model.h"
#include "linkage/records.h"
#include "linkage/settings.h"

namespace gugus::linkage {

// Reports progress: a stage name, work done and the total (0 when unknown).
using ProgressFn =
    std::function<void(std::string_view stage, uint64_t done, uint64_t total)>;

struct LevelExplanation {
  std::string comparison;
  std::string value_l, value_r;  // the values compared, as given
  int level = 0;
  std::string level_label;
  double m = 1, u = 1;
  double weight = 0;         // log2(m / u); 0 at the null level
  double tf_adjustment = 0;  // added when the value's rarity counts
};

struct PairExplanation {
  std::string id_l, id_r;
  double prior_weight = 0;  // log2(λ / (1 - λ))
  std::vector<LevelExplanation> levels;
  double weight = 0;  // prior + Σ (weight + tf_adjustment)
  double probability = 0;
};

// JSON: {"id_l","id_r","prior_weight","weight","probability","comparisons":[{...}]},
// in the order of a waterfall chart.
std::string ExplanationJson(const PairExplanation& e);

// How the model was fitted. u comes from random pairs (almost all non-matches) and
// stays fixed. m and λ are fitted by EM over all possible pairs, where the pairs no
// blocking rule proposes are taken as non-matches (their posterior is ~0 anyway):
// the candidates' comparison patterns are counted once and λ is a share of all
// possible pairs, the same population u describes. This keeps the model honest
// about blocked non-matches, which agree on the blocked columns far more often than
// random pairs do: they are weighed against the true, tiny prior.
struct TrainStats {
  Blocker::Stats blocking;  // of the training sample (all pairs when there are few)
  uint64_t possible_pairs = 0;
  size_t patterns = 0;  // distinct comparison patterns among the candidates
  double seconds_u = 0, seconds_em = 0;
};

class Linker {
 public:
  // `threads` 0 means settings.threads, and that 0 means every core. `regions` is
  // read only here, to fill regions from addresses (Fill); without it none are.
  Linker(Settings settings, Records records, int threads = 0,
         const RegionIndex* regions = nullptr);

  const Settings& settings() const { return settings_; }
  const Records& records() const { return records_; }
  const Comparisons& comparisons() const { return comparisons_; }
  const Blocker& blocker() const { return blocker_; }
  const Parameters& parameters() const { return parameters_; }
  int threads() const { return threads_; }

  // Fits the model to these records.
  TrainStats Train(const ProgressFn& progress = nullptr);
  // Uses parameters fitted before (an incremental run keeps its model).
  void SetParameters(Parameters p);

  // Every candidate pair whose probability is at least `min_probability`, sorted by
  // (a, b). Train() or SetParameters() first.
  // With `focus`, only pairs involving a flagged record (Blocker::ForEachPair).
  std::vector<ScoredPair> Score(double min_probability, Blocker::Stats* stats = nullptr,
                                const ProgressFn& progress = nullptr,
                                const std::vector<uint8_t>* focus = nullptr) const;
  // Probability of any pair, candidate or not.
  double PairProbability(uint32_t a, uint32_t b) const;

  // Clusters the pairs at or above the link threshold (cluster.h).
  std::vector<uint32_t> Cluster(const std::vector<ScoredPair>& pairs,
                                const ClusterConstraints& constraints,
                                ClusterStats* stats = nullptr) const;

  PairExplanation Explain(uint32_t a, uint32_t b) const;

  // Fills what a record leaves empty from what else it says: a birth date, sex and
  // region from a valid NIK (Settings::nik_fill_*), then a region still missing, or
  // stated as a province only, from the regency or city its address names in it
  // (Settings::address_fill_*; skipped when `regions` is null).
  static Records Fill(const Settings& settings, Records records,
                      const RegionIndex* regions);

 private:
  Settings settings_;
  Records records_;
  int threads_;
  Comparisons comparisons_;
  Blocker blocker_;
  Parameters parameters_;
};

}  // namespace gugus::linkage
