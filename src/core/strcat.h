// StrCat for std::string_view and everything fmt can format. Debian's Abseil has its
// own absl::string_view, so absl::StrCat/StrJoin do not take std::string_view; this
// does. Thread-safe.
#pragma once

#include <fmt/format.h>

#include <iterator>
#include <string>

namespace gugus {

template <typename... Args>
std::string StrCat(const Args&... args) {
  std::string out;
  (fmt::format_to(std::back_inserter(out), "{}", args), ...);
  return out;
}

}  // namespace gugus
