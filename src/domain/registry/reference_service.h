// Reference data in the store: installing it (`gugus init`) and loading the
// in-memory indexes that validation needs.
// Errors: NotFound when the packaged data is missing (with how to install it);
// storage errors as they come.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/country_index.h"
#include "core/region_index.h"
#include "domain/repository.h"

namespace gugus::domain {

struct ReferenceCounts {
  size_t regions = 0;
  size_t countries = 0;
};

// Loads idn-area-data from `region_dir` and Debian's iso-codes, then stores both.
absl::StatusOr<ReferenceCounts> InstallReference(Store& store,
                                                 const std::string& region_dir);

struct ReferenceIndexes {
  RegionIndex regions;
  CountryIndex countries;
};

// The region index of what the store holds, down to `max_level`.
absl::StatusOr<RegionIndex> LoadRegionIndex(
    Store& store, RegionLevel max_level = RegionLevel::kVillage);

// Builds the indexes from what the store holds.
absl::StatusOr<std::unique_ptr<ReferenceIndexes>> LoadReferenceIndexes(Store& store);

}  // namespace gugus::domain
