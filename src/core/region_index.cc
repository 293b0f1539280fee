#include "core/region_index.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <utility>

#include "core/status.h"
#include "core/text.h"

namespace gugus {
namespace {

constexpr std::string_view kRoot = "ID";

// What the text says about the kind of region it names.
enum class Kind { kAny, kProvince, kRegency, kCity };

// Folded words of `text`: case, accents and punctuation gone ("Kab. Bandung-Barat"
// → {"kab", "bandung", "barat"}). "Kep." is the usual short form of "Kepulauan".
std::vector<std::string> Words(std::string_view text) {
  std::string folded = FoldForMatch(text);
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (word == "kep") word = "kepulauan";
    words.push_back(std::move(word));
    word.clear();
  };
  for (size_t i = 0; i < folded.size();) {
    auto c = static_cast<unsigned char>(folded[i]);
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        word.push_back(static_cast<char>(c));
      } else {
        flush();
      }
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n =
        utf8proc_iterate(reinterpret_cast<const uint8_t*>(folded.data() + i),
                         static_cast<utf8proc_ssize_t>(folded.size() - i), &cp);
    size_t len = n > 0 ? static_cast<size_t>(n) : 1;
    utf8proc_category_t cat = n > 0 ? utf8proc_category(cp) : UTF8PROC_CATEGORY_CN;
    bool keep = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
    keep = keep || (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
    if (keep) {
      word.append(folded, i, len);
    } else {
      flush();
    }
    i += len;
  }
  flush();
  return words;
}

// Names are keyed without spaces so that "Bau-Bau"/"Baubau", "Pangkal Pinang"/
// "Pangkalpinang" and "Kota Baru"/"Kotabaru" meet (no two regions collide so).
std::string Joined(const std::vector<std::string>& words, size_t begin, size_t end) {
  std::string key;
  for (size_t i = begin; i < end; ++i) key += words[i];
  return key;
}

Kind KindWord(std::string_view word) {
  if (word == "kabupaten" || word == "kab") return Kind::kRegency;
  if (word == "kota" || word == "kotamadya" || word == "kodya") return Kind::kCity;
  if (word == "provinsi" || word == "propinsi" || word == "prov" || word == "prop")
    return Kind::kProvince;
  return Kind::kAny;
}

bool AdministrativeWord(std::string_view word) {
  return word == "administrasi" || word == "adm";
}

bool IsDigits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "3202" → "32.02", "32.02.01" stays; "" when `text` is no region code.
std::string CanonicalCode(std::string_view text) {
  static constexpr std::array<size_t, 4> kWidths = {2, 2, 2, 4};
  if (text.size() == 2 && (text[0] == 'I' || text[0] == 'i') &&
      (text[1] == 'D' || text[1] == 'd'))
    return std::string(kRoot);
  std::string out;
  if (IsDigits(text)) {
    size_t pos = 0;
    for (size_t part = 0; part < kWidths.size() && pos < text.size(); ++part) {
      if (pos + kWidths[part] > text.size()) return "";
      if (!out.empty()) out.push_back('.');
      out.append(text.substr(pos, kWidths[part]));
      pos += kWidths[part];
    }
    return pos == text.size() ? out : "";
  }
  size_t part = 0;
  size_t begin = 0;
  while (true) {
    size_t dot = text.find('.', begin);
    std::string_view piece = text.substr(
        begin, dot == std::string_view::npos ? std::string_view::npos : dot - begin);
    if (part >= kWidths.size() || piece.size() != kWidths[part] || !IsDigits(piece))
      return "";
    ++part;
    if (dot == std::string_view::npos) break;
    begin = dot + 1;
  }
  return std::string(text);
}

// Province abbreviations and older names clerks write, by Kemendagri code.
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"NAD", "11"},
    {"Nanggroe Aceh Darussalam", "11"},
    {"Sumut", "12"},
    {"Sumbar", "13"},
    {"Sumsel", "16"},
    {"Babel", "19"},
    {"Bangka Belitung", "19"},
    {"Kepri", "21"},
    {"DKI", "31"},
    {"DKI Jakarta", "31"},
    {"Jakarta", "31"},
    {"Daerah Khusus Jakarta", "31"},
    {"Jabar", "32"},
    {"Jateng", "33"},
    {"DIY", "34"},
    {"DI Yogyakarta", "34"},
    {"Yogyakarta", "34"},
    {"Jogjakarta", "34"},
    {"Jogja", "34"},
    {"Jatim", "35"},
    {"NTB", "52"},
    {"NTT", "53"},
    {"Kalbar", "61"},
    {"Kalteng", "62"},
    {"Kalsel", "63"},
    {"Kaltim", "64"},
    {"Kaltara", "65"},
    {"Sulut", "71"},
    {"Sulteng", "72"},
    {"Sulsel", "73"},
    {"Sultra", "74"},
    {"Sulbar", "76"},
    {"Malut", "82"},
    // Regencies and cities: everyday and former names.
    {"Solo", "33.72"},
    {"Pangkep", "73.10"},
    {"Sidrap", "73.14"},
    {"Toba Samosir", "12.12"},
    {"Mamuju Utara", "76.01"},
    {"Maluku Tenggara Barat", "81.03"},
};

}  // namespace

