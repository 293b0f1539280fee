// Shared by the command files of the gugus binary: each file registers its own
// subcommands on the CLI11 app. The libraries do the work; these only wire them.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/repository.h"

namespace gugus {

struct Globals {
  std::string db_path;
};

// Receives the outcome of the subcommand that ran (exit code 1 when not ok).
using RunResult = std::function<void(absl::Status)>;

// Who the audit trail names for a change made at the terminal: "cli:<login name>".
std::string CliActor();

// Opens the existing database of `g` (FailedPrecondition: run `gugus init`).
absl::StatusOr<std::unique_ptr<domain::Store>> Open(const Globals& g);

// cmd_access.cc: `user …` and `audit …`.
void AddAccessCommands(CLI::App& app, const Globals& g, const RunResult& run);
// cmd_access.cc, for `init`: creates the initial administrator when the database has
// no account yet and prints its one-time password (once); prints nothing otherwise.
absl::Status InitAccounts(domain::Store& store);
// cmd_access.cc, for `demo`: creates the demo accounts for the demo data set's
// `agencies` (in the order they were made) and prints them with their password.
absl::Status AddDemoAccounts(domain::Store& store,
                             const std::vector<domain::Agency>& agencies);
// cmd_stats.cc: `stats`, `reconcile` and `report annual`.
void AddStatsCommands(CLI::App& app, const Globals& g, const RunResult& run);
// cmd_exchange.cc: `export htcds` and `export ctdc`, under `export`.
void AddExchangeCommands(CLI::App& export_cmd, const Globals& g, const RunResult& run);
// cmd_persons.cc: `persons show` and `persons disagreements`.
void AddPersonCommands(CLI::App& app, const Globals& g, const RunResult& run);
// cmd_backup.cc: `backup` and `restore`.
void AddBackupCommands(CLI::App& app, const Globals& g, const RunResult& run);
// cmd_justice.cc: `justice`, `cases`, `case show`, and `export cases` under `export`.
void AddJusticeCommands(CLI::App& app, CLI::App& export_cmd, const Globals& g,
                        const RunResult& run);
// cmd_serve.cc: `serve`.
void AddServeCommand(CLI::App& app, const Globals& g, const RunResult& run);

}  // namespace gugus
