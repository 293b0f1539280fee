// gugus: the one binary. Parses the command line and calls into the libraries.
// Exit codes: 0 success, 1 the work failed (message on stderr), 2 bad usage.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "core/status.h"
#include "domain/justice/justice_service.h"
#include "domain/registry/import_service.h"
#include "domain/registry/link_service.h"
#include "domain/registry/match_service.h"
#include "domain/registry/reference_service.h"
#include "http/dto.h"
#include "ingest/csv_writer.h"
#include "ingest/reference_files.h"
#include "storage/open_store.h"
#include "synth/generator.h"

namespace gugus {

absl::StatusOr<std::unique_ptr<domain::Store>> Open(const Globals& g) {
  return storage::OpenStore(g.db_path, storage::OpenMode::kExisting);
}

namespace {

using json = nlohmann::json;

void PrintError(const absl::Status& status) {
  std::fprintf(stderr, "gugus: %.*s\n", static_cast<int>(status.message().size()),
               status.message().data());
}

// --- init ---
absl::Status RunInit(const Globals& g, const std::string& ref_dir,
                     const std::string& server_role) {
  // Refused on SQLite before anything is created.
  if (!server_role.empty() && !storage::IsPostgresAddress(g.db_path))
    return storage::GrantServerRole(g.db_path, server_role);
  GUGUS_ASSIGN_OR_RETURN(
      auto store, storage::OpenStore(g.db_path, storage::OpenMode::kCreateOrUpgrade));
  std::string dir = ref_dir.empty() ? ingest::DefaultRegionDataDir() : ref_dir;
  GUGUS_ASSIGN_OR_RETURN(domain::ReferenceCounts counts,
                         domain::InstallReference(*store, dir));
  fmt::print("database {} is ready (schema version {})\n",
             storage::DisplayAddress(g.db_path), storage::SchemaVersion(g.db_path));
  fmt::print(
      "reference data: {} regions (idn-area-data, ODbL), {} countries (iso-codes)\n",
      counts.regions, counts.countries);
  GUGUS_RETURN_IF_ERROR(InitAccounts(*store));
  if (!server_role.empty()) {
    GUGUS_RETURN_IF_ERROR(storage::GrantServerRole(g.db_path, server_role));
    fmt::print(
        "role {} may now read and write rows, but not change the schema or rewrite "
        "the audit trail\n",
        server_role);
  }
  return absl::OkStatus();
}

// --- agency ---
absl::Status RunAgencyAdd(const Globals& g, domain::Agency agency) {
  if (std::string problem = domain::CheckAgencyCode(agency.code); !problem.empty())
    return absl::InvalidArgumentError(problem);
  if (!domain::IsAgencyType(agency.type)) {
    return absl::InvalidArgumentError(
        fmt::format("unknown agency type '{}'; use one of: {}", agency.type,
                    fmt::join(domain::AgencyTypes(), ", ")));
  }
  if (agency.name.empty()) return absl::InvalidArgumentError("--name must not be empty");
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_RETURN_IF_ERROR(store->agencies().Add(agency));
  fmt::print("added agency {} ({})\n", agency.code, agency.name);
  return absl::OkStatus();
}

absl::Status RunAgencyList(const Globals& g, const std::string& format) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::Agency> agencies, store->agencies().List());
  if (format == "json") {
    json out = json::array();
    for (const auto& a : agencies)
      out.push_back({{"code", a.code},
                     {"name", a.name},
                     {"type", a.type},
                     {"region", a.region_code}});
    fmt::print("{}\n", out.dump(2));
  } else if (format == "csv") {
    ingest::CsvWriter w(stdout);
    w.Row(std::vector<std::string_view>{"code", "name", "type", "region"});
    for (const auto& a : agencies)
      w.Row(std::vector<std::string_view>{a.code, a.name, a.type, a.region_code});
    if (!w.Flush()) return absl::DataLossError("cannot write the output");
  } else {
    size_t width = 4;
    for (const auto& a : agencies) width = std::max(width, a.code.size());
    fmt::print("{:<{}}  {:<22} {:<8} {}\n", "CODE", width, "TYPE", "REGION", "NAME");
    for (const auto& a : agencies)
      fmt::print("{:<{}}  {:<22} {:<8} {}\n", a.code, width, a.type, a.region_code,
                 a.name);
    if (agencies.empty())
      fmt::print("(no agencies yet: add one with `gugus agency add`)\n");
  }
  return absl::OkStatus();
}

