#include "ingest/stored_form.h"

#include <nlohmann/json.hpp>

namespace gugus::ingest {
namespace {
using json = nlohmann::json;

absl::Status Damaged(const char* what) {
  return absl::DataLossError(std::string("stored ") + what + " are damaged");
}
}  // namespace

std::string EncodeCells(const std::vector<std::string>& cells) {
  return json(cells).dump(-1, ' ', false, json::error_handler_t::replace);
}

absl::StatusOr<std::vector<std::string>> DecodeCells(std::string_view text) {
  json array = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return Damaged("raw cells");
  std::vector<std::string> cells;
  cells.reserve(array.size());
  for (const json& cell : array) {
    if (!cell.is_string()) return Damaged("raw cells");
    cells.push_back(cell.get<std::string>());
  }
  return cells;
}

namespace {
// Field of each column (-1 for columns that are not format fields).
std::vector<int> FieldOfColumn(const ColumnMap& columns, size_t width) {
  std::vector<int> field(width, -1);
  for (int f = 0; f < kFieldCount; ++f) {
    int c = columns.column[f];
    if (c >= 0 && static_cast<size_t>(c) < width) field[static_cast<size_t>(c)] = f;
  }
  return field;
}
}  // namespace

std::string EncodeRawCells(const std::vector<std::string>& cells,
                           const ColumnMap& columns, const ParsedRecord& parsed) {
  json array = json::array();
  for (size_t c = 0; c < cells.size(); ++c) {
    int f = -1;
    for (int k = 0; k < kFieldCount && f < 0; ++k)
      if (columns.column[k] == static_cast<int>(c)) f = k;
    if (f >= 0 && !cells[c].empty() && cells[c] == parsed.value[f]) {
      array.push_back(nullptr);
    } else {
      array.push_back(cells[c]);
    }
  }
  return array.dump(-1, ' ', false, json::error_handler_t::replace);
}

absl::StatusOr<std::vector<std::string>> DecodeRawCells(
    std::string_view text, const std::vector<std::string>& header,
    const ParsedRecord& parsed) {
  json array = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return Damaged("raw cells");
  absl::StatusOr<ColumnMap> columns = MapHeader(header);
  if (!columns.ok()) return Damaged("raw cells");
  std::vector<int> field = FieldOfColumn(*columns, array.size());
  std::vector<std::string> cells;
  cells.reserve(array.size());
  for (size_t c = 0; c < array.size(); ++c) {
    if (array[c].is_string()) {
      cells.push_back(array[c].get<std::string>());
    } else if (array[c].is_null() && field[c] >= 0) {
      cells.push_back(parsed.value[static_cast<size_t>(field[c])]);
    } else {
      return Damaged("raw cells");
    }
  }
  return cells;
}

std::string EncodeIssues(const std::vector<Issue>& issues) {
  if (issues.empty()) return "[]";
  json array = json::array();
  for (const Issue& i : issues)
    array.push_back({{"field", i.field}, {"code", i.code}, {"message", i.message}});
  return array.dump(-1, ' ', false, json::error_handler_t::replace);
}

absl::StatusOr<std::vector<Issue>> DecodeIssues(std::string_view text) {
  json array = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return Damaged("issues");
  std::vector<Issue> issues;
  for (const json& i : array) {
    if (!i.is_object()) return Damaged("issues");
    issues.push_back({i.value("field", ""), i.value("code", ""), i.value("message", "")});
  }
  return issues;
}

}  // namespace gugus::ingest
