#include "linkage/address.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "linkage/comparison.h"

namespace gugus::linkage {
namespace {

// Abbreviations and spellings of the words addresses are made of, to one form.
std::string_view Canonical(std::string_view word) {
  static constexpr std::pair<std::string_view, std::string_view> kWords[] = {
      {"kecamatan", "kec"}, {"kc", "kec"},          {"kabupaten", "kab"},
      {"kelurahan", "kel"}, {"ds", "desa"},         {"dsn", "dusun"},
      {"kp", "kampung"},    {"kmp", "kampung"},     {"kpg", "kampung"},
      {"jalan", "jl"},      {"jln", "jl"},          {"gang", "gg"},
      {"nomor", "no"},      {"nmr", "no"},          {"provinsi", "prov"},
      {"propinsi", "prov"}, {"perumahan", "perum"}, {"blk", "blok"},
  };
  for (const auto& [from, to] : kWords)
    if (word == from) return to;
  return word;
}

bool IsAsciiAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

std::vector<std::string> AddressWords(std::string_view raw) {
  std::string folded = FoldValue(raw);  // FoldForMatch, fast for ASCII
  std::vector<std::string> words;
  size_t i = 0;
  while (i < folded.size()) {
    // Non-ASCII bytes left after folding (letters of other scripts) belong to words.
    auto in_word = [&](size_t k) {
      return IsAsciiAlnum(folded[k]) || static_cast<unsigned char>(folded[k]) >= 0x80;
    };
    if (!in_word(i)) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < folded.size() && in_word(j)) ++j;
    std::string_view w(folded.data() + i, j - i);
    if (std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      while (w.size() > 1 && w.front() == '0') w.remove_prefix(1);
      words.emplace_back(w);
    } else {
      words.emplace_back(Canonical(w));
    }
    i = j;
  }
  // "Rukun Tetangga 3" / "Rukun Warga 4" as written in full.
  for (size_t k = 0; k + 1 < words.size(); ++k)
    if (words[k] == "rukun" && (words[k + 1] == "tetangga" || words[k + 1] == "warga")) {
      words[k] = words[k + 1] == "tetangga" ? "rt" : "rw";
      words.erase(words.begin() + static_cast<std::ptrdiff_t>(k) + 1);
    }
  return words;
}

std::string RegencyOfAddress(std::string_view raw, const RegionIndex& regions) {
  std::vector<std::string_view> parts;
  for (size_t begin = 0; begin <= raw.size();) {
    size_t end = std::min(raw.find(',', begin), raw.size());
    parts.push_back(raw.substr(begin, end - begin));
    begin = end + 1;
  }
  for (auto part = parts.rbegin(); part != parts.rend(); ++part) {
    std::vector<std::string> words = AddressWords(*part);
    for (size_t i = words.size(); i-- > 0;) {
      const std::string& w = words[i];
      bool kind =
          w == "kab" || w == "kodya" || w == "kotamadya" || (w == "kota" && i == 0);
      if (!kind) continue;
      for (size_t end = words.size(); end > i + 1; --end) {
        std::string text = w;
        for (size_t k = i + 1; k < end; ++k) text.append(" ").append(words[k]);
        RegionMatch match = regions.Resolve(text);
        if (match.kind == RegionMatch::kResolved &&
            LevelOfCode(match.code) == RegionLevel::kRegency)
          return match.code;
      }
    }
  }
  return "";
}

}  // namespace gugus::linkage
