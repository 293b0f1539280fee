#include "linkage/comparison.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <span>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "core/date.h"
#include "core/nik.h"
#include "core/status.h"
#include "core/strcat.h"
#include "core/text.h"
#include "core/values.h"
#include "linkage/address.h"
#include "linkage/indonesian_name.h"
#include "linkage/string_metrics.h"

namespace gugus::linkage {

void ParallelRanges(size_t n, int threads,
                    const std::function<void(size_t, size_t)>& fn) {
  size_t t = static_cast<size_t>(std::max(1, threads));
  if (t == 1 || n < 4096) {
    fn(0, n);
    return;
  }
  std::vector<std::thread> workers;
  for (size_t i = 0; i < t; ++i) {
    size_t begin = n * i / t, end = n * (i + 1) / t;
    workers.emplace_back([&fn, begin, end] { fn(begin, end); });
  }
  for (std::thread& w : workers) w.join();
}

std::string FoldValue(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) return FoldForMatch(text);
    if (c == ' ' || (c >= '\t' && c <= '\r')) {  // as CollapseSpaces: \t \n \v \f \r
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  return out;
}

Comparison::Comparison(const ComparisonSettings& settings)
    : name_(settings.name), column_(settings.column), labels_(LevelLabels(settings)) {
  labels_.insert(labels_.begin(), "null");
  labels_.push_back("else");
  if (settings.term_frequency) tf_level_ = 1;
}

void Comparison::Intern(const std::vector<std::string>& keys) {
  absl::flat_hash_map<std::string_view, uint32_t> index;
  index.reserve(keys.size() / 2);
  ids_.assign(keys.size(), 0);
  counts_.assign(1, 0);
  for (size_t r = 0; r < keys.size(); ++r) {
    if (keys[r].empty()) continue;
    auto [it, fresh] = index.try_emplace(keys[r], static_cast<uint32_t>(counts_.size()));
    if (fresh) counts_.push_back(0);
    ids_[r] = it->second;
    ++counts_[it->second];
  }
}

namespace {

// Normalises every value of a column in parallel.
template <typename T, typename F>
std::vector<T> MapColumn(const std::vector<std::string>& values, int threads, F f) {
  std::vector<T> out(values.size());
  ParallelRanges(values.size(), threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) out[i] = f(values[i]);
  });
  return out;
}

// Levels from a list: exact, Damerau-Levenshtein within N, Jaro-Winkler at least X.
class StringComparison : public Comparison {
 public:
  StringComparison(const ComparisonSettings& s, const Records& records, int threads)
      : Comparison(s), levels_(s.levels) {
    values_ = MapColumn<std::string>(*records.Column(s.column), threads, FoldValue);
    Intern(values_);
    masks_.resize(values_.size());
    for (size_t i = 0; i < values_.size(); ++i) masks_[i] = CharMask(values_[i]);
    min_jw_ = 2;
    for (const StringLevel& l : levels_)
      if (l.kind == StringLevel::kJaroWinkler) min_jw_ = std::min(min_jw_, l.value);
    if (s.term_frequency) {
      tf_level_ = -1;  // only when "exact" is one of the levels
      for (size_t i = 0; i < levels_.size(); ++i)
        if (levels_[i].kind == StringLevel::kExact) tf_level_ = static_cast<int>(i) + 1;
    }
  }

  int Compare(uint32_t a, uint32_t b) const override {
    if (ids_[a] == 0 || ids_[b] == 0) return 0;
    if (ids_[a] == ids_[b]) return 1;  // equal strings satisfy every level
    const std::string& x = values_[a];
    const std::string& y = values_[b];
    double jw = -1;
    for (size_t i = 0; i < levels_.size(); ++i) {
      const StringLevel& l = levels_[i];
      switch (l.kind) {
        case StringLevel::kExact:
          break;
        case StringLevel::kDamerauLevenshtein: {
          int max = static_cast<int>(l.value);
          if (DamerauLevenshteinBounded(x, y, max) <= max) return static_cast<int>(i) + 1;
          break;
        }
        case StringLevel::kJaroWinkler:
          if (jw < 0) {
            // Most pairs share too few letters to reach any threshold: bound
            // Jaro-Winkler from above cheaply before computing it.
            // Below every threshold: later edit-distance levels may still hold.
            jw = JaroWinklerBound(a, b) < min_jw_ ? 0 : JaroWinkler(x, y);
          }
          if (jw >= l.value) return static_cast<int>(i) + 1;
          break;
      }
    }
    return level_count() - 1;
  }

