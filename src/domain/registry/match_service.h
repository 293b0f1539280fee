// `gugus match`: the linkage engine as a general tool for CSV (or XLSX, JSON-lines)
// files. One file is deduplicated; two files are linked (left × right). The settings
// file (linkage/settings.h, README "Record linkage") names the id column and each
// field's comparison.
//
// Writes `id_l,id_r,probability` for every candidate pair at or above the threshold
// (default: the settings' link_threshold), and for a deduplication optionally
// `id,cluster` with the cluster's first id. Output files are written to a temporary
// name and renamed into place, so that a failure never leaves half a file.
// Errors: NotFound (a missing file), InvalidArgument (bad settings, a missing or
// repeated id), DataLoss (an output that could not be written). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/region_index.h"
#include "linkage/linker.h"

namespace gugus::domain {

struct MatchRequest {
  std::string file_a, file_b;  // file_b empty: deduplicate file_a
  std::string settings_path;
  std::string out_path;
  std::string clusters_path;  // optional, deduplication only
  std::string model_path;     // optional: the fitted m, u and λ (JSON)
  double threshold = -1;      // < 0: the settings' link_threshold
  int threads = 0;            // 0: the settings' value (0 there: every core)
  linkage::ProgressFn progress;
};

struct MatchReport {
  size_t records_a = 0, records_b = 0;
  linkage::TrainStats train;
  linkage::Blocker::Stats blocking;  // every candidate pair, by rule
  uint64_t candidate_pairs = 0;
  uint64_t pairs_written = 0;
  size_t clusters = 0;  // deduplication with clusters_path only
  double lambda = 0;
  int em_iterations = 0;
  bool em_converged = false;
  std::vector<std::string> rules;
  double seconds_total = 0;
};

// Reads the records of one or two tables into linkage form: every column, named
// by the trimmed header; the second table's columns aligned to the first's by name.
// Ids are left empty: AssignIds() takes them from the id columns (joined with ':'),
// which must give every record a value, unique within each file.
absl::StatusOr<linkage::Records> ReadTables(const std::string& file_a,
                                            const std::string& file_b);
absl::Status AssignIds(linkage::Records& records,
                       const std::vector<std::string>& id_columns,
                       const std::string& file_a, const std::string& file_b);

// The regions an address fill (Settings::address_fill_*) resolves against, read
// from the installed idn-area-data, as there is no store here; none when the
// settings fill nothing from addresses. NotFound, saying how to install it, when
// the package is missing.
absl::StatusOr<std::optional<RegionIndex>> AddressFillRegions(
    const linkage::Settings& settings);

absl::StatusOr<MatchReport> RunMatch(const MatchRequest& request);

}  // namespace gugus::domain
