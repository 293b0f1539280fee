// Private to src/http: the small helpers every route file's handlers share.
#pragma once

#include <charconv>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/strcat.h"
#include "http/api.h"

namespace gugus::http {

inline Reply Json(nlohmann::json body, int status = 200) {
  Reply r;
  r.status = status;
  r.json = std::move(body);
  return r;
}

// The whole of `text` as a whole number, or nothing.
inline std::optional<int64_t> WholeNumber(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

inline absl::StatusOr<int64_t> ParseId(std::string_view text, std::string_view what) {
  std::optional<int64_t> value = WholeNumber(text);
  if (!value || *value <= 0) return absl::NotFoundError(StrCat("no such ", what));
  return *value;
}

inline int LimitOf(const Call& call, int fallback, int max) {
  std::optional<int64_t> value = WholeNumber(call.Query("limit"));
  if (!value || *value < 1 || *value > std::numeric_limits<int>::max())
    return std::min(fallback, max);
  return static_cast<int>(std::min<int64_t>(*value, max));
}

inline int OffsetOf(const Call& call) {
  std::optional<int64_t> value = WholeNumber(call.Query("offset"));
  if (!value || *value < 0 || *value > std::numeric_limits<int>::max()) return 0;
  return static_cast<int>(*value);
}

}  // namespace gugus::http
