// Private to src/storage/sqlite: the LinkRepository over SQLite (persons, links,
// runs, review queue, decisions; schema migration 2). `db` returns the calling
// thread's connection; the repository is as thread-safe as that.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <memory>

#include "domain/repository.h"

namespace gugus::storage::internal {

std::unique_ptr<domain::LinkRepository> NewSqliteLinkRepository(
    std::function<SQLite::Database&()> db);

}  // namespace gugus::storage::internal