RegionLevel LevelOfCode(std::string_view code) {
  if (code.empty() || code == kRoot) return RegionLevel::kNational;
  switch (std::count(code.begin(), code.end(), '.')) {
    case 0:
      return RegionLevel::kProvince;
    case 1:
      return RegionLevel::kRegency;
    case 2:
      return RegionLevel::kDistrict;
    default:
      return RegionLevel::kVillage;
  }
}

RegionIndex::RegionIndex() : RegionIndex(std::vector<Region>{}) {}

RegionIndex::RegionIndex(std::vector<Region> regions) {
  regions_.reserve(regions.size() + 1);
  by_code_.reserve(regions.size() + 1);
  bool has_root = std::any_of(regions.begin(), regions.end(),
                              [](const Region& r) { return r.code == kRoot; });
  if (!has_root) {
    regions_.push_back(
        Region{std::string(kRoot), "", "Indonesia", RegionLevel::kNational});
    by_code_.emplace(kRoot, 0);
  }
  for (Region& region : regions) {
    if (by_code_.contains(region.code)) continue;  // first one wins
    by_code_.emplace(region.code, regions_.size());
    regions_.push_back(std::move(region));
  }

  auto add_name = [this](const std::string& key, size_t index) {
    if (key.empty()) return;
    std::vector<size_t>& list = by_name_[key];
    if (std::find(list.begin(), list.end(), index) == list.end()) list.push_back(index);
  };
  for (size_t i = 0; i < regions_.size(); ++i) {
    const Region& region = regions_[i];
    if (region.level != RegionLevel::kProvince && region.level != RegionLevel::kRegency)
      continue;
    std::vector<std::string> words = Words(region.name);
    size_t begin = 0;
    if (region.level == RegionLevel::kRegency) {
      // "Kabupaten Sukabumi", "Kota Administrasi Jakarta Selatan" → the bare name.
      if (begin < words.size() && KindWord(words[begin]) != Kind::kAny) ++begin;
      if (begin < words.size() && AdministrativeWord(words[begin])) ++begin;
    }
    add_name(Joined(words, begin, words.size()), i);
  }
  for (const auto& [alias, code] : kAliases) {
    auto it = by_code_.find(AsAbsl(code));
    if (it == by_code_.end()) continue;
    std::vector<std::string> words = Words(alias);
    add_name(Joined(words, 0, words.size()), it->second);
  }
}

const Region* RegionIndex::Find(std::string_view code) const {
  auto it = by_code_.find(AsAbsl(code));
  return it == by_code_.end() ? nullptr : &regions_[it->second];
}

bool RegionIndex::Contains(std::string_view ancestor, std::string_view code) {
  if (ancestor == kRoot) return true;
  if (ancestor.empty() || code.size() < ancestor.size()) return false;
  if (code.substr(0, ancestor.size()) != ancestor) return false;
  return code.size() == ancestor.size() || code[ancestor.size()] == '.';
}