// --- import ---
class ProgressLine {
 public:
  explicit ProgressLine(std::string label)
      : label_(std::move(label)),
        tty_(isatty(STDERR_FILENO) != 0),
        start_(std::chrono::steady_clock::now()) {}
  void Update(uint64_t done, uint64_t total, int64_t rows) {
    if (!tty_) return;
    double seconds = Seconds();
    int percent = total ? static_cast<int>(100.0 * static_cast<double>(done) /
                                           static_cast<double>(total))
                        : 100;
    std::fprintf(stderr, "\r%s: %3d%%  %lld rows  %.0f rows/s   ", label_.c_str(),
                 percent, static_cast<long long>(rows),
                 seconds > 0 ? static_cast<double>(rows) / seconds : 0.0);
    shown_ = true;
  }
  void Finish() {
    if (shown_) std::fputc('\n', stderr);
  }
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
        .count();
  }

 private:
  std::string label_;
  bool tty_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
};

absl::Status RunImport(const Globals& g, const std::string& path,
                       const std::string& agency_code, const std::string& kind,
                       bool as_json) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return absl::NotFoundError(fmt::format("no such file: {}", path));
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(auto refs, domain::LoadReferenceIndexes(*store));
  domain::ImportService service(*store, refs->regions, refs->countries);
  ProgressLine progress("importing " + std::filesystem::path(path).filename().string());
  domain::ImportRequest request;
  request.path = path;
  request.agency_code = agency_code;
  if (!kind.empty()) request.kind = ingest::ParseFileKind(kind);
  request.progress = [&](uint64_t done, uint64_t total, int64_t rows) {
    progress.Update(done, total, rows);
  };
  absl::StatusOr<domain::ImportReport> report = service.Import(request);
  progress.Finish();
  if (!report.ok()) return report.status();
  const domain::ImportCounts& c = report->counts;
  // Operational facts only: counts and timings, never a value from the file.
  spdlog::info("import agency={} batch={} format={} rows={} rejected={} seconds={:.2f}",
               agency_code, report->batch_id, ingest::FormatName(report->file.format),
               c.rows, c.rejected, progress.Seconds());
  if (as_json) {
    json out = http::ImportReportJson(*report);
    out["seconds"] = progress.Seconds();
    fmt::print("{}\n", out.dump());
  } else {
    if (report->already_imported)
      fmt::print("this file was already imported as batch {}: nothing changed\n",
                 report->batch_id);
    else
      fmt::print("batch {}: {} rows read\n", report->batch_id, c.rows);
    fmt::print("  inserted {}, updated {}, unchanged {}, rejected {}, with warnings {}\n",
               c.inserted, c.updated, c.unchanged, c.rejected, c.warnings);
    if (c.rejected > 0 && !report->already_imported)
      fmt::print("  see the rejected rows: gugus rejects --batch {}\n", report->batch_id);
  }
  return absl::OkStatus();
}

// --- rejects ---
absl::Status RunRejects(const Globals& g, int64_t batch, const std::string& format) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  // CSV: the batch's own columns after the quarantine's, so a clerk can fix the
  // cells and re-import the file as it is (the extra columns are ignored).
  std::string buffer;
  int64_t current_batch = -1;
  bool write_failed = false;
  auto flush = [&] {
    if (std::fwrite(buffer.data(), 1, buffer.size(), stdout) != buffer.size())
      write_failed = true;
    buffer.clear();
  };
  GUGUS_RETURN_IF_ERROR(
      store->records().ForEachReject(batch, [&](const domain::StoredReject& r) {
        if (format == "json")
          buffer += http::Dump(http::RejectJson(r)) + "\n";
        else
          http::AppendRejectCsv(buffer, r, current_batch);
        if (buffer.size() > (1 << 16)) flush();
        return absl::OkStatus();
      }));
  flush();
  if (write_failed || std::fflush(stdout) != 0)
    return absl::DataLossError("cannot write the output");
  return absl::OkStatus();
}

