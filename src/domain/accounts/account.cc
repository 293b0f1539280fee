#include "domain/accounts/account.h"

#include <array>

namespace gugus::domain {
namespace {

constexpr std::array<Role, 6> kRoles = {
    Role::kAdmin,        Role::kSecretariat,    Role::kCaseworker,
    Role::kInvestigator, Role::kMigrantOfficer, Role::kAnalyst,
};

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kSecretariat:
      return "secretariat";
    case Role::kCaseworker:
      return "caseworker";
    case Role::kInvestigator:
      return "investigator";
    case Role::kMigrantOfficer:
      return "migrant_officer";
    case Role::kAnalyst:
      return "analyst";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : kRoles)
    if (RoleName(role) == name) return role;
  return std::nullopt;
}

std::span<const Role> AllRoles() { return kRoles; }

}  // namespace gugus::domain
