// In-memory index of Indonesian administrative regions (Kemendagri codes) and the
// resolver that turns what clerks write into a code.
//
// Codes: province "32", regency/city "32.02" (regencies PP.01–69, cities PP.71–99),
// district "32.02.01", village "32.02.01.2001". The pseudo-code "ID" is the
// national root (parent of every province) and is always present.
//
// Resolve() accepts a code (with or without dots: "32.02", "3202", "3202012002"),
// or a name at province or regency/city level with or without its kind, before or
// after the name: "Kab. Sukabumi", "Kabupaten Sukabumi", "KAB SUKABUMI",
// "Sukabumi, Kab.", "Kota Sukabumi", "Kota Bandung", "BANDUNG (KOTA)",
// "Kodya Bandung", "Kab Bandung Barat", "Kota Adm. Jakarta Selatan",
// "Jakarta Selatan", "Jawa Barat", "Prov. Jawa Barat", "DKI Jakarta", "Kep. Riau",
// and the official province abbreviations ("NTT", "DIY", "Jabar", "Sulsel", ...).
// Case, accents, punctuation and spaces are ignored ("Bau-Bau" = "Baubau",
// "Kota Baru" = "Kotabaru"). Unknown codes are kNotFound.
//
// A bare name that fits several regencies/cities (plain "Sukabumi": the regency
// and the city; "Banjar": a city in Jawa Barat and a regency in Kalimantan
// Selatan) is kAmbiguous with every candidate listed. A province whose own
// regency/city shares its name wins the bare name ("Bengkulu", "Jambi",
// "Gorontalo", "Yogyakarta" → the province): it is true whichever the clerk meant,
// whereas the city would be wrong if they meant the province. "Kota Jambi" or
// "Kab. Gorontalo" still give the city/regency, "Provinsi ..." the province.
//
// Text with commas is read as an address: the first part that names a province or
// regency/city is the answer and later parts narrow an ambiguity ("Banjar,
// Kalimantan Selatan" → 63.03; "Kec. Cisaat, Kab. Sukabumi" → 32.02); a later
// part that contradicts every candidate is ignored.
// District and village names are not resolved (too many collide); their codes are.
//
// Build once, then read from any number of threads (immutable after Build).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace gugus {

enum class RegionLevel {
  kNational = 0,
  kProvince = 1,
  kRegency = 2,
  kDistrict = 3,
  kVillage = 4
};

struct Region {
  std::string code;         // "32.02"
  std::string parent_code;  // "32"; "ID" for provinces; "" for the root
  std::string name;         // as published: "KABUPATEN SUKABUMI", "Cisaat"
  RegionLevel level = RegionLevel::kProvince;
};

// Level implied by a code's shape ("32" → province, ...); kNational for "ID".
RegionLevel LevelOfCode(std::string_view code);

struct RegionMatch {
  enum Kind { kResolved, kAmbiguous, kNotFound } kind = kNotFound;
  std::string code;                     // when kResolved
  std::vector<std::string> candidates;  // when kAmbiguous
};

class RegionIndex {
 public:
  RegionIndex();  // holds only the root "ID"
  explicit RegionIndex(std::vector<Region> regions);

  const Region* Find(std::string_view code) const;  // nullptr when unknown
  RegionMatch Resolve(std::string_view text) const;

  // True when `code` equals `ancestor` or lies beneath it ("ID" contains all).
  static bool Contains(std::string_view ancestor, std::string_view code);

  size_t size() const { return regions_.size(); }
  const std::vector<Region>& regions() const { return regions_; }

 private:
  std::vector<Region> regions_;
  absl::flat_hash_map<std::string, size_t> by_code_;
  // folded bare name ("sukabumi") → indexes of provinces/regencies/cities with it
  absl::flat_hash_map<std::string, std::vector<size_t>> by_name_;
};

}  // namespace gugus
