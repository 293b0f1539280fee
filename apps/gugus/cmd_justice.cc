// `gugus justice`, `gugus cases`, `gugus case show` and `gugus export cases`
// (SPEC section 8): the course of justice from the terminal, which sees every case
// (a trusted caller, as for `gugus stats`).
#include <fmt/format.h>

#include <map>
#include <memory>
#include <string>

#include "commands.h"
#include "core/status.h"
#include "domain/justice/justice_service.h"
#include "http/dto.h"
#include "http/justice_dto.h"
#include "ingest/csv_writer.h"

namespace gugus {
namespace {

using json = nlohmann::json;

absl::Status Write(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
      std::fflush(stdout) != 0)
    return absl::DataLossError("cannot write the output");
  return absl::OkStatus();
}

// What each agency would report alone, their sum (what adding up the agencies'
// spreadsheets gives), and the unified count, per year: the reason gugus links.
std::string ByAgency(const domain::JusticeModel& model,
                     domain::JusticeCountOptions options, const std::string& format) {
  std::map<std::string, int64_t> agencies;  // code → id
  for (const domain::LegalRecord& r : model.records())
    agencies[r.agency_code] = r.agency_id;
  std::vector<std::pair<std::string, std::vector<domain::JusticeRow>>> parts;
  std::map<int, domain::JusticeRow> sum;
  for (const auto& [code, id] : agencies) {
    options.agency_id = id;
    parts.emplace_back(code, model.Count(options));
    for (const domain::JusticeRow& r : parts.back().second) {
      domain::JusticeRow& t = sum[r.year];
      t.year = r.year;
      t.cases += r.cases;
      t.suspects_named += r.suspects_named;
      t.prosecuted += r.prosecuted;
      t.convicted += r.convicted;
      t.acquitted += r.acquitted;
      t.restitution_ordered += r.restitution_ordered;
      t.restitution_paid += r.restitution_paid;
    }
  }
  options.agency_id = 0;
  std::vector<domain::JusticeRow> sums;
  for (const auto& [year, r] : sum) sums.push_back(r);
  parts.emplace_back("(agencies added up)", std::move(sums));
  parts.emplace_back("(unified)", model.Count(options));
  std::string out;
  if (format == "csv") {
    out =
        "year,source,cases,suspects_named,prosecuted,convicted,acquitted,"
        "restitution_ordered,restitution_paid\n";
  } else {
    out = fmt::format("{:<6} {:<22} {:>7} {:>7} {:>10} {:>9} {:>9}\n", "year", "source",
                      "cases", "named", "prosecuted", "convicted", "acquitted");
  }
  std::map<std::pair<int, size_t>, const domain::JusticeRow*> ordered;
  for (size_t i = 0; i < parts.size(); ++i)
    for (const domain::JusticeRow& r : parts[i].second) ordered[{r.year, i}] = &r;
  for (const auto& [key, r] : ordered) {
    const std::string& source = parts[key.second].first;
    if (format == "csv") {
      out += fmt::format("{},{},{},{},{},{},{},{},{}\n", r->year, source, r->cases,
                         r->suspects_named, r->prosecuted, r->convicted, r->acquitted,
                         r->restitution_ordered, r->restitution_paid);
    } else {
      out += fmt::format("{:<6} {:<22} {:>7} {:>7} {:>10} {:>9} {:>9}\n", r->year, source,
                         r->cases, r->suspects_named, r->prosecuted, r->convicted,
                         r->acquitted);
    }
  }
  return out;
}

struct JusticeOptions {
  std::string by = "year";
  int year_start = 1;
  std::string format = "table";
};

absl::Status RunJustice(const Globals& g, const JusticeOptions& o) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::JusticeService service(*store);
  GUGUS_ASSIGN_OR_RETURN(std::shared_ptr<const domain::JusticeModel> model,
                         service.Model());
  domain::JusticeCountOptions options;
  options.by_province = o.by == "province";
  options.year_start_month = o.year_start;
  if (o.by == "agency") return Write(ByAgency(*model, options, o.format));
  std::vector<domain::JusticeRow> rows = model->Count(options);
  if (o.format == "csv") return Write(http::JusticeCsv(rows, options.by_province));
  if (o.format == "json")
    return Write(http::JusticeJson(rows, options.by_province).dump(2) + "\n");
  std::string out =
      fmt::format("{:<6}{} {:>7} {:>7} {:>10} {:>9} {:>9} {:>20} {:>20}\n",
                  o.year_start == 1 ? "year" : "year*",
                  options.by_province ? " prov" : "", "cases", "named", "prosecuted",
                  "convicted", "acquitted", "restitution ordered", "restitution paid");
  for (const domain::JusticeRow& r : rows) {
    out += fmt::format("{:<6}{} {:>7} {:>7} {:>10} {:>9} {:>9} {:>20} {:>20}\n", r.year,
                       options.by_province ? fmt::format(" {:>4}", r.province) : "",
                       r.cases, r.suspects_named, r.prosecuted, r.convicted, r.acquitted,
                       r.restitution_ordered, r.restitution_paid);
  }
  if (rows.empty())
    out += "(no cases yet: import legal-progress files, then `gugus link`)\n";
  if (o.year_start != 1)
    out += fmt::format("* years start in month {:02d}, labelled by their first year\n",
                       o.year_start);
  return Write(out);
}

