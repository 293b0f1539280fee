// `gugus persons show` and `gugus persons disagreements`: a person's facts with
// where each came from, and the persons whose records disagree — the
// secretariat's list of records to correct. The CLI is trusted: it reads the
// whole store.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "core/status.h"
#include "domain/registry/person_service.h"
#include "domain/reporting/stats_service.h"
#include "http/dto.h"
#include "ingest/csv_writer.h"

namespace gugus {
namespace {

using report::PersonField;

struct DisagreementOptions {
  std::string from, to, region, format = "table";
  int limit = 20, offset = 0;
};

struct ShowOptions {
  int64_t person_id = 0;
  bool json = false;
};

// "sex: P (majority) — POLDA-NTT/PNTT/001/2022 L, LSM-X/12 P, …"
void PrintFacts(const domain::PersonFacts& facts) {
  for (const domain::PersonFact& f : facts.fields) {
    std::string line = fmt::format(
        "  {:<13} {:<17} {}", report::PersonFieldName(f.field),
        f.value.empty() ? "-" : f.value,
        f.disagreement
            ? fmt::format("({}; records disagree)", report::FactRuleName(f.rule))
            : fmt::format("({})", report::FactRuleName(f.rule)));
    fmt::print("{}\n", line);
    for (const domain::FactSource& s : f.sources)
      fmt::print("      {}/{}: {}{}\n", s.agency_code, s.record_id, s.value,
                 s.from_nik ? " (from the NIK)" : "");
  }
  fmt::print("  {:<13} {}\n", "age", facts.age >= 0 ? std::to_string(facts.age) : "-");
}

absl::Status RunShow(const Globals& g, const ShowOptions& o) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::PersonService persons(*store);
  GUGUS_ASSIGN_OR_RETURN(domain::PersonDetail p,
                         persons.Get(domain::WholeStore(), o.person_id));
  if (o.json) {
    nlohmann::json records = nlohmann::json::array();
    for (const auto& r : p.records) records.push_back(http::RecordJson(r.record));
    fmt::print("{}\n", http::Dump({{"person_id", p.person_id},
                                   {"facts", http::PersonFactsJson(p.facts)},
                                   {"records", std::move(records)}},
                                  2));
    return absl::OkStatus();
  }
  fmt::print("person {}: {} record(s)\n", p.person_id, p.records.size());
  PrintFacts(p.facts);
  return absl::OkStatus();
}

absl::Status RunDisagreements(const Globals& g, const DisagreementOptions& o) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::StatsService stats(*store);
  domain::PersonService persons(*store);
  domain::StatsQuery q;
  q.from = o.from;
  q.to = o.to;
  q.region = o.region;
  GUGUS_ASSIGN_OR_RETURN(domain::DisagreementPage page,
                         stats.Disagreements(q, o.limit, o.offset, nullptr));
  nlohmann::json list = nlohmann::json::array();
  std::string csv;
  if (o.format == "csv")
    ingest::AppendCsvRow(
        csv, std::vector<std::string_view>{"person_id", "fields", "agency", "record_id",
                                           "report_date", "sex", "birth_date",
                                           "origin_region", "nik"});
  else if (o.format == "table")
    fmt::print("{} person(s) whose records disagree; {} shown from {}\n", page.total,
               page.persons.size(), o.offset + 1);
  for (const report::Disagreement& d : page.persons) {
    GUGUS_ASSIGN_OR_RETURN(domain::PersonDetail p,
                           persons.Get(domain::WholeStore(), d.person));
    std::string fields;
    for (int f = 0; f < report::kPersonFieldCount; ++f)
      if (d.fields & (1u << f))
        fields += fmt::format("{}{}", fields.empty() ? "" : ";",
                              report::PersonFieldName(static_cast<PersonField>(f)));
    if (o.format == "json") {
      list.push_back(http::DisagreementJson(d, p));
    } else if (o.format == "csv") {
      using ingest::Field;
      for (const domain::PersonRecord& r : p.records) {
        const ingest::ParsedRecord& v = r.record.parsed;
        ingest::AppendCsvRow(
            csv, std::vector<std::string>{
                     std::to_string(d.person), fields, r.record.agency_code, r.record_id,
                     v[Field::kReportDate], v[Field::kSex], v[Field::kBirthDate],
                     v[Field::kOriginRegion], v[Field::kNik]});
      }
    } else {
      fmt::print("\nperson {} ({} record(s)): records disagree on {}\n", d.person,
                 p.records.size(), fields);
      PrintFacts(p.facts);
    }
  }
  if (o.format == "json")
    fmt::print("{}\n",
               http::Dump({{"persons", std::move(list)}, {"total", page.total}}, 2));
  else if (o.format == "csv")
    std::cout << csv;
  return absl::OkStatus();
}

}  // namespace

void AddPersonCommands(CLI::App& app, const Globals& g, const RunResult& run) {
  auto* persons = app.add_subcommand("persons", "linked persons and their facts");
  persons->require_subcommand(1);

  auto s = std::make_shared<ShowOptions>();
  auto* show = persons->add_subcommand(
      "show", "a person's facts (sex, birth date, origin, …) with where each came from");
  show->add_option("person_id", s->person_id, "the person id of `gugus export links`")
      ->required();
  show->add_flag("--json", s->json, "print JSON with every record");
  show->callback([&g, s, run] { run(RunShow(g, *s)); });

  auto d = std::make_shared<DisagreementOptions>();
  auto* list = persons->add_subcommand(
      "disagreements",
      "persons whose records disagree on sex, birth date, origin or NIK, newest first");
  list->add_option("--from", d->from, "first report date, YYYY-MM-DD");
  list->add_option("--to", d->to, "last report date, YYYY-MM-DD");
  list->add_option("--region", d->region,
                   "only records whose agency or origin lies in this region code");
  list->add_option("--limit", d->limit, "at most this many persons (1-100, default 20)")
      ->check(CLI::Range(1, 100));
  list->add_option("--offset", d->offset, "skip this many")
      ->check(CLI::Range(0, 1000000));
  list->add_option("--format", d->format,
                   "table (default), csv (one row per record) or json")
      ->check(CLI::IsMember({"csv", "json", "table"}));
  list->callback([&g, d, run] { run(RunDisagreements(g, *d)); });
}

}  // namespace gugus
