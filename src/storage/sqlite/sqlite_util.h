// Private to src/storage/sqlite: helpers every SQLite repository shares.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/date.h"
#include "core/strcat.h"
#include "domain/access.h"
#include "domain/repository.h"
#include "ingest/interchange.h"
#include "ingest/stored_form.h"
#include "storage/common/sql.h"

namespace gugus::storage::internal {

using ingest::kFieldCount;

// A connection's database with its prepared statements kept for reuse: preparing
// costs more than running the small queries every request makes (its session, its
// account, the link state, the agencies). Every connection of the store is one.
class CachingDatabase : public SQLite::Database {
 public:
  using SQLite::Database::Database;

 private:
  friend class CachedStatement;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

// A kept statement, reset with its bindings cleared when this handle goes: a
// statement left stepping would hold its read snapshot open, and later reads of the
// connection would not see newer commits. One handle per statement at a time (the
// thread that owns the connection is the only user).
class CachedStatement {
 public:
  // `db` must be a store connection's (a CachingDatabase).
  CachedStatement(SQLite::Database& db, const std::string& sql) {
    auto& kept = static_cast<CachingDatabase&>(db).statements_[sql];
    if (!kept) kept = std::make_unique<SQLite::Statement>(db, sql);
    statement_ = kept.get();
  }
  ~CachedStatement() {
    try {
      statement_->reset();
      statement_->clearBindings();
    } catch (const std::exception&) {
      // reset() reports the last step's error again; it was handled there.
    }
  }
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  SQLite::Statement* operator->() { return statement_; }
  SQLite::Statement& operator*() { return *statement_; }

 private:
  SQLite::Statement* statement_;
};

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

inline std::string Placeholders(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}

// The access policy's CanSee (domain/access.h) as an SQL condition, so that a scoped
// read filters in the database. `agency_id` and `agency_region` name the record's
// agency columns, `origin` an expression for its current version's origin region
// ("" when the caller has none: batches, rejects). The condition uses the named
// parameters :scope_agency, :scope_region, :scope_lo and :scope_hi, which BindScope
// sets; a statement may use the condition several times (both records of a pair).
// A subtree is a range: the codes inside "32" other than itself are those from "32."
// up to, not including, "32/" ('/' follows '.'), which an index can serve.
inline std::string ScopeCondition(const domain::RecordScope& scope,
                                  std::string_view agency_id,
                                  std::string_view agency_region,
                                  std::string_view origin = "") {
  if (scope.nothing) return "0";
  if (scope.everything) return "1";
  auto in_region = [&](std::string_view column) -> std::string {
    if (scope.region == domain::kNationalRegion) return "1";
    if (scope.region.empty()) return "0";
    return StrCat("(", column, " = :scope_region OR (", column, " >= :scope_lo AND ",
                  column, " < :scope_hi))");
  };
  if (scope.agency_id != 0)
    return StrCat("(", agency_id, " = :scope_agency AND ", in_region(agency_region), ")");
  if (scope.by_origin && !origin.empty())
    return StrCat("(", in_region(agency_region), " OR ", in_region(origin), ")");
  return in_region(agency_region);
}

// Binds the parameters ScopeCondition used (binding absent ones is an error).
inline void BindScope(SQLite::Statement& s, const domain::RecordScope& scope) {
  if (scope.nothing || scope.everything) return;
  if (scope.agency_id != 0)
    s.bind(":scope_agency", static_cast<int64_t>(scope.agency_id));
  if (scope.region.empty() || scope.region == domain::kNationalRegion) return;
  s.bind(":scope_region", scope.region);
  s.bind(":scope_lo", StrCat(scope.region, "."));
  s.bind(":scope_hi", StrCat(scope.region, "/"));
}

// Reads a stored form back; damage surfaces as an exception that Guard turns into a
// status (these readers run inside Guard).
// Inserts an import's batch row and returns its id (throws like SQLiteCpp).
inline int64_t StartBatch(SQLite::Database& db, const domain::ImportFileMeta& meta) {
  SQLite::Statement batch(db, kStartBatch);
  batch.bind(1, static_cast<int64_t>(meta.agency_id));
  batch.bind(2, meta.file_name);
  batch.bind(3, meta.digest);
  batch.bind(4, meta.format);
  batch.bind(5, meta.encoding);
  batch.bind(6, meta.delimiter);
  batch.bind(7, ingest::EncodeCells(meta.header));
  batch.bind(8, NowUtc());
  batch.bind(9, meta.kind);
  batch.exec();
  return db.getLastInsertRowid();
}

// Records an import's counts and digest on its batch, then commits.
inline void FinishBatch(SQLite::Database& db, int64_t batch_id,
                        const domain::ImportCounts& c, std::string_view digest) {
  SQLite::Statement s(db, kFinishBatch);
  s.bind(1, NowUtc());
  s.bind(2, static_cast<int64_t>(c.rows));
  s.bind(3, static_cast<int64_t>(c.inserted));
  s.bind(4, static_cast<int64_t>(c.updated));
  s.bind(5, static_cast<int64_t>(c.unchanged));
  s.bind(6, static_cast<int64_t>(c.rejected));
  s.bind(7, static_cast<int64_t>(c.warnings));
  s.bind(8, static_cast<int64_t>(c.blank));
  s.bind(9, std::string(digest));
  s.bind(10, static_cast<int64_t>(batch_id));
  s.exec();
  db.exec("COMMIT");
}

template <typename T>
T OrThrow(absl::StatusOr<T> value) {
  if (!value.ok()) throw std::runtime_error(std::string(value.status().message()));
  return std::move(value).value();
}

}  // namespace gugus::storage::internal
