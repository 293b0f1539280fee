#include "ingest/stored_form.h"

#include <nlohmann/json.hpp>

#include "core/strcat.h"
#include "core/text.h"

namespace gugus::ingest {
namespace {
using json = nlohmann::json;

absl::Status Damaged(const char* what) {
  return absl::DataLossError(std::string("stored ") + what + " are damaged");
}

// Appends `text` as a JSON string. Written out here because building an
// nlohmann::json array copies every cell before dumping it, which was a seventh of
// an import's reading thread; nlohmann still parses what this writes (the tests
// round-trip through it) and still encodes the rare cell that is not valid UTF-8.
void AppendJsonString(std::string& out, std::string_view text) {
  if (!IsValidUtf8(text)) {
    out += json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (size_t i = 0; i < text.size();) {
    // Runs that need no escaping (nearly every cell is one) are copied in one go.
    size_t run = i;
    while (run < text.size()) {
      auto c = static_cast<unsigned char>(text[run]);
      if (c < 0x20 || c == '"' || c == '\\') break;
      ++run;
    }
    out.append(text.substr(i, run - i));
    if (run == text.size()) break;
    auto c = static_cast<unsigned char>(text[run]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
    i = run + 1;
  }
  out.push_back('"');
}
}  // namespace

std::string EncodeCells(const std::vector<std::string>& cells) {
  std::string out = "[";
  for (size_t c = 0; c < cells.size(); ++c) {
    if (c) out.push_back(',');
    AppendJsonString(out, cells[c]);
  }
  out.push_back(']');
  return out;
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
  std::string out;
  EncodeRawCells(cells, columns, parsed, out);
  return out;
}

void EncodeRawCells(const std::vector<std::string>& cells, const ColumnMap& columns,
                    const ParsedRecord& parsed, std::string& out) {
  std::vector<int> field = FieldOfColumn(columns, cells.size());
  out.clear();
  out.push_back('[');
  for (size_t c = 0; c < cells.size(); ++c) {
    if (c) out.push_back(',');
    int f = field[c];
    if (f >= 0 && !cells[c].empty() && cells[c] == parsed.value[static_cast<size_t>(f)]) {
      out += "null";
    } else {
      AppendJsonString(out, cells[c]);
    }
  }
  out.push_back(']');
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

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ZipRawCells(
    std::string_view header_json, std::string_view raw_json, const ParsedRecord* parsed) {
  absl::StatusOr<std::vector<std::string>> header = DecodeCells(header_json);
  if (!header.ok()) return header.status();
  absl::StatusOr<std::vector<std::string>> raw =
      parsed ? DecodeRawCells(raw_json, *header, *parsed) : DecodeCells(raw_json);
  if (!raw.ok()) return raw.status();
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(raw->size());
  for (size_t i = 0; i < raw->size(); ++i) {
    std::string name = i < header->size() ? (*header)[i] : StrCat("column_", i + 1);
    out.emplace_back(std::move(name), std::move((*raw)[i]));
  }
  return out;
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
