// `gugus stats`, `gugus reconcile` and `gugus report annual`: unified counts, each
// agency's count against them, and the task force's annual report. The CLI is
// trusted (it reads the whole store), but everything it prints is suppressed to k
// unless the operator asks for --k 1.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "core/status.h"
#include "domain/reporting/annual_report.h"
#include "domain/reporting/stats_service.h"
#include "http/dto.h"
#include "ingest/csv_writer.h"
#include "report/document.h"

namespace gugus {
namespace {

struct StatsOptions {
  std::string by;
  int k = report::kDefaultK;
  std::string format = "csv";
  std::string from, to, region;
  bool totals = false;
};

absl::StatusOr<domain::StatsQuery> QueryOf(const StatsOptions& o, bool need_dims) {
  domain::StatsQuery q;
  if (need_dims) {
    GUGUS_ASSIGN_OR_RETURN(q.dims, report::ParseDims(o.by));
    if (q.dims.empty())
      return absl::InvalidArgumentError("--by needs at least one dimension");
  }
  q.k = o.k;
  q.from = o.from;
  q.to = o.to;
  q.region = o.region;
  return q;
}

size_t Width(const std::string& s) {  // display columns of UTF-8 text
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void PrintTable(const std::vector<std::vector<std::string>>& rows, size_t numeric_from) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], Width(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      std::string pad(width[i] - Width(row[i]), ' ');
      line += i >= numeric_from ? pad + row[i] : row[i] + pad;
      if (i + 1 < row.size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print("{}\n", line);
  }
}

absl::Status RunStats(const Globals& g, const StatsOptions& o) {
  GUGUS_ASSIGN_OR_RETURN(auto query, QueryOf(o, true));
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::StatsService stats(*store);
  GUGUS_ASSIGN_OR_RETURN(auto result, stats.Query(query));
  if (o.format == "json") {
    fmt::print("{}\n", http::Dump(http::StatsJson(result, o.totals), 2));
    return absl::OkStatus();
  }
  if (o.format == "csv") {
    std::string out;
    http::AppendStatsCsv(out, result, o.totals);
    std::cout << out;
    return absl::OkStatus();
  }
  // table: labels for people, totals always shown.
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (auto d : result.table.dims) header.emplace_back(report::DimName(d));
  for (const char* c : {"catatan", "orang", "kasus"}) header.emplace_back(c);
  rows.push_back(header);
  const std::string hidden = fmt::format("<{}", result.table.k);
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& c : result.table.cells) {
      if (c.interior() != (pass == 0)) continue;
      std::vector<std::string> row;
      for (size_t d = 0; d < c.key.size(); ++d)
        row.push_back(c.key[d] == report::kTotal ? "Jumlah" : result.labels[d][c.key[d]]);
      for (int64_t v : {c.records, c.persons, c.cases})
        row.push_back(c.suppressed ? hidden : report::FormatCount(v));
      rows.push_back(std::move(row));
    }
  PrintTable(rows, result.table.dims.size());
  int64_t suppressed = 0;
  for (const auto& c : result.table.cells) suppressed += c.suppressed;
  if (suppressed > 0)
    fmt::print(
        "\n{} sel disembunyikan (\"{}\"): kurang dari {} orang, atau disembunyikan "
        "agar sel kecil tidak dapat dihitung dari jumlahnya.\n",
        suppressed, hidden, result.table.k);
  return absl::OkStatus();
}

absl::Status RunReconcile(const Globals& g, const StatsOptions& o) {
  GUGUS_ASSIGN_OR_RETURN(auto query, QueryOf(o, false));
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::StatsService stats(*store);
  GUGUS_ASSIGN_OR_RETURN(auto r, stats.Reconcile(query));
  if (o.format == "json") {
    fmt::print("{}\n", http::Dump(http::ReconciliationJson(r), 2));
    return absl::OkStatus();
  }
  const std::string hidden = fmt::format("<{}", r.k);
  auto show = [&](const std::optional<int64_t>& v) {
    return v ? report::FormatCount(*v) : hidden;
  };
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"instansi", "catatan", "orang", "hanya di sini"};
  for (const auto& a : r.agencies) header.push_back(a.code);
  rows.push_back(header);
  for (const auto& a : r.agencies) {
    std::vector<std::string> row = {a.code, report::FormatCount(a.records),
                                    show(a.persons), show(a.only_here)};
    for (const auto& s : a.shared) row.push_back(show(s));
    rows.push_back(std::move(row));
  }
  if (o.format == "csv") {
    std::string out;
    for (const auto& row : rows) ingest::AppendCsvRow(out, row);
    std::cout << out;
    return absl::OkStatus();
  }
  PrintTable(rows, 1);
  fmt::print(
      "\nJumlah angka tiap instansi: {}  ·  korban terpadu (tiap orang sekali): {}  ·  "
      "tercatat di lebih dari satu instansi: {}\n",
      show(r.sum_of_agency_counts), show(r.unified_persons), show(r.persons_at_several));
  return absl::OkStatus();
}

