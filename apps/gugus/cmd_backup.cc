// `gugus backup` and `gugus restore`: a consistent copy of the database while the
// servers run, and putting one back (storage/backup.h). Both are recorded in the
// audit trail: a backup holds every victim's data.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "core/status.h"
#include "domain/audit_log.h"
#include "storage/backup.h"
#include "storage/open_store.h"

namespace gugus {
namespace {

std::string Size(uint64_t bytes) {
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

absl::Status Audit(const Globals& g, std::string_view action,
                   const nlohmann::json& detail) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::AuditLog audit(*store);
  return audit.Record({CliActor(), "", std::string(action), "database", detail.dump()});
}

absl::Status RunBackup(const Globals& g, const std::string& out) {
  // The database must be one this gugus opens (and the copy is audited in it).
  { GUGUS_ASSIGN_OR_RETURN(auto store, Open(g)); }
  GUGUS_ASSIGN_OR_RETURN(storage::BackupInfo info,
                         storage::BackupDatabase(g.db_path, out));
  GUGUS_RETURN_IF_ERROR(Audit(g, "database.backup", {{"bytes", info.bytes}}));
  fmt::print(
      "backup of {} written to {} ({}, schema version {}); keep it as safe as "
      "the database: it holds every record\n",
      storage::DisplayAddress(g.db_path), out, Size(info.bytes), info.schema_version);
  return absl::OkStatus();
}

absl::Status RunRestore(const Globals& g, const std::string& file, bool force) {
  GUGUS_ASSIGN_OR_RETURN(storage::BackupInfo info,
                         storage::RestoreDatabase(g.db_path, file, force));
  fmt::print("restored {} into {} (schema version {})\n", file,
             storage::DisplayAddress(g.db_path), info.schema_version);
  if (info.schema_version < storage::SchemaVersion(g.db_path)) {
    fmt::print("the backup is of an older gugus: run `gugus init` to upgrade it\n");
    return absl::OkStatus();
  }
  return Audit(g, "database.restore", {{"bytes", info.bytes}});
}

}  // namespace

void AddBackupCommands(CLI::App& app, const Globals& g, const RunResult& run) {
  static std::string out, from;
  static bool force = false;
  auto* backup = app.add_subcommand(
      "backup", "a consistent copy of the database, made while servers keep running");
  backup->add_option("--out", out, "the backup file to write (must not exist)")
      ->required();
  // `run` by value: the std::function made at the call ends with it.
  backup->callback([&g, run] { run(RunBackup(g, out)); });

  auto* restore = app.add_subcommand(
      "restore", "put a backup back (stop every server using the database first)");
  restore->add_option("FILE", from, "a file `gugus backup` wrote")->required();
  restore->add_flag("--force", force, "replace a database that already holds data");
  restore->callback([&g, run] { run(RunRestore(g, from, force)); });
}

}  // namespace gugus
