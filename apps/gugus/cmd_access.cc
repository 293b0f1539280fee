// `gugus user …` and `gugus audit …`, and the accounts `init` and `demo` create.
// The CLI is trusted: it runs as the machine's operator, who owns the database file.
// Every change it makes is recorded in the audit trail as "cli:<login name>".
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "core/status.h"
#include "domain/accounts/account_service.h"
#include "domain/accounts/account_setup.h"
#include "domain/audit_log.h"
#include "http/dto.h"

namespace gugus {
namespace {

using json = nlohmann::json;

absl::StatusOr<std::string> ReadPasswordLine() {
  std::string line;
  if (!std::getline(std::cin, line) && line.empty())
    return absl::InvalidArgumentError("--password-stdin: no password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty())
    return absl::InvalidArgumentError("--password-stdin: the password line is empty");
  return line;
}

void PrintOneTimePassword(std::string_view username, std::string_view password) {
  fmt::print("one-time password for {}: {}\n", username, password);
  fmt::print("(shown once; it must be changed at first login)\n");
}

std::string Detail(json detail) { return detail.dump(); }

// --- user ---

struct UserAddOptions {
  std::string username, role, region, agency;
  bool password_stdin = false;
};

absl::Status RunUserAdd(const Globals& g, const UserAddOptions& o) {
  domain::NewUser request{o.username, o.role, o.region, o.agency, ""};
  if (o.password_stdin) {
    GUGUS_ASSIGN_OR_RETURN(request.password, ReadPasswordLine());
  } else {
    request.password = domain::AccountService::GeneratePassword();
    request.must_change_password = true;
  }
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::AccountService accounts(*store);
  domain::AuditLog audit(*store);
  GUGUS_ASSIGN_OR_RETURN(domain::User user, accounts.CreateUser(request));
  GUGUS_RETURN_IF_ERROR(
      audit.Record({CliActor(), "", "user.add", fmt::format("user:{}", user.username),
                    Detail({{"role", domain::RoleName(user.role)},
                            {"region", user.region_code},
                            {"agency", user.agency_code}})}));
  fmt::print("added user {} ({}, region {}, agency {})\n", user.username,
             domain::RoleName(user.role), user.region_code, user.agency_code);
  if (!o.password_stdin) PrintOneTimePassword(user.username, request.password);
  return absl::OkStatus();
}

absl::Status RunUserList(const Globals& g, const std::string& format) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::User> users, store->accounts().ListUsers());
  if (format == "json") {
    json out = json::array();
    for (const domain::User& u : users) out.push_back(http::UserJson(u));
    fmt::print("{}\n", out.dump(2));
    return absl::OkStatus();
  }
  size_t width = 8, agency_width = 6;
  for (const domain::User& u : users) {
    width = std::max(width, u.username.size());
    agency_width = std::max(agency_width, u.agency_code.size());
  }
  fmt::print("{:<{}}  {:<15} {:<8} {:<{}}  {}\n", "USERNAME", width, "ROLE", "REGION",
             "AGENCY", agency_width, "STATUS");
  for (const domain::User& u : users) {
    std::string status = u.disabled ? "disabled" : "active";
    if (u.must_change_password) status += ", must change password";
    fmt::print("{:<{}}  {:<15} {:<8} {:<{}}  {}\n", u.username, width,
               domain::RoleName(u.role), u.region_code, u.agency_code, agency_width,
               status);
  }
  if (users.empty()) fmt::print("(no users yet: add one with `gugus user add`)\n");
  return absl::OkStatus();
}

absl::Status RunUserSetDisabled(const Globals& g, const std::string& username,
                                bool disabled) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(domain::User current, store->accounts().FindUser(username));
  if (current.disabled == disabled) {
    fmt::print("user {} is already {}\n", current.username,
               disabled ? "disabled" : "enabled");
    return absl::OkStatus();
  }
  domain::AccountService accounts(*store);
  domain::AuditLog audit(*store);
  GUGUS_ASSIGN_OR_RETURN(domain::User user,
                         accounts.SetDisabled(username, disabled, current.version));
  GUGUS_RETURN_IF_ERROR(
      audit.Record({CliActor(), "", disabled ? "user.disable" : "user.enable",
                    fmt::format("user:{}", user.username), "{}"}));
  if (disabled)
    fmt::print("disabled user {}; its sessions have ended\n", user.username);
  else
    fmt::print("enabled user {}\n", user.username);
  return absl::OkStatus();
}