 private:
  double JaroWinklerBound(uint32_t a, uint32_t b) const {
    return linkage::JaroWinklerBound(values_[a], masks_[a], values_[b], masks_[b]);
  }

  std::vector<StringLevel> levels_;
  std::vector<std::string> values_;
  std::vector<uint64_t> masks_;
  double min_jw_ = 2;
};

// Indonesian personal names: exact after normalisation, the same parts in another
// order, then similarity thresholds (indonesian_name.h).
class NameComparison : public Comparison {
 public:
  NameComparison(const ComparisonSettings& s, const Records& records, int threads)
      : Comparison(s), thresholds_(s.thresholds) {
    // Each name as written is normalised once, however many records carry it, and
    // its parts are prepared for NameSimilarity once, not once a pair.
    const std::vector<std::string>& column = *records.Column(s.column);
    absl::flat_hash_map<std::string_view, uint32_t> index;
    std::vector<std::string_view> raw;
    name_of_.resize(column.size());
    for (size_t r = 0; r < column.size(); ++r) {
      auto [it, fresh] = index.try_emplace(column[r], static_cast<uint32_t>(raw.size()));
      if (fresh) raw.push_back(column[r]);
      name_of_[r] = it->second;
    }
    names_.resize(raw.size());
    ParallelRanges(raw.size(), threads, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) names_[i] = NormalizeName(raw[i]);
    });
    part_offsets_.reserve(names_.size() + 1);
    part_offsets_.push_back(0);
    absl::flat_hash_map<std::string_view, uint32_t> part_ids;
    for (const NormalizedName& name : names_) {
      for (NamePart part : PrepareParts(name)) {
        part.id = part_ids.try_emplace(part.text, part_ids.size() + 1).first->second;
        parts_.push_back(part);
      }
      part_offsets_.push_back(static_cast<uint32_t>(parts_.size()));
    }
    std::vector<std::string> keys(column.size()), sorted(column.size());
    for (size_t r = 0; r < column.size(); ++r) {
      keys[r] = names_[name_of_[r]].joined;
      sorted[r] = names_[name_of_[r]].sorted;
    }
    Intern(sorted);  // ids of the order-free form first ...
    sorted_ids_.swap(ids_);
    Intern(keys);  // ... then of the name as written, which tf and exact use
  }

  int Compare(uint32_t a, uint32_t b) const override {
    if (ids_[a] == 0 || ids_[b] == 0) return 0;
    if (ids_[a] == ids_[b]) return 1;
    if (sorted_ids_[a] == sorted_ids_[b]) return 2;
    const uint32_t x = name_of_[a], y = name_of_[b];
    double s = NameSimilarity(names_[x], Parts(x), names_[y], Parts(y), id_space_);
    for (size_t i = 0; i < thresholds_.size(); ++i)
      if (s >= thresholds_[i]) return static_cast<int>(i) + 3;
    return level_count() - 1;
  }

  void Prefetch(uint32_t r) const override {
    Comparison::Prefetch(r);
    __builtin_prefetch(sorted_ids_.data() + r);
    __builtin_prefetch(name_of_.data() + r);
  }

 private:
  std::span<const NamePart> Parts(uint32_t name) const {
    return {parts_.data() + part_offsets_[name], parts_.data() + part_offsets_[name + 1]};
  }

  std::vector<double> thresholds_;
  std::vector<uint32_t> name_of_;      // record -> its name as written
  std::vector<NormalizedName> names_;  // each name as written, normalised
  std::vector<NamePart> parts_;        // names_[i]'s prepared parts: Parts(i)
  std::vector<uint32_t> part_offsets_;
  const uint64_t id_space_ = NewPartIdSpace();  // what NamePart::id numbers
  std::vector<uint32_t> sorted_ids_;
};

// Birth dates: exact; day and month swapped; one digit wrong; the same year (or a
// year that fits an age stated at a date when the birth date is missing); else.
class DateComparison : public Comparison {
 public:
  struct Value {
    std::array<char, 8> digits{};  // YYYYMMDD, all '\0' when unknown
    int16_t year_min = 0, year_max = 0;
  };

