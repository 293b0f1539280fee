// Field parsing shared by the validators of the interchange format's two kinds of
// file: victims (interchange.cc, SPEC section 5) and legal progress (legal.cc, SPEC
// section 8). Both must map headers, read dates, NIKs, sex and phone numbers and word
// their issues alike, so that a clerk sees one set of codes and messages. Not part of
// the public contract: only src/ingest and its tests include this.
//
// Messages never repeat a value of the row (names, NIKs, phone numbers): they name
// the field by its format key and describe what is wrong with its shape.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "core/date.h"
#include "core/region_index.h"
#include "core/values.h"
#include "ingest/interchange.h"
#include "ingest/reader.h"

namespace gugus::ingest::internal {

// Matches `header` to `fields` by English key or Indonesian alias (HeaderKey: folded,
// ignoring spaces, '_' and '-'). column[f] becomes the header index of field f or -1;
// header cells that are no field go to `extra`. InvalidArgument naming every required
// column that is absent ("record_id (id_rekaman)"), or every field with two columns.
// `column` must be as long as `fields`.
absl::Status MapColumns(const std::vector<std::string>& header,
                        std::span<const FieldSpec> fields, std::span<int> column,
                        std::vector<int>& extra);

inline Issue MakeIssue(std::string_view key, std::string_view code, std::string message) {
  return Issue{std::string(key), std::string(code), std::move(message)};
}

// Readies a reused Validation or LegalValidation for `row`, keeping its buffers:
// nothing of the row before stays in its reasons, warnings and values (the caller
// resets its own optional fields), and a row the reader found malformed gets its
// "malformed" reason.
template <typename ValidationT>
void BeginValidation(const RawRow& row, ValidationT& out) {
  out.accepted = false;
  out.reasons.clear();
  out.record.warnings.clear();
  for (std::string& value : out.record.value) value.clear();
  if (!row.problem.empty()) out.reasons.push_back(Issue{"", "malformed", row.problem});
}

// The trimmed cell at `column` ("" when the column is absent (-1) or the row short).
std::string_view CellAt(const RawRow& row, int column);
// The cell at `column` was stored as a number (XLSX).
bool NumericAt(const RawRow& row, int column);

// Parses the date at `column` (an Excel serial too when the cell is numeric). nullopt
// when empty; nullopt with an "unparseable" or "impossible" issue for field `key`
// appended to `issues` when present but bad.
std::optional<Date> ParseDateCell(const RawRow& row, int column, std::string_view key,
                                  std::vector<Issue>& issues);

// The row's own date, required: "missing" when empty, as ParseDateCell when bad, and
// "future" when after `today`, each appended to `reasons`. `out` gets the ISO date.
std::optional<Date> ParseRequiredDate(const RawRow& row, int column, std::string_view key,
                                      Date today, std::vector<Issue>& reasons,
                                      std::string& out);

// A required record id: "missing" when empty, "duplicate" when `seen` has it already
// (it is remembered); `out` gets the id.
void CheckRecordId(std::string_view text, std::string_view key,
                   absl::flat_hash_set<std::string>& seen, std::vector<Issue>& reasons,
                   std::string& out);

// Non-empty `text` as a sex: `out` "L"/"P", or an "unrecognised" warning and `out`
// left empty.
std::optional<Sex> ParseSexField(std::string_view text, std::string_view key,
                                 std::vector<Issue>& warnings, std::string& out);

// Non-empty `text` as a phone number: `out` in E.164, or an "unrecognised" warning.
void ParsePhoneField(std::string_view text, std::string_view key,
                     std::vector<Issue>& warnings, std::string& out);

// What a NIK is checked against.
struct NikContext {
  Date reference;                        // the row's date (chooses the NIK's century)
  std::optional<Sex> sex;                // the stated sex, when recognised
  std::optional<Date> birth_date;        // the stated birth date, when usable
  std::string_view birth_date_key;       // its format key, for the message
  const RegionIndex* regions = nullptr;  // checks the region part when it has data
};
// Non-empty `text` as a NIK: `out` gets its 16 digits when it is well formed and agrees
// with `context`; else one warning for `key` ("malformed", "unknown_region",
// "sex_mismatch", "birth_date_mismatch") and `out` stays empty, so that a bad NIK is
// never used for matching.
void ParseNikField(std::string_view text, std::string_view key, const NikContext& context,
                   std::vector<Issue>& warnings, std::string& out);

}  // namespace gugus::ingest::internal
