// libFuzzer target: any bytes through the XLSX reader (libzip + pugixml), checking
// the contract of reader.h besides crashes and sanitizer reports: cells valid UTF-8,
// rows at least as wide as the header, `numeric` aligned with `cells`.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/text.h"
#include "ingest/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto reader = gugus::ingest::OpenXlsxFromString(
      std::string(reinterpret_cast<const char*>(data), size));
  if (!reader.ok()) return 0;
  const auto& header = (*reader)->header();
  if (header.empty()) std::abort();
  for (const std::string& cell : header) {
    if (!gugus::IsValidUtf8(cell)) std::abort();
  }
  gugus::ingest::RawRow row;
  for (;;) {
    auto more = (*reader)->Next(row);
    if (!more.ok() || !*more) break;
    if (row.cells.size() < header.size() || row.numeric.size() != row.cells.size()) {
      std::abort();
    }
    for (const std::string& cell : row.cells) {
      if (!gugus::IsValidUtf8(cell)) std::abort();
    }
  }
  return 0;
}