// --- export records ---
// --- match ---
// A progress line for the linkage stages (pairs compared so far).
class StageLine {
 public:
  StageLine() : tty_(isatty(STDERR_FILENO) != 0) {}
  ~StageLine() {
    if (shown_) std::fputc('\n', stderr);
  }
  void Update(std::string_view stage, uint64_t done) {
    if (!tty_) return;
    auto now = std::chrono::steady_clock::now();
    if (stage == stage_ && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    if (stage != stage_ && shown_) std::fputc('\n', stderr);
    stage_ = std::string(stage);
    if (done)
      std::fprintf(stderr, "\r%s: %llu pairs   ", stage_.c_str(),
                   static_cast<unsigned long long>(done));
    else
      std::fprintf(stderr, "\r%s ...", stage_.c_str());
    shown_ = true;
  }

 private:
  bool tty_;
  bool shown_ = false;
  std::string stage_;
  std::chrono::steady_clock::time_point last_;
};

absl::Status RunMatch(domain::MatchRequest request, bool as_json) {
  StageLine line;
  request.progress = [&](std::string_view stage, uint64_t done, uint64_t) {
    line.Update(stage, done);
  };
  GUGUS_ASSIGN_OR_RETURN(domain::MatchReport r, domain::RunMatch(request));
  spdlog::info("match records={}+{} pairs={} written={} seconds={:.2f}", r.records_a,
               r.records_b, r.candidate_pairs, r.pairs_written, r.seconds_total);
  json rules = json::array();
  for (size_t i = 0; i < r.rules.size(); ++i)
    rules.push_back({{"rule", r.rules[i]}, {"pairs", r.blocking.pairs_per_rule[i]}});
  json out = {{"records_a", r.records_a},
              {"records_b", r.records_b},
              {"candidate_pairs", r.candidate_pairs},
              {"blocking_rules", rules},
              {"oversized_blocks", r.blocking.oversized_blocks},
              {"patterns", r.train.patterns},
              {"em_iterations", r.em_iterations},
              {"em_converged", r.em_converged},
              {"lambda", r.lambda},
              {"pairs_written", r.pairs_written},
              {"seconds", r.seconds_total}};
  if (!request.clusters_path.empty()) out["clusters"] = r.clusters;
  if (as_json) {
    fmt::print("{}\n", out.dump());
    return absl::OkStatus();
  }
  fmt::print("{} records{}: {} candidate pairs from {} blocking rules\n",
             r.records_a + r.records_b,
             r.records_b ? fmt::format(" ({} + {})", r.records_a, r.records_b) : "",
             r.candidate_pairs, r.rules.size());
  if (r.blocking.oversized_blocks)
    fmt::print("  {} blocks of more than max_block_size records were not expanded\n",
               r.blocking.oversized_blocks);
  fmt::print("model: {} EM iterations{}, {} comparison patterns\n", r.em_iterations,
             r.em_converged ? "" : " (not converged)", r.train.patterns);
  fmt::print("{} pairs written to {}\n", r.pairs_written, request.out_path);
  if (!request.clusters_path.empty())
    fmt::print("{} clusters written to {}\n", r.clusters, request.clusters_path);
  fmt::print("{:.2f} s\n", r.seconds_total);
  return absl::OkStatus();
}

absl::Status RunExportRecords(const Globals& g, const std::string& format) {
  if (format != "csv") return absl::InvalidArgumentError("--format must be csv");
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  ingest::CsvWriter w(stdout);
  std::vector<std::string_view> header = {"agency"};
  for (const auto& f : ingest::Fields()) header.push_back(f.key);
  w.Row(header);
  std::vector<std::string_view> row;
  GUGUS_RETURN_IF_ERROR(
      store->records().ForEachCurrentRecord([&](const domain::StoredRecord& r) {
        row.clear();
        row.push_back(r.agency_code);
        for (const auto& v : r.parsed.value) row.push_back(v);
        w.Row(row);
        return absl::OkStatus();
      }));
  if (!w.Flush()) return absl::DataLossError("cannot write the output");
  return absl::OkStatus();
}

absl::Status RunExportLinks(const Globals& g, const std::string& format) {
  if (format != "csv") return absl::InvalidArgumentError("--format must be csv");
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  ingest::CsvWriter w(stdout);
  w.Row(std::vector<std::string_view>{"agency", "record_id", "person_id"});
  GUGUS_RETURN_IF_ERROR(store->links().ForEachExportLink(
      [&](std::string_view agency, std::string_view record_id, int64_t person) {
        std::string id = std::to_string(person);
        w.Row(std::vector<std::string_view>{agency, record_id, id});
        return absl::OkStatus();
      }));
  if (!w.Flush()) return absl::DataLossError("cannot write the output");
  return absl::OkStatus();
}

// --- link and review ---
void PrintLinkReport(const domain::LinkReport& r) {
  if (r.kind == "none") {
    fmt::print("nothing new to link: {} records, {} persons\n", r.records, r.persons);
    return;
  }
  fmt::print(
      "{} run {}: {} records ({} compared against everything), {} candidate pairs\n",
      r.kind, r.run_id, r.records, r.new_records, r.candidate_pairs);
  fmt::print("{} persons ({} new, {} no longer used); {} records moved\n", r.persons,
             r.persons_created, r.persons_retired, r.records_moved);
  fmt::print("{} pairs linked; {} uncertain pairs, {} of them queued for review\n",
             r.links, r.review_pairs, r.review_items);
  fmt::print("{:.2f} s\n", r.seconds);
}

absl::Status RunLink(const Globals& g, bool full, int threads, bool as_json) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::LinkService service(*store);
  StageLine line;
  domain::LinkRequest request;
  request.full = full;
  request.threads = threads;
  request.progress = [&](std::string_view stage, uint64_t done, uint64_t) {
    line.Update(stage, done);
  };
  absl::StatusOr<domain::LinkReport> r = service.Link(request);
  // A store of legal-progress rows only has no victims to link: its cases still do.
  GUGUS_ASSIGN_OR_RETURN(domain::StoreSummary summary, store->records().Summary());
  if (!r.ok() && !(absl::IsFailedPrecondition(r.status()) && summary.source_records == 0))
    return r.status();
  // Cases and suspects after the victims: shared victims join agency cases.
  auto started = std::chrono::steady_clock::now();
  domain::JusticeService justice(*store);
  GUGUS_ASSIGN_OR_RETURN(domain::JusticeLinkReport j, justice.Link());
  double justice_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!r.ok() && j.records == 0) return r.status();
  if (r.ok())
    spdlog::info("link kind={} records={} pairs={} persons={} seconds={:.2f}", r->kind,
                 r->records, r->candidate_pairs, r->persons, r->seconds);
  spdlog::info("link cases rows={} agency_cases={} cases={} suspects={} seconds={:.2f}",
               j.records, j.agency_cases, j.cases, j.suspects, justice_seconds);
  json cases = {{"legal_rows", j.records},
                {"agency_cases", j.agency_cases},
                {"cases", j.cases},
                {"suspects", j.suspects},
                {"cited_links", j.cited_links},
                {"scored_links", j.scored_links},
                {"review_pairs", j.review},
                {"seconds", justice_seconds}};
  if (as_json) {
    json out = r.ok() ? http::LinkReportJson(*r) : json::object();
    out["justice"] = std::move(cases);
    fmt::print("{}\n", out.dump());
  } else {
    if (r.ok()) PrintLinkReport(*r);
    if (j.records > 0)
      fmt::print(
          "cases: {} legal-progress rows, {} agency cases in {} cases ({} joined by a "
          "cited number, {} by shared victims or suspects, {} pairs to review); {} "
          "suspects ({:.1f} s)\n",
          j.records, j.agency_cases, j.cases, j.cited_links, j.scored_links, j.review,
          j.suspects, justice_seconds);
  }
  return absl::OkStatus();
}

