// libFuzzer target: any bytes through the CSV reader. Besides crashes and sanitizer
// reports it checks the contract of reader.h: every cell valid UTF-8, rows at least
// as wide as the header, line numbers never going back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/text.h"
#include "ingest/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto reader = gugus::ingest::OpenCsvFromString(
      std::string(reinterpret_cast<const char*>(data), size));
  if (!reader.ok()) return 0;
  const auto& header = (*reader)->header();
  if (header.empty()) std::abort();
  for (const std::string& cell : header) {
    if (!gugus::IsValidUtf8(cell)) std::abort();
  }
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
  }
  if ((*reader)->bytes_read() > size) std::abort();
  return 0;
}
