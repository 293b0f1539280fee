// Opens the store an address names: a PostgreSQL URL ("postgresql://…", or
// "postgresql:" for the libpq environment) or else an SQLite database file's path.
// The command line, the server and the tests open stores only through here.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "domain/repository.h"
#include "storage/open_mode.h"

namespace gugus::storage {

absl::StatusOr<std::unique_ptr<domain::Store>> OpenStore(const std::string& address,
                                                         OpenMode mode);

// Whether `address` names a PostgreSQL database (else an SQLite file).
bool IsPostgresAddress(const std::string& address);

// `address` as it may be shown: a URL's password is left out.
std::string DisplayAddress(const std::string& address);

// The schema version this build writes on the backend `address` names.
int SchemaVersion(const std::string& address);

// PostgreSQL: GrantPostgresServerRole (storage/postgres/pg_store.h). SQLite has no
// roles (FailedPrecondition): protect its file with the file system's permissions.
absl::Status GrantServerRole(const std::string& address, const std::string& role);

}  // namespace gugus::storage
