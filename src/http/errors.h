// The one mapping from absl::Status to an HTTP status and the one error body shape
// of the API: {"error": {"code", "message", "fields"}}. Internal failures answer
// with a generic message: storage messages stay in the server's log.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace gugus::http {

// Payload keys a service may attach to a Status.
inline constexpr std::string_view kRetryAfterPayload = "gugus/retry-after";  // seconds
// The bad input field: kFieldPayload (core/status.h).

int HttpStatusOf(const absl::Status& status);

// A short machine-readable code for the body: "not_found", "forbidden", …
std::string_view ErrorCodeOf(const absl::Status& status);

nlohmann::json ErrorBody(std::string_view code, std::string_view message,
                         nlohmann::json fields = nlohmann::json::object());

// The body for a failed status (the message of a 5xx is replaced by a generic one).
nlohmann::json ErrorBodyOf(const absl::Status& status);

// An InvalidArgument naming the input field at fault.
absl::Status FieldError(std::string_view field, std::string_view message);

}  // namespace gugus::http