absl::Status RunReviewList(const Globals& g, int limit, bool as_json) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::ReviewItem> items,
                         store->links().ReviewQueue(limit));
  domain::LinkService service(*store);
  json out = json::array();
  for (const auto& i : items) {
    GUGUS_ASSIGN_OR_RETURN(linkage::PairExplanation e, service.Explain(i));
    if (as_json) {
      json item = http::ReviewItemJson(i);
      item["explanation"] = json::parse(linkage::ExplanationJson(e));
      out.push_back(std::move(item));
      continue;
    }
    fmt::print(
        "item {}  probability {:.3f}\n  A  {} {} (person {})\n  B  {} {} (person {})\n",
        i.id, i.probability, i.agency_a, i.record_id_a, i.person_a, i.agency_b,
        i.record_id_b, i.person_b);
    // The agreement column as wide as its longest label ("not counted: …").
    size_t w = 26;
    for (const auto& l : e.levels) w = std::max(w, l.level_label.size());
    fmt::print("     {:<14} {:<{}} {:>7}   {} | {}\n", "field", "agreement", w, "weight",
               "A", "B");
    fmt::print("     {:<14} {:<{}} {:>+7.2f}\n", "(prior)", "", w, e.prior_weight);
    for (const auto& l : e.levels)
      fmt::print("     {:<14} {:<{}} {:>+7.2f}   {} | {}\n", l.comparison, l.level_label,
                 w, l.weight + l.tf_adjustment, l.value_l, l.value_r);
    fmt::print("     {:<14} {:<{}} {:>+7.2f}   probability {:.3f}\n", "(total)", "", w,
               e.weight, e.probability);
  }
  if (as_json) {
    fmt::print("{}\n", out.dump(2));
    return absl::OkStatus();
  }
  if (items.empty())
    fmt::print("the review queue is empty\n");
  else
    fmt::print("decide with `gugus review decide ITEM same|different --by NAME`\n");
  return absl::OkStatus();
}

