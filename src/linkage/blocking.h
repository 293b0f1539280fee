// Blocking: the candidate pairs worth comparing, from a union of rules.
//
// Each rule gives every record zero or more keys (a record missing a rule's value
// has none; a name gives one key per part). Records sharing a key form a block, and
// the pairs within a block are candidates: every pair when deduplicating, left×right
// when linking. A pair proposed by several rules, or by several keys of one rule, is
// visited once only. Blocks larger than Settings::max_block_size are not expanded
// and are counted in Stats, never dropped silently.
//
// Built once (keys computed in parallel); const methods are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "linkage/records.h"
#include "linkage/settings.h"

namespace gugus::linkage {

using Pair = std::pair<uint32_t, uint32_t>;

class Blocker {
 public:
  Blocker(const Settings& settings, const Records& records, int threads);

  struct Stats {
    std::vector<uint64_t> pairs_per_rule;  // new pairs each rule added
    uint64_t pairs = 0;
    uint64_t oversized_blocks = 0;  // blocks not expanded
    uint64_t oversized_records = 0;
  };

  // Calls visit(thread, pairs) with batches of distinct candidate pairs from
  // `threads` threads at once. Each pair is (a, b) with a < b when deduplicating and
  // a on the left when linking. With `focus` (one flag per record), only pairs with
  // at least one flagged record are visited: an incremental run compares new records
  // with everything without comparing old records with each other again. With
  // `sample_below` < UINT64_MAX, only the pairs whose SampleHash falls below it are
  // visited (an even, repeatable sample for training), and the others cost no
  // duplicate check; Stats then counts the sample.
  Stats ForEachPair(int threads,
                    const std::function<void(int, const std::vector<Pair>&)>& visit,
                    const std::vector<uint8_t>* focus = nullptr,
                    uint64_t sample_below = UINT64_MAX) const;

  // A well-mixed hash of a pair, for sampling.
  static uint64_t SampleHash(uint32_t a, uint32_t b) {
    uint64_t h = (uint64_t{a} << 32 | b) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
  }

  // An upper bound of the candidate pairs (pairs within every block, before pairs
  // proposed twice are removed), cheap: for choosing a training sample.
  uint64_t PairBound() const;

  // True when the two records are a candidate pair of some rule.
  bool IsCandidate(uint32_t a, uint32_t b) const;
  // True when they share a key of rule `rule`.
  bool Shares(size_t rule, uint32_t a, uint32_t b) const {
    return FirstShared(RuleBase(rule), RuleBase(rule + 1), a, b) != 0;
  }

  size_t rule_count() const { return rules_.size(); }

 private:
  struct RuleKeys {
    std::vector<std::pair<uint64_t, uint32_t>> entries;  // (key, record), sorted
    int64_t max_block_size = 0;                          // larger blocks are not expanded
  };
  // A key is a rule's index in the top kRuleBits bits and a hash of the values
  // below, so that each record's keys, sorted, run rule by rule.
  static constexpr int kRuleBits = 6;
  static_assert(kMaxBlockingRules < (size_t{1} << kRuleBits));
  static uint64_t RuleBase(size_t rule) { return uint64_t{rule} << (64 - kRuleBits); }
  // The smallest key in [from, to) that records a and b share, or 0.
  uint64_t FirstShared(uint64_t from, uint64_t to, uint32_t a, uint32_t b) const;

  const Records& records_;
  bool link_;
  std::vector<RuleKeys> rules_;
  // Every rule's keys of record r, sorted (keys of oversized blocks left out):
  // keys_[offsets_[r] .. offsets_[r + 1]). One short run a record: checking every
  // earlier rule for a pair reads two runs, not two lists a rule.
  std::vector<uint32_t> offsets_;
  std::vector<uint64_t> keys_;
};

}  // namespace gugus::linkage
