#include "ingest/field_parsing.h"

#include <fmt/format.h>

#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/nik.h"
#include "core/status.h"
#include "core/text.h"

namespace gugus::ingest::internal {

absl::Status MapColumns(const std::vector<std::string>& header,
                        std::span<const FieldSpec> fields, std::span<int> column,
                        std::vector<int>& extra) {
  std::unordered_map<std::string, size_t> by_key;
  for (size_t f = 0; f < fields.size(); ++f) {
    by_key.emplace(HeaderKey(fields[f].key), f);
    by_key.emplace(HeaderKey(fields[f].alias), f);
  }
  for (int& c : column) c = -1;
  extra.clear();
  std::vector<std::string> doubled;
  for (size_t c = 0; c < header.size(); ++c) {
    auto it = by_key.find(HeaderKey(header[c]));
    if (it == by_key.end()) {
      extra.push_back(static_cast<int>(c));
      continue;
    }
    if (column[it->second] >= 0) {
      doubled.push_back(std::string(fields[it->second].key));
      continue;
    }
    column[it->second] = static_cast<int>(c);
  }
  std::vector<std::string> missing;
  for (size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].required && column[f] < 0) {
      missing.push_back(fmt::format("{} ({})", fields[f].key, fields[f].alias));
    }
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the header lacks required column(s): ", absl::StrJoin(missing, ", ")));
  }
  if (!doubled.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("more than one column for: ", absl::StrJoin(doubled, ", ")));
  }
  return absl::OkStatus();
}

std::string_view CellAt(const RawRow& row, int column) {
  if (column < 0 || static_cast<size_t>(column) >= row.cells.size()) return {};
  return Trim(row.cells[static_cast<size_t>(column)]);
}

bool NumericAt(const RawRow& row, int column) {
  return column >= 0 && static_cast<size_t>(column) < row.numeric.size() &&
         row.numeric[static_cast<size_t>(column)];
}

std::optional<Date> ParseDateCell(const RawRow& row, int column, std::string_view key,
                                  std::vector<Issue>& issues) {
  std::string_view text = CellAt(row, column);
  if (text.empty()) return std::nullopt;
  DateParseOptions options;
  options.allow_excel_serial = NumericAt(row, column);
  absl::StatusOr<Date> date = ParseDate(text, options);
  if (date.ok()) return *date;
  if (absl::IsOutOfRange(date.status())) {
    issues.push_back(
        MakeIssue(key, "impossible", fmt::format("{} is not a real date", key)));
  } else {
    issues.push_back(
        MakeIssue(key, "unparseable",
                  fmt::format("{} is not a date in a known format (e.g. 2021-03-14, "
                              "14/03/2021, 14 Maret 2021)",
                              key)));
  }
  return std::nullopt;
}

std::optional<Date> ParseRequiredDate(const RawRow& row, int column, std::string_view key,
                                      Date today, std::vector<Issue>& reasons,
                                      std::string& out) {
  if (CellAt(row, column).empty()) {
    reasons.push_back(MakeIssue(key, "missing", fmt::format("{} is empty", key)));
    return std::nullopt;
  }
  std::optional<Date> date = ParseDateCell(row, column, key, reasons);
  if (date && *date > today) {
    reasons.push_back(MakeIssue(key, "future", fmt::format("{} is in the future", key)));
    date.reset();
  }
  if (date) out = FormatIsoDate(*date);
  return date;
}

void CheckRecordId(std::string_view text, std::string_view key,
                   absl::flat_hash_set<std::string>& seen, std::vector<Issue>& reasons,
                   std::string& out) {
  out.assign(text);
  if (text.empty()) {
    reasons.push_back(MakeIssue(key, "missing", fmt::format("{} is empty", key)));
    return;
  }
  if (!seen.emplace(AsAbsl(text)).second) {
    reasons.push_back(MakeIssue(
        key, "duplicate", fmt::format("{} already appeared earlier in this file", key)));
  }
}

std::optional<Sex> ParseSexField(std::string_view text, std::string_view key,
                                 std::vector<Issue>& warnings, std::string& out) {
  std::optional<Sex> sex = ParseSex(text);
  if (sex) {
    out.assign(SexCode(*sex));
  } else {
    warnings.push_back(
        MakeIssue(key, "unrecognised",
                  fmt::format("{} is not one of L, P, Laki-laki, Perempuan, M, F", key)));
  }
  return sex;
}

void ParsePhoneField(std::string_view text, std::string_view key,
                     std::vector<Issue>& warnings, std::string& out) {
  if (std::optional<std::string> phone = NormalizePhone(text)) {
    out.assign(*phone);
  } else {
    warnings.push_back(
        MakeIssue(key, "unrecognised", fmt::format("{} is not a phone number", key)));
  }
}

void ParseNikField(std::string_view text, std::string_view key, const NikContext& context,
                   std::vector<Issue>& warnings, std::string& out) {
  absl::StatusOr<NikInfo> nik = ParseNik(text, context.reference);
  if (!nik.ok()) {
    warnings.push_back(MakeIssue(key, "malformed", std::string(nik.status().message())));
  } else if (context.regions != nullptr && context.regions->size() > 1 &&
             context.regions->Find(nik->regency_code) == nullptr) {
    warnings.push_back(MakeIssue(key, "unknown_region",
                                 "NIK region part is not a known regency or city"));
  } else if (context.sex && nik->sex != *context.sex) {
    warnings.push_back(
        MakeIssue(key, "sex_mismatch", "NIK sex disagrees with the stated sex"));
  } else if (context.birth_date && nik->birth_date != *context.birth_date) {
    warnings.push_back(
        MakeIssue(key, "birth_date_mismatch",
                  fmt::format("NIK birth date disagrees with the stated {}",
                              context.birth_date_key)));
  } else {
    out.assign(nik->digits);
  }
}

}  // namespace gugus::ingest::internal
