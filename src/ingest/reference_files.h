// Loaders for the packaged reference data:
//  - Indonesian regions from the npm package idn-area-data (its data/ folder:
//    provinces.csv, regencies.csv, districts.csv, villages.csv; data ODbL, code MIT);
//  - countries from Debian's iso-codes (/usr/share/iso-codes/json/iso_3166-1.json
//    for codes and English names, /usr/share/locale/id/LC_MESSAGES/iso_3166-1.mo for
//    the Indonesian names, read as a gettext catalogue).
// Errors: NotFound naming the missing file and how to install it; InvalidArgument for
// a damaged file. A missing .mo is not an error (minimal images strip
// /usr/share/locale): name_id then falls back to the English name.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/country_index.h"
#include "core/region_index.h"

namespace gugus::ingest {

// The idn-area-data data folder: $GUGUS_REF_DIR when set, else
// <cwd>/node_modules/idn-area-data/data, else the same beside the executable's
// parent folder. Returns the first that has provinces.csv.
std::string DefaultRegionDataDir();

// `include_villages` = false skips the 83,762 villages (for tests that need speed).
absl::StatusOr<std::vector<Region>> LoadIdnAreaData(const std::string& dir,
                                                    bool include_villages = true);

// name_en is the ISO name ("Korea, Republic of"); name_id the Indonesian
// translation of the common name where iso-codes has one ("Korea Selatan",
// "Suriah"), else of the ISO name, else the English name; "Timor Leste" replaces
// the catalogue's outdated "Timor Timur". Order as in the JSON file.
absl::StatusOr<std::vector<Country>> LoadIsoCountries(
    const std::string& json_path = "/usr/share/iso-codes/json/iso_3166-1.json",
    const std::string& mo_path = "/usr/share/locale/id/LC_MESSAGES/iso_3166-1.mo");

}  // namespace gugus::ingest