  DateComparison(const ComparisonSettings& s, const Records& records, int threads)
      : Comparison(s) {
    const std::vector<std::string>& dates = *records.Column(s.column);
    const std::vector<std::string>* ages =
        s.age_column.empty() ? nullptr : records.Column(s.age_column);
    const std::vector<std::string>* at =
        s.age_date_column.empty() ? nullptr : records.Column(s.age_date_column);
    values_.resize(dates.size());
    std::vector<std::string> keys(dates.size());
    ParallelRanges(dates.size(), threads, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        Value& v = values_[i];
        if (std::optional<Date> d = ReadDateValue(dates[i])) {
          std::string k = fmt::format("{:04d}{:02d}{:02d}", d->year, d->month, d->day);
          std::memcpy(v.digits.data(), k.data(), 8);
          v.year_min = v.year_max = static_cast<int16_t>(d->year);
          keys[i] = std::move(k);
        } else if (ages != nullptr) {
          int age = 0;
          std::optional<Date> on = ReadDateValue((*at)[i]);
          if (on && absl::SimpleAtoi(AsAbsl(Trim((*ages)[i])), &age) && age >= 0 &&
              age <= 120) {
            // Born between (on - age - 1 years, on - age years].
            v.year_min = static_cast<int16_t>(on->year - age - 1);
            v.year_max = static_cast<int16_t>(on->year - age);
          }
        }
      }
    });
    Intern(keys);
  }

  int Compare(uint32_t a, uint32_t b) const override {
    const Value& x = values_[a];
    const Value& y = values_[b];
    if (x.year_min == 0 || y.year_min == 0) return 0;
    if (ids_[a] != 0 && ids_[b] != 0) {
      if (ids_[a] == ids_[b]) return 1;
      std::string_view p(x.digits.data(), 8), q(y.digits.data(), 8);
      if (p.substr(0, 4) == q.substr(0, 4) && p.substr(4, 2) == q.substr(6, 2) &&
          p.substr(6, 2) == q.substr(4, 2))
        return 2;
      if (DamerauLevenshteinBounded(p, q, 1) <= 1) return 3;
    }
    if (x.year_min <= y.year_max && y.year_min <= x.year_max) return 4;
    return 5;
  }

  void Prefetch(uint32_t r) const override {
    Comparison::Prefetch(r);
    __builtin_prefetch(values_.data() + r);
  }

 private:
  std::vector<Value> values_;
};

// Street addresses (address.h): the same words in the same order; the words of one
// all found in the other (a clerk left the RT/RW or the district out), when the
// shorter keeps at least half of the longer; else.
class AddressComparison : public Comparison {
 public:
  AddressComparison(const ComparisonSettings& s, const Records& records, int threads)
      : Comparison(s) {
    const std::vector<std::string>& raw = *records.Column(s.column);
    std::vector<std::vector<std::string>> words(raw.size());
    std::vector<std::string> keys(raw.size());
    ParallelRanges(raw.size(), threads, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        words[i] = AddressWords(raw[i]);
        for (const std::string& w : words[i]) {
          if (!keys[i].empty()) keys[i] += ' ';
          keys[i] += w;
        }
      }
    });
    Intern(keys);
    // Each record's words as sorted ids, one flat array.
    absl::flat_hash_map<std::string, uint32_t> ids;
    offsets_.reserve(raw.size() + 1);
    offsets_.push_back(0);
    for (std::vector<std::string>& w : words) {
      size_t first = words_.size();
      for (std::string& word : w)
        words_.push_back(
            ids.try_emplace(std::move(word), static_cast<uint32_t>(ids.size()))
                .first->second);
      std::sort(words_.begin() + static_cast<std::ptrdiff_t>(first), words_.end());
      offsets_.push_back(words_.size());
      w = {};
    }
  }

  int Compare(uint32_t a, uint32_t b) const override {
    if (ids_[a] == 0 || ids_[b] == 0) return 0;
    if (ids_[a] == ids_[b]) return 1;
    auto begin = [&](uint32_t r) {
      return words_.begin() + static_cast<std::ptrdiff_t>(offsets_[r]);
    };
    auto end = [&](uint32_t r) {
      return words_.begin() + static_cast<std::ptrdiff_t>(offsets_[r + 1]);
    };
    size_t na = offsets_[a + 1] - offsets_[a], nb = offsets_[b + 1] - offsets_[b];
    if (na > nb) std::swap(a, b), std::swap(na, nb);
    if (na * 2 >= nb && std::includes(begin(b), end(b), begin(a), end(a))) return 2;
    return 3;
  }

 private:
  std::vector<size_t> offsets_;
  std::vector<uint32_t> words_;
};

