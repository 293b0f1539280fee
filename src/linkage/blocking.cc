#include "linkage/blocking.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cctype>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "core/date.h"
#include "core/strcat.h"
#include "core/text.h"
#include "linkage/address.h"
#include "linkage/comparison.h"
#include "linkage/indonesian_name.h"

namespace gugus::linkage {
namespace {

// The values one term takes for one record (several for name parts).
void TermValues(const BlockingTerm& term, std::string_view raw,
                std::vector<std::string>& out) {
  out.clear();
  switch (term.function) {
    case BlockingTerm::kValue:
      out.push_back(FoldValue(raw));
      break;
    case BlockingTerm::kPrefix: {
      std::string v = FoldValue(raw);
      if (v.size() > static_cast<size_t>(term.length))
        v.resize(static_cast<size_t>(term.length));
      out.push_back(std::move(v));
      break;
    }
    case BlockingTerm::kPhonetic:
    case BlockingTerm::kNamePart: {
      // One key per distinctive part. Common parts (Siti, Muhammad, Sri) make keys
      // only for names that have nothing else: a key shared by a twentieth of all
      // records proposes pairs by the billion and finds nobody the rarer parts miss.
      NormalizedName name = NormalizeName(raw);
      bool distinctive = false;
      for (const std::string& part : name.parts)
        distinctive = distinctive || (!IsInitial(part) && !IsCommonPart(part));
      for (size_t i = 0; i < name.parts.size(); ++i) {
        if (IsInitial(name.parts[i])) continue;
        if (distinctive && IsCommonPart(name.parts[i])) continue;
        out.push_back(term.function == BlockingTerm::kPhonetic ? name.phonetic[i]
                                                               : name.parts[i]);
      }
      // "Retno Palupi" written as one word ("Retnopalupi", "Enceppermana"): the
      // parts run together meet the one-word form.
      std::string run_together;
      size_t whole = 0;
      for (const std::string& part : name.parts)
        if (!IsInitial(part)) {
          run_together += part;
          ++whole;
        }
      if (whole >= 2)
        out.push_back(term.function == BlockingTerm::kPhonetic ? PhoneticKey(run_together)
                                                               : run_together);
      // "bin Udin" identifies as well as a given name does, and survives a typo in
      // the given name or a given name written as one word.
      if (!name.father.empty() && !IsCommonPart(name.father))
        out.push_back(StrCat("bin ", term.function == BlockingTerm::kPhonetic
                                         ? name.father_phonetic
                                         : name.father));
      // name_part(column, N): each part's first N letters, which survive a typo
      // later in the part ("Sumiati"/"Sumiatih", "Wawan"/"Wawab" at N = 3).
      if (term.function == BlockingTerm::kNamePart && term.length > 0)
        for (std::string& v : out) {
          size_t keep =
              static_cast<size_t>(term.length) + (v.starts_with("bin ") ? 4 : 0);
          if (v.size() > keep) v.resize(keep);
        }
      break;
    }
    case BlockingTerm::kSortedName:
      out.push_back(NormalizeName(raw).sorted);
      break;
    case BlockingTerm::kYear:
      if (std::optional<Date> d = ReadDateValue(raw))
        out.push_back(std::to_string(d->year));
      break;
    case BlockingTerm::kWindow:
      // The window of `length` days the date falls in, and the one of a grid
      // shifted by half a window: the boundaries of the two grids alternate at most
      // half a window apart, so two dates at most that far apart (across a new
      // year too) cross at most one of them and share the other grid's window.
      if (std::optional<Date> d = ReadDateValue(raw)) {
        const int64_t days = DaysFromCivil(*d), w = term.length;
        auto window = [w](int64_t x) { return x >= 0 ? x / w : -((-x + w - 1) / w); };
        out.push_back(StrCat("a", window(days)));
        out.push_back(StrCat("b", window(days + w / 2)));
      }
      break;
    case BlockingTerm::kAddress: {
      // Without the RT/RW and house numbers, which clerks leave out: the words
      // that place a home, in order.
      std::vector<std::string> words = AddressWords(raw);
      std::string v;
      for (size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w == "rt" || w == "rw" || w == "no") {
          if (i + 1 < words.size() &&
              std::isdigit(static_cast<unsigned char>(words[i + 1][0])))
            ++i;
          continue;
        }
        if (!v.empty()) v += ' ';
        v += w;
      }
      out.push_back(std::move(v));
      break;
    }
    case BlockingTerm::kDigits: {
      std::string v;
      for (char c : raw)
        if (c >= '0' && c <= '9') v += c;
      out.push_back(std::move(v));
      break;
    }
  }
  std::erase_if(out, [](const std::string& v) { return v.empty(); });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

// Calls block(begin, end) for each run of equal keys in (key, record) entries
// sorted by key: one block.
template <typename Fn>
void ForEachBlock(const std::vector<std::pair<uint64_t, uint32_t>>& entries, Fn block) {
  for (size_t i = 0; i < entries.size();) {
    size_t j = i + 1;
    while (j < entries.size() && entries[j].first == entries[i].first) ++j;
    block(i, j);
    i = j;
  }
}

// Per-record lists in one flat array: record r's items are
// items[offsets[r] .. offsets[r + 1]). Filled in parallel by fill(r, out), which
// appends record r's items to out.
template <typename T>
struct Lists {
  std::vector<uint32_t> offsets;
  std::vector<T> items;
};

template <typename T, typename Fill>
Lists<T> BuildLists(size_t n, int threads, const Fill& fill) {
  std::vector<uint32_t> counts(n);
  std::mutex mu;
  std::map<size_t, std::vector<T>> pieces;  // by the first record of each range
  ParallelRanges(n, threads, [&](size_t begin, size_t end) {
    std::vector<T> out;
    for (size_t r = begin; r < end; ++r) {
      size_t before = out.size();
      fill(r, out);
      counts[r] = static_cast<uint32_t>(out.size() - before);
    }
    std::lock_guard<std::mutex> lock(mu);
    pieces.emplace(begin, std::move(out));
  });
  Lists<T> lists;
  lists.offsets.reserve(n + 1);
  lists.offsets.push_back(0);
  for (uint32_t c : counts) lists.offsets.push_back(lists.offsets.back() + c);
  lists.items.reserve(lists.offsets.back());
  for (auto& [begin, piece] : pieces)
    lists.items.insert(lists.items.end(), piece.begin(), piece.end());
  return lists;
}

// One term's values of every record, hashed, in TermValues' order: a name is
// normalised once for all the rules that block on it, not once a rule.
Lists<uint64_t> HashTerm(const BlockingTerm& term, const std::vector<std::string>& column,
                         int threads) {
  return BuildLists<uint64_t>(column.size(), threads,
                              [&](size_t r, std::vector<uint64_t>& out) {
                                thread_local std::vector<std::string> values;
                                TermValues(term, column[r], values);
                                for (const std::string& v : values)
                                  out.push_back(std::hash<std::string_view>()(v));
                              });
}

// A rule's key from its terms' value hashes, in term order (murmur3's finaliser
// over the running hash, turned so that the order of the terms counts).
uint64_t MixKey(uint64_t key, uint64_t value) {
  uint64_t x = std::rotl(key, 23) ^ value;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// The key of `hash` under the rule whose keys start at `base` (Blocker::RuleBase).
uint64_t RuleKey(uint64_t hash, uint64_t base, int rule_bits) {
  uint64_t h = hash >> rule_bits;
  return base | (h == 0 ? 1 : h);  // 0 means "none", even for the first rule
}

}  // namespace

Blocker::Blocker(const Settings& settings, const Records& records, int threads)
    : records_(records), link_(settings.link_type == LinkType::kLink) {
  size_t n = records.size();
  // Each rule's kept keys of each record, until they are joined record by record.
  std::vector<std::vector<uint32_t>> rule_offsets;
  std::vector<std::vector<uint64_t>> rule_keys;
  std::map<std::tuple<int, std::string, int>, Lists<uint64_t>> term_hashes;
  for (const BlockingRule& rule : settings.blocking_rules) {
    const uint64_t base = RuleBase(rules_.size());
    std::vector<const Lists<uint64_t>*> terms;
    for (const BlockingTerm& term : rule.terms) {
      auto [it, fresh] =
          term_hashes.try_emplace({term.function, term.column, term.length});
      if (fresh) it->second = HashTerm(term, *records.Column(term.column), threads);
      terms.push_back(&it->second);
    }
    // Each record's keys of the rule: every combination of its terms' values (at
    // most 16), sorted and distinct.
    Lists<uint64_t> per =
        BuildLists<uint64_t>(n, threads, [&](size_t r, std::vector<uint64_t>& out) {
          thread_local std::vector<uint64_t> combos, next;
          combos.assign(1, 0x243f6a8885a308d3ULL);
          for (const Lists<uint64_t>* term : terms) {
            next.clear();
            for (uint64_t c : combos)
              for (uint32_t i = term->offsets[r]; i < term->offsets[r + 1]; ++i)
                if (next.size() < 16) next.push_back(MixKey(c, term->items[i]));
            combos.swap(next);
          }
          size_t first = out.size();
          for (uint64_t c : combos) out.push_back(RuleKey(c, base, kRuleBits));
          std::sort(out.begin() + static_cast<ptrdiff_t>(first), out.end());
          out.erase(std::unique(out.begin() + static_cast<ptrdiff_t>(first), out.end()),
                    out.end());
        });
    RuleKeys k;
    k.max_block_size = rule.max_block_size > 0
                           ? std::min(rule.max_block_size, settings.max_block_size)
                           : settings.max_block_size;
    k.entries.reserve(per.items.size());
    for (size_t r = 0; r < n; ++r)
      for (uint32_t i = per.offsets[r]; i < per.offsets[r + 1]; ++i)
        k.entries.emplace_back(per.items[i], static_cast<uint32_t>(r));
    std::sort(k.entries.begin(), k.entries.end());
    // The keys of oversized blocks stay out of the records' lists (FirstShared), so
    // that a pair in such a block is still visited through its other keys and rules.
    absl::flat_hash_set<uint64_t> oversized;
    ForEachBlock(k.entries, [&](size_t begin, size_t end) {
      if (static_cast<int64_t>(end - begin) > k.max_block_size)
        oversized.insert(k.entries[begin].first);
    });
    std::vector<uint32_t>& offsets = rule_offsets.emplace_back();
    std::vector<uint64_t>& keys = rule_keys.emplace_back();
    offsets.reserve(n + 1);
    offsets.push_back(0);
    for (size_t r = 0; r < n; ++r) {
      for (uint32_t i = per.offsets[r]; i < per.offsets[r + 1]; ++i)
        if (!oversized.contains(per.items[i])) keys.push_back(per.items[i]);
      offsets.push_back(static_cast<uint32_t>(keys.size()));
    }
    rules_.push_back(std::move(k));
  }
  // Record by record, rule by rule: each record's keys come out sorted.
  size_t total = 0;
  for (const std::vector<uint64_t>& keys : rule_keys) total += keys.size();
  keys_.reserve(total);
  offsets_.reserve(n + 1);
  offsets_.push_back(0);
  for (size_t r = 0; r < n; ++r) {
    for (size_t i = 0; i < rule_keys.size(); ++i)
      keys_.insert(keys_.end(), rule_keys[i].begin() + rule_offsets[i][r],
                   rule_keys[i].begin() + rule_offsets[i][r + 1]);
    offsets_.push_back(static_cast<uint32_t>(keys_.size()));
  }
}

uint64_t Blocker::FirstShared(uint64_t from, uint64_t to, uint32_t a, uint32_t b) const {
  const uint64_t* x = keys_.data() + offsets_[a];
  const uint64_t* xe = keys_.data() + offsets_[a + 1];
  const uint64_t* y = keys_.data() + offsets_[b];
  const uint64_t* ye = keys_.data() + offsets_[b + 1];
  while (x != xe && *x < from) ++x;
  while (y != ye && *y < from) ++y;
  while (x != xe && y != ye && *x < to && *y < to) {
    if (*x == *y) return *x;
    if (*x < *y)
      ++x;
    else
      ++y;
  }
  return 0;
}

uint64_t Blocker::PairBound() const {
  uint64_t bound = 0;
  for (const RuleKeys& rule : rules_)
    ForEachBlock(rule.entries, [&](size_t begin, size_t end) {
      uint64_t size = end - begin;
      if (static_cast<int64_t>(size) <= rule.max_block_size)
        bound += size * (size - 1) / 2;
    });
  return bound;
}

bool Blocker::IsCandidate(uint32_t a, uint32_t b) const {
  if (link_ && records_.source[a] == records_.source[b]) return false;
  return FirstShared(0, RuleBase(rules_.size()), a, b) != 0;
}

Blocker::Stats Blocker::ForEachPair(
    int threads, const std::function<void(int, const std::vector<Pair>&)>& visit,
    const std::vector<uint8_t>* focus, uint64_t sample_below) const {
  Stats stats;
  stats.pairs_per_rule.assign(rules_.size(), 0);
  // Work units: one block each, biggest first so that the threads finish together.
  struct Unit {
    uint32_t rule;
    uint32_t begin, end;  // in the rule's entries
    uint64_t cost;
  };
  std::vector<Unit> units;
  for (size_t ri = 0; ri < rules_.size(); ++ri) {
    const auto& e = rules_[ri].entries;
    ForEachBlock(e, [&](size_t i, size_t j) {
      uint64_t size = j - i;
      bool wanted = size >= 2;
      if (wanted && focus != nullptr) {
        wanted = false;
        for (size_t k = i; k < j && !wanted; ++k) wanted = (*focus)[e[k].second] != 0;
      }
      if (!wanted) return;
      if (static_cast<int64_t>(size) > rules_[ri].max_block_size) {
        ++stats.oversized_blocks;
        stats.oversized_records += size;
      } else {
        units.push_back({static_cast<uint32_t>(ri), static_cast<uint32_t>(i),
                         static_cast<uint32_t>(j), size * (size - 1) / 2});
      }
    });
  }
  std::sort(units.begin(), units.end(),
            [](const Unit& a, const Unit& b) { return a.cost > b.cost; });

  int t = std::max(1, threads);
  std::atomic<size_t> next{0};
  std::vector<std::vector<uint64_t>> per_rule(static_cast<size_t>(t),
                                              std::vector<uint64_t>(rules_.size(), 0));
  auto work = [&](int thread) {
    std::vector<Pair> batch;
    batch.reserve(4096);
    std::vector<uint64_t>& counts = per_rule[static_cast<size_t>(thread)];
    for (size_t u; (u = next.fetch_add(1)) < units.size();) {
      const Unit& unit = units[u];
      const RuleKeys& rule = rules_[unit.rule];
      uint64_t key = rule.entries[unit.begin].first;
      for (uint32_t i = unit.begin; i < unit.end; ++i) {
        // With a focus, pairs run from each flagged record to every other record,
        // and a pair of two flagged records is taken from its first one only.
        bool flagged = focus == nullptr || (*focus)[rule.entries[i].second] != 0;
        if (!flagged) continue;
        for (uint32_t j = focus ? unit.begin : i + 1; j < unit.end; ++j) {
          if (focus && (j == i || (j < i && (*focus)[rule.entries[j].second] != 0)))
            continue;
          uint32_t a = rule.entries[i].second, b = rule.entries[j].second;
          if (link_) {
            if (records_.source[a] == records_.source[b]) continue;
            if (records_.source[a] == 1) std::swap(a, b);
          } else if (a > b) {
            std::swap(a, b);
          }
          // The sample first: the duplicate check below costs far more than the hash.
          if (sample_below != UINT64_MAX && SampleHash(a, b) >= sample_below) continue;
          // Visit the pair under its first rule and that rule's smallest shared key:
          // keys of earlier rules are smaller than any of this rule's.
          if (FirstShared(0, RuleBase(unit.rule + 1), a, b) != key) continue;
          ++counts[unit.rule];
          batch.emplace_back(a, b);
          if (batch.size() == 4096) {
            visit(thread, batch);
            batch.clear();
          }
        }
      }
    }
    if (!batch.empty()) visit(thread, batch);
  };
  if (t == 1) {
    work(0);
  } else {
    std::vector<std::thread> workers;
    for (int i = 0; i < t; ++i) workers.emplace_back(work, i);
    for (std::thread& w : workers) w.join();
  }
  for (const auto& counts : per_rule)
    for (size_t r = 0; r < counts.size(); ++r) {
      stats.pairs_per_rule[r] += counts[r];
      stats.pairs += counts[r];
    }
  return stats;
}

}  // namespace gugus::linkage
