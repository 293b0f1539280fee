#include "domain/registry/reference_service.h"

#include "core/status.h"
#include "ingest/reference_files.h"

namespace gugus::domain {

absl::StatusOr<ReferenceCounts> InstallReference(Store& store,
                                                 const std::string& region_dir) {
  GUGUS_ASSIGN_OR_RETURN(std::vector<Region> regions,
                         ingest::LoadIdnAreaData(region_dir));
  GUGUS_ASSIGN_OR_RETURN(std::vector<Country> countries, ingest::LoadIsoCountries());
  // The national root is not in the package; agencies of national bodies use it.
  regions.insert(regions.begin(), Region{"ID", "", "INDONESIA", RegionLevel::kNational});
  GUGUS_RETURN_IF_ERROR(store.reference().ReplaceRegions(regions));
  GUGUS_RETURN_IF_ERROR(store.reference().ReplaceCountries(countries));
  return ReferenceCounts{regions.size(), countries.size()};
}

absl::StatusOr<RegionIndex> LoadRegionIndex(Store& store, RegionLevel max_level) {
  GUGUS_ASSIGN_OR_RETURN(std::vector<Region> regions,
                         store.reference().LoadRegions(max_level));
  std::erase_if(regions, [](const Region& r) { return r.code == "ID"; });
  return RegionIndex(std::move(regions));
}

absl::StatusOr<std::unique_ptr<ReferenceIndexes>> LoadReferenceIndexes(Store& store) {
  GUGUS_ASSIGN_OR_RETURN(RegionIndex regions, LoadRegionIndex(store));
  GUGUS_ASSIGN_OR_RETURN(std::vector<Country> countries,
                         store.reference().LoadCountries());
  auto indexes = std::make_unique<ReferenceIndexes>(
      ReferenceIndexes{std::move(regions), CountryIndex(std::move(countries))});
  return indexes;
}

}  // namespace gugus::domain