absl::Status RunUserResetPassword(const Globals& g, const std::string& username,
                                  bool password_stdin) {
  std::string password;
  if (password_stdin) {
    GUGUS_ASSIGN_OR_RETURN(password, ReadPasswordLine());
  }
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::AccountService accounts(*store);
  domain::AuditLog audit(*store);
  GUGUS_ASSIGN_OR_RETURN(std::string chosen,
                         accounts.ResetPassword(username, password, 0));
  GUGUS_ASSIGN_OR_RETURN(domain::User user, store->accounts().FindUser(username));
  GUGUS_RETURN_IF_ERROR(audit.Record({CliActor(), "", "user.reset_password",
                                      fmt::format("user:{}", user.username),
                                      Detail({{"generated", !password_stdin}})}));
  fmt::print("reset the password of {}; its sessions have ended\n", user.username);
  if (!password_stdin)
    PrintOneTimePassword(user.username, chosen);
  else
    fmt::print("(it must be changed at first login)\n");
  return absl::OkStatus();
}

// --- audit ---

json EntryJson(const domain::AuditEntry& e) {
  return {{"seq", e.seq},       {"at", e.at},
          {"actor", e.actor},   {"address", e.address},
          {"action", e.action}, {"target", e.target},
          {"detail", e.detail}, {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

absl::Status RunAuditVerify(const Globals& g, bool as_json,
                            const std::string& expect_head) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  domain::AuditLog audit(*store);
  GUGUS_ASSIGN_OR_RETURN(domain::AuditVerification v, audit.Verify(expect_head));
  if (as_json) {
    fmt::print("{}\n", json{{"intact", v.intact},
                            {"entries", v.entries},
                            {"head_hash", v.head_hash},
                            {"first_bad_seq", v.first_bad_seq},
                            {"problem", v.problem}}
                           .dump());
  } else {
    fmt::print("{} entries, head hash {}\n", v.entries,
               v.head_hash.empty() ? "(none: the trail is empty)" : v.head_hash);
    if (v.intact) fmt::print("the audit trail is intact\n");
  }
  if (!v.intact)
    return absl::DataLossError(fmt::format("the audit trail is damaged: {}", v.problem));
  return absl::OkStatus();
}

absl::Status RunAuditList(const Globals& g, const domain::AuditQuery& query,
                          bool as_json) {
  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::AuditEntry> entries,
                         store->audit().FindAudit(query));
  if (as_json) {
    json out = json::array();
    for (const domain::AuditEntry& e : entries) out.push_back(EntryJson(e));
    fmt::print("{}\n", out.dump(2));
    return absl::OkStatus();
  }
  fmt::print("{:>6}  {:<24}  {:<20} {:<22} {:<28} {}\n", "SEQ", "AT", "ACTOR", "ACTION",
             "TARGET", "DETAIL");
  for (const domain::AuditEntry& e : entries)
    fmt::print("{:>6}  {:<24}  {:<20} {:<22} {:<28} {}\n", e.seq, e.at, e.actor, e.action,
               e.target, e.detail);
  if (entries.empty()) fmt::print("(no matching entries)\n");
  return absl::OkStatus();
}

}  // namespace

std::string CliActor() {
  const char* user = std::getenv("USER");
  return user && *user ? fmt::format("cli:{}", user) : "cli";
}

absl::Status InitAccounts(domain::Store& store) {
  domain::AccountService accounts(store);
  domain::AuditLog audit(store);
  GUGUS_ASSIGN_OR_RETURN(std::optional<std::string> password,
                         domain::CreateInitialAdmin(store, accounts, audit, CliActor()));
  if (password) {
    fmt::print("initial administrator: {} / {} — shown once; change it at first login\n",
               domain::kInitialAdmin, *password);
  }
  return absl::OkStatus();
}

