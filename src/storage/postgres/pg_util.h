// Private to src/storage/postgres: helpers every PostgreSQL repository shares.
#pragma once

#include <functional>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/strcat.h"
#include "domain/access.h"
#include "ingest/interchange.h"
#include "storage/common/sql.h"

namespace gugus::storage::pg {

// The SQLSTATE of an error. libpqxx 6 gives it for a generic sql_error but throws
// its subclasses (unique_violation, insufficient_privilege, …) without it: those
// are known by their type.
inline std::string SqlState(const pqxx::sql_error& e) {
  if (!e.sqlstate().empty()) return e.sqlstate();
  const std::exception* x = &e;
  if (dynamic_cast<const pqxx::unique_violation*>(x)) return "23505";
  if (dynamic_cast<const pqxx::foreign_key_violation*>(x)) return "23503";
  if (dynamic_cast<const pqxx::not_null_violation*>(x)) return "23502";
  if (dynamic_cast<const pqxx::check_violation*>(x)) return "23514";
  if (dynamic_cast<const pqxx::integrity_constraint_violation*>(x)) return "23000";
  if (dynamic_cast<const pqxx::serialization_failure*>(x)) return "40001";
  if (dynamic_cast<const pqxx::deadlock_detected*>(x)) return "40P01";
  if (dynamic_cast<const pqxx::insufficient_privilege*>(x)) return "42501";
  if (dynamic_cast<const pqxx::undefined_table*>(x)) return "42P01";
  if (dynamic_cast<const pqxx::disk_full*>(x)) return "53100";
  if (dynamic_cast<const pqxx::out_of_memory*>(x)) return "53200";
  if (dynamic_cast<const pqxx::too_many_connections*>(x)) return "53300";
  if (dynamic_cast<const pqxx::insufficient_resources*>(x)) return "53000";
  return "";
}

// PostgreSQL's errors carry no row data (the server's messages name constraints
// and columns, and gugus never puts values into SQL text); map them to statuses.
inline absl::Status FromException(const std::exception& e, std::string_view what) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e)) {
    return absl::UnavailableError(
        StrCat(what, ": the database cannot be reached (", e.what(), ")"));
  }
  if (const auto* se = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string state = SqlState(*se);
    // The first line of the server's message; libpq adds the statement after it.
    std::string message(e.what());
    if (size_t nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
    if (message.rfind("ERROR:  ", 0) == 0) message.erase(0, 8);
    std::string text = StrCat(what, ": ", message);
    std::string_view cls = std::string_view(state).substr(0, 2);
    if (cls == "23") return absl::FailedPreconditionError(text);
    if (state == "40001" || state == "40P01") return absl::AbortedError(text);
    if (state == "42501") return absl::PermissionDeniedError(text);
    if (cls == "53" || cls == "58")
      return absl::ResourceExhaustedError(
          StrCat(text, " (is the database server's disk full? nothing was saved)"));
    if (cls == "57" || cls == "08") return absl::UnavailableError(text);
    if (state == "42P01")  // a table is missing: the schema was never created
      return absl::FailedPreconditionError(
          StrCat(text, " (the database is not initialised: run `gugus init`)"));
    return absl::InternalError(text);
  }
  return absl::InternalError(StrCat(what, ": ", e.what()));
}

// Runs `body` and turns any exception from libpqxx or nlohmann into a Status.
template <typename Fn>
auto Guard(std::string_view what, Fn&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return FromException(e, what);
  }
}

// The access policy's CanSee (domain/access.h) as an SQL condition, so that a scoped
// read filters in the database (as storage/sqlite/sqlite_util.h ScopeCondition). The
// scope's values are quoted into the text by the connection: region codes and ids
// only, never personal data. A subtree is a range: the codes inside "32" other than
// itself are those from "32." up to, not including, "32/".
inline std::string ScopeCondition(pqxx::connection_base& c,
                                  const domain::RecordScope& scope,
                                  std::string_view agency_id,
                                  std::string_view agency_region,
                                  std::string_view origin = "") {
  if (scope.nothing) return "FALSE";
  if (scope.everything) return "TRUE";
  auto in_region = [&](std::string_view column) -> std::string {
    if (scope.region == domain::kNationalRegion) return "TRUE";
    if (scope.region.empty()) return "FALSE";
    return StrCat("(", column, " = ", c.quote(scope.region), " OR (", column,
                  " >= ", c.quote(StrCat(scope.region, ".")), " AND ", column, " < ",
                  c.quote(StrCat(scope.region, "/")), "))");
  };
  if (scope.agency_id != 0)
    return StrCat("(", agency_id, " = ", scope.agency_id, " AND ",
                  in_region(agency_region), ")");
  if (scope.by_origin && !origin.empty())
    return StrCat("(", in_region(agency_region), " OR ", in_region(origin), ")");
  return in_region(agency_region);
}

// A nullable text column: "" when NULL.
inline std::string Text(const pqxx::field& f) { return f.is_null() ? "" : f.c_str(); }

// Reads a stored form back; damage surfaces as an exception that Guard turns into a
// status (these readers run inside Guard).
template <typename T>
T OrThrow(absl::StatusOr<T> value) {
  if (!value.ok()) throw std::runtime_error(std::string(value.status().message()));
  return std::move(value).value();
}

}  // namespace gugus::storage::pg
