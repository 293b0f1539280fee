#include "report/document.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "core/strcat.h"
#include "core/text.h"
#include "report/document_internal.h"

namespace gugus::report {
namespace internal {

std::string FormatNumberId(double value, int max_decimals) {
  if (!std::isfinite(value)) return "";
  max_decimals = std::clamp(max_decimals, 0, 6);
  std::string digits = fmt::format("{:.{}f}", std::fabs(value), max_decimals);
  std::string fraction;
  if (const size_t dot = digits.find('.'); dot != std::string::npos) {
    fraction = digits.substr(dot + 1);
    digits.resize(dot);
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  }
  std::string out;
  const bool negative =
      value < 0 &&
      (digits.find_first_not_of('0') != std::string::npos || !fraction.empty());
  if (negative) out += '-';
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  if (!fraction.empty()) out += "," + fraction;
  return out;
}

std::string ValidUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t len = 0;
    if (c < 0x80) {
      len = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
    }
    if (len > 0 && i + len <= text.size() && IsValidUtf8(text.substr(i, len))) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

bool Drawable(const std::optional<double>& value) {
  return value.has_value() && std::isfinite(*value);
}

AxisScale ComputeAxisScale(const DocChart& chart) {
  double lo = 0;
  double hi = 0;
  for (const DocSeries& series : chart.series) {
    // Values past the last category are never drawn, so they must not stretch the axis.
    const size_t n = std::min(series.values.size(), chart.categories.size());
    for (size_t i = 0; i < n; ++i) {
      const std::optional<double>& v = series.values[i];
      if (!Drawable(v)) continue;
      lo = std::min(lo, *v);
      hi = std::max(hi, *v);
    }
  }
  if (hi - lo <= 0) return {};  // nothing to draw: a 0..1 axis keeps layouts sane
  // The smallest round step that needs at most five intervals.
  const double raw = (hi - lo) / 5;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  AxisScale scale;
  scale.step = step;
  scale.lo = std::floor(lo / step) * step;
  scale.hi = std::ceil(hi / step) * step;
  return scale;
}

}  // namespace internal

namespace {

std::string LowerExtension(const std::string& path) {
  const std::string base = internal::BaseName(path);
  const size_t dot = base.rfind('.');
  if (dot == std::string::npos || dot == 0) return "";
  std::string ext = base.substr(dot);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return ext;
}

}  // namespace

absl::Status WriteDocument(const Document& doc, const std::string& path) {
  const std::string ext = LowerExtension(path);
  if (ext == ".xlsx") return WriteXlsx(doc, path);
  if (ext == ".html" || ext == ".htm") return WriteHtmlFile(doc, path);
  if (ext == ".pdf") return WritePdf(doc, path);
  return absl::InvalidArgumentError(StrCat("report file ", internal::BaseName(path),
                                           " must end in .xlsx, .html, .htm or .pdf"));
}

std::string FormatCount(int64_t value) {
  return internal::FormatNumberId(static_cast<double>(value), 0);
}

}  // namespace gugus::report
