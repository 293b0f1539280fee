// Tabular readers for the interchange format's file types: CSV, XLSX and JSON lines.
//
// A reader yields the header once, then one RawRow at a time, streaming: memory is
// bounded by the largest row, not the file (XLSX: by the sheet's shared strings plus
// one row; the sheet XML itself is streamed out of the zip). Every cell is valid
// UTF-8: CSV input is decoded from UTF-8 (BOM stripped) or, when not valid UTF-8,
// from Windows-1252.
//
// Errors are values: Open fails with InvalidArgument and a plain message for a file
// that is empty, binary, not of the detected type or damaged ("not a CSV, XLSX or
// JSON-lines file"); NotFound/PermissionDenied for an unreadable path. Next()
// returns false at the end; an error mid-file (e.g. a truncated zip) is returned by
// Next(). A malformed row is *not* an error: it is returned with `problem` set, so
// the caller can quarantine it and go on (an unterminated quote at the end of a CSV;
// an invalid JSON line).
//
// A reader is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gugus::ingest {

enum class FileFormat { kCsv, kXlsx, kJsonLines };
std::string_view FormatName(FileFormat format);  // "csv", "xlsx", "jsonl"

struct RawRow {
  int64_t line = 0;                // 1-based line (CSV: first physical line of the row;
                                   // XLSX: sheet row number; JSONL: line number)
  std::vector<std::string> cells;  // aligned with the header; missing cells are ""
  std::vector<bool> numeric;       // XLSX: cell i was stored as a number (dates may be
                                   // Excel serials); empty for CSV/JSONL
  std::string problem;             // non-empty when the row is malformed
  std::string text;                // the row's source text, kept only when it could
                                   // not be split into cells (an invalid JSON line),
                                   // so that quarantine loses nothing
};

struct FileInfo {
  FileFormat format = FileFormat::kCsv;
  std::string encoding;  // "utf-8", "utf-8-bom", "windows-1252" (CSV); "utf-8" else
  char delimiter = 0;    // CSV only: ',', ';' or '\t'
  uint64_t size_bytes = 0;
};

class RowReader {
 public:
  virtual ~RowReader() = default;
  virtual const FileInfo& info() const = 0;
  virtual const std::vector<std::string>& header() const = 0;
  // Reads the next row into `row`; false at end of file.
  virtual absl::StatusOr<bool> Next(RawRow& row) = 0;
  // Bytes of the input consumed so far, for progress (approximate for XLSX).
  virtual uint64_t bytes_read() const = 0;
  // Data rows skipped so far because no cell held anything but spaces and tabs
  // (blank lines, rows of bare delimiters, formatted but empty spreadsheet rows,
  // JSON objects without a value). Reported to the user, never stored.
  virtual int64_t blank_rows() const = 0;
};

// Detects the format from content (zip magic → XLSX; first non-blank byte '{' →
// JSON lines; else CSV when it is text) and opens the matching reader.
absl::StatusOr<std::unique_ptr<RowReader>> OpenTable(const std::string& path);

// Direct constructors, used by OpenTable, tests and fuzzers. The CSV one reads from
// memory too (`path` empty and `content` given), which the fuzzer uses.
absl::StatusOr<std::unique_ptr<RowReader>> OpenCsv(const std::string& path);
absl::StatusOr<std::unique_ptr<RowReader>> OpenCsvFromString(std::string content);
absl::StatusOr<std::unique_ptr<RowReader>> OpenXlsx(const std::string& path);
absl::StatusOr<std::unique_ptr<RowReader>> OpenXlsxFromString(std::string content);
absl::StatusOr<std::unique_ptr<RowReader>> OpenJsonLines(const std::string& path);

}  // namespace gugus::ingest
