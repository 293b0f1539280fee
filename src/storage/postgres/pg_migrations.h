// Versioned schema migrations of the PostgreSQL backend, applied in order by
// OpenPostgresStore(kCreateOrUpgrade) under an advisory lock. A migration is never
// edited once released: add a new one.
#pragma once

#include <span>
#include <string_view>

namespace gugus::storage::pg {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> Migrations();

}  // namespace gugus::storage::pg
