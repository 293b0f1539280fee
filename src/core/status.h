// Status helpers: errors are values (absl::Status / absl::StatusOr<T>).
//
// GUGUS_RETURN_IF_ERROR(expr)      returns the status of `expr` from the enclosing
//                                  function when it is not OK.
// GUGUS_ASSIGN_OR_RETURN(lhs, expr) evaluates the StatusOr `expr`; on error returns
//                                  its status, else assigns/declares `lhs` with the
//                                  moved value.
// Both are usable in functions returning absl::Status or absl::StatusOr<U>.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define GUGUS_STATUS_CONCAT_INNER_(a, b) a##b
#define GUGUS_STATUS_CONCAT_(a, b) GUGUS_STATUS_CONCAT_INNER_(a, b)

#define GUGUS_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::absl::Status gugus_status_ = (expr);         \
    if (!gugus_status_.ok()) return gugus_status_; \
  } while (0)

#define GUGUS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).status();     \
  lhs = std::move(tmp).value()

#define GUGUS_ASSIGN_OR_RETURN(lhs, expr) \
  GUGUS_ASSIGN_OR_RETURN_IMPL_(GUGUS_STATUS_CONCAT_(gugus_statusor_, __LINE__), lhs, expr)

#include <string_view>

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"

namespace gugus {
// Debian's Abseil is built with its own absl::string_view
// (ABSL_OPTION_USE_STD_STRING_VIEW is 0), which does not convert from std::string_view:
// bridge the two explicitly.
inline absl::string_view AsAbsl(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view AsStd(absl::string_view s) { return {s.data(), s.size()}; }

// The payload that names the input field at fault in an InvalidArgument status
// (the API reports it as {"error": {"fields": {FIELD: message}}}).
inline constexpr std::string_view kFieldPayload = "gugus/field";

// `status` naming `field` as the input at fault; other codes are returned as they are.
inline absl::Status WithField(absl::Status status, std::string_view field) {
  if (absl::IsInvalidArgument(status))
    status.SetPayload(AsAbsl(kFieldPayload), absl::Cord(AsAbsl(field)));
  return status;
}
}  // namespace gugus