absl::Status RunReviewDecide(const Globals& g, int64_t item, const std::string& decision,
                             const std::string& by, const std::string& note,
                             bool as_json) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::LinkService service(*store);
  StageLine line;
  domain::LinkRequest request;
  request.progress = [&](std::string_view stage, uint64_t done, uint64_t) {
    line.Update(stage, done);
  };
  GUGUS_ASSIGN_OR_RETURN(domain::LinkReport r,
                         service.Decide(item,
                                        decision == "same" ? domain::Decision::kSame
                                                           : domain::Decision::kDifferent,
                                        by, note, request));
  if (as_json) {
    fmt::print("{}\n", http::LinkReportJson(r).dump());
  } else {
    fmt::print("item {}: recorded \"{}\" by {}\n", item, decision, by);
    PrintLinkReport(r);
  }
  return absl::OkStatus();
}

// --- records ---
absl::Status RunRecords(const Globals& g, const domain::RecordQuery& query,
                        bool as_json) {
  if (query.agency_code.empty() && query.record_id.empty() && query.nik.empty() &&
      query.name.empty()) {
    return absl::InvalidArgumentError(
        "say what to look for: --agency, --id, --nik or --name");
  }
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::StoredRecord> found,
                         store->records().FindRecords(query));
  if (as_json) {
    for (const auto& r : found) fmt::print("{}\n", http::Dump(http::RecordJson(r)));
    return absl::OkStatus();
  }
  for (const auto& r : found) {
    fmt::print("{} {}  (version {}, batch {}, line {}, {})\n", r.agency_code,
               r.parsed[ingest::Field::kRecordId], r.version, r.batch_id, r.line,
               r.imported_at);
    for (int f = 1; f < ingest::kFieldCount; ++f) {
      if (r.parsed.value[f].empty()) continue;
      fmt::print("  {:<14} {}\n", ingest::Fields()[f].key, r.parsed.value[f]);
    }
    for (const auto& w : r.parsed.warnings) fmt::print("  warning: {}\n", w.message);
  }
  if (found.empty())
    fmt::print("no records found\n");
  else if (static_cast<int>(found.size()) == query.limit)
    fmt::print("(first {} shown; narrow the search or raise --limit)\n", query.limit);
  return absl::OkStatus();
}

// --- imports (batches) and summary ---
absl::Status RunBatches(const Globals& g) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(auto batches, store->records().ListBatches());
  fmt::print("{:>5}  {:<26} {:<28} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "BATCH", "AGENCY",
             "FILE", "ROWS", "NEW", "UPDATED", "REJECTED", "WARNED");
  for (const auto& b : batches) {
    fmt::print("{:>5}  {:<26} {:<28} {:>8} {:>8} {:>8} {:>8} {:>8}\n", b.id,
               b.agency_code, b.meta.file_name.substr(0, 28), b.counts.rows,
               b.counts.inserted, b.counts.updated, b.counts.rejected, b.counts.warnings);
  }
  return absl::OkStatus();
}

absl::Status RunSummary(const Globals& g) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(domain::StoreSummary s, store->records().Summary());
  fmt::print("database:         {}\n", storage::DisplayAddress(g.db_path));
  fmt::print("regions:          {}\n", s.regions);
  fmt::print("countries:        {}\n", s.countries);
  fmt::print("agencies:         {}\n", s.agencies);
  fmt::print("imports:          {}\n", s.batches);
  fmt::print("source records:   {} ({} versions)\n", s.source_records, s.versions);
  fmt::print("quarantined rows: {}\n", s.rejects);
  return absl::OkStatus();
}

// --- generate ---
absl::Status RunGenerate(const Globals& g, synth::GeneratorOptions options,
                         const std::string& ref_dir) {
  (void)g;
  if (options.out_dir.empty()) return absl::InvalidArgumentError("--out is required");
  std::string dir = ref_dir.empty() ? ingest::DefaultRegionDataDir() : ref_dir;
  GUGUS_ASSIGN_OR_RETURN(std::vector<Region> regions,
                         ingest::LoadIdnAreaData(dir, /*include_villages=*/false));
  RegionIndex index(std::move(regions));
  ProgressLine progress("generating");
  absl::StatusOr<synth::GeneratorSummary> summary =
      synth::Generate(options, index, [&](int64_t done, int64_t total) {
        progress.Update(static_cast<uint64_t>(done), static_cast<uint64_t>(total), done);
      });
  progress.Finish();
  if (!summary.ok()) return summary.status();
  fmt::print(
      "wrote {} records of {} persons for {} agencies to {} ({} invalid on purpose)\n",
      summary->records, summary->persons, summary->agencies, options.out_dir,
      summary->invalid_records);
  if (options.legal) {
    fmt::print(
        "wrote {} legal rows ({} invalid on purpose) of {} cases ({} agency cases, {} "
        "suspects) for {} agencies to {}/legal\n",
        summary->legal_records, summary->legal_invalid_records, summary->legal_cases,
        summary->legal_agency_cases, summary->legal_suspects, summary->legal_agencies,
        options.out_dir);
  }
  return absl::OkStatus();
}

