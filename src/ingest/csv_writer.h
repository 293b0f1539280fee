// Writing CSV (RFC 4180): a field is quoted when it holds the delimiter, a quote,
// CR or LF. Values are written exactly (no formula guarding): the output is data for
// programs and for re-import, and re-import must give back the same values.
// Buffered; not thread-safe.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace gugus::ingest {

// Appends `field` to `out`, quoted when needed.
void AppendCsvField(std::string& out, std::string_view field, char delimiter = ',');
// Appends one row ending in '\n'.
void AppendCsvRow(std::string& out, const std::vector<std::string_view>& fields,
                  char delimiter = ',');
void AppendCsvRow(std::string& out, const std::vector<std::string>& fields,
                  char delimiter = ',');

class CsvWriter {
 public:
  explicit CsvWriter(FILE* out, char delimiter = ',')
      : out_(out), delimiter_(delimiter) {}
  ~CsvWriter() { Flush(); }
  void Row(const std::vector<std::string_view>& fields);
  void Row(const std::vector<std::string>& fields);
  // False when a write failed (disk full, closed pipe).
  bool Flush();

 private:
  FILE* out_;
  char delimiter_;
  std::string buffer_;
  bool failed_ = false;
};

}  // namespace gugus::ingest