absl::Status AddDemoAccounts(domain::Store& store,
                             const std::vector<domain::Agency>& agencies) {
  domain::AccountService accounts(store);
  domain::AuditLog audit(store);
  GUGUS_ASSIGN_OR_RETURN(
      std::vector<domain::DemoAccount> created,
      domain::CreateDemoAccounts(store, accounts, audit, CliActor(), agencies));
  fmt::print(
      "\nDEMO ACCOUNTS, password '{}' for all — demo data only: never create these in a "
      "database with real data\n",
      domain::kDemoPassword);
  size_t width = 8;
  for (const auto& a : created) width = std::max(width, a.username.size());
  fmt::print("  {:<{}}  {:<15} {:<8} {}\n", "USERNAME", width, "ROLE", "REGION",
             "AGENCY");
  for (const auto& a : created) {
    fmt::print("  {:<{}}  {:<15} {:<8} {}{}\n", a.username, width, a.role, a.region_code,
               a.agency_code, a.created ? "" : "  (existed already; left as it was)");
  }
  return absl::OkStatus();
}

void AddAccessCommands(CLI::App& app, const Globals& g, const RunResult& run) {
  // Owned by the callbacks, which live as long as `app`.
  struct Options {
    UserAddOptions add;
    std::string list_format = "table";
    std::string username;
    bool reset_stdin = false;
    bool verify_json = false;
    std::string expect_head;
    domain::AuditQuery query;
    bool list_json = false;
  };
  auto o = std::make_shared<Options>();

  auto* user = app.add_subcommand("user", "manage user accounts");
  user->require_subcommand(1);

  auto* add = user->add_subcommand(
      "add", "add an account (without --password-stdin: prints a one-time password)");
  add->add_option("username", o->add.username, "3-64 of a-z 0-9 . _ -")->required();
  add->add_option(
         "--role", o->add.role,
         "admin, secretariat, caseworker, investigator, migrant_officer, analyst")
      ->required();
  add->add_option("--region", o->add.region, "region code; ID = all of Indonesia")
      ->required();
  add->add_option("--agency", o->add.agency, "agency code")->required();
  add->add_flag("--password-stdin", o->add.password_stdin,
                "read the password from the first line of standard input");
  add->callback([&g, run, o] { run(RunUserAdd(g, o->add)); });

  auto* list = user->add_subcommand("list", "list accounts (never their passwords)");
  list->add_option("--format", o->list_format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  list->callback([&g, run, o] { run(RunUserList(g, o->list_format)); });

  auto* disable =
      user->add_subcommand("disable", "disable an account and end its sessions");
  disable->add_option("username", o->username)->required();
  disable->callback([&g, run, o] { run(RunUserSetDisabled(g, o->username, true)); });
  auto* enable = user->add_subcommand("enable", "enable a disabled account");
  enable->add_option("username", o->username)->required();
  enable->callback([&g, run, o] { run(RunUserSetDisabled(g, o->username, false)); });

  auto* reset = user->add_subcommand(
      "reset-password",
      "set a new one-time password (printed, unless --password-stdin); ends sessions");
  reset->add_option("username", o->username)->required();
  reset->add_flag("--password-stdin", o->reset_stdin,
                  "read the password from the first line of standard input");
  reset->callback(
      [&g, run, o] { run(RunUserResetPassword(g, o->username, o->reset_stdin)); });

  auto* audit = app.add_subcommand("audit", "the hash-chained audit trail");
  audit->require_subcommand(1);

  auto* verify =
      audit->add_subcommand("verify", "check the chain; exit 0 only when it is intact");
  verify->add_flag("--json", o->verify_json, "print one JSON object");
  verify->add_option("--expect-head", o->expect_head,
                     "a head hash recorded earlier: fail when no entry has it (the end "
                     "of the trail was cut off)");
  verify->callback(
      [&g, run, o] { run(RunAuditVerify(g, o->verify_json, o->expect_head)); });

  auto* audit_list = audit->add_subcommand("list", "list entries, oldest first");
  audit_list->add_option("--limit", o->query.limit, "at most this many entries")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  audit_list->add_option("--after", o->query.after_seq, "only entries after this number");
  audit_list->add_option("--actor", o->query.actor, "only this actor");
  audit_list->add_option("--action", o->query.action, "only this action (user.add …)");
  audit_list->add_flag("--json", o->list_json, "print a JSON array");
  audit_list->callback([&g, run, o] { run(RunAuditList(g, o->query, o->list_json)); });
}

}  // namespace gugus