struct CasesOptions {
  http::CaseFilter filter;
  std::string format = "table";
  int limit = 50;
};

absl::Status RunCases(const Globals& g, const CasesOptions& o) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::JusticeService service(*store);
  GUGUS_ASSIGN_OR_RETURN(std::shared_ptr<const domain::JusticeModel> model,
                         service.Model());
  std::vector<http::CaseSight> cases =
      http::ListCases(domain::WholeStore(), *model, o.filter);
  if (o.limit > 0 && cases.size() > static_cast<size_t>(o.limit))
    cases.resize(static_cast<size_t>(o.limit));
  if (o.format == "json") {
    json out = json::array();
    for (const http::CaseSight& c : cases)
      out.push_back(http::CaseSummaryJson(c, o.filter.today));
    return Write(out.dump(2) + "\n");
  }
  if (o.format == "csv") {
    std::string out =
        "case_id,stage,first_event,last_event,days_since_last_event,closed,p19_returns,"
        "suspects,agency_cases\n";
    for (const http::CaseSight& c : cases) {
      json j = http::CaseSummaryJson(c, o.filter.today);
      std::string refs;
      for (const auto& ac : j["agency_cases"])
        refs += fmt::format("{}{}:{}", refs.empty() ? "" : ";",
                            ac["agency"].get<std::string>(),
                            ac["case_ref"].get<std::string>());
      std::vector<std::string> cells = {
          std::to_string(c.view->id),
          c.stage ? c.stage->code : "",
          j["first_event"].get<std::string>(),
          j["last_event"].get<std::string>(),
          std::to_string(j["days_since_last_event"].get<int64_t>()),
          c.closed ? "1" : "0",
          std::to_string(c.p19_returns),
          std::to_string(j["suspects"].get<int64_t>()),
          refs};
      ingest::AppendCsvRow(out, cells);
    }
    return Write(out);
  }
  std::string out = fmt::format("{:>7}  {:<12} {:<10} {:<10} {:>5} {:>4}  {}\n", "case",
                                "stage", "first", "last", "idle", "p19", "agency cases");
  for (const http::CaseSight& c : cases) {
    std::string refs;
    for (const domain::CaseAgencyCase* ac : c.agency_cases)
      refs +=
          fmt::format("{}{} {}", refs.empty() ? "" : "; ", ac->agency_code, ac->case_ref);
    out += fmt::format("{:>7}  {:<12} {:<10} {:<10} {:>5} {:>4}  {}{}\n", c.view->id,
                       c.stage ? c.stage->code : "-", FormatIsoDate(c.first),
                       FormatIsoDate(c.last),
                       DaysFromCivil(o.filter.today) - DaysFromCivil(c.last),
                       c.p19_returns, refs, c.closed ? "  (closed)" : "");
  }
  if (cases.empty()) out += "(no cases match)\n";
  return Write(out);
}