namespace {

bool KindFits(Kind kind, const Region& region) {
  switch (kind) {
    case Kind::kAny:
      return true;
    case Kind::kProvince:
      return region.level == RegionLevel::kProvince;
    case Kind::kRegency:
    case Kind::kCity: {
      if (region.level != RegionLevel::kRegency || region.code.size() < 5) return false;
      bool city = region.code[3] >= '7';  // cities are PP.71–99
      return city == (kind == Kind::kCity);
    }
  }
  return false;
}

// Provinces and regencies/cities that one part of the text names, honouring the
// kind word it carries ("Kota", "Kab.", "Prov.").
std::vector<size_t> NameCandidates(
    std::string_view text, const std::vector<Region>& regions,
    const absl::flat_hash_map<std::string, std::vector<size_t>>& by_name) {
  std::vector<std::string> words = Words(text);
  if (words.empty()) return {};
  Kind kind = Kind::kAny;
  size_t begin = 0;
  size_t end = words.size();
  if (Kind k = KindWord(words.front()); k != Kind::kAny) {
    kind = k;
    ++begin;
  } else if (Kind k = KindWord(words.back()); k != Kind::kAny && words.size() > 1) {
    kind = k;  // "Sukabumi Kab.", "BANDUNG (KOTA)"
    --end;
  }
  if (kind != Kind::kAny && begin < end && AdministrativeWord(words[begin])) ++begin;

  std::vector<size_t> found;
  auto lookup = [&](const std::string& key, Kind filter) {
    auto it = by_name.find(key);
    if (it == by_name.end()) return;
    for (size_t i : it->second)
      if (KindFits(filter, regions[i])) found.push_back(i);
  };
  if (begin < end) lookup(Joined(words, begin, end), kind);
  // The kind word may belong to the name: "Kota Baru" (Kotabaru), "Lima Puluh Kota".
  if (found.empty() && kind != Kind::kAny)
    lookup(Joined(words, 0, words.size()), Kind::kAny);
  return found;
}

// The header's rule: a province beats regencies/cities of its own name that lie in
// it; otherwise every candidate stays.
std::vector<size_t> ApplyLevelRule(std::vector<size_t> found,
                                   const std::vector<Region>& regions) {
  std::vector<size_t> provinces;
  std::vector<size_t> lower;
  for (size_t i : found)
    (regions[i].level == RegionLevel::kProvince ? provinces : lower).push_back(i);
  if (provinces.size() == 1 && !lower.empty() &&
      std::all_of(lower.begin(), lower.end(), [&](size_t i) {
        return RegionIndex::Contains(regions[provinces[0]].code, regions[i].code);
      }))
    return provinces;
  return found;
}

}  // namespace

RegionMatch RegionIndex::Resolve(std::string_view text) const {
  RegionMatch match;
  text = Trim(text);
  if (text.empty()) return match;

  if (std::string code = CanonicalCode(text); !code.empty()) {
    if (Find(code) != nullptr) {
      match.kind = RegionMatch::kResolved;
      match.code = std::move(code);
    }
    return match;
  }

  // "Cisaat, Kab. Sukabumi, Jawa Barat": the first part that names a province or
  // regency/city is the answer; later parts only narrow it ("Banjar, Kalsel").
  // A part that is only a kind word qualifies the one before: "BANDUNG (KOTA)".
  std::vector<std::string> parts;
  for (size_t begin = 0; begin <= text.size();) {
    size_t end = text.find_first_of(",;()/", begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = Trim(text.substr(begin, end - begin));
    begin = end + 1;
    if (part.empty()) continue;
    std::vector<std::string> words = Words(part);
    if (!parts.empty() && words.size() == 1 && KindWord(words[0]) != Kind::kAny) {
      parts.back().append(" ").append(part);
    } else {
      parts.emplace_back(part);
    }
  }
  std::vector<size_t> found;
  size_t next = 0;
  while (found.empty() && next < parts.size())
    found = NameCandidates(parts[next++], regions_, by_name_);
  if (found.empty()) return match;

  for (; next < parts.size() && found.size() > 1; ++next) {
    std::vector<size_t> context =
        ApplyLevelRule(NameCandidates(parts[next], regions_, by_name_), regions_);
    std::vector<size_t> narrowed;
    for (size_t i : found) {
      for (size_t c : context) {
        if (Contains(regions_[c].code, regions_[i].code)) {
          narrowed.push_back(i);
          break;
        }
      }
    }
    if (!narrowed.empty()) found = std::move(narrowed);  // contradictions are ignored
  }

  found = ApplyLevelRule(std::move(found), regions_);
  if (found.size() == 1) {
    match.kind = RegionMatch::kResolved;
    match.code = regions_[found[0]].code;
    return match;
  }
  match.kind = RegionMatch::kAmbiguous;
  for (size_t i : found) match.candidates.push_back(regions_[i].code);
  std::sort(match.candidates.begin(), match.candidates.end());
  return match;
}

}  // namespace gugus
