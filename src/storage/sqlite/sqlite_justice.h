// Private to src/storage/sqlite: the JusticeRepository over SQLite (legal-progress
// rows and versions, stages, agency cases, suspect links, review; schema migration
// 10). `db` returns the calling thread's connection; the repository is as
// thread-safe as that.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <memory>

#include "domain/justice/justice_repository.h"

namespace gugus::storage::internal {

std::unique_ptr<domain::JusticeRepository> NewSqliteJusticeRepository(
    std::function<SQLite::Database&()> db);

}  // namespace gugus::storage::internal
