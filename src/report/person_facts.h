// Person facts (a "golden record" with provenance): one value per single-valued
// field of a person, chosen from all of the person's current source records by one
// rule, with every record's value kept as its source.
//
// Fields and how a record speaks to them (values coded as integers, 0 = unknown):
//   sex          1 = L, 2 = P
//   birth_date   YYYYMMDD
//   origin       report::PackRegion of the region of origin
//   nationality  two ASCII letters of the ISO alpha-2 code, first letter high
//   nik          the 16-digit number
// A record that states no sex, birth date or origin but carries a valid NIK speaks
// with what the NIK encodes (the sex, the birth date, the regency of its first four
// digits); a region stated as a province only is narrowed to the NIK's regency when
// that lies in it. Import keeps a NIK only when it is valid, names a known regency
// and agrees with the stated sex and birth date (ingest/interchange.h), so a NIK
// never contradicts its own record. A blank nationality was read as Indonesia, the
// interchange format's default.
//
// The rule, field by field (ResolvePersonFacts):
//   1. Only records that know a value count; none → unknown.
//   2. Agreement: every record that knows it gives the same value. For the origin,
//      a coarser region containing a finer one agrees with it, and the finer wins
//      ("53" and "53.71" → 53.71).
//   3. Otherwise the records disagree (the person is listed for the secretariat),
//      and the value most records support wins (majority);
//   4. on a tie, the value the person's NIK confirms (every valid NIK among its
//      records encodes it);
//   5. then the value from the agency type most trusted for that field
//      (TrustRank: identity from the police, who check the KTP; origin from social
//      services and PPPA units, who take the victim home; nationality from
//      immigration);
//   6. then the most recent report, ties broken by a stable key of the agency code
//      and record id, never by the order records were imported in.
// Multi-valued facts (exploitation, recruitment, destination, agency) are not
// resolved: every record's values count.
//
// The age of a person is taken once: from its birth date at its earliest incident
// date (else its earliest report date); without a birth date, the age at
// exploitation of its earliest record that gives one (report/victim.h).
//
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/interchange.h"

namespace gugus::report {

enum class PersonField : int { kSex, kBirthDate, kOrigin, kNationality, kNik };
inline constexpr int kPersonFieldCount = 5;
// "sex", "birth_date", "origin_region", "nationality", "nik" (interchange keys).
std::string_view PersonFieldName(PersonField field);

enum class FactRule : int {
  kUnknown,     // no record knows it
  kAgreement,   // every record that knows it agrees
  kMajority,    // most records say so
  kNik,         // the tie broken by what the NIK encodes
  kAgencyType,  // the tie broken by the agency type most trusted for the field
  kRecent,      // the tie broken by the most recent report
};
// "unknown", "agreement", "majority", "nik", "agency_type", "recent".
std::string_view FactRuleName(FactRule rule);

// Lower is more trusted; an unknown agency type ranks after every known one.
int TrustRank(PersonField field, std::string_view agency_type);

// What one record says about its person.
struct FactWitness {
  std::array<int64_t, kPersonFieldCount> stated{};  // as the record states
  // What its valid NIK encodes: sex, birth date, origin (regency, else province);
  // 0 for nationality and nik.
  std::array<int64_t, kPersonFieldCount> from_nik{};
  std::string_view agency_type;
  int32_t report_date = 0;    // YYYYMMDD
  int32_t incident_date = 0;  // YYYYMMDD; 0 = unknown
  int16_t age = -1;           // the record's own age at exploitation; -1 = unknown
  uint64_t stable_key = 0;    // StableRecordKey(agency code, record id)

  // The value the record speaks with: the stated one, else the NIK's; an origin
  // stated as a province only is narrowed to the NIK's regency inside it.
  int64_t Value(PersonField f) const;
};

uint64_t StableRecordKey(std::string_view agency_code, std::string_view record_id);

// A value as a record speaks with it (FactWitness::Value), from what it states and
// what its NIK encodes.
int64_t SpokenValue(PersonField f, int64_t stated, int64_t from_nik);

// The witness of one parsed record (its agency's code and type given).
FactWitness WitnessOf(const ingest::ParsedRecord& record, std::string_view agency_code,
                      std::string_view agency_type);

struct FieldFact {
  int64_t value = 0;  // 0 = unknown
  FactRule rule = FactRule::kUnknown;
  bool disagreement = false;  // records knowing it give incompatible values
};

struct PersonFacts {
  std::array<FieldFact, kPersonFieldCount> fields;
  int age = -1;  // whole years at the earliest exploitation; -1 = unknown
  const FieldFact& operator[](PersonField f) const {
    return fields[static_cast<size_t>(f)];
  }
  // Bit f set when the records disagree on field f.
  uint32_t disagreements() const;
};

// Bit PersonField set for each field to resolve; the others stay unknown.
inline constexpr uint32_t kAllPersonFields = (1u << kPersonFieldCount) - 1;
constexpr uint32_t FieldBit(PersonField f) { return 1u << static_cast<int>(f); }

PersonFacts ResolvePersonFacts(std::span<const FactWitness> records,
                               uint32_t fields = kAllPersonFields);

// Values as text: "L"/"P", "1990-05-01", "53.71", "ID", the NIK; "" for 0.
std::string FactValueText(PersonField field, int64_t value);

// Coded values from text as stored in a parsed record: 0 when absent or unreadable.
int64_t SexValue(std::string_view sex);
int32_t PackIsoDate(std::string_view iso);  // "1990-05-01" → 19900501
int64_t NationalityCode(std::string_view alpha2);

}  // namespace gugus::report
