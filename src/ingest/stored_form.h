// The stored form of what an agency submitted: a row's raw cells and the issues found
// in it, as compact JSON arrays. Every storage backend keeps these strings as they
// are (SQLite TEXT, PostgreSQL jsonb), so the import pipeline can encode them on its
// reading thread and the writer only copies bytes.
//
// Encoding never fails: bytes that are not UTF-8 are replaced with U+FFFD (readers
// already hand over UTF-8). Decoding fails with DataLoss on text that is not what
// Encode wrote. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/interchange.h"

namespace gugus::ingest {

std::string EncodeCells(const std::vector<std::string>& cells);
absl::StatusOr<std::vector<std::string>> DecodeCells(std::string_view json);

// The raw cells of an accepted row, with every non-empty cell that is byte for byte
// its parsed value written as null: most cells are, and storing them twice would
// double what an import writes. DecodeRawCells gives back exactly the cells encoded,
// given the same header and parsed record.
std::string EncodeRawCells(const std::vector<std::string>& cells,
                           const ColumnMap& columns, const ParsedRecord& parsed);
// The same into `out` (replacing its contents, reusing its buffer).
void EncodeRawCells(const std::vector<std::string>& cells, const ColumnMap& columns,
                    const ParsedRecord& parsed, std::string& out);
absl::StatusOr<std::vector<std::string>> DecodeRawCells(
    std::string_view json, const std::vector<std::string>& header,
    const ParsedRecord& parsed);

// The stored raw cells `raw_json` paired with their column names from the stored
// header `header_json` ("column_N" for cells past its end), as every backend reads
// a row back. `parsed` is given for an accepted row, whose cells were encoded with
// EncodeRawCells; a rejected row's were encoded with EncodeCells.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ZipRawCells(
    std::string_view header_json, std::string_view raw_json,
    const ParsedRecord* parsed = nullptr);

// [{"field":…,"code":…,"message":…}, …]; "[]" for none.
std::string EncodeIssues(const std::vector<Issue>& issues);
absl::StatusOr<std::vector<Issue>> DecodeIssues(std::string_view json);

}  // namespace gugus::ingest
