#include "domain/registry/match_service.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "core/status.h"
#include "core/strcat.h"
#include "core/text.h"
#include "ingest/csv_writer.h"
#include "ingest/reader.h"
#include "ingest/reference_files.h"

namespace gugus::domain {
namespace {

absl::Status ReadOne(const std::string& path, uint8_t source, linkage::Records& records) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return absl::NotFoundError(StrCat("no such file: ", path));
  GUGUS_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RowReader> reader,
                         ingest::OpenTable(path));
  std::vector<int> target;  // the records column of each file column
  for (const std::string& h : reader->header()) {
    std::string name(Trim(h));
    int c = records.Find(name);
    if (c < 0) {
      records.names.push_back(name);
      records.columns.emplace_back(records.size());  // earlier records: empty
      c = static_cast<int>(records.names.size()) - 1;
    }
    target.push_back(c);
  }
  ingest::RawRow row;
  while (true) {
    GUGUS_ASSIGN_OR_RETURN(bool more, reader->Next(row));
    if (!more) break;
    for (auto& column : records.columns) column.emplace_back();
    for (size_t i = 0; i < row.cells.size() && i < target.size(); ++i)
      records.columns[static_cast<size_t>(target[i])].back() =
          std::string(Trim(row.cells[i]));
    records.source.push_back(source);
    records.ids.emplace_back();  // filled once the id column is known
  }
  return absl::OkStatus();
}

// Writes through a temporary file renamed into place at the end.
class OutputFile {
 public:
  explicit OutputFile(std::string path) : path_(std::move(path)), temp_(path_ + ".part") {
    file_ = std::fopen(temp_.c_str(), "wb");
  }
  ~OutputFile() {
    if (file_) std::fclose(file_);
    if (!done_) std::remove(temp_.c_str());
  }
  FILE* get() { return file_; }
  absl::Status Open() {
    if (!file_) return absl::PermissionDeniedError(StrCat("cannot write ", path_));
    return absl::OkStatus();
  }
  absl::Status Close() {
    bool ok = std::fflush(file_) == 0 && !std::ferror(file_);
    ok = std::fclose(file_) == 0 && ok;
    file_ = nullptr;
    if (!ok || std::rename(temp_.c_str(), path_.c_str()) != 0)
      return absl::DataLossError(StrCat("cannot write ", path_, " (disk full?)"));
    done_ = true;
    return absl::OkStatus();
  }

 private:
  std::string path_, temp_;
  FILE* file_ = nullptr;
  bool done_ = false;
};

}  // namespace

absl::StatusOr<linkage::Records> ReadTables(const std::string& file_a,
                                            const std::string& file_b) {
  linkage::Records records;
  GUGUS_RETURN_IF_ERROR(ReadOne(file_a, 0, records));
  if (!file_b.empty()) GUGUS_RETURN_IF_ERROR(ReadOne(file_b, 1, records));
  return records;
}

