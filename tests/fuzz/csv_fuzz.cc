// libFuzzer target: any bytes through the CSV reader, then through row validation
// and the stored form, as an import takes them. Besides crashes and sanitizer
// reports it checks
// - the contract of reader.h: every cell valid UTF-8, rows at least as wide as the
//   header, line numbers never going back;
// - that validating into one reused Validation (what the import does) gives exactly
//   what validating each row afresh gives;
// - that the stored form gives back exactly the cells it was made from.
// The file's own header rarely names interchange fields, so its columns are taken
// as the fields in a fixed order instead.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/country_index.h"
#include "core/region_index.h"
#include "core/text.h"
#include "ingest/interchange.h"
#include "ingest/reader.h"
#include "ingest/stored_form.h"

namespace {

using gugus::ingest::Issue;
using gugus::ingest::Validation;

bool SameIssues(const std::vector<Issue>& a, const std::vector<Issue>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].field != b[i].field || a[i].code != b[i].code ||
        a[i].message != b[i].message)
      return false;
  return true;
}

bool Same(const Validation& a, const Validation& b) {
  return a.accepted == b.accepted && a.record.value == b.record.value &&
         a.record.age == b.record.age && SameIssues(a.reasons, b.reasons) &&
         SameIssues(a.record.warnings, b.record.warnings);
}

// The interchange fields, required ones first, named in the order of the columns.
std::vector<std::string> FieldHeader(size_t width) {
  static const char* kOrder[] = {
      "record_id",   "report_date",  "name",          "nik",           "sex",
      "birth_date",  "age",          "origin_region", "phone",         "nationality",
      "destination", "exploitation", "recruitment",   "incident_date", "address",
      "suspects",    "notes",        "case_ref",      "birth_place"};
  std::vector<std::string> header;
  for (size_t c = 0; c < width; ++c)
    header.push_back(c < std::size(kOrder) ? kOrder[c] : "extra_" + std::to_string(c));
  return header;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto reader = gugus::ingest::OpenCsvFromString(
      std::string(reinterpret_cast<const char*>(data), size));
  if (!reader.ok()) return 0;
  const auto& header = (*reader)->header();
  if (header.empty()) std::abort();
  for (const std::string& cell : header) {
    if (!gugus::IsValidUtf8(cell)) std::abort();
  }
  const std::vector<std::string> fields = FieldHeader(std::max<size_t>(header.size(), 3));
  auto columns = gugus::ingest::MapHeader(fields);
  if (!columns.ok()) std::abort();
  static const gugus::RegionIndex regions;
  static const gugus::CountryIndex countries;
  gugus::ingest::RowValidator reused_validator(regions, countries,
                                               gugus::Date{2026, 1, 1});
  gugus::ingest::RowValidator fresh_validator(regions, countries,
                                              gugus::Date{2026, 1, 1});
  Validation reused;
  std::string stored;

  gugus::ingest::RawRow row;
  int64_t line = 0;
  for (;;) {
    auto more = (*reader)->Next(row);
    if (!more.ok() || !*more) break;
    if (row.cells.size() < header.size() || row.line <= line) std::abort();
    line = row.line;
    for (const std::string& cell : row.cells) {
      if (!gugus::IsValidUtf8(cell)) std::abort();
    }

    reused_validator.Validate(row, *columns, reused);
    if (!Same(reused, fresh_validator.Validate(row, *columns))) std::abort();
    if (reused.accepted) {
      gugus::ingest::EncodeRawCells(row.cells, *columns, reused.record, stored);
      auto back = gugus::ingest::DecodeRawCells(stored, fields, reused.record);
      if (!back.ok() || *back != row.cells) std::abort();
    } else {
      auto back = gugus::ingest::DecodeCells(gugus::ingest::EncodeCells(row.cells));
      if (!back.ok() || *back != row.cells) std::abort();
    }
  }
  if ((*reader)->bytes_read() > size) std::abort();
  return 0;
}
