// The PostgreSQL side of storage/backup.h: pg_dump and pg_restore.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "storage/backup.h"

namespace gugus::storage {

absl::StatusOr<BackupInfo> BackupPostgres(const std::string& url,
                                          const std::string& file);
absl::StatusOr<BackupInfo> RestorePostgres(const std::string& url,
                                           const std::string& file, bool replace);

}  // namespace gugus::storage
