#include "http/dto.h"

#include "core/strcat.h"
#include "ingest/csv_writer.h"
#include "ingest/reader.h"

namespace gugus::http {

using json = nlohmann::json;

json IssuesJson(const std::vector<ingest::Issue>& issues) {
  json out = json::array();
  for (const auto& i : issues)
    out.push_back({{"field", i.field}, {"code", i.code}, {"message", i.message}});
  return out;
}

json RecordJson(const domain::StoredRecord& r) {
  json parsed = json::object();
  for (int f = 0; f < ingest::kFieldCount; ++f)
    if (!r.parsed.value[f].empty())
      parsed[std::string(ingest::Fields()[f].key)] = r.parsed.value[f];
  json out = {
      {"agency", r.agency_code}, {"record_id", r.parsed[ingest::Field::kRecordId]},
      {"version", r.version},    {"batch", r.batch_id},
      {"line", r.line},          {"imported_at", r.imported_at},
      {"parsed", parsed},        {"warnings", IssuesJson(r.parsed.warnings)}};
  if (!r.raw.empty()) {
    json raw = json::object();
    for (const auto& [k, v] : r.raw) raw[k] = v;
    out["raw"] = raw;
  }
  return out;
}

json PersonFactsJson(const domain::PersonFacts& facts) {
  json fields = json::array();
  for (const domain::PersonFact& f : facts.fields) {
    json sources = json::array();
    for (const domain::FactSource& s : f.sources)
      sources.push_back({{"source_record_id", s.source_record_id},
                         {"agency", s.agency_code},
                         {"record_id", s.record_id},
                         {"value", s.value},
                         {"from_nik", s.from_nik}});
    fields.push_back({{"field", report::PersonFieldName(f.field)},
                      {"value", f.value.empty() ? json(nullptr) : json(f.value)},
                      {"rule", report::FactRuleName(f.rule)},
                      {"disagreement", f.disagreement},
                      {"sources", std::move(sources)}});
  }
  return {{"age", facts.age >= 0 ? json(facts.age) : json(nullptr)},
          {"fields", std::move(fields)}};
}

json DisagreementJson(const report::Disagreement& d, const domain::PersonDetail& person) {
  json fields = json::array();
  for (int f = 0; f < report::kPersonFieldCount; ++f)
    if (d.fields & (1u << f))
      fields.push_back(report::PersonFieldName(static_cast<report::PersonField>(f)));
  json records = json::array();
  for (const domain::PersonRecord& r : person.records) {
    domain::StoredRecord without_raw;
    without_raw.agency_code = r.record.agency_code;
    without_raw.version = r.record.version;
    without_raw.batch_id = r.record.batch_id;
    without_raw.line = r.record.line;
    without_raw.imported_at = r.record.imported_at;
    without_raw.parsed = r.record.parsed;
    json one = RecordJson(without_raw);
    one["source_record_id"] = r.source_record_id;
    records.push_back(std::move(one));
  }
  return {{"person_id", d.person},
          {"fields", std::move(fields)},
          {"facts", PersonFactsJson(person.facts)},
          {"records", std::move(records)}};
}

json RejectJson(const domain::StoredReject& r) {
  json raw = json::object();
  for (const auto& [k, v] : r.raw) raw[k] = v;
  json out = {
      {"batch", r.batch_id}, {"agency", r.agency_code},          {"file", r.file_name},
      {"line", r.line},      {"reasons", IssuesJson(r.reasons)}, {"raw", raw}};
  if (!r.text.empty()) out["text"] = r.text;
  return out;
}

namespace {

// The counts of an import, added to `out`.
json WithCounts(json out, const domain::ImportCounts& c) {
  out["rows"] = c.rows;
  out["inserted"] = c.inserted;
  out["updated"] = c.updated;
  out["unchanged"] = c.unchanged;
  out["rejected"] = c.rejected;
  out["warnings"] = c.warnings;
  out["blank"] = c.blank;
  return out;
}

}  // namespace

json BatchJson(const domain::ImportBatch& b) {
  return WithCounts({{"id", b.id},
                     {"agency", b.agency_code},
                     {"file", b.meta.file_name},
                     {"format", b.meta.format},
                     {"kind", b.meta.kind},
                     {"encoding", b.meta.encoding},
                     {"started_at", b.started_at},
                     {"finished_at", b.finished_at}},
                    b.counts);
}

json ImportReportJson(const domain::ImportReport& r) {
  json out = WithCounts({{"batch", r.batch_id},
                         {"already_imported", r.already_imported},
                         {"kind", std::string(ingest::FileKindName(r.kind))},
                         {"format", std::string(ingest::FormatName(r.file.format))},
                         {"encoding", r.file.encoding}},
                        r.counts);
  if (r.file.delimiter) out["delimiter"] = std::string(1, r.file.delimiter);
  return out;
}

json LinkReportJson(const domain::LinkReport& r) {
  return {{"kind", r.kind},
          {"run", r.run_id},
          {"records", r.records},
          {"new_records", r.new_records},
          {"candidate_pairs", r.candidate_pairs},
          {"links", r.links},
          {"persons", r.persons},
          {"persons_created", r.persons_created},
          {"persons_retired", r.persons_retired},
          {"records_moved", r.records_moved},
          {"review_pairs", r.review_pairs},
          {"review_items", r.review_items},
          {"seconds", r.seconds}};
}

json ReviewItemJson(const domain::ReviewItem& i) {
  return {
      {"item", i.id},
      {"probability", i.probability},
      {"a",
       {{"agency", i.agency_a}, {"record_id", i.record_id_a}, {"person_id", i.person_a}}},
      {"b",
       {{"agency", i.agency_b},
        {"record_id", i.record_id_b},
        {"person_id", i.person_b}}}};
}

json AgencyJson(const domain::Agency& a) {
  return {{"code", a.code},
          {"name", a.name},
          {"type", a.type},
          {"region", a.region_code},
          {"version", a.version}};
}

json UserJson(const domain::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"role", domain::RoleName(u.role)},
          {"region", u.region_code},
          {"agency", u.agency_code},
          {"disabled", u.disabled},
          {"must_change_password", u.must_change_password},
          {"version", u.version},
          {"created_at", u.created_at},
          {"updated_at", u.updated_at}};
}

