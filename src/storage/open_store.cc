#include "storage/open_store.h"

#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace gugus::storage {

absl::StatusOr<std::unique_ptr<domain::Store>> OpenStore(const std::string& address,
                                                         OpenMode mode) {
  if (IsPostgresUrl(address)) return OpenPostgresStore(address, mode);
  return OpenSqliteStore(address, mode);
}

bool IsPostgresAddress(const std::string& address) { return IsPostgresUrl(address); }

std::string DisplayAddress(const std::string& address) {
  if (!IsPostgresUrl(address)) return address;
  // postgresql://user:secret@host/db → postgresql://user@host/db
  size_t scheme = address.find("://");
  if (scheme == std::string::npos) return address;
  size_t at = address.find('@', scheme + 3);
  size_t slash = address.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at))
    return address;
  size_t colon = address.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return address;
  return address.substr(0, colon) + address.substr(at);
}

int SchemaVersion(const std::string& address) {
  return IsPostgresUrl(address) ? PostgresSchemaVersion() : SqliteSchemaVersion();
}

absl::Status GrantServerRole(const std::string& address, const std::string& role) {
  if (IsPostgresUrl(address)) return GrantPostgresServerRole(address, role);
  return absl::FailedPreconditionError(
      "--server-role is for PostgreSQL: an SQLite database has no roles (protect its "
      "file with the file system's permissions instead)");
}

}  // namespace gugus::storage
