// `gugus export htcds` and `gugus export ctdc`: data-exchange files
// (docs/exchange.md). The HTCDS file holds personal data and exists only here, on
// the command line of the machine that owns the database; each export is recorded
// in the audit trail before anything is written, so an export that cannot be
// audited does not happen.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>

#include "commands.h"
#include "core/status.h"
#include "domain/audit_log.h"
#include "domain/registry/exchange_service.h"
#include "report/suppression.h"

namespace gugus {
namespace {

namespace fs = std::filesystem;

// Runs `write` on standard output, or on a temporary file beside `path` (readable
// by its owner only: the output may be personal data) that is renamed into place
// only when complete, so a failure never leaves a partial file.
absl::Status WriteOutput(const std::string& path,
                         const std::function<absl::Status(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    GUGUS_RETURN_IF_ERROR(write(std::cout));
    std::cout.flush();
    if (!std::cout) return absl::DataLossError("cannot write the output");
    return absl::OkStatus();
  }
  fs::path target(path);
  fs::path temp = target;
  temp += fmt::format(".tmp-{}", getpid());
  std::string shown = target.filename().string();  // paths may hold personal data
  std::error_code ec;
  {
    std::ofstream file(temp, std::ios::binary | std::ios::trunc);
    if (!file) return absl::UnavailableError(fmt::format("cannot create {}", shown));
    fs::permissions(temp, fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace, ec);
    absl::Status s = ec ? absl::UnavailableError(
                              fmt::format("cannot restrict the permissions of {}", shown))
                        : write(file);
    if (s.ok()) {
      file.close();
      if (!file) s = absl::DataLossError(fmt::format("cannot write {}", shown));
    }
    if (!s.ok()) {
      file.close();
      fs::remove(temp, ec);
      return s;
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp, ec);
    return absl::UnavailableError(fmt::format("cannot write {}", shown));
  }
  return absl::OkStatus();
}

absl::Status Audit(domain::Store& store, std::string_view action, nlohmann::json detail) {
  domain::AuditLog audit(store);
  return audit.Record({CliActor(), "", std::string(action), "export", detail.dump()});
}

struct HtcdsFlags {
  std::string out;
  bool identifiers = false;
};

absl::Status RunExportHtcds(const Globals& g, const HtcdsFlags& flags) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_RETURN_IF_ERROR(Audit(*store, "export.htcds",
                              {{"identifiers", flags.identifiers},
                               {"to", flags.out.empty() ? "stdout" : "file"}}));
  domain::HtcdsExportReport report;
  GUGUS_RETURN_IF_ERROR(WriteOutput(flags.out, [&](std::ostream& out) -> absl::Status {
    GUGUS_ASSIGN_OR_RETURN(report, domain::ExportHtcds(*store, {flags.identifiers}, out));
    return absl::OkStatus();
  }));
  fmt::print(stderr, "htcds: {} source records ({} not linked yet){}\n", report.rows,
             report.unlinked, flags.identifiers ? ", with direct identifiers" : "");
  return absl::OkStatus();
}

struct CtdcFlags {
  std::string out;
  int k = report::kDefaultK;
};

absl::Status RunExportCtdc(const Globals& g, const CtdcFlags& flags) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_RETURN_IF_ERROR(
      Audit(*store, "export.ctdc",
            {{"k", flags.k}, {"to", flags.out.empty() ? "stdout" : "file"}}));
  domain::CtdcExportReport report;
  GUGUS_RETURN_IF_ERROR(WriteOutput(flags.out, [&](std::ostream& out) -> absl::Status {
    GUGUS_ASSIGN_OR_RETURN(report, domain::ExportCtdc(*store, flags.k, out));
    return absl::OkStatus();
  }));
  const report::CtdcReport& c = report.ctdc;
  std::string per_field;
  for (int q = 0; q < report::kCtdcQuasiCount; ++q) {
    if (!c.suppressed[q]) continue;
    per_field += fmt::format("{}{} {}", per_field.empty() ? "" : ", ",
                             report::CtdcQuasiName(static_cast<report::CtdcQuasi>(q)),
                             c.suppressed[q]);
  }
  fmt::print(stderr,
             "ctdc (k={}): {} persons, {} rows written, {} dropped, {} values "
             "suppressed{}\n",
             flags.k, c.persons, c.rows, c.dropped, c.suppressed_total(),
             per_field.empty() ? "" : fmt::format(" ({})", per_field));
  return absl::OkStatus();
}

}  // namespace

void AddExchangeCommands(CLI::App& export_cmd, const Globals& g, const RunResult& run) {
  auto htcds_flags = std::make_shared<HtcdsFlags>();
  auto* htcds = export_cmd.add_subcommand(
      "htcds",
      "IOM HTCDS 2.0 CSV, one row per source record with its person (personal data: "
      "for authorised case-management systems only)");
  htcds->add_option("--out", htcds_flags->out,
                    "file to write (default: standard output)");
  htcds->add_flag("--identifiers", htcds_flags->identifiers,
                  "also write name, NIK, phone and address");
  htcds->callback([&g, run, htcds_flags] { run(RunExportHtcds(g, *htcds_flags)); });

  auto ctdc_flags = std::make_shared<CtdcFlags>();
  auto* ctdc = export_cmd.add_subcommand(
      "ctdc", "CTDC-style victim-level CSV, one row per person, k-anonymised");
  ctdc->add_option("--k", ctdc_flags->k,
                   "every combination of quasi-identifiers occurs at least k times")
      ->check(CLI::Range(2, 1'000'000))
      ->capture_default_str();
  ctdc->add_option("--out", ctdc_flags->out, "file to write (default: standard output)");
  ctdc->callback([&g, run, ctdc_flags] { run(RunExportCtdc(g, *ctdc_flags)); });
}

}  // namespace gugus
