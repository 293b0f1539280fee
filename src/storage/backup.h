// `gugus backup` and `gugus restore` (SPEC section 13): a consistent copy of the
// database while servers keep running, and putting one back.
//
// SQLite: the copy is made with VACUUM INTO, a snapshot read in one transaction
// (in WAL mode writers go on meanwhile), written to FILE.part, checked, synced and
// renamed to FILE, so that FILE is either complete or absent. Restoring checks the
// copy (integrity, a gugus schema no newer than this build), then replaces the
// database file (its old WAL and shared-memory files first), again through a
// .part file: every server using the database must be stopped first.
// PostgreSQL: pg_dump --format=custom into FILE.part, then renamed; restoring runs
// pg_restore --clean --if-exists --single-transaction into the database, so that a
// failed restore leaves it as it was. Both need Debian's postgresql-client-15 (a
// password belongs in ~/.pgpass or PGPASSWORD, never in the address).
//
// Errors: AlreadyExists when FILE exists (backup) or the database holds data and
// `replace` is false (restore); InvalidArgument for a file that is not a gugus
// backup; FailedPrecondition when pg_dump/pg_restore is missing or the copy is of
// a newer gugus; storage errors as they come. Messages never show a password.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gugus::storage {

struct BackupInfo {
  uint64_t bytes = 0;      // the size of the backup file
  int schema_version = 0;  // of the database copied (SQLite; 0 when not known)
};

absl::StatusOr<BackupInfo> BackupDatabase(const std::string& address,
                                          const std::string& file);

// `replace`: restore over a database that already holds data (gugus restore --force).
absl::StatusOr<BackupInfo> RestoreDatabase(const std::string& address,
                                           const std::string& file, bool replace);

}  // namespace gugus::storage
