// The interchange format v1 (SPEC section 5): column mapping and row validation.
//
// MapHeader matches a file's header cells to the format's fields (English key or
// Indonesian alias, case-insensitive, ignoring spaces, '_' and '-'); columns it does
// not know are kept as extra raw values. It fails with InvalidArgument, naming the
// columns, when a required column is absent or two columns map to one field.
//
// RowValidator turns one RawRow into either an accepted ParsedRecord (perhaps with
// warnings) or a rejection with every reason, following SPEC section 5's rules. It
// remembers the record ids it has seen, so one validator serves one file; it is not
// thread-safe. The region and country indexes must outlive it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "core/country_index.h"
#include "core/date.h"
#include "core/region_index.h"
#include "core/vocabulary.h"
#include "ingest/reader.h"

namespace gugus::ingest {

enum class Field : int {
  kRecordId,
  kReportDate,
  kName,
  kCaseRef,
  kNik,
  kSex,
  kBirthDate,
  kAge,
  kBirthPlace,
  kOriginRegion,
  kAddress,
  kPhone,
  kNationality,
  kExploitation,
  kRecruitment,
  kDestination,
  kIncidentDate,
  kSuspects,
  kNotes,
};
inline constexpr int kFieldCount = 19;

struct FieldSpec {
  std::string_view key;    // "report_date"
  std::string_view alias;  // "tanggal_laporan"
  bool required;
};
const std::array<FieldSpec, kFieldCount>& Fields();
inline const FieldSpec& Spec(Field f) { return Fields()[static_cast<int>(f)]; }

struct ColumnMap {
  std::array<int, kFieldCount> column;  // index into the row, or -1 when absent
  std::vector<int> extra;               // columns that are not format fields
};
absl::StatusOr<ColumnMap> MapHeader(const std::vector<std::string>& header);

// A reason for rejecting a row or a warning on an accepted one. `code` is stable
// (for programs and translations); `message` is plain English for people and never
// repeats personal data other than the offending value's shape.
struct Issue {
  std::string field;  // format key, e.g. "birth_date"; "" for the whole row
  std::string code;   // e.g. "missing", "unparseable", "impossible", "future"
  std::string message;
};

// Values as parsed. Empty string = absent. Dates are ISO "YYYY-MM-DD"; sex "L"/"P";
// nationality an ISO alpha-2 code; origin_region a Kemendagri code; destination an
// alpha-2 code or a region code; exploitation/recruitment ';'-joined vocabulary
// codes ("other" for an unknown term, whose text stays in the raw values).
struct ParsedRecord {
  std::array<std::string, kFieldCount> value;
  std::optional<int> age;
  std::vector<Issue> warnings;

  const std::string& operator[](Field f) const { return value[static_cast<int>(f)]; }
  std::string& operator[](Field f) { return value[static_cast<int>(f)]; }
};

struct Validation {
  bool accepted = false;
  ParsedRecord record;         // meaningful when accepted
  std::vector<Issue> reasons;  // why rejected; empty when accepted
};

class RowValidator {
 public:
  // `today` is the reference for "in the future" (normally TodayInJakarta()).
  RowValidator(const RegionIndex& regions, const CountryIndex& countries, Date today);

  // Validates `row` (cells as read) mapped by `columns`. `numeric` cells (XLSX) may
  // hold Excel serial dates.
  Validation Validate(const RawRow& row, const ColumnMap& columns);
  // The same into `out`, reusing its strings' buffers: an import validates millions
  // of rows, and allocating every value afresh was a tenth of its reading thread.
  void Validate(const RawRow& row, const ColumnMap& columns, Validation& out);

 private:
  const RegionIndex& regions_;
  const CountryIndex& countries_;
  Date today_;
  absl::flat_hash_set<std::string> seen_ids_;
  // Clerks write the same few hundred region names and vocabulary lists again and
  // again: remember what each resolved to (bounded, so that a file of unique junk
  // cannot grow them).
  static constexpr size_t kCacheLimit = 16384;
  absl::flat_hash_map<std::string, RegionMatch> region_cache_;
  const RegionMatch& ResolveRegion(std::string_view text);
  struct TermsResult {
    std::string codes;  // ';'-joined vocabulary codes
    size_t unknown;     // terms stored as "other"
  };
  absl::flat_hash_map<std::string, TermsResult> terms_cache_;
  std::string Terms(std::string_view text, Vocabulary vocabulary, Field f,
                    std::vector<Issue>& warnings);
};

}  // namespace gugus::ingest