json AuditEntryJson(const domain::AuditEntry& e) {
  json detail = json::parse(e.detail, nullptr, false);
  if (detail.is_discarded()) detail = e.detail;
  return {{"seq", e.seq},         {"at", e.at},         {"actor", e.actor},
          {"address", e.address}, {"action", e.action}, {"target", e.target},
          {"detail", detail},     {"hash", e.hash}};
}

json JobJson(const domain::Job& j) {
  json out = {{"id", j.id},
              {"kind", j.kind},
              {"subject", j.subject},
              {"state", domain::JobStateName(j.state)},
              {"progress",
               {{"done", j.progress.done},
                {"total", j.progress.total},
                {"items", j.progress.items}}},
              {"created_at", j.created_at},
              {"started_at", j.started_at},
              {"finished_at", j.finished_at}};
  if (j.state == domain::JobState::kDone) {
    json result = json::parse(j.result, nullptr, false);
    out["result"] = result.is_discarded() ? json(nullptr) : result;
  }
  if (!j.error.empty()) out["error"] = j.error;
  return out;
}

std::string Dump(const json& value, int indent) {
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace gugus::http

namespace gugus::http {

void AppendRejectCsv(std::string& out, const domain::StoredReject& r,
                     int64_t& current_batch) {
  auto row = [&out](const std::vector<std::string>& cells) {
    ingest::AppendCsvRow(out, std::vector<std::string_view>(cells.begin(), cells.end()));
  };
  if (r.batch_id != current_batch) {
    std::vector<std::string> header = {"batch", "agency", "file", "line", "reasons"};
    for (const auto& [k, v] : r.raw) header.push_back(k);
    row(header);
    current_batch = r.batch_id;
  }
  std::string reasons;
  for (const auto& i : r.reasons) reasons += (reasons.empty() ? "" : "; ") + i.message;
  std::vector<std::string> cells = {std::to_string(r.batch_id), r.agency_code,
                                    r.file_name, std::to_string(r.line), reasons};
  for (const auto& [k, v] : r.raw) cells.push_back(v);
  row(cells);
}

namespace {

// Interior cells first, then margins (only when asked), each in table order.
template <typename Fn>
void ForEachPublishedCell(const domain::StatsResult& result, bool totals, Fn&& fn) {
  for (int pass = 0; pass < (totals ? 2 : 1); ++pass)
    for (const auto& cell : result.table.cells)
      if (cell.interior() == (pass == 0)) fn(cell);
}

std::string CodeOf(const domain::StatsResult& r, size_t d, int v) {
  return v == report::kTotal ? "total" : r.table.values[d][v];
}

nlohmann::json Count(const std::optional<int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

}  // namespace

nlohmann::json StatsJson(const domain::StatsResult& result, bool totals) {
  nlohmann::json out;
  out["dimensions"] = nlohmann::json::array();
  for (auto d : result.table.dims) out["dimensions"].push_back(report::DimName(d));
  out["k"] = result.table.k;
  int64_t hidden = 0;
  for (const auto& c : result.table.cells) hidden += c.suppressed ? 1 : 0;
  out["suppressed_cells"] = hidden;
  auto& cells = out["cells"] = nlohmann::json::array();
  ForEachPublishedCell(result, totals, [&](const report::StatCell& c) {
    nlohmann::json cell, values, labels;
    for (size_t d = 0; d < c.key.size(); ++d) {
      std::string name(report::DimName(result.table.dims[d]));
      values[name] = CodeOf(result, d, c.key[d]);
      labels[name] = c.key[d] == report::kTotal ? "Jumlah" : result.labels[d][c.key[d]];
    }
    cell["values"] = values.is_null() ? nlohmann::json::object() : values;
    cell["labels"] = labels.is_null() ? nlohmann::json::object() : labels;
    cell["records"] = c.suppressed ? nlohmann::json() : nlohmann::json(c.records);
    cell["persons"] = c.suppressed ? nlohmann::json() : nlohmann::json(c.persons);
    cell["cases"] = c.suppressed ? nlohmann::json() : nlohmann::json(c.cases);
    cell["suppressed"] = c.suppressed;
    cells.push_back(std::move(cell));
  });
  return out;
}

void AppendStatsCsv(std::string& out, const domain::StatsResult& result, bool totals) {
  std::vector<std::string> row;
  for (auto d : result.table.dims) row.emplace_back(report::DimName(d));
  for (const char* c : {"records", "persons", "suppressed"}) row.emplace_back(c);
  ingest::AppendCsvRow(out, row);
  ForEachPublishedCell(result, totals, [&](const report::StatCell& c) {
    row.clear();
    for (size_t d = 0; d < c.key.size(); ++d) row.push_back(CodeOf(result, d, c.key[d]));
    row.push_back(c.suppressed ? "" : StrCat(c.records));
    row.push_back(c.suppressed ? "" : StrCat(c.persons));
    row.push_back(c.suppressed ? "1" : "0");
    ingest::AppendCsvRow(out, row);
  });
}

nlohmann::json ReconciliationJson(const report::Reconciliation& r) {
  nlohmann::json out;
  out["k"] = r.k;
  out["records"] = r.records;
  out["unified_persons"] = Count(r.unified_persons);
  out["sum_of_agency_counts"] = Count(r.sum_of_agency_counts);
  out["persons_at_several"] = Count(r.persons_at_several);
  auto& agencies = out["agencies"] = nlohmann::json::array();
  for (const auto& a : r.agencies) {
    nlohmann::json shared = nlohmann::json::object();
    for (size_t j = 0; j < r.agencies.size(); ++j)
      if (r.agencies[j].code != a.code) shared[r.agencies[j].code] = Count(a.shared[j]);
    agencies.push_back({{"code", a.code},
                        {"name", a.name},
                        {"type", a.type},
                        {"records", a.records},
                        {"persons", Count(a.persons)},
                        {"only_here", Count(a.only_here)},
                        {"shared", shared}});
  }
  return out;
}

}  // namespace gugus::http