// --- demo ---
// Generates a synthetic data set, registers its agencies and imports every file:
// what `make run` does on an empty database.
absl::Status RunDemo(const Globals& g, synth::GeneratorOptions options) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(domain::StoreSummary before, store->records().Summary());
  if (before.source_records > 0) {
    return absl::FailedPreconditionError(
        "the database already holds records; the demo data set goes into an empty one");
  }
  GUGUS_ASSIGN_OR_RETURN(auto refs, domain::LoadReferenceIndexes(*store));
  GUGUS_ASSIGN_OR_RETURN(synth::GeneratorSummary generated,
                         synth::Generate(options, refs->regions));
  fmt::print("generated {} synthetic records of {} persons in {}\n", generated.records,
             generated.persons, options.out_dir);
  domain::ImportService service(*store, refs->regions, refs->countries);
  // Every agency an agencies.csv of the generator lists, with its file.
  auto import_listed = [&](const std::string& dir,
                           std::vector<domain::Agency>* added) -> absl::Status {
    GUGUS_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RowReader> agencies,
                           ingest::OpenCsv(dir + "/agencies.csv"));
    ingest::RawRow row;
    for (;;) {
      GUGUS_ASSIGN_OR_RETURN(bool more, agencies->Next(row));
      if (!more) break;
      if (row.cells.size() < 5) return absl::DataLossError("agencies.csv is damaged");
      domain::Agency agency{0, row.cells[0], row.cells[1], row.cells[2], row.cells[3]};
      if (absl::Status s = store->agencies().Add(agency);
          !s.ok() && !absl::IsAlreadyExists(s))
        return s;
      if (added != nullptr) added->push_back(agency);
      domain::ImportRequest request;
      request.path = dir + "/" + row.cells[4];
      request.agency_code = agency.code;
      GUGUS_ASSIGN_OR_RETURN(domain::ImportReport report, service.Import(request));
      fmt::print(
          "  {:<26} {:>6} rows: {:>6} accepted, {:>4} rejected, {:>5} with warnings{}\n",
          agency.code, report.counts.rows,
          report.counts.inserted + report.counts.updated + report.counts.unchanged,
          report.counts.rejected, report.counts.warnings,
          report.kind == ingest::FileKind::kLegal ? " (legal progress)" : "");
    }
    return absl::OkStatus();
  };
  std::vector<domain::Agency> demo_agencies;
  GUGUS_RETURN_IF_ERROR(import_listed(options.out_dir, &demo_agencies));
  // The cases of the demo's victims as police, prosecutors and courts record them.
  if (options.legal) GUGUS_RETURN_IF_ERROR(import_listed(options.out_dir + "/legal", nullptr));
  return AddDemoAccounts(*store, demo_agencies);
}

