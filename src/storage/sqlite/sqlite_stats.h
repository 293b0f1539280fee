// Private to src/storage/sqlite: the StatsRepository over SQLite (schema migration 5).
// `db` returns the calling thread's connection; the repository is as thread-safe as
// that. A refresh writes in one BEGIN IMMEDIATE transaction, so two refreshing
// threads or processes serialise and the second finds nothing left to do.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <memory>

#include "domain/repository.h"

namespace gugus::storage::internal {

std::unique_ptr<domain::StatsRepository> NewSqliteStatsRepository(
    std::function<SQLite::Database&()> db);

}  // namespace gugus::storage::internal
