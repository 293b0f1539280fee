#include "storage/backup.h"

#include "storage/postgres/pg_backup.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_backup.h"

namespace gugus::storage {

absl::StatusOr<BackupInfo> BackupDatabase(const std::string& address,
                                          const std::string& file) {
  if (IsPostgresUrl(address)) return BackupPostgres(address, file);
  return BackupSqlite(address, file);
}

absl::StatusOr<BackupInfo> RestoreDatabase(const std::string& address,
                                           const std::string& file, bool replace) {
  if (IsPostgresUrl(address)) return RestorePostgres(address, file, replace);
  return RestoreSqlite(address, file, replace);
}

}  // namespace gugus::storage
