// Countries (ISO 3166-1) with English and Indonesian names, and the resolver for
// what clerks write: alpha-2/alpha-3 codes and names in either language, including
// common spellings (Kamboja, Arab Saudi, Saudi, KSA, Hong Kong, Hongkong, Taiwan,
// Korea Selatan, Korsel, Uni Emirat Arab, UEA, UAE, Myanmar, Burma, Filipina,
// Singapura, Jepang, Malaysia/Malaysya, Brunei, Timor Leste, Tiongkok/China/RRT)
// and a few places clerks write for their country (Dubai, Sabah, Sarawak, Kuala
// Lumpur). Case, accents, punctuation and spaces are ignored. "WNI", "Indonesia",
// "ID", "IDN" resolve to ID. Bare "Korea" is South Korea and "Arab" Saudi Arabia,
// as Indonesian migration speaks. ISO codes win over abbreviations: "AS" is
// American Samoa (where Indonesian fishing crews land), not Amerika Serikat.
// Immutable after construction; thread-safe reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gugus {

struct Country {
  std::string alpha2;   // "KH"
  std::string alpha3;   // "KHM"
  std::string name_en;  // "Cambodia"
  std::string name_id;  // "Kamboja"
};

class CountryIndex {
 public:
  CountryIndex() = default;
  // `countries` from iso-codes (see ingest/reference_files.h); the clerk spellings
  // above are added by the constructor.
  explicit CountryIndex(std::vector<Country> countries);

  const Country* FindByAlpha2(std::string_view alpha2) const;
  // alpha2 of the country `text` names, or nullopt.
  std::optional<std::string> Resolve(std::string_view text) const;

  const std::vector<Country>& countries() const { return countries_; }

 private:
  std::vector<Country> countries_;
  std::unordered_map<std::string, size_t> by_key_;  // folded name/code → index
};

}  // namespace gugus