absl::Status AssignIds(linkage::Records& records,
                       const std::vector<std::string>& id_columns,
                       const std::string& file_a, const std::string& file_b) {
  std::vector<int> columns;
  std::string label;
  for (const std::string& name : id_columns) {
    int c = records.Find(name);
    if (c < 0)
      return absl::InvalidArgumentError(
          StrCat("settings: id_column: no column named '", name, "' in the input"));
    columns.push_back(c);
    label += label.empty() ? name : StrCat("+", name);
  }
  absl::flat_hash_set<std::string_view> seen[2];
  for (size_t r = 0; r < records.size(); ++r) {
    std::string id;
    for (size_t i = 0; i < columns.size(); ++i) {
      const std::string& value = records.columns[static_cast<size_t>(columns[i])][r];
      if (value.empty())
        return absl::InvalidArgumentError(
            StrCat("record ", r + 1, " of ", records.source[r] ? file_b : file_a,
                   " has no value in the id column '", id_columns[i], "'"));
      if (i) id += ':';
      id += value;
    }
    records.ids[r] = std::move(id);
  }
  for (size_t r = 0; r < records.size(); ++r)
    if (!seen[records.source[r]].insert(records.ids[r]).second)
      return absl::InvalidArgumentError(
          StrCat("the id column '", label, "' repeats a value in ",
                 records.source[r] ? file_b : file_a, " (record ", r + 1,
                 "): ids must be unique"));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<RegionIndex>> AddressFillRegions(
    const linkage::Settings& settings) {
  if (settings.address_fill_column.empty()) return std::nullopt;
  GUGUS_ASSIGN_OR_RETURN(std::vector<Region> regions,
                         ingest::LoadIdnAreaData(ingest::DefaultRegionDataDir(),
                                                 /*include_villages=*/false));
  return RegionIndex(std::move(regions));
}

absl::StatusOr<MatchReport> RunMatch(const MatchRequest& request) {
  auto start = std::chrono::steady_clock::now();
  std::ifstream in(request.settings_path);
  if (!in)
    return absl::NotFoundError(StrCat("no such settings file: ", request.settings_path));
  std::stringstream text;
  text << in.rdbuf();

  GUGUS_ASSIGN_OR_RETURN(linkage::Records records,
                         ReadTables(request.file_a, request.file_b));
  GUGUS_ASSIGN_OR_RETURN(linkage::Settings settings,
                         linkage::ParseSettings(text.str(), records.names));
  // The number of files decides: one is deduplicated, two are linked.
  settings.link_type =
      request.file_b.empty() ? linkage::LinkType::kDedupe : linkage::LinkType::kLink;
  GUGUS_RETURN_IF_ERROR(
      AssignIds(records, settings.id_columns, request.file_a, request.file_b));
  if (!request.clusters_path.empty() && !request.file_b.empty())
    return absl::InvalidArgumentError("--clusters applies to one file (deduplication)");
  double threshold = request.threshold >= 0 ? request.threshold : settings.link_threshold;
  if (!(threshold > 0 && threshold < 1))
    return absl::InvalidArgumentError("--threshold must be between 0 and 1");

  MatchReport report;
  for (uint8_t s : records.source) ++(s ? report.records_b : report.records_a);
  for (const auto& rule : settings.blocking_rules) report.rules.push_back(rule.text);

  GUGUS_ASSIGN_OR_RETURN(std::optional<RegionIndex> regions,
                         AddressFillRegions(settings));

  OutputFile out(request.out_path);
  GUGUS_RETURN_IF_ERROR(out.Open());
  linkage::Linker linker(std::move(settings), std::move(records), request.threads,
                         regions ? &*regions : nullptr);
  report.train = linker.Train(request.progress);
  report.lambda = linker.parameters().lambda;
  report.em_iterations = linker.parameters().em_iterations;
  report.em_converged = linker.parameters().converged;
  if (!request.model_path.empty()) {
    OutputFile model(request.model_path);
    GUGUS_RETURN_IF_ERROR(model.Open());
    std::string json = linkage::ParametersJson(linker.parameters(), linker.comparisons());
    std::fwrite(json.data(), 1, json.size(), model.get());
    GUGUS_RETURN_IF_ERROR(model.Close());
  }
  double floor = std::min(threshold, linker.settings().link_threshold);
  linkage::Blocker::Stats stats;
  std::vector<linkage::ScoredPair> pairs = linker.Score(floor, &stats, request.progress);
  report.candidate_pairs = stats.pairs;
  report.blocking = stats;

  const linkage::Records& r = linker.records();
  {
    ingest::CsvWriter w(out.get());
    w.Row(std::vector<std::string_view>{"id_l", "id_r", "probability"});
    char probability[32];
    for (const linkage::ScoredPair& p : pairs) {
      double pr = linkage::Probability(p.weight);
      if (pr < threshold) continue;
      std::snprintf(probability, sizeof probability, "%.6f", pr);
      w.Row(std::vector<std::string_view>{r.ids[p.a], r.ids[p.b], probability});
      ++report.pairs_written;
    }
    if (!w.Flush()) return absl::DataLossError(StrCat("cannot write ", request.out_path));
  }
  GUGUS_RETURN_IF_ERROR(out.Close());

  if (!request.clusters_path.empty()) {
    if (request.progress) request.progress("clustering", 0, 0);
    std::vector<uint32_t> cluster = linker.Cluster(pairs, {});
    OutputFile file(request.clusters_path);
    GUGUS_RETURN_IF_ERROR(file.Open());
    ingest::CsvWriter w(file.get());
    w.Row(std::vector<std::string_view>{"id", "cluster"});
    for (size_t i = 0; i < cluster.size(); ++i) {
      if (cluster[i] == i) ++report.clusters;
      w.Row(std::vector<std::string_view>{r.ids[i], r.ids[cluster[i]]});
    }
    if (!w.Flush())
      return absl::DataLossError(StrCat("cannot write ", request.clusters_path));
    GUGUS_RETURN_IF_ERROR(file.Close());
  }
  report.seconds_total =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace gugus::domain