int Main(int argc, char** argv) {
  CLI::App app{"gugus — data system for Indonesia's anti-trafficking task forces"};
  app.require_subcommand(1);
  Globals g;
  const char* env_db = std::getenv("GUGUS_DB");
  g.db_path = env_db && *env_db ? env_db : "var/gugus.db";
  app.add_option(
         "--db", g.db_path,
         "SQLite database file, or postgresql://USER@HOST[:PORT]/DB (env GUGUS_DB)")
      ->capture_default_str();
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "log what the command does to stderr");
  app.parse_complete_callback([&] {
    auto logger = spdlog::stderr_logger_mt("gugus");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
    logger->set_level(verbose ? spdlog::level::info : spdlog::level::warn);
    spdlog::set_default_logger(logger);
  });

  absl::Status status;
  auto run = [&status](absl::Status s) { status = std::move(s); };

  std::string ref_dir, server_role;
  auto* init =
      app.add_subcommand("init", "create or upgrade the database; load reference data");
  init->add_option("--ref-dir", ref_dir, "idn-area-data data folder (default: found)");
  init->add_option("--server-role", server_role,
                   "PostgreSQL: the role the servers connect as, granted only what a "
                   "server does (run again after each upgrade)");
  init->callback([&] { run(RunInit(g, ref_dir, server_role)); });

  auto* agency = app.add_subcommand("agency", "manage agencies");
  agency->require_subcommand(1);
  domain::Agency new_agency;
  auto* agency_add = agency->add_subcommand("add", "add an agency");
  agency_add->add_option("code", new_agency.code, "agency code, e.g. POLDA-NTT")
      ->required();
  agency_add->add_option("--name", new_agency.name, "full name")->required();
  agency_add
      ->add_option("--type", new_agency.type,
                   "police, prosecutor, court, pppa_unit, social_service, "
                   "migrant_worker_agency, immigration, health, labour, "
                   "foreign_affairs, ngo, other")
      ->required();
  agency_add
      ->add_option("--region", new_agency.region_code,
                   "Kemendagri region code, or ID for national")
      ->required();
  agency_add->callback([&] { run(RunAgencyAdd(g, new_agency)); });
  std::string list_format = "table";
  auto* agency_list = agency->add_subcommand("list", "list agencies");
  agency_list->add_option("--format", list_format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  agency_list->callback([&] { run(RunAgencyList(g, list_format)); });

  std::string import_path, import_agency, import_kind;
  bool import_json = false;
  auto* import =
      app.add_subcommand("import", "import an agency's CSV, XLSX or JSON-lines file");
  import->add_option("file", import_path, "the file")->required();
  import->add_option("--agency", import_agency, "code of the submitting agency")
      ->required();
  import
      ->add_option("--kind", import_kind,
                   "victims or legal (default: recognised from the header)")
      ->check(CLI::IsMember({"victims", "legal"}));
  import->add_flag("--json", import_json, "print the result as one JSON object");
  import->callback([&] {
    run(RunImport(g, import_path, import_agency, import_kind, import_json));
});

domain::MatchRequest match_request;
std::vector<std::string> match_files;
bool match_json = false;
auto* match = app.add_subcommand(
    "match", "link two CSV files, or deduplicate one, with a settings file");
match->add_option("files", match_files, "FILE_A [FILE_B]")->required()->expected(1, 2);
match->add_option("--settings", match_request.settings_path, "linkage settings (JSON)")
    ->required();
match->add_option("--out", match_request.out_path, "pairs CSV: id_l,id_r,probability")
    ->required();
match->add_option("--clusters", match_request.clusters_path,
                  "also write id,cluster (one file only)");
match->add_option("--model", match_request.model_path,
                  "also write the fitted model (m, u, λ per level) as JSON");
match->add_option("--threshold", match_request.threshold,
                  "lowest probability written (default: the settings' link_threshold)");
match->add_option("--threads", match_request.threads, "threads (default: every core)");
match->add_flag("--json", match_json, "print the summary as one JSON object");
match->callback([&] {
  match_request.file_a = match_files[0];
  if (match_files.size() > 1) match_request.file_b = match_files[1];
  run(RunMatch(match_request, match_json));
});

int64_t reject_batch = 0;
std::string reject_format = "csv";
auto* rejects = app.add_subcommand("rejects", "show quarantined rows with their reasons");
rejects->add_option("--batch", reject_batch, "only this import batch");
rejects->add_option("--format", reject_format, "csv or json")
    ->check(CLI::IsMember({"csv", "json"}));
rejects->callback([&] { run(RunRejects(g, reject_batch, reject_format)); });

auto* export_cmd = app.add_subcommand("export", "export data");
export_cmd->require_subcommand(1);
std::string export_format = "csv";
auto* export_records =
    export_cmd->add_subcommand("records", "one row per source record (current version)");
export_records->add_option("--format", export_format, "csv")
    ->check(CLI::IsMember({"csv"}));
export_records->callback([&] { run(RunExportRecords(g, export_format)); });

auto* export_links = export_cmd->add_subcommand(
    "links", "one row per linked source record: agency,record_id,person_id");
export_links->add_option("--format", export_format, "csv")->check(CLI::IsMember({"csv"}));
export_links->callback([&] { run(RunExportLinks(g, export_format)); });
AddExchangeCommands(*export_cmd, g, run);

bool link_full = false, link_json = false;
int link_threads = 0;
auto* link = app.add_subcommand("link", "link all source records into persons");
link->add_flag("--full", link_full, "refit the model and rescore every pair");
link->add_option("--threads", link_threads, "threads (default: every core)");
link->add_flag("--json", link_json, "print the result as one JSON object");
link->callback([&] { run(RunLink(g, link_full, link_threads, link_json)); });

auto* review = app.add_subcommand("review", "pairs the model was unsure about");
review->require_subcommand(1);
int review_limit = 20;
bool review_json = false;
auto* review_list =
    review->add_subcommand("list", "the undecided pairs, most uncertain first");
review_list->add_option("--limit", review_limit, "how many")
    ->check(CLI::Range(1, 100000));
review_list->add_flag("--json", review_json, "as JSON, with each pair's explanation");
review_list->callback([&] { run(RunReviewList(g, review_limit, review_json)); });
int64_t review_item = 0;
std::string review_decision, review_by, review_note;
const char* user = std::getenv("USER");
review_by = user ? user : "";
auto* review_decide = review->add_subcommand(
    "decide", "decide a pair: the same person or different people");
review_decide->add_option("item", review_item, "review item number")->required();
review_decide->add_option("decision", review_decision, "same or different")
    ->required()
    ->check(CLI::IsMember({"same", "different"}));
review_decide->add_option("--by", review_by, "who decides (default: $USER)");
review_decide->add_option("--note", review_note, "why");
review_decide->add_flag("--json", review_json, "print the relink result as JSON");
review_decide->callback([&] {
  run(RunReviewDecide(g, review_item, review_decision, review_by, review_note,
                      review_json));
});

domain::RecordQuery query;
bool records_json = false;
auto* records = app.add_subcommand("records", "look source records up");
records->add_option("--agency", query.agency_code, "agency code");
records->add_option("--id", query.record_id, "the agency's record id");
records->add_option("--nik", query.nik, "16-digit NIK");
records->add_option("--name", query.name, "part of the name");
records->add_flag("--history", query.all_versions, "every version, not only the current");
records->add_option("--limit", query.limit, "at most this many")
    ->check(CLI::Range(1, 10000));
records->add_flag("--json", records_json, "JSON lines");
records->callback([&] { run(RunRecords(g, query, records_json)); });

auto* batches = app.add_subcommand("imports", "list import batches");
batches->callback([&] { run(RunBatches(g)); });
auto* summary = app.add_subcommand("summary", "counts of what the database holds");
summary->callback([&] { run(RunSummary(g)); });

synth::GeneratorOptions gen;
auto* generate =
    app.add_subcommand("generate", "write synthetic agency files (test data)");
generate->add_option("--agencies", gen.agencies, "number of agencies")
    ->check(CLI::Range(1, 50))
    ->capture_default_str();
generate->add_option("--persons", gen.persons, "number of persons")
    ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}))
    ->capture_default_str();
