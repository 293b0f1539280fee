// Private to src/storage/sqlite: the JobRepository over SQLite (migration 9).
// `db` returns the calling thread's connection.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <memory>

#include "domain/repository.h"

namespace gugus::storage::internal {

std::unique_ptr<domain::JobRepository> NewSqliteJobRepository(
    std::function<SQLite::Database&()> db);

}  // namespace gugus::storage::internal
