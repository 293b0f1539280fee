// Private to the document writers (document*.cc): the atomic file write they all go
// through, and the number formatting and chart scale that HTML and PDF must agree on,
// so that a figure reads the same on screen, on paper and in the spreadsheet's cells.
//
// Errors: the write functions answer Unavailable naming only the base name of the
// path (a full path would disclose the server's layout to whoever sees the error) and
// leave neither a partial target nor a temporary file behind. Thread-safe: pure
// functions, and each write touches only its own temporary file.
#pragma once

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "core/files.h"
#include "report/document.h"

namespace gugus::report::internal {

// The atomic writes and their errors (core/files.h), as the writers name them.
using ::gugus::BaseName;
using ::gugus::WriteBytesAtomically;
using ::gugus::WriteError;
using ::gugus::WriteFileAtomically;

// Indonesian digit grouping and decimal comma: 12345 → "12.345", 12.5 → "12,5",
// at most `max_decimals` decimals and no trailing zeros. "" for NaN or infinity.
std::string FormatNumberId(double value, int max_decimals = 1);

// Invalid UTF-8 sequences become U+FFFD: XML parsers and Pango reject or mangle
// them, and a document must never fail to render over one bad byte.
std::string ValidUtf8(std::string_view text);

// A value a chart can draw: present and finite.
bool Drawable(const std::optional<double>& value);

// A round value axis for a chart: from `lo` to `hi` in steps of 1, 2 or 5 × 10^k,
// covering zero and every drawable value with 2 to 6 gridlines.
struct AxisScale {
  double lo = 0;
  double hi = 1;
  double step = 1;
  // Gridline i of 0..Intervals(), computed rather than accumulated so that rounding
  // never adds or drops the last line.
  int Intervals() const { return static_cast<int>(std::lround((hi - lo) / step)); }
  double Tick(int i) const { return lo + step * i; }
};
AxisScale ComputeAxisScale(const DocChart& chart);

// A colour-blind safe palette dark enough for text-level contrast on white, shared so
// that series keep their colours across formats. RGB as 0xRRGGBB.
inline constexpr unsigned kSeriesColors[] = {0x1F5F8B, 0xB8500F, 0x2E7D32,
                                             0x6A3D9A, 0x8C564B, 0x4D4D4D};
inline unsigned SeriesColor(size_t index) {
  return kSeriesColors[index % (sizeof(kSeriesColors) / sizeof(kSeriesColors[0]))];
}

}  // namespace gugus::report::internal
