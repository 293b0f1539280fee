// Unified counts: source records, distinct persons and distinct cases, cross-tabulated
// by any combination of dimensions, with every margin (sub-total and total).
//
// Input is a FactSet: one compact Fact per current source record, grouped by person
// (storage keeps them in that order; Tabulate sorts a copy of the order if they are
// not). The person's single-valued facts — origin, sex, age — are resolved from all
// of its records the filter's region and agency let count (report/person_facts.h),
// whatever their dates, and every record of the person counts under them: a person
// is in exactly one cell of those dimensions, under `unknown` only when none of its
// records knows the value, so their rows add up to the total. In the other
// dimensions a person is counted once in every cell where at least one of its
// records falls (a person reported by several agencies, or in several years,
// appears in several cells), and a margin counts it once: margins are distinct
// counts, not sums. Multi-valued dimensions (exploitation, recruitment) put a record
// in one cell per value.
//
// Pure computation over values; thread-safe. Errors: InvalidArgument for an unknown
// or repeated dimension, or for more combinations than kMaxCells.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/interchange.h"
#include "report/person_facts.h"

namespace gugus::report {

// A region code packed as an integer down to district level: province "32" →
// 320000, regency "32.02" → 320200, district "32.02.01" → 320201; 0 = unknown.
// Villages are packed as their district.
int32_t PackRegion(std::string_view code);
std::string UnpackRegion(int32_t packed);  // the code at the packed level; "" for 0
// Is `packed` the region `root` (also packed) or inside it? Root 0 = all Indonesia.
bool InPackedRegion(int32_t packed, int32_t root);

// One current source record as statistics read it. The values are the record's
// own; Tabulate counts a person under the facts resolved from all of them.
struct Fact {
  int64_t person = 0;         // person id; a record not linked yet is its own person
  int64_t case_key = 0;       // agency and case number hashed; 0 = no case number
  int64_t nik = 0;            // the valid NIK as a number; 0 = none
  uint64_t stable_key = 0;    // StableRecordKey(agency code, record id)
  int32_t agency = 0;         // index into FactSet::agencies
  int32_t report_date = 0;    // YYYYMMDD
  int32_t incident_date = 0;  // YYYYMMDD; 0 = unknown
  int32_t origin = 0;         // PackRegion of the stated origin; 0 = unknown
  int32_t destination = -1;   // index into FactSet::destinations; -1 = unknown
  uint32_t exploitation = 0;  // bit i = Terms(Vocabulary::kExploitation)[i]
  uint32_t recruitment = 0;   // bit i = Terms(Vocabulary::kRecruitment)[i]
  int32_t birth_date = 0;     // stated, YYYYMMDD; 0 = unknown
  int32_t nik_birth = 0;      // what the NIK encodes: birth date, regency, sex
  int32_t nik_origin = 0;
  int16_t age = -1;  // at exploitation (report/victim.h); -1 = unknown
  int8_t sex = 0;    // stated: 0 unknown, 1 L (male), 2 P (female)
  int8_t nik_sex = 0;
};

// What a fact says about its person (report/person_facts.h); nationality unknown.
FactWitness WitnessOf(const Fact& fact, std::string_view agency_type);

struct AgencyInfo {
  int64_t id = 0;
  std::string code, name, type;
  int32_t region = 0;  // PackRegion of the agency's region
};

struct FactSet {
  std::vector<Fact> facts;
  std::vector<AgencyInfo> agencies;
  std::vector<std::string> destinations;  // ISO alpha-2 codes; "ID" = domestic
};

// The fact of one source record from its parsed values. The caller sets `person`
// and `agency`; the destination comes back as its code ("ID" for a domestic region)
// for the caller to intern into FactSet::destinations.
struct RecordFact {
  Fact fact;
  std::string destination;  // "" = unknown
};
RecordFact FactOf(const ingest::ParsedRecord& record, int64_t agency_id,
                  std::string_view agency_code);

enum class Dim {
  kOriginProvince,
  kOriginRegency,
  kAgencyProvince,
  kAgencyRegency,
  kAgency,
  kAgencyType,
  kReportYear,
  kReportMonth,
  kIncidentYear,
  kSex,
  kAgeGroup,
  kChild,
  kExploitation,
  kRecruitment,
  kDestination,
};

std::span<const Dim> AllDims();
std::string_view DimName(Dim dim);  // "origin_province"
std::optional<Dim> ParseDim(std::string_view name);
// "origin_province,report_year" → dims; InvalidArgument naming an unknown or
// repeated dimension, or more than kMaxDims.
absl::StatusOr<std::vector<Dim>> ParseDims(std::string_view list);

inline constexpr size_t kMaxDims = 5;
inline constexpr int64_t kMaxCells = int64_t{1} << 24;  // interior and margins

// The value of a cell in a dimension that is not known ("unknown" in outputs).
inline constexpr std::string_view kUnknown = "unknown";

// Which facts count. Dates are YYYYMMDD (0 = open). A fact is in `region` when its
// agency's region is inside it, or (by_origin) its origin is.
struct FactFilter {
  int32_t from = 0, to = 0;  // report_date range, inclusive
  int32_t region = 0;        // packed; 0 = all Indonesia
  bool by_origin = true;
  int64_t agency_id = 0;  // > 0: only this agency's records
  bool Accepts(const Fact& fact, const AgencyInfo& agency) const;
};

// Indices of the facts `filter` accepts, grouped by person (storage keeps facts in
// person order, so this is usually one pass without sorting).
std::vector<uint32_t> PersonOrder(const FactSet& facts, const FactFilter& filter);

inline constexpr int kTotal = -1;  // a cell's key in a dimension it sums over

struct StatCell {
  std::vector<int> key;  // per dimension: index into StatTable::values[d], or kTotal
  int64_t records = 0, persons = 0, cases = 0;
  bool suppressed = false;  // published with empty counts
  bool primary = false;     // suppressed for being small itself (else to protect one)
  bool interior() const;    // no kTotal in the key
};

struct StatTable {
  std::vector<Dim> dims;
  std::vector<std::vector<std::string>> values;  // per dimension: codes, sorted
  std::vector<StatCell> cells;  // every non-empty cell of every level, sorted by key
  int k = 1;                    // suppression threshold applied (1 = none)
  // The cell with this key, or nullptr when it is empty.
  const StatCell* Find(std::span<const int> key) const;
};

// A person whose records disagree on a single-valued fact.
struct Disagreement {
  int64_t person = 0;
  uint32_t fields = 0;      // bit PersonField set where the records disagree
  int records = 0;          // the records counted (those the filter's scope accepts)
  int32_t last_report = 0;  // the latest report date among them, YYYYMMDD
};
// Persons with at least one record `filter` accepts whose records (as the filter's
// region and agency let them be seen) disagree on sex, birth date, origin or NIK,
// the most recently reported first (ties: person id).
std::vector<Disagreement> FindDisagreements(const FactSet& facts,
                                            const FactFilter& filter);

// Counts every cell of `dims` (interior and margins) over the facts `filter` accepts.
absl::StatusOr<StatTable> Tabulate(const FactSet& facts, std::span<const Dim> dims,
                                   const FactFilter& filter = {});

}  // namespace gugus::report