struct AnnualOptions {
  int year = 0;
  std::string region = "ID";
  std::string out;
  int k = report::kDefaultK;
};

absl::Status RunAnnual(const Globals& g, const AnnualOptions& o) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::StatsService stats(*store);
  domain::AnnualReportRequest request;
  request.year = o.year;
  request.region = o.region;
  request.k = o.k;
  GUGUS_ASSIGN_OR_RETURN(auto doc, domain::BuildAnnualReport(*store, stats, request));
  GUGUS_RETURN_IF_ERROR(report::WriteDocument(doc, o.out));
  fmt::print(stderr, "laporan tahunan {} ditulis: {}\n", o.year, o.out);
  return absl::OkStatus();
}

void AddCommonOptions(CLI::App* cmd, StatsOptions& o) {
  cmd->add_option("--k", o.k, "hide cells of fewer than k persons (1 = hide nothing)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--from", o.from, "first report date counted, YYYY-MM-DD");
  cmd->add_option("--to", o.to, "last report date counted, YYYY-MM-DD");
  cmd->add_option("--region", o.region,
                  "only records whose agency or origin lies in this region code");
}

}  // namespace

void AddStatsCommands(CLI::App& app, const Globals& g, const RunResult& run) {
  auto o = std::make_shared<StatsOptions>();
  auto* stats =
      app.add_subcommand("stats", "unified counts by dimension, small cells hidden");
  std::string dims_help = "dimensions, comma-separated:";
  for (auto d : report::AllDims()) dims_help += fmt::format(" {}", report::DimName(d));
  stats->add_option("--by", o->by, dims_help)->required();
  AddCommonOptions(stats, *o);
  stats->add_option("--format", o->format, "csv (default), json or table")
      ->check(CLI::IsMember({"csv", "json", "table"}));
  stats->add_flag("--totals", o->totals,
                  "also print the margins (dimension value 'total')");
  stats->callback([&g, o, run] { run(RunStats(g, *o)); });

  auto r = std::make_shared<StatsOptions>();
  r->format = "table";
  auto* reconcile = app.add_subcommand(
      "reconcile",
      "each agency's own count against the unified count, and their overlaps");
  AddCommonOptions(reconcile, *r);
  reconcile->add_option("--format", r->format, "table (default), csv or json")
      ->check(CLI::IsMember({"csv", "json", "table"}));
  reconcile->callback([&g, r, run] { run(RunReconcile(g, *r)); });

  auto a = std::make_shared<AnnualOptions>();
  auto* report = app.add_subcommand("report", "reports");
  report->require_subcommand(1);
  auto* annual = report->add_subcommand(
      "annual",
      "the task force's annual data report as XLSX, HTML or PDF (by --out's extension)");
  annual->add_option("--year", a->year, "reporting year")
      ->required()
      ->check(CLI::Range(1990, 2100));
  annual->add_option("--region", a->region,
                     "the task force's region code; ID = national");
  annual->add_option("--out", a->out, "FILE.xlsx, FILE.html or FILE.pdf")->required();
  annual->add_option("--k", a->k, "hide cells of fewer than k persons (default 5)")
      ->check(CLI::Range(2, 1000));
  annual->callback([&g, a, run] { run(RunAnnual(g, *a)); });
}

}  // namespace gugus