generate->add_option("--seed", gen.seed, "random seed")->capture_default_str();
generate->add_option("--invalid-share", gen.invalid_share, "share of invalid rows")
    ->check(CLI::Range(0.0, 0.5))
    ->capture_default_str();
generate->add_flag("--legal", gen.legal,
                   "also write legal-progress files (legal/: per-agency files, "
                   "agencies.csv, truth.csv, cases.csv, justice.csv)");
generate
    ->add_option("--legal-share", gen.legal_share,
                 "share of the cases a police agency could take up that get a "
                 "legal track (with --legal)")
    ->check(CLI::Range(0.0, 1.0))
    ->capture_default_str();
generate->add_option("--out", gen.out_dir, "output folder")->required();
generate->add_option("--ref-dir", ref_dir, "idn-area-data data folder (default: found)");
generate->callback([&] { run(RunGenerate(g, gen, ref_dir)); });

synth::GeneratorOptions demo;
demo.agencies = 5;
demo.persons = 2000;
demo.seed = 2026;
demo.out_dir = "var/demo";
demo.legal = true;  // cases across police, prosecutors and courts too
auto* demo_cmd = app.add_subcommand(
    "demo", "generate and import a demo data set into an empty database");
demo_cmd->add_option("--persons", demo.persons, "number of persons")
    ->check(CLI::Range(int64_t{1}, int64_t{1'000'000}))
    ->capture_default_str();
demo_cmd->add_option("--agencies", demo.agencies, "number of agencies")
    ->check(CLI::Range(1, 50))
    ->capture_default_str();
demo_cmd->add_option("--seed", demo.seed, "random seed")->capture_default_str();
demo_cmd->add_option("--out", demo.out_dir, "where the generated files go")
    ->capture_default_str();
demo_cmd->callback([&] { run(RunDemo(g, demo)); });

AddAccessCommands(app, g, run);
AddStatsCommands(app, g, run);
AddPersonCommands(app, g, run);
AddJusticeCommands(app, *export_cmd, g, run);
AddServeCommand(app, g, run);
AddBackupCommands(app, g, run);

try {
  app.parse(argc, argv);
} catch (const CLI::ParseError& e) {
  int code = app.exit(e);
  return code == 0 ? 0 : 2;
}
if (!status.ok()) {
  PrintError(status);
  return 1;
}
return 0;
}  // namespace

}  // namespace gugus
}  // namespace gugus

int main(int argc, char** argv) { return gugus::Main(argc, argv); }
