// Comparisons: how two records agree on one piece of evidence, as a level.
//
// Level 0 is "null": the value is missing on either side, which says nothing either
// way (its weight is always 0). Levels 1..level_count()-1 run from the strongest
// agreement to the weakest; the last is "everything else" (disagreement).
//
// A comparison is built once over all records (values are normalised then, in
// parallel) and is read-only afterwards: Compare() is thread-safe and allocates
// nothing in the common case. Building never fails: a value that cannot be read
// (an impossible date, a malformed NIK) counts as missing.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "linkage/records.h"
#include "linkage/settings.h"

namespace gugus::linkage {

class Comparison {
 public:
  virtual ~Comparison() = default;

  const std::string& name() const { return name_; }
  const std::string& column() const { return column_; }
  int level_count() const { return static_cast<int>(labels_.size()); }
  const std::string& label(int level) const {
    return labels_[static_cast<size_t>(level)];
  }

  virtual int Compare(uint32_t a, uint32_t b) const = 0;

  // Asks the processor to load what Compare reads first of record r. The loop over
  // candidate pairs calls it a few pairs ahead, so that the loads of several pairs
  // overlap: the records of a pair lie anywhere in memory, and waiting for each
  // in turn was most of the time a comparison took.
  virtual void Prefetch(uint32_t r) const {
    if (r < ids_.size()) __builtin_prefetch(ids_.data() + r);
  }

  // ComparisonSettings::only_with, resolved: this comparison counts only when each
  // gate's comparison has a level from 1 to the gate's level. Empty: it always counts.
  struct Gate {
    int comparison = 0;
    int level = 0;
  };
  const std::vector<Gate>& gates() const { return gates_; }
  // The first gate `levels` (one per comparison) does not meet, or nullptr.
  template <typename Level>
  static const Gate* FirstClosed(const std::vector<Gate>& gates, const Level* levels) {
    for (const Gate& g : gates)
      if (levels[g.comparison] == 0 || levels[g.comparison] > g.level) return &g;
    return nullptr;
  }
  const Gate* ClosedGate(const uint8_t* levels) const {
    return FirstClosed(gates_, levels);
  }
  // Whether another comparison's gate reads this one's level.
  bool opens_gates() const { return opens_gates_; }

  // Term frequencies (Splink's term-frequency adjustment): the level at which the
  // agreed value's rarity is taken into account (exact agreement), or -1 when the
  // settings did not ask for it. value_id() is the record's interned normalised
  // value (0 = missing); value_count(id) how many records hold it.
  int tf_level() const { return tf_level_; }
  uint32_t value_id(uint32_t record) const { return ids_[record]; }
  uint32_t value_count(uint32_t id) const { return counts_[id]; }
  size_t distinct_values() const { return counts_.size() - 1; }

 protected:
  // Labels "null", LevelLabels(settings)…, "else".
  explicit Comparison(const ComparisonSettings& settings);
  // Interns one normalised value per record ("" = missing) into ids_ and counts_.
  void Intern(const std::vector<std::string>& keys);

  std::string name_, column_;
  std::vector<std::string> labels_;
  int tf_level_ = -1;
  std::vector<uint32_t> ids_;
  std::vector<uint32_t> counts_;  // counts_[0] unused

 private:
  friend std::vector<std::unique_ptr<Comparison>> BuildComparisons(const Settings&,
                                                                   const Records&, int);
  std::vector<Gate> gates_;
  bool opens_gates_ = false;
};

using Comparisons = std::vector<std::unique_ptr<Comparison>>;

// The gates of settings.comparisons[k] (ComparisonSettings::only_with, checked by
// ParseSettings) as comparison and level indexes. Levels are numbered as the
// comparisons number them (1 + the index in LevelLabels), so no records are needed.
std::vector<Comparison::Gate> ResolveGates(const Settings& settings, size_t k);

// How an explanation labels a comparison whose values are there but whose `gate` is
// closed: "not counted: name below similarity>=0.8".
std::string NotCountedLabel(const Settings& settings, const Comparison::Gate& gate);

// Builds every comparison of `settings` over `records`, using up to `threads` threads
// for the normalisation. The settings are ParseSettings' (only_with checked).
Comparisons BuildComparisons(const Settings& settings, const Records& records,
                             int threads);

// The level of every comparison for the pair, into levels[0 .. comparisons.size()):
// Compare() of each, then, in order, null for a comparison whose gate is not met.
// A gated comparison that no gate reads is compared only when its gate is open:
// most candidate pairs have names too unlike to open one, and so skip the rest.
inline void CompareAll(const Comparisons& comparisons, uint32_t a, uint32_t b,
                       uint8_t* levels) {
  for (size_t k = 0; k < comparisons.size(); ++k) {
    const Comparison& c = *comparisons[k];
    if (c.gates().empty() || c.opens_gates())
      levels[k] = static_cast<uint8_t>(c.Compare(a, b));
  }
  for (size_t k = 0; k < comparisons.size(); ++k) {
    const Comparison& c = *comparisons[k];
    if (c.gates().empty()) continue;
    if (c.ClosedGate(levels))
      levels[k] = 0;
    else if (!c.opens_gates())
      levels[k] = static_cast<uint8_t>(c.Compare(a, b));
  }
}

// Calls visit(a, b) for each pair of `pairs` in order, asking for each pair's
// records (Comparison::Prefetch) a few pairs before it is visited.
template <typename Pairs, typename Visit>
void ForEachPrefetched(const Comparisons& comparisons, const Pairs& pairs, Visit visit) {
  constexpr size_t kAhead = 8;
  const size_t n = pairs.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) {
      const auto& next = pairs[i + kAhead];
      for (const auto& c : comparisons) {
        c->Prefetch(next.first);
        c->Prefetch(next.second);
      }
    }
    visit(pairs[i].first, pairs[i].second);
  }
}

// ASCII fast path of FoldForMatch: lower case, trimmed, inner white space collapsed;
// non-ASCII text goes through FoldForMatch (accents stripped, NFKC).
std::string FoldValue(std::string_view text);

// A date as people and systems write it: YYYYMMDD digits or any form ParseDate
// reads (core/date.h); nullopt when empty or unreadable.
std::optional<Date> ReadDateValue(std::string_view text);

// Runs fn(begin, end) over [0, n) split into `threads` contiguous ranges.
void ParallelRanges(size_t n, int threads, const std::function<void(size_t, size_t)>& fn);

}  // namespace gugus::linkage
