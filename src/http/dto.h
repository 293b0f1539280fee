// The JSON shapes of gugus's entities, shared by the HTTP API and the CLI's --json
// output so that both always say the same thing. Pure functions; thread-safe.
// Secrets never appear: a User's password hash is not part of its JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "domain/jobs.h"
#include "domain/registry/import_service.h"
#include "domain/registry/link_service.h"
#include "domain/registry/person_service.h"
#include "domain/reporting/stats_service.h"
#include "domain/repository.h"

namespace gugus::http {

nlohmann::json IssuesJson(const std::vector<ingest::Issue>& issues);
// {"agency","record_id","version","batch","line","imported_at","parsed":{key: value},
//  "warnings":[…], "raw":{column: cell}} ("raw" only when the record carries it).
nlohmann::json RecordJson(const domain::StoredRecord& record);
nlohmann::json RejectJson(const domain::StoredReject& reject);
// {"age": n|null, "fields": [{"field","value","rule","disagreement","sources":
// [{"source_record_id","agency","record_id","value","from_nik"}]}]}
nlohmann::json PersonFactsJson(const domain::PersonFacts& facts);
// One person of the disagreement list: its person id, the fields disagreed on,
// its facts with their sources and its records (parsed values, no raw cells).
nlohmann::json DisagreementJson(const report::Disagreement& d,
                                const domain::PersonDetail& person);
nlohmann::json BatchJson(const domain::ImportBatch& batch);
nlohmann::json ImportReportJson(const domain::ImportReport& report);
nlohmann::json LinkReportJson(const domain::LinkReport& report);
nlohmann::json ReviewItemJson(const domain::ReviewItem& item);
nlohmann::json AgencyJson(const domain::Agency& agency);
nlohmann::json UserJson(const domain::User& user);
nlohmann::json AuditEntryJson(const domain::AuditEntry& entry);
nlohmann::json JobJson(const domain::Job& job);
// {"dimensions":[…],"k":5,"suppressed_cells":N,"cells":[{"values":{dim: code},
//  "labels":{dim: label},"records":n,"persons":n,"cases":n,"suppressed":false}]}:
// the interior cells, then (with `totals`) the margins, whose totalled dimensions
// read "total". A suppressed cell has null counts.
nlohmann::json StatsJson(const domain::StatsResult& result, bool totals);
// SPEC section 7's CSV: the dimensions, then records,persons,suppressed (a
// suppressed cell has empty counts and suppressed=1); same rows as StatsJson.
void AppendStatsCsv(std::string& out, const domain::StatsResult& result, bool totals);
// {"k","records","unified_persons","sum_of_agency_counts","persons_at_several",
//  "agencies":[{"code","name","type","records","persons","only_here",
//  "shared":{code: n}}]}; a withheld count is null.
nlohmann::json ReconciliationJson(const report::Reconciliation& r);

// Dumps with invalid UTF-8 replaced (stored raw cells may hold anything).
std::string Dump(const nlohmann::json& value, int indent = -1);

}  // namespace gugus::http

namespace gugus::http {

// Rejected rows as CSV for a clerk to correct and re-import: the quarantine's
// columns (batch, agency, file, line, reasons) then the batch's own columns. A new
// header row starts each batch. Appends to `out`; `current_batch` carries state
// between calls (start with -1).
void AppendRejectCsv(std::string& out, const domain::StoredReject& reject,
                     int64_t& current_batch);

}  // namespace gugus::http
