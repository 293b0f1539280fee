// The embedded SQLite backend of domain::Store.
//
// One database file; WAL journal, foreign keys on, synchronous=FULL (an import's
// commit is on disk when Import returns), a busy timeout for concurrent readers.
// Each thread that uses the store gets its own connection, opened on first use.
// The schema is versioned (migrations.cc): kCreateOrUpgrade creates the file and
// applies missing migrations, each in its own transaction (`gugus init`);
// kExisting refuses a missing or out-of-date database with FailedPrecondition
// telling the user to run `gugus init`.
// Errors: PermissionDenied/Unavailable with a plain message when the file cannot be
// created or opened; Internal for SQLite failures (SQLite's message, no data).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "domain/repository.h"
#include "storage/open_mode.h"

namespace gugus::storage {

absl::StatusOr<std::unique_ptr<domain::Store>> OpenSqliteStore(const std::string& path,
                                                               OpenMode mode);

// The schema version this build writes (the number of migrations).
int SqliteSchemaVersion();

// The bytes SQLite holds in this process now (every connection's page cache, its
// statements).
int64_t SqliteMemoryUsed();

}  // namespace gugus::storage
