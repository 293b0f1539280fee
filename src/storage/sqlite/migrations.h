// Versioned schema migrations of the SQLite backend, applied in order by
// OpenSqliteStore(kCreateOrUpgrade). A migration is never edited once released:
// add a new one.
#pragma once

#include <span>
#include <string_view>

namespace gugus::storage {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> Migrations();

}  // namespace gugus::storage
