// The accounts a new database starts with: the initial administrator that
// `gugus init` creates, and the demo accounts of `gugus demo`.
//
// Both go through AccountService (so every rule of an account applies) and record
// a `user.add` entry in the audit trail for each account they create.
// Thread-safety: as AccountService and AuditLog. Errors: storage errors as they come.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/accounts/account_service.h"
#include "domain/agency.h"
#include "domain/audit_log.h"
#include "domain/repository.h"

namespace gugus::domain {

// The national agency the initial administrator and the national demo accounts
// belong to.
inline constexpr std::string_view kAdminAgencyCode = "GUGUS-ADMIN";
inline constexpr std::string_view kAdminAgencyName = "Administrator gugus";
inline constexpr std::string_view kInitialAdmin = "admin";

// The fixed password of every demo account. Demo data only: a real database never
// holds demo accounts.
inline constexpr std::string_view kDemoPassword = "demo-gugus-2026";

// kAdminAgencyCode, added (type "other", region ID) when missing.
absl::StatusOr<Agency> EnsureAdminAgency(Store& store);

// When the store holds no account yet, creates kInitialAdmin (role admin, region ID,
// agency kAdminAgencyCode) with a generated one-time password that must be changed
// at first login, and returns that password. Returns nullopt when any account
// already exists.
absl::StatusOr<std::optional<std::string>> CreateInitialAdmin(Store& store,
                                                              AccountService& accounts,
                                                              AuditLog& audit,
                                                              std::string_view actor);

struct DemoAccount {
  std::string username, role, region_code, agency_code;
  bool created = false;  // false: the username existed already and was left alone
};

// One demo account per role, all with kDemoPassword: demo.admin, demo.sekretariat
// and demo.analis (national), demo.provinsi (secretariat of the province of the first
// non-national agency of `agencies`), and for each non-national agency an agency
// account demo.<lower-case code> (investigator for police,
// migrant_officer for a migrant-worker agency, else caseworker) in that agency's
// region. `agencies` is the demo data set's agencies in the order they were made.
absl::StatusOr<std::vector<DemoAccount>> CreateDemoAccounts(
    Store& store, AccountService& accounts, AuditLog& audit, std::string_view actor,
    const std::vector<Agency>& agencies);

}  // namespace gugus::domain
