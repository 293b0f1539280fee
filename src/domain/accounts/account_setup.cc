#include "domain/accounts/account_setup.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/strcat.h"

namespace gugus::domain {
namespace {

std::string AddDetail(const NewUser& user, bool extra_flag, std::string_view flag) {
  nlohmann::json detail = {
      {"role", user.role}, {"region", user.region_code}, {"agency", user.agency_code}};
  if (extra_flag) detail[std::string(flag)] = true;
  return detail.dump();
}

std::string ProvinceOf(std::string_view region) {
  return std::string(region.substr(0, region.find('.')));
}

std::string_view AgencyRoleFor(std::string_view agency_type) {
  if (agency_type == "police") return RoleName(Role::kInvestigator);
  if (agency_type == "migrant_worker_agency") return RoleName(Role::kMigrantOfficer);
  return RoleName(Role::kCaseworker);
}

}  // namespace

absl::StatusOr<Agency> EnsureAdminAgency(Store& store) {
  absl::StatusOr<Agency> found = store.agencies().FindByCode(kAdminAgencyCode);
  if (!absl::IsNotFound(found.status())) return found;
  Agency agency;
  agency.code = kAdminAgencyCode;
  agency.name = kAdminAgencyName;
  agency.type = "other";
  agency.region_code = kNationalRegion;
  absl::Status added = store.agencies().Add(agency);
  if (absl::IsAlreadyExists(added))  // added meanwhile by another process
    return store.agencies().FindByCode(kAdminAgencyCode);
  GUGUS_RETURN_IF_ERROR(added);
  return agency;
}

absl::StatusOr<std::optional<std::string>> CreateInitialAdmin(Store& store,
                                                              AccountService& accounts,
                                                              AuditLog& audit,
                                                              std::string_view actor) {
  GUGUS_ASSIGN_OR_RETURN(std::vector<User> users, store.accounts().ListUsers());
  if (!users.empty()) return std::nullopt;
  GUGUS_ASSIGN_OR_RETURN(Agency agency, EnsureAdminAgency(store));
  NewUser admin;
  admin.username = kInitialAdmin;
  admin.role = RoleName(Role::kAdmin);
  admin.region_code = kNationalRegion;
  admin.agency_code = agency.code;
  admin.password = AccountService::GeneratePassword();
  admin.must_change_password = true;
  absl::StatusOr<User> created = accounts.CreateUser(admin);
  if (absl::IsAlreadyExists(created.status())) return std::nullopt;  // a concurrent init
  GUGUS_RETURN_IF_ERROR(created.status());
  GUGUS_RETURN_IF_ERROR(audit.Record({std::string(actor), "", "user.add",
                                      StrCat("user:", created->username),
                                      AddDetail(admin, true, "initial")}));
  return admin.password;
}

absl::StatusOr<std::vector<DemoAccount>> CreateDemoAccounts(
    Store& store, AccountService& accounts, AuditLog& audit, std::string_view actor,
    const std::vector<Agency>& agencies) {
  GUGUS_ASSIGN_OR_RETURN(Agency admin_agency, EnsureAdminAgency(store));
  std::vector<const Agency*> local;
  for (const Agency& a : agencies)
    if (a.region_code != kNationalRegion) local.push_back(&a);

  std::vector<DemoAccount> plan;
  const std::string national(kNationalRegion);
  plan.push_back(
      {"demo.admin", std::string(RoleName(Role::kAdmin)), national, admin_agency.code});
  plan.push_back({"demo.sekretariat", std::string(RoleName(Role::kSecretariat)), national,
                  admin_agency.code});
  if (!local.empty()) {
    plan.push_back({"demo.provinsi", std::string(RoleName(Role::kSecretariat)),
                    ProvinceOf(local.front()->region_code), admin_agency.code});
  }
  // Every demo agency gets an account of the role its type implies, so each agency
  // role (caseworker, investigator, migrant officer) can be tried.
  for (size_t i = 0; i < local.size(); ++i) {
    std::string name = StrCat("demo.", local[i]->code);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    plan.push_back({std::move(name), std::string(AgencyRoleFor(local[i]->type)),
                    local[i]->region_code, local[i]->code});
  }
  plan.push_back({"demo.analis", std::string(RoleName(Role::kAnalyst)), national,
                  admin_agency.code});

  for (DemoAccount& account : plan) {
    NewUser user{account.username, account.role, account.region_code, account.agency_code,
                 std::string(kDemoPassword)};
    absl::StatusOr<User> created = accounts.CreateUser(user);
    if (absl::IsAlreadyExists(created.status())) continue;
    GUGUS_RETURN_IF_ERROR(created.status());
    account.created = true;
    GUGUS_RETURN_IF_ERROR(audit.Record({std::string(actor), "", "user.add",
                                        StrCat("user:", created->username),
                                        AddDetail(user, true, "demo")}));
  }
  return plan;
}

}  // namespace gugus::domain