// Dates of an event, such as the day a case was reported: two agencies recording
// the same victim report within weeks or months of each other, namesakes any time.
// Levels: at most within_days[0] days apart, …, else.
class DaysComparison : public Comparison {
 public:
  DaysComparison(const ComparisonSettings& s, const Records& records, int threads)
      : Comparison(s), within_(s.within_days) {
    const std::vector<std::string>& dates = *records.Column(s.column);
    days_.assign(dates.size(), kUnknown);
    std::vector<std::string> keys(dates.size());
    ParallelRanges(dates.size(), threads, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i)
        if (std::optional<Date> d = ReadDateValue(dates[i])) {
          days_[i] = DaysFromCivil(*d);
          keys[i] = std::to_string(days_[i]);
        }
    });
    Intern(keys);
  }

  int Compare(uint32_t a, uint32_t b) const override {
    if (days_[a] == kUnknown || days_[b] == kUnknown) return 0;
    int apart = std::abs(days_[a] - days_[b]);
    for (size_t i = 0; i < within_.size(); ++i)
      if (apart <= within_[i]) return static_cast<int>(i) + 1;
    return static_cast<int>(within_.size()) + 1;
  }

  void Prefetch(uint32_t r) const override { __builtin_prefetch(days_.data() + r); }

 private:
  static constexpr int kUnknown = std::numeric_limits<int>::min();

  std::vector<int> within_;
  std::vector<int> days_;
};

}  // namespace

std::optional<Date> ReadDateValue(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  if (text.size() == 8 && std::all_of(text.begin(), text.end(),
                                      [](char c) { return c >= '0' && c <= '9'; })) {
    int y = 0, m = 0, d = 0;
    (void)absl::SimpleAtoi(AsAbsl(text.substr(0, 4)), &y);
    (void)absl::SimpleAtoi(AsAbsl(text.substr(4, 2)), &m);
    (void)absl::SimpleAtoi(AsAbsl(text.substr(6, 2)), &d);
    if (IsValidDate(y, m, d)) return Date{y, m, d};
    return std::nullopt;
  }
  absl::StatusOr<Date> d = ParseDate(text);
  if (!d.ok()) return std::nullopt;
  return *d;
}

namespace {

// NIKs: the same number; one digit wrong or two swapped (a typing slip); else — two
// different valid NIKs, strong evidence of two different people.
class NikComparison : public Comparison {
 public:
  NikComparison(const ComparisonSettings& s, const Records& records, int threads)
      : Comparison(s) {
    Date today = TodayInJakarta();
    std::vector<std::string> keys = MapColumn<std::string>(
        *records.Column(s.column), threads, [&](const std::string& v) {
          absl::StatusOr<NikInfo> nik = ParseNik(v, today);
          return nik.ok() ? nik->digits : std::string();
        });
    digits_.resize(keys.size());
    for (size_t i = 0; i < keys.size(); ++i)
      if (!keys[i].empty()) std::memcpy(digits_[i].data(), keys[i].data(), 16);
    Intern(keys);
  }

  int Compare(uint32_t a, uint32_t b) const override {
    if (ids_[a] == 0 || ids_[b] == 0) return 0;
    if (ids_[a] == ids_[b]) return 1;
    std::string_view p(digits_[a].data(), 16), q(digits_[b].data(), 16);
    if (DamerauLevenshteinBounded(p, q, 1) <= 1) return 2;
    return 3;
  }

 private:
  std::vector<std::array<char, 16>> digits_;
};

// Phone numbers normalised to +62…: exact, one digit wrong or two swapped, else.
class PhoneComparison : public Comparison {
 public:
  PhoneComparison(const ComparisonSettings& s, const Records& records, int threads)
      : Comparison(s) {
    values_ = MapColumn<std::string>(*records.Column(s.column), threads,
                                     [](const std::string& v) {
                                       std::optional<std::string> p = NormalizePhone(v);
                                       return p ? *p : std::string();
                                     });
    Intern(values_);
  }

  int Compare(uint32_t a, uint32_t b) const override {
    if (ids_[a] == 0 || ids_[b] == 0) return 0;
    if (ids_[a] == ids_[b]) return 1;
    if (DamerauLevenshteinBounded(values_[a], values_[b], 1) <= 1) return 2;
    return 3;
  }

