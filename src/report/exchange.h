// Data-exchange files for other anti-trafficking information systems:
//
//  - HTCDS 2.0 (IOM's Human Trafficking Case Data Standard, field list in
//    ../shared/data/standards/htcds_2.0_field_standards.csv): one row per current
//    source record, with the standard's "Field Name including Prefix" as column
//    names, its picklist "Value Names" as values, and gugus_* columns for what the
//    standard has no field for (person link, agency, record id, gugus codes). It is
//    personal data, meant for authorised case-management systems only.
//  - A CTDC-style victim-level file (the Counter Trafficking Data Collaborative's
//    k-anonymised global data set, ctdc_k_anon_2021_data_dictionary.csv): one row
//    per person with CTDC's variable names and value conventions, anonymised so that
//    every combination of quasi-identifiers occurs at least k times.
//
// docs/exchange.md documents every column and the anonymisation procedure.
//
// Pure functions over parsed values: no storage, no I/O besides the given stream.
// Thread-safe (no shared state). Errors: InvalidArgument for a k below 1,
// DataLoss when the stream fails; messages never hold personal data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/region_index.h"
#include "ingest/interchange.h"

namespace gugus::report {

// --- Person-level facts ---

// One current source record of a person, with the type of the agency that
// submitted it (domain/agency.h's AgencyTypes()). `parsed` must outlive the call.
struct PersonRecord {
  const ingest::ParsedRecord* parsed = nullptr;
  std::string agency_code;
  std::string agency_type;
};

// A person (all current records of one linked person; an unlinked record is its own
// person) resolved to one value per fact. Empty string / nullopt = unknown.
struct VictimFacts {
  int registration_year = 0;  // year of the earliest report_date; 0 when none
  // Sex, citizenship and age at exploitation are the person's facts
  // (report/person_facts.h), the values statistics count the person under.
  std::string sex;  // "L"/"P"; "" = unknown
  // Whole years on the registration date (the earliest report_date): from the
  // earliest record with a birth date or an age (the stated age is moved back by
  // the years between registration and that record's report date).
  std::optional<int> age_at_registration;
  std::optional<int> age_at_exploitation;
  std::string citizenship;  // alpha-2; "" = unknown
  // Alpha-2 of the destination (a Kemendagri region code is domestic: "ID"); the
  // majority over the records that name one; a tie: "".
  std::string country_of_exploitation;
  std::vector<std::string> exploitation;  // union of vocabulary codes, sorted
  std::vector<std::string> recruitment;   // union of vocabulary codes, sorted
  int records = 0;                        // source records
  int agencies = 0;                       // distinct submitting agencies
  std::vector<std::string> agency_types;  // distinct, sorted
};

// Records are read in report_date order (ties: as given); records without parsed
// values are skipped.
VictimFacts ResolveVictim(std::span<const PersonRecord> records);

// --- HTCDS 2.0 ---

struct HtcdsOptions {
  // Adds the direct identifiers (prs_FirstName = the full name as recorded,
  // prs_IdentityNumber = NIK, prs_MobilePhone, prs_MailingStreet = address). Off by
  // default: a receiving system needs them only to take over a case.
  bool identifiers = false;
  // Names for region codes (prs_Mailing*/hte_State/hte_City); nullptr: the codes.
  const RegionIndex* regions = nullptr;
};

// One source record as the HTCDS file shows it.
struct HtcdsSource {
  int64_t person_id = 0;  // 0: not linked yet (written as "")
  std::string_view agency_code;
  std::string_view agency_name;
  std::string_view agency_type;
  const ingest::ParsedRecord* parsed = nullptr;  // must not be null
};

// The column names, in order: gugus_person_id, gugus_agency, gugus_record_id, then
// HTCDS fields (names exactly as in the standard), then gugus_* extensions.
std::vector<std::string_view> HtcdsHeader(const HtcdsOptions& options);
// Appends the header row / one record's row (CSV, RFC 4180) to `out`.
void AppendHtcdsHeader(std::string& out, const HtcdsOptions& options);
void AppendHtcdsRow(std::string& out, const HtcdsSource& source,
                    const HtcdsOptions& options);
// Header and rows in the order given. DataLoss when `out` fails.
absl::Status WriteHtcdsCsv(std::span<const HtcdsSource> sources,
                           const HtcdsOptions& options, std::ostream& out);

// HTCDS picklist Value Names for gugus values (exposed for tests and the docs).
// "" when the standard has no value for it.
std::string_view HtcdsGender(std::string_view sex);                    // prs_Gender
std::string_view HtcdsOrganisationType(std::string_view agency_type);  // org_Type
std::string_view HtcdsExploitationType(std::string_view code);  // vic_TypeOfExploitation
std::string_view HtcdsRecruitmentMethod(
    std::string_view code);  // vic_MethodOfRecruitment

// --- CTDC ---

// CTDC's marker for missing data in case-management rows (its Lookups sheet); also
// what a suppressed quasi-identifier becomes.
inline constexpr std::string_view kCtdcMissing = "-99";

// The quasi-identifiers, in the order they are generalised (suppressed) for rows in
// classes smaller than k. majorityStatus and majorityStatusAtExploit are what stays
// of the age once ageBroad is suppressed, so they are part of every class and go
// last, together.
enum class CtdcQuasi : int {
  kAgeBroad,
  kCountryOfExploitation,
  kCitizenship,
  kYearOfRegistration,
  kGender,
  kMajorityStatus,  // with majorityStatusAtExploit
};
inline constexpr int kCtdcQuasiCount = 6;
std::string_view CtdcQuasiName(CtdcQuasi q);  // "ageBroad", …, "majorityStatus"

struct CtdcReport {
  int64_t persons = 0;  // input rows
  int64_t rows = 0;     // rows written
  int64_t dropped = 0;  // rows in a class smaller than k even with nothing left to
                        // suppress
  // Known values replaced by kCtdcMissing, per step (kMajorityStatus counts both
  // columns).
  std::array<int64_t, kCtdcQuasiCount> suppressed{};
  int64_t suppressed_total() const;
};

// The CTDC column names, in order.
std::vector<std::string_view> CtdcHeader();

// Writes one row per person, k-anonymised (k = 1: nothing is suppressed or
// dropped). Rows are sorted by their content, so that their order says nothing
// about when or where a person was recorded. InvalidArgument when k < 1; DataLoss
// when `out` fails.
absl::StatusOr<CtdcReport> WriteCtdcCsv(std::span<const VictimFacts> persons, int k,
                                        std::ostream& out);

}  // namespace gugus::report
