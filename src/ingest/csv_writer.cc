#include "ingest/csv_writer.h"

namespace gugus::ingest {

void AppendCsvField(std::string& out, std::string_view field, char delimiter) {
  bool quote = false;
  for (char c : field) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void AppendCsvRow(std::string& out, const std::vector<std::string_view>& fields,
                  char delimiter) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out.push_back(delimiter);
    AppendCsvField(out, fields[i], delimiter);
  }
  out.push_back('\n');
}

void CsvWriter::Row(const std::vector<std::string_view>& fields) {
  AppendCsvRow(buffer_, fields, delimiter_);
  if (buffer_.size() > (1 << 16)) Flush();
}

void AppendCsvRow(std::string& out, const std::vector<std::string>& fields,
                  char delimiter) {
  AppendCsvRow(out, std::vector<std::string_view>(fields.begin(), fields.end()), delimiter);
}

void CsvWriter::Row(const std::vector<std::string>& fields) {
  std::vector<std::string_view> views(fields.begin(), fields.end());
  Row(views);
}

bool CsvWriter::Flush() {
  if (!buffer_.empty()) {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size())
      failed_ = true;
    buffer_.clear();
  }
  if (std::fflush(out_) != 0) failed_ = true;
  return !failed_;
}

}  // namespace gugus::ingest