 private:
  std::vector<std::string> values_;
};

// Region codes of the hierarchy province.regency.district.village: the same
// region, else the deepest level both share.
class RegionComparison : public Comparison {
 public:
  RegionComparison(const ComparisonSettings& s, const Records& records, int threads)
      : Comparison(s) {
    values_ = MapColumn<std::string>(*records.Column(s.column), threads,
                                     [](const std::string& v) { return FoldValue(v); });
    Intern(values_);
  }

  int Compare(uint32_t a, uint32_t b) const override {
    if (ids_[a] == 0 || ids_[b] == 0) return 0;
    if (ids_[a] == ids_[b]) return 1;
    std::string_view x = values_[a], y = values_[b];
    int shared = 0;          // leading segments in common
    bool contained = false;  // one code lies inside the other ("52" and "52.71")
    size_t i = 0;
    while (true) {
      size_t ex = x.find('.', i), ey = y.find('.', i);
      std::string_view sx = x.substr(i, ex == std::string_view::npos ? x.npos : ex - i);
      std::string_view sy = y.substr(i, ey == std::string_view::npos ? y.npos : ey - i);
      if (sx != sy) break;
      ++shared;  // a shorter code shares all its segments with a code inside it
      if (ex == std::string_view::npos || ey == std::string_view::npos) {
        contained = true;
        break;
      }
      i = ex + 1;
    }
    switch (shared) {
      case 0:
        return 6;
      case 1:
        // A province-level code does not contradict a regency in that province:
        // it only says less. Two different regencies do contradict.
        return contained ? 4 : 5;
      case 2:
        return 3;
      default:
        return 2;
    }
  }

 private:
  std::vector<std::string> values_;
};

}  // namespace

std::vector<Comparison::Gate> ResolveGates(const Settings& settings, size_t k) {
  std::vector<Comparison::Gate> gates;
  for (const ComparisonSettings::Gate& gate : settings.comparisons[k].only_with)
    for (size_t g = 0; g < settings.comparisons.size(); ++g) {
      if (settings.comparisons[g].name != gate.comparison) continue;
      std::vector<std::string> labels = LevelLabels(settings.comparisons[g]);
      auto at = std::find(labels.begin(), labels.end(), gate.level);
      if (at != labels.end())
        gates.push_back({static_cast<int>(g), static_cast<int>(at - labels.begin()) + 1});
      break;
    }
  return gates;
}

std::string NotCountedLabel(const Settings& settings, const Comparison::Gate& gate) {
  const ComparisonSettings& c =
      settings.comparisons[static_cast<size_t>(gate.comparison)];
  return StrCat("not counted: ", c.name, " below ",
                LevelLabels(c)[static_cast<size_t>(gate.level - 1)]);
}

Comparisons BuildComparisons(const Settings& settings, const Records& records,
                             int threads) {
  Comparisons out;
  for (const ComparisonSettings& c : settings.comparisons) {
    switch (c.kind) {
      case ComparisonKind::kString:
        out.push_back(std::make_unique<StringComparison>(c, records, threads));
        break;
      case ComparisonKind::kName:
        out.push_back(std::make_unique<NameComparison>(c, records, threads));
        break;
      case ComparisonKind::kDate:
        out.push_back(std::make_unique<DateComparison>(c, records, threads));
        break;
      case ComparisonKind::kAddress:
        out.push_back(std::make_unique<AddressComparison>(c, records, threads));
        break;
      case ComparisonKind::kDays:
        out.push_back(std::make_unique<DaysComparison>(c, records, threads));
        break;
      case ComparisonKind::kNik:
        out.push_back(std::make_unique<NikComparison>(c, records, threads));
        break;
      case ComparisonKind::kPhone:
        out.push_back(std::make_unique<PhoneComparison>(c, records, threads));
        break;
      case ComparisonKind::kRegion:
        out.push_back(std::make_unique<RegionComparison>(c, records, threads));
        break;
    }
  }
  for (size_t k = 0; k < out.size(); ++k) out[k]->gates_ = ResolveGates(settings, k);
  for (const auto& c : out)
    for (const Comparison::Gate& g : c->gates_)
      out[static_cast<size_t>(g.comparison)]->opens_gates_ = true;
  return out;
}

}  // namespace gugus::linkage
