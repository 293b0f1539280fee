// The PostgreSQL backend of domain::Store (SPEC section 13): one database that
// several gugus processes share.
//
// `url` is a libpq connection URI ("postgresql://user@host:5432/gugus") or
// "postgresql:" alone for the libpq environment (PGHOST, PGDATABASE, …). Each thread
// that uses the store gets its own connection, opened on first use. The schema is
// versioned (pg_migrations.cc): kCreateOrUpgrade applies missing migrations under a
// session advisory lock, so that servers starting together migrate once while the
// others wait; kExisting refuses an out-of-date database with FailedPrecondition
// telling the user to run `gugus init`.
// Errors: Unavailable with libpq's message when the server cannot be reached;
// PermissionDenied when the role may not do what was asked; Internal for other
// database failures (PostgreSQL's message, never row data).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "domain/repository.h"
#include "storage/open_mode.h"

namespace gugus::storage {

// True for the addresses OpenPostgresStore takes ("postgresql:…", "postgres:…").
bool IsPostgresUrl(std::string_view address);

absl::StatusOr<std::unique_ptr<domain::Store>> OpenPostgresStore(const std::string& url,
                                                                 OpenMode mode);

// The schema version this build writes (the number of migrations).
int PostgresSchemaVersion();

// Lets `role` (an existing, ordinary role that owns nothing here) do what a server
// does and no more: read and write rows, but create, alter or drop nothing, and
// never change or delete an audit entry. Run by the schema's owner after each
// upgrade (`gugus init --server-role`), since it grants on the tables that exist.
absl::Status GrantPostgresServerRole(const std::string& url, const std::string& role);

}  // namespace gugus::storage
