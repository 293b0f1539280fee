// Private to src/storage/sqlite: the AccountRepository (users, sessions) and the
// AuditRepository (hash-chained audit entries) over SQLite (schema migration 3).
// `db` returns the calling thread's connection; the repositories are as
// thread-safe as that.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <memory>

#include "domain/repository.h"

namespace gugus::storage::internal {

std::unique_ptr<domain::AccountRepository> NewSqliteAccountRepository(
    std::function<SQLite::Database&()> db);
std::unique_ptr<domain::AuditRepository> NewSqliteAuditRepository(
    std::function<SQLite::Database&()> db);

}  // namespace gugus::storage::internal
