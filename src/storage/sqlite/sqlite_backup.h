// The SQLite side of storage/backup.h.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "storage/backup.h"

namespace gugus::storage {

absl::StatusOr<BackupInfo> BackupSqlite(const std::string& path, const std::string& file);
absl::StatusOr<BackupInfo> RestoreSqlite(const std::string& path, const std::string& file,
                                         bool replace);

}  // namespace gugus::storage
