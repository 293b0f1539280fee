// Private to src/storage/sqlite: helpers every SQLite repository shares.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/date.h"
#include "core/strcat.h"
#include "ingest/interchange.h"

namespace gugus::storage::internal {

using ingest::kFieldCount;

// SQLite's errors carry no row data; map them to statuses the caller can show.
inline absl::Status FromException(const std::exception& e, std::string_view what) {
  if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e)) {
    int code = se->getErrorCode() & 0xff;
    std::string message = StrCat(what, ": ", se->getErrorStr());
    switch (code) {
      case SQLITE_CONSTRAINT:
        return absl::FailedPreconditionError(message);
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return absl::UnavailableError(message);
      case SQLITE_FULL:
      case SQLITE_IOERR:
        return absl::ResourceExhaustedError(
            StrCat(message, " (is the disk full or failing? nothing was saved)"));
      case SQLITE_CANTOPEN:
      case SQLITE_PERM:
      case SQLITE_READONLY:
        return absl::PermissionDeniedError(message);
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return absl::DataLossError(message);
      default:
        return absl::InternalError(message);
    }
  }
  return absl::InternalError(StrCat(what, ": ", e.what()));
}

// Runs `body` and turns any exception from SQLiteCpp or nlohmann into a Status.
template <typename Fn>
auto Guard(std::string_view what, Fn&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return FromException(e, what);
  }
}

// Column names of record_versions holding parsed fields (every field but record_id),
// each preceded by `prefix` ("v." in joins).
inline std::string VersionColumns(std::string_view prefix = "") {
  std::string out;
  for (int f = 1; f < kFieldCount; ++f)
    out += StrCat(f > 1 ? ", " : "", prefix, ingest::Fields()[f].key);
  return out;
}

inline std::string Placeholders(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}

// Reads a stored form back; damage surfaces as an exception that Guard turns into a
// status (these readers run inside Guard).
template <typename T>
T OrThrow(absl::StatusOr<T> value) {
  if (!value.ok()) throw std::runtime_error(std::string(value.status().message()));
  return std::move(value).value();
}

}  // namespace gugus::storage::internal