absl::Status RunCaseShow(const Globals& g, int64_t case_id, bool as_json) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::JusticeService service(*store);
  GUGUS_ASSIGN_OR_RETURN(std::shared_ptr<const domain::JusticeModel> model,
                         service.Model());
  const domain::CaseView* view = model->Find(case_id);
  std::optional<http::CaseSight> sight;
  if (view != nullptr) sight = http::SightOf(domain::WholeStore(), *model, *view);
  if (!sight) return absl::NotFoundError(fmt::format("no case {}", case_id));
  Date today = TodayInJakarta();
  json j = http::CaseDetailJson(*sight, *model, today);
  if (as_json) return Write(j.dump(2) + "\n");
  std::string out =
      fmt::format("case {}  stage {}  {} – {}{}\n", case_id,
                  sight->stage ? sight->stage->name_id : "-", FormatIsoDate(sight->first),
                  FormatIsoDate(sight->last), sight->closed ? "  (closed)" : "");
  out += "agency cases:\n";
  for (const domain::CaseAgencyCase* ac : sight->agency_cases)
    out += fmt::format("  {:<16} {:<11} {}\n", ac->agency_code, ac->agency_type,
                       ac->case_ref);
  out += "timeline:\n";
  for (const auto& e : j["timeline"]) {
    out += fmt::format(
        "  {}  {:<16} {:<34} {}{}\n", e["date"].get<std::string>(),
        e["agency"].get<std::string>(), e["stage"]["name_id"].get<std::string>(),
        e.contains("suspect_name") ? e["suspect_name"].get<std::string>() : "",
        e.contains("verdict") ? fmt::format(" ({})", e["verdict"].get<std::string>())
                              : "");
  }
  out += "suspects:\n";
  for (const auto& s : j["suspect_list"]) {
    std::string names;
    for (const auto& n : s["names"])
      names += fmt::format("{}{}", names.empty() ? "" : " / ", n.get<std::string>());
    out += fmt::format("  {:>6}  {}\n", s["suspect_id"].get<int64_t>(), names);
  }
  out += fmt::format("victim rows: {}\n", j["victims"].size());
  const json& r = j["restitution"];
  out += fmt::format("restitution: claimed Rp {}, ordered Rp {}, paid Rp {}\n",
                     r["claimed"].get<int64_t>(), r["ordered"].get<int64_t>(),
                     r["paid"].get<int64_t>());
  return Write(out);
}

absl::Status RunExportCases(const Globals& g) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(domain::JusticeAssignment a, store->justice().LoadAssignment());
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::Agency> agencies, store->agencies().List());
  absl::flat_hash_map<int64_t, std::string> code_of;
  for (const domain::Agency& agency : agencies) code_of[agency.id] = agency.code;
  std::sort(a.agency_cases.begin(), a.agency_cases.end(),
            [&](const domain::AgencyCaseRow& x, const domain::AgencyCaseRow& y) {
              return std::tie(code_of[x.agency_id], x.ref_key) <
                     std::tie(code_of[y.agency_id], y.ref_key);
            });
  std::string out = "agency,case_ref,case_id\n";
  for (const domain::AgencyCaseRow& row : a.agency_cases)
    ingest::AppendCsvRow(out,
                         std::vector<std::string>{code_of[row.agency_id], row.case_ref,
                                                  std::to_string(row.case_id)});
  return Write(out);
}

