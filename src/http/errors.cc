#include "http/errors.h"

#include <optional>
#include <string>

#include "core/status.h"

namespace gugus::http {
namespace {

std::optional<std::string> Payload(const absl::Status& status, std::string_view key) {
  auto cord = status.GetPayload(absl::string_view(key.data(), key.size()));
  if (!cord) return std::nullopt;
  return std::string(*cord);
}

}  // namespace

int HttpStatusOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kFailedPrecondition:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      // Throttling says when to come back; anything else exhausted is the server's.
      return Payload(status, kRetryAfterPayload) ? 429 : 507;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

std::string_view ErrorCodeOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return "invalid";
    case absl::StatusCode::kUnauthenticated:
      return "unauthenticated";
    case absl::StatusCode::kPermissionDenied:
      return "forbidden";
    case absl::StatusCode::kNotFound:
      return "not_found";
    case absl::StatusCode::kAlreadyExists:
      return "exists";
    case absl::StatusCode::kAborted:
      return "stale";
    case absl::StatusCode::kFailedPrecondition:
      return "conflict";
    case absl::StatusCode::kResourceExhausted:
      return Payload(status, kRetryAfterPayload) ? "throttled" : "insufficient_storage";
    case absl::StatusCode::kUnimplemented:
      return "not_implemented";
    case absl::StatusCode::kUnavailable:
      return "unavailable";
    case absl::StatusCode::kDeadlineExceeded:
      return "timeout";
    default:
      return "internal";
  }
}

nlohmann::json ErrorBody(std::string_view code, std::string_view message,
                         nlohmann::json fields) {
  return {
      {"error", {{"code", code}, {"message", message}, {"fields", std::move(fields)}}}};
}

nlohmann::json ErrorBodyOf(const absl::Status& status) {
  int http = HttpStatusOf(status);
  std::string message(status.message());
  if (http >= 500 && http != 503 && http != 507)
    message = "internal error; the server's log has the details";
  nlohmann::json fields = nlohmann::json::object();
  if (std::optional<std::string> field = Payload(status, kFieldPayload))
    fields[*field] = std::string(status.message());
  return ErrorBody(ErrorCodeOf(status), message, std::move(fields));
}

absl::Status FieldError(std::string_view field, std::string_view message) {
  return WithField(absl::InvalidArgumentError(AsAbsl(message)), field);
}

}  // namespace gugus::http
