#include "storage/postgres/pg_backup.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <vector>

#include "core/files.h"
#include "core/status.h"
#include "core/strcat.h"
#include "storage/postgres/pg_store.h"
#include "storage/postgres/pg_util.h"

extern char** environ;

namespace gugus::storage {
namespace {

// libpq takes the URL as it is; "postgresql:" alone means the environment.
std::string ConnInfoOf(const std::string& url) {
  return url == "postgresql:" || url == "postgres:" ? "" : url;
}

// Runs `program` with `args` (no shell; its messages go to our stderr) and waits.
absl::Status RunTool(const std::string& program, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string name = program;
  argv.push_back(name.data());
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int err =
      ::posix_spawnp(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ);
  if (err == ENOENT)
    return absl::FailedPreconditionError(StrCat(
        program, " is not installed (Debian: apt-get install postgresql-client-15)"));
  if (err != 0)
    return absl::UnavailableError(StrCat("cannot start ", program, ": ", ErrnoText(err)));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return absl::UnavailableError(StrCat("lost ", program, ": ", ErrnoText(errno)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return absl::UnavailableError(StrCat(program, " failed (its messages are above)"));
  return absl::OkStatus();
}

std::vector<std::string> DbArgs(const std::string& url) {
  const std::string conninfo = ConnInfoOf(url);
  if (conninfo.empty()) return {};  // PGHOST, PGDATABASE, … from the environment
  return {StrCat("--dbname=", conninfo)};
}

// The schema version of the gugus database `url` names (0: none there).
absl::StatusOr<int> DatabaseVersion(const std::string& url) {
  return pg::Guard("cannot read the database", [&]() -> absl::StatusOr<int> {
    pqxx::connection c(ConnInfoOf(url));
    pqxx::nontransaction n(c);
    if (!n.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL")[0].as<bool>())
      return 0;
    return n.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations")[0]
        .as<int>();
  });
}

uint64_t SizeOf(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<uint64_t>(n);
}

}  // namespace

absl::StatusOr<BackupInfo> BackupPostgres(const std::string& url,
                                          const std::string& file) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec))
    return absl::AlreadyExistsError(
        StrCat(BaseName(file), " exists: choose another name, or remove it first"));
  BackupInfo info;
  GUGUS_ASSIGN_OR_RETURN(info.schema_version, DatabaseVersion(url));
  if (info.schema_version == 0)
    return absl::FailedPreconditionError(
        "the database holds no gugus schema: nothing to back up");
  GUGUS_RETURN_IF_ERROR(WriteFileAtomically(
      file,
      [&](int, const std::string& tmp) {
        std::vector<std::string> args = {"--format=custom", "--no-password",
                                         StrCat("--file=", tmp)};
        for (std::string& a : DbArgs(url)) args.push_back(std::move(a));
        return RunTool("pg_dump", args);
      },
      FileMode::kPrivate));
  info.bytes = SizeOf(file);
  return info;
}

absl::StatusOr<BackupInfo> RestorePostgres(const std::string& url,
                                           const std::string& file, bool replace) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat("no backup file ", BaseName(file)));
  char magic[5] = {};
  in.read(magic, sizeof magic);
  if (std::string_view(magic, static_cast<size_t>(in.gcount())) != "PGDMP")
    return absl::InvalidArgumentError(
        StrCat(BaseName(file),
               " is not a PostgreSQL backup of gugus (pg_dump --format=custom)"));
  GUGUS_ASSIGN_OR_RETURN(int existing, DatabaseVersion(url));
  if (existing > 0 && !replace)
    return absl::AlreadyExistsError(
        "the database holds a gugus schema already: stop every gugus server using it, "
        "then restore with --force to replace it");
  // One transaction: a restore that fails leaves the database as it was.
  std::vector<std::string> args = {
      "--clean",         "--if-exists", "--single-transaction",
      "--exit-on-error", "--no-owner",  "--no-password"};
  for (std::string& a : DbArgs(url)) args.push_back(std::move(a));
  args.push_back(file);
  GUGUS_RETURN_IF_ERROR(RunTool("pg_restore", args));
  BackupInfo info;
  GUGUS_ASSIGN_OR_RETURN(info.schema_version, DatabaseVersion(url));
  info.bytes = SizeOf(file);
  return info;
}

}  // namespace gugus::storage
