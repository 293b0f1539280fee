#include "domain/access.h"

#include <array>

#include "core/region_index.h"

namespace gugus::domain {
namespace {

constexpr std::array<Action, 9> kActions = {
    Action::kSession,        Action::kReadReference, Action::kReadAggregates,
    Action::kReadRecords,    Action::kImport,        Action::kReview,
    Action::kManageAgencies, Action::kManageUsers,   Action::kReadAudit,
};

bool IsAgencyRole(Role role) {
  return role == Role::kCaseworker || role == Role::kInvestigator ||
         role == Role::kMigrantOfficer;
}

}  // namespace

Principal PrincipalOf(const User& user) {
  return Principal{user.id,          user.username,  user.role,
                   user.region_code, user.agency_id, user.agency_code};
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kSession:
      return "session";
    case Action::kReadReference:
      return "read_reference";
    case Action::kReadAggregates:
      return "read_aggregates";
    case Action::kReadRecords:
      return "read_records";
    case Action::kImport:
      return "import";
    case Action::kReview:
      return "review";
    case Action::kManageAgencies:
      return "manage_agencies";
    case Action::kManageUsers:
      return "manage_users";
    case Action::kReadAudit:
      return "read_audit";
  }
  return "unknown";
}

std::span<const Action> AllActions() { return kActions; }

bool Allows(const Principal& principal, Action action) {
  const Role role = principal.role;
  switch (action) {
    case Action::kSession:
    case Action::kReadReference:
    case Action::kReadAggregates:
      return true;
    case Action::kReadRecords:
      return role != Role::kAnalyst;
    case Action::kImport:
      return role == Role::kAdmin || role == Role::kSecretariat || IsAgencyRole(role);
    case Action::kReview:
      return role == Role::kSecretariat || IsAgencyRole(role);
    case Action::kManageAgencies:
    case Action::kManageUsers:
    case Action::kReadAudit:
      return role == Role::kAdmin;
  }
  return false;
}

bool InRegion(std::string_view code, std::string_view root) {
  return RegionIndex::Contains(root, code);
}

RecordScope ScopeOf(const Principal& principal) {
  RecordScope scope;
  if (principal.role == Role::kAnalyst) {
    scope.nothing = true;
    return scope;
  }
  if (IsAgencyRole(principal.role)) {
    scope.region = principal.region_code;
    scope.agency_id = principal.agency_id;
    return scope;
  }
  // Secretariat and administrators.
  if (principal.region_code == kNationalRegion) {
    scope.everything = true;
    return scope;
  }
  scope.region = principal.region_code;
  scope.by_origin = true;
  return scope;
}

bool CanSee(const RecordScope& scope, const RecordPlace& place) {
  if (scope.nothing) return false;
  if (scope.everything) return true;
  if (scope.agency_id != 0) {
    return place.agency_id == scope.agency_id &&
           InRegion(place.agency_region, scope.region);
  }
  if (InRegion(place.agency_region, scope.region)) return true;
  return scope.by_origin && !place.origin_region.empty() &&
         InRegion(place.origin_region, scope.region);
}

bool CanImportFor(const Principal& principal, int64_t agency_id,
                  std::string_view agency_region) {
  if (!Allows(principal, Action::kImport)) return false;
  if (IsAgencyRole(principal.role)) {
    return agency_id == principal.agency_id &&
           InRegion(agency_region, principal.region_code);
  }
  return InRegion(agency_region, principal.region_code);
}

bool CanManageIn(const Principal& principal, std::string_view region) {
  return principal.role == Role::kAdmin && InRegion(region, principal.region_code);
}

}  // namespace gugus::domain