absl::Status RunExportSuspects(const Globals& g) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(domain::JusticeAssignment a, store->justice().LoadAssignment());
  absl::flat_hash_map<int64_t, int64_t> suspect_of;
  for (const domain::SuspectLinkRow& row : a.suspect_links)
    suspect_of[row.legal_record_id] = row.suspect_id;
  std::vector<std::vector<std::string>> rows;
  GUGUS_RETURN_IF_ERROR(store->justice().ForEachLegalRecord([&](domain::LegalRecord&& r) {
    auto it = suspect_of.find(r.legal_record_id);
    if (it != suspect_of.end())
      rows.push_back({r.agency_code, r.parsed[ingest::LegalField::kRecordId],
                      std::to_string(it->second)});
    return absl::OkStatus();
  }));
  std::sort(rows.begin(), rows.end());
  std::string out = "agency,record_id,suspect_id\n";
  for (const auto& row : rows) ingest::AppendCsvRow(out, row);
  return Write(out);
}

}  // namespace

void AddJusticeCommands(CLI::App& app, CLI::App& export_cmd, const Globals& g,
                        const RunResult& run) {
  auto j = std::make_shared<JusticeOptions>();
  auto* justice =
      app.add_subcommand("justice",
                         "suspects named, prosecuted, convicted and acquitted, cases and "
                         "restitution per year (UNODC / TIP report definitions)");
  justice
      ->add_option("--by", j->by,
                   "year (default), province, or agency: what each agency would "
                   "report alone beside their sum and the unified count")
      ->check(CLI::IsMember({"year", "province", "agency"}));
  justice
      ->add_option("--year-start", j->year_start,
                   "first month of the year (04: the TIP report's April–March)")
      ->check(CLI::Range(1, 12));
  justice->add_option("--format", j->format, "table (default), csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  justice->callback([&g, j, run] { run(RunJustice(g, *j)); });

  auto c = std::make_shared<CasesOptions>();
  auto* cases = app.add_subcommand("cases", "cases across police, prosecutor and court");
  cases->add_option("--stage", c->filter.stage,
                    "only cases whose furthest stage is this");
  cases
      ->add_option("--stalled", c->filter.stalled_days,
                   "only open cases without an event for this many days")
      ->check(CLI::Range(1, 100000));
  cases->add_option("--region", c->filter.region,
                    "only cases with an agency in this region code");
  cases->add_option("--year", c->filter.year,
                    "only cases whose first event is in this year");
  cases->add_option("--limit", c->limit, "at most this many (default 50; 0: all)")
      ->check(CLI::Range(0, 10000000));
  cases->add_option("--format", c->format, "table (default), csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  cases->callback([&g, c, run] { run(RunCases(g, *c)); });

  auto* case_cmd = app.add_subcommand("case", "one case");
  case_cmd->require_subcommand(1);
  auto show_id = std::make_shared<int64_t>(0);
  auto show_json = std::make_shared<bool>(false);
  auto* show = case_cmd->add_subcommand(
      "show", "the linked agency cases, the timeline across agencies, suspects, victims");
  show->add_option("case_id", *show_id, "the case id of `gugus cases`")->required();
  show->add_flag("--json", *show_json, "print JSON");
  show->callback(
      [&g, show_id, show_json, run] { run(RunCaseShow(g, *show_id, *show_json)); });

  auto export_format = std::make_shared<std::string>("csv");
  auto* export_cases = export_cmd.add_subcommand(
      "cases", "one row per agency case: agency,case_ref,case_id");
  export_cases->add_option("--format", *export_format, "csv")
      ->check(CLI::IsMember({"csv"}));
  export_cases->callback([&g, run, export_format] { run(RunExportCases(g)); });
  auto* export_suspects =
      export_cmd.add_subcommand("suspects",
                                "one row per legal-progress row naming a suspect: "
                                "agency,record_id,suspect_id");
  export_suspects->add_option("--format", *export_format, "csv")
      ->check(CLI::IsMember({"csv"}));
  export_suspects->callback([&g, run, export_format] { run(RunExportSuspects(g)); });
}

}  // namespace gugus
