#include "domain/registry/exchange_service.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "core/status.h"

namespace gugus::domain {
namespace {

using ingest::Field;

struct AgencyInfo {
  std::string name;
  std::string type;
};

absl::StatusOr<std::unordered_map<std::string, AgencyInfo>> AgencyInfos(Store& store) {
  GUGUS_ASSIGN_OR_RETURN(std::vector<Agency> agencies, store.agencies().List());
  std::unordered_map<std::string, AgencyInfo> out;
  for (Agency& a : agencies) out[a.code] = {std::move(a.name), std::move(a.type)};
  return out;
}

// The values ResolveVictim reads; names, NIKs, phones, addresses and free text are
// left behind, so that a large export holds no more than it needs.
ingest::ParsedRecord PersonLevelValues(const ingest::ParsedRecord& p) {
  ingest::ParsedRecord out;
  for (Field f : {Field::kReportDate, Field::kSex, Field::kBirthDate, Field::kNationality,
                  Field::kDestination, Field::kExploitation, Field::kRecruitment,
                  Field::kIncidentDate})
    out[f] = p[f];
  out.age = p.age;
  std::string_view nationality = ingest::Spec(Field::kNationality).key;
  for (const ingest::Issue& issue : p.warnings)
    if (issue.field == nationality) out.warnings.push_back({issue.field, issue.code, ""});
  return out;
}

}  // namespace

absl::StatusOr<HtcdsExportReport> ExportHtcds(Store& store,
                                              const HtcdsExportOptions& options,
                                              std::ostream& out) {
  GUGUS_ASSIGN_OR_RETURN(auto agencies, AgencyInfos(store));
  GUGUS_ASSIGN_OR_RETURN(std::vector<Region> regions,
                         store.reference().LoadRegions(RegionLevel::kRegency));
  RegionIndex region_index(std::move(regions));
  report::HtcdsOptions htcds;
  htcds.identifiers = options.identifiers;
  htcds.regions = &region_index;

  HtcdsExportReport result;
  std::string buffer;
  report::AppendHtcdsHeader(buffer, htcds);
  auto flush = [&]() -> absl::Status {
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    buffer.clear();
    if (!out) return absl::DataLossError("cannot write the output");
    return absl::OkStatus();
  };
  static const AgencyInfo kUnknown;
  GUGUS_RETURN_IF_ERROR(store.records().ForEachCurrentRecord([&](const StoredRecord& r) {
    auto a = agencies.find(r.agency_code);
    const AgencyInfo& agency = a == agencies.end() ? kUnknown : a->second;
    report::AppendHtcdsRow(
        buffer, {r.person_id, r.agency_code, agency.name, agency.type, &r.parsed}, htcds);
    ++result.rows;
    if (r.person_id <= 0) ++result.unlinked;
    if (buffer.size() > (1 << 16)) return flush();
    return absl::OkStatus();
  }));
  GUGUS_RETURN_IF_ERROR(flush());
  out.flush();
  if (!out) return absl::DataLossError("cannot write the output");
  return result;
}

absl::StatusOr<std::vector<report::VictimFacts>> CollectVictims(Store& store,
                                                                int64_t* records,
                                                                int64_t* unlinked) {
  GUGUS_ASSIGN_OR_RETURN(auto agencies, AgencyInfos(store));
  struct Item {
    int64_t person_id;
    int64_t order;  // unlinked records: each its own person
    report::PersonRecord record;
  };
  std::vector<ingest::ParsedRecord> values;
  std::vector<Item> items;
  int64_t unlinked_count = 0;
  GUGUS_RETURN_IF_ERROR(store.records().ForEachCurrentRecord([&](const StoredRecord& r) {
    auto a = agencies.find(r.agency_code);
    int64_t order = static_cast<int64_t>(items.size());
    items.push_back(
        {r.person_id,
         order,
         {nullptr, r.agency_code, a == agencies.end() ? "" : a->second.type}});
    values.push_back(PersonLevelValues(r.parsed));
    if (r.person_id <= 0) ++unlinked_count;
    return absl::OkStatus();
  }));
  // `values` no longer grows: point the records at their values.
  for (size_t i = 0; i < items.size(); ++i) items[i].record.parsed = &values[i];
  if (records) *records = static_cast<int64_t>(items.size());
  if (unlinked) *unlinked = unlinked_count;

  auto key = [](const Item& i) {
    return i.person_id > 0 ? std::pair<int64_t, int64_t>(i.person_id, 0)
                           : std::pair<int64_t, int64_t>(0, i.order);
  };
  std::sort(items.begin(), items.end(),
            [&](const Item& a, const Item& b) { return key(a) < key(b); });
  std::vector<report::VictimFacts> persons;
  std::vector<report::PersonRecord> group;
  for (size_t i = 0; i < items.size();) {
    size_t j = i;
    group.clear();
    while (j < items.size() && key(items[j]) == key(items[i]))
      group.push_back(items[j++].record);
    persons.push_back(report::ResolveVictim(group));
    i = j;
  }
  return persons;
}

absl::StatusOr<CtdcExportReport> ExportCtdc(Store& store, int k, std::ostream& out) {
  if (k < 1) return absl::InvalidArgumentError("k must be at least 1");
  CtdcExportReport result;
  GUGUS_ASSIGN_OR_RETURN(std::vector<report::VictimFacts> persons,
                         CollectVictims(store, &result.records, &result.unlinked));
  GUGUS_ASSIGN_OR_RETURN(result.ctdc, report::WriteCtdcCsv(persons, k, out));
  return result;
}

}  // namespace gugus::domain
