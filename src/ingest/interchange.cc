#include "ingest/interchange.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/status.h"
#include "core/strcat.h"
#include "core/text.h"
#include "core/values.h"
#include "core/vocabulary.h"
#include "ingest/field_parsing.h"

namespace gugus::ingest {
namespace {

constexpr std::array<FieldSpec, kFieldCount> kFields = {{
    {"record_id", "id_rekaman", true},
    {"report_date", "tanggal_laporan", true},
    {"name", "nama", true},
    {"case_ref", "nomor_kasus", false},
    {"nik", "nik", false},
    {"sex", "jenis_kelamin", false},
    {"birth_date", "tanggal_lahir", false},
    {"age", "umur", false},
    {"birth_place", "tempat_lahir", false},
    {"origin_region", "daerah_asal", false},
    {"address", "alamat", false},
    {"phone", "telepon", false},
    {"nationality", "kewarganegaraan", false},
    {"exploitation", "bentuk_eksploitasi", false},
    {"recruitment", "modus_perekrutan", false},
    {"destination", "tujuan", false},
    {"incident_date", "tanggal_kejadian", false},
    {"suspects", "nama_pelaku", false},
    {"notes", "keterangan", false},
}};

Issue MakeIssue(Field field, std::string_view code, std::string message) {
  return internal::MakeIssue(Spec(field).key, code, std::move(message));
}

int Column(const ColumnMap& columns, Field f) {
  return columns.column[static_cast<int>(f)];
}

std::string_view Cell(const RawRow& row, const ColumnMap& columns, Field f) {
  return internal::CellAt(row, Column(columns, f));
}

// Parses a date field; returns nullopt and appends to `issues` when present but bad.
std::optional<Date> ParseDateField(const RawRow& row, const ColumnMap& columns, Field f,
                                   std::vector<Issue>& issues) {
  return internal::ParseDateCell(row, Column(columns, f), Spec(f).key, issues);
}

// Maps a ';'-separated list of vocabulary terms to codes; unknown terms become
// "other" with a warning.
std::string ParseTerms(std::string_view text, Vocabulary vocabulary, Field f,
                       std::vector<Issue>& warnings) {
  std::vector<std::string_view> codes;
  for (absl::string_view part : absl::StrSplit(AsAbsl(text), absl::ByAnyChar(";"))) {
    std::string_view term_text = Trim(AsStd(part));
    if (term_text.empty()) continue;
    std::optional<Term> term = LookupTerm(vocabulary, term_text);
    std::string_view code = term ? term->code : std::string_view("other");
    if (!term) {
      warnings.push_back(
          MakeIssue(f, "unknown_term",
                    fmt::format("unknown {} term stored as 'other'", Spec(f).key)));
    }
    bool seen = false;
    for (std::string_view c : codes) seen = seen || c == code;
    if (!seen) codes.push_back(code);
  }
  return fmt::format("{}", fmt::join(codes, ";"));
}

}  // namespace

const std::array<FieldSpec, kFieldCount>& Fields() { return kFields; }

absl::StatusOr<ColumnMap> MapHeader(const std::vector<std::string>& header) {
  ColumnMap map;
  GUGUS_RETURN_IF_ERROR(internal::MapColumns(header, kFields, map.column, map.extra));
  return map;
}

RowValidator::RowValidator(const RegionIndex& regions, const CountryIndex& countries,
                           Date today)
    : regions_(regions), countries_(countries), today_(today) {}

std::string RowValidator::Terms(std::string_view text, Vocabulary vocabulary, Field f,
                                std::vector<Issue>& warnings) {
  std::string key = StrCat(static_cast<int>(f), ":", text);
  auto it = terms_cache_.find(key);
  if (it == terms_cache_.end()) {
    if (terms_cache_.size() >= kCacheLimit) terms_cache_.clear();
    std::vector<Issue> found;
    std::string codes = ParseTerms(text, vocabulary, f, found);
    it = terms_cache_.emplace(std::move(key), TermsResult{std::move(codes), found.size()})
             .first;
  }
  for (size_t i = 0; i < it->second.unknown; ++i)
    warnings.push_back(
        MakeIssue(f, "unknown_term",
                  fmt::format("unknown {} term stored as 'other'", Spec(f).key)));
  return it->second.codes;
}

const RegionMatch& RowValidator::ResolveRegion(std::string_view text) {
  auto it = region_cache_.find(AsAbsl(text));
  if (it != region_cache_.end()) return it->second;
  if (region_cache_.size() >= kCacheLimit) region_cache_.clear();
  return region_cache_.emplace(AsAbsl(text), regions_.Resolve(text)).first->second;
}

Validation RowValidator::Validate(const RawRow& row, const ColumnMap& columns) {
  Validation result;
  Validate(row, columns, result);
  return result;
}

void RowValidator::Validate(const RawRow& row, const ColumnMap& columns,
                            Validation& result) {
  internal::BeginValidation(row, result);
  std::vector<Issue>& reasons = result.reasons;
  ParsedRecord& rec = result.record;
  std::vector<Issue>& warnings = rec.warnings;
  rec.age.reset();

  // Required fields.
  internal::CheckRecordId(Cell(row, columns, Field::kRecordId),
                          Spec(Field::kRecordId).key, seen_ids_, reasons,
                          rec[Field::kRecordId]);
  CleanName(Cell(row, columns, Field::kName), rec[Field::kName]);
  if (rec[Field::kName].empty()) {
    reasons.push_back(MakeIssue(Field::kName, "missing", "name is empty"));
  }

  std::optional<Date> report_date = internal::ParseRequiredDate(
      row, Column(columns, Field::kReportDate), Spec(Field::kReportDate).key, today_,
      reasons, rec[Field::kReportDate]);

  std::optional<Date> birth_date =
      ParseDateField(row, columns, Field::kBirthDate, reasons);
  if (birth_date && report_date && *birth_date > *report_date) {
    reasons.push_back(
        MakeIssue(Field::kBirthDate, "after_report", "birth_date is after report_date"));
  } else if (birth_date && !report_date && *birth_date > today_) {
    reasons.push_back(
        MakeIssue(Field::kBirthDate, "future", "birth_date is in the future"));
  }
  if (birth_date) rec[Field::kBirthDate] = FormatIsoDate(*birth_date);

  if (std::string_view age_text = Cell(row, columns, Field::kAge); !age_text.empty()) {
    int age = -1;
    if (!absl::SimpleAtoi(AsAbsl(age_text), &age) || age < 0 || age > 120) {
      reasons.push_back(MakeIssue(Field::kAge, "invalid",
                                  "age is not a whole number of years from 0 to 120"));
    } else {
      rec.age = age;
      rec[Field::kAge] = std::to_string(age);
      if (birth_date && report_date) {
        int computed = AgeInYears(*birth_date, *report_date);
        if (computed < age - 1 || computed > age + 1) {
          warnings.push_back(MakeIssue(Field::kAge, "inconsistent",
                                       "age disagrees with birth_date and report_date"));
        }
      }
    }
  }

  // Optional fields: bad values warn; the raw text is kept by the caller.
  CollapseSpaces(Cell(row, columns, Field::kCaseRef), rec[Field::kCaseRef]);
  CollapseSpaces(Cell(row, columns, Field::kBirthPlace), rec[Field::kBirthPlace]);
  CollapseSpaces(Cell(row, columns, Field::kAddress), rec[Field::kAddress]);
  CollapseSpaces(Cell(row, columns, Field::kSuspects), rec[Field::kSuspects]);
  rec[Field::kNotes].assign(Cell(row, columns, Field::kNotes));

  std::optional<Sex> sex;
  if (std::string_view text = Cell(row, columns, Field::kSex); !text.empty()) {
    sex =
        internal::ParseSexField(text, Spec(Field::kSex).key, warnings, rec[Field::kSex]);
  }

  if (std::string_view text = Cell(row, columns, Field::kNik); !text.empty()) {
    internal::NikContext context{.reference = report_date.value_or(today_),
                                 .sex = sex,
                                 .birth_date = birth_date,
                                 .birth_date_key = Spec(Field::kBirthDate).key,
                                 .regions = &regions_};
    internal::ParseNikField(text, Spec(Field::kNik).key, context, warnings,
                            rec[Field::kNik]);
  }

  if (std::string_view text = Cell(row, columns, Field::kPhone); !text.empty()) {
    internal::ParsePhoneField(text, Spec(Field::kPhone).key, warnings,
                              rec[Field::kPhone]);
  }

  if (std::string_view text = Cell(row, columns, Field::kOriginRegion); !text.empty()) {
    const RegionMatch& match = ResolveRegion(text);
    if (match.kind == RegionMatch::kResolved) {
      rec[Field::kOriginRegion] = match.code;
    } else if (match.kind == RegionMatch::kAmbiguous) {
      warnings.push_back(MakeIssue(Field::kOriginRegion, "ambiguous",
                                   absl::StrCat("origin_region fits several regions: ",
                                                absl::StrJoin(match.candidates, ", "))));
    } else {
      warnings.push_back(MakeIssue(Field::kOriginRegion, "unresolved",
                                   "origin_region is not a known region code or name"));
    }
  }

  if (std::string_view text = Cell(row, columns, Field::kNationality); text.empty()) {
    rec[Field::kNationality] = "ID";
  } else if (std::optional<std::string> code = countries_.Resolve(text)) {
    rec[Field::kNationality] = *code;
  } else {
    warnings.push_back(MakeIssue(Field::kNationality, "unresolved",
                                 "nationality is not a known country"));
  }

  if (std::string_view text = Cell(row, columns, Field::kDestination); !text.empty()) {
    if (std::optional<std::string> code = countries_.Resolve(text)) {
      rec[Field::kDestination] = *code;
    } else if (const RegionMatch& match = ResolveRegion(text);
               match.kind == RegionMatch::kResolved) {
      rec[Field::kDestination] = match.code;
    } else {
      warnings.push_back(
          MakeIssue(Field::kDestination,
                    match.kind == RegionMatch::kAmbiguous ? "ambiguous" : "unresolved",
                    "destination is not a known country or a single region"));
    }
  }

  if (std::string_view text = Cell(row, columns, Field::kExploitation); !text.empty()) {
    rec[Field::kExploitation] =
        Terms(text, Vocabulary::kExploitation, Field::kExploitation, warnings);
  }
  if (std::string_view text = Cell(row, columns, Field::kRecruitment); !text.empty()) {
    rec[Field::kRecruitment] =
        Terms(text, Vocabulary::kRecruitment, Field::kRecruitment, warnings);
  }

  std::vector<Issue> incident_issues;
  if (std::optional<Date> incident =
          ParseDateField(row, columns, Field::kIncidentDate, incident_issues)) {
    rec[Field::kIncidentDate] = FormatIsoDate(*incident);
  }
  for (Issue& issue : incident_issues) warnings.push_back(std::move(issue));

  result.accepted = reasons.empty();
}

}  // namespace gugus::ingest
