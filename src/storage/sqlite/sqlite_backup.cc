#include "storage/sqlite/sqlite_backup.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <system_error>

#include "core/files.h"
#include "core/status.h"
#include "core/strcat.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/sqlite_util.h"

namespace gugus::storage {
namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 5000;

uint64_t SizeOf(const std::string& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? 0 : static_cast<uint64_t>(n);
}

// The schema version of the gugus database at `path`, after checking that it is
// one: InvalidArgument for any other file, FailedPrecondition for a newer gugus's.
absl::StatusOr<int> CheckCopy(const std::string& path, std::string_view name) {
  const std::string what = StrCat(name, " is not a gugus database backup");
  try {
    SQLite::Database d(path, SQLITE_OPEN_READONLY, kBusyTimeoutMs);
    const std::string check = d.execAndGet("PRAGMA quick_check").getString();
    if (check != "ok")
      return absl::InvalidArgumentError(StrCat(what, " (it is damaged)"));
    if (!d.tableExists("schema_migrations")) return absl::InvalidArgumentError(what);
    const int version =
        d.execAndGet("SELECT coalesce(max(version), 0) FROM schema_migrations").getInt();
    if (version > SqliteSchemaVersion())
      return absl::FailedPreconditionError(
          StrCat(name, " was written by a newer gugus (schema version ", version,
                 "): upgrade gugus first"));
    return version;
  } catch (const std::exception&) {
    return absl::InvalidArgumentError(what);
  }
}

// A snapshot of `from` written into the empty file `into` (VACUUM INTO reads it in
// one transaction: writers go on meanwhile in WAL mode, and the copy is compact).
absl::Status Snapshot(const std::string& from, const std::string& into) {
  return internal::Guard("cannot copy the database", [&]() -> absl::Status {
    SQLite::Database d(from, SQLITE_OPEN_READONLY, kBusyTimeoutMs);
    SQLite::Statement s(d, "VACUUM INTO ?");
    s.bind(1, into);
    s.exec();
    return absl::OkStatus();
  });
}

}  // namespace

absl::StatusOr<BackupInfo> BackupSqlite(const std::string& path,
                                        const std::string& file) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    return absl::FailedPreconditionError(
        StrCat("no database at ", path, ": nothing to back up"));
  if (fs::exists(file, ec))
    return absl::AlreadyExistsError(
        StrCat(BaseName(file), " exists: choose another name, or remove it first"));
  BackupInfo info;
  GUGUS_RETURN_IF_ERROR(WriteFileAtomically(
      file,
      [&](int, const std::string& tmp) -> absl::Status {
        GUGUS_RETURN_IF_ERROR(Snapshot(path, tmp));
        GUGUS_ASSIGN_OR_RETURN(info.schema_version, CheckCopy(tmp, BaseName(file)));
        return absl::OkStatus();
      },
      FileMode::kPrivate));
  info.bytes = SizeOf(file);
  return info;
}

absl::StatusOr<BackupInfo> RestoreSqlite(const std::string& path, const std::string& file,
                                         bool replace) {
  std::error_code ec;
  if (!fs::exists(file, ec))
    return absl::NotFoundError(StrCat("no backup file ", BaseName(file)));
  BackupInfo info;
  GUGUS_ASSIGN_OR_RETURN(info.schema_version, CheckCopy(file, BaseName(file)));
  if (fs::exists(path, ec) && !replace)
    return absl::AlreadyExistsError(
        StrCat("a database exists at ", path,
               ": stop every gugus server using it, then restore with --force to "
               "replace it"));
  if (fs::path parent = fs::path(path).parent_path(); !parent.empty())
    fs::create_directories(parent, ec);
  GUGUS_RETURN_IF_ERROR(WriteFileAtomically(
      path,
      [&](int, const std::string& tmp) -> absl::Status {
        GUGUS_RETURN_IF_ERROR(Snapshot(file, tmp));
        // The old database's log and shared memory would be replayed onto the new
        // file: they go before it takes the old one's place.
        for (const char* suffix : {"-wal", "-shm"}) {
          fs::remove(path + suffix, ec);
          if (ec) return WriteError("cannot remove", path + suffix, ec.message());
        }
        return absl::OkStatus();
      },
      FileMode::kPrivate));
  info.bytes = SizeOf(path);
  return info;
}

}  // namespace gugus::storage
