// The access policy of SPEC section 6, in one place. Every HTTP route and every
// service that returns personal data asks this module; nothing else decides.
//
// Two questions:
//  - Allows(principal, action): may this role do this kind of thing at all?
//    (No → the API answers 403.)
//  - ScopeOf(principal) / CanSee(scope, place): which source records may it see?
//    A record outside the scope is treated as absent (the API answers 404, so its
//    existence is not revealed). Persons, cases and review pairs are derived: a
//    person is visible where at least one of its records is, showing only those.
//
// Regions form a tree of Kemendagri codes ("32" ⊃ "32.02" ⊃ "32.02.01"); "ID" is
// the root (national). Pure functions over values; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "domain/accounts/account.h"

namespace gugus::domain {

// Who is asking: the logged-in account.
struct Principal {
  int64_t user_id = 0;
  std::string username;
  Role role = Role::kAnalyst;
  std::string region_code;  // kNationalRegion for national accounts
  int64_t agency_id = 0;
  std::string agency_code;
};

Principal PrincipalOf(const User& user);

// Kinds of things a caller may ask for. Every route names exactly one.
enum class Action {
  kSession,         // own session and account: me, logout, change own password
  kReadReference,   // regions, countries, agencies (no personal data)
  kReadAggregates,  // suppressed statistics (no personal data)
  kReadRecords,     // source records, persons, import batches and their rejects
  kImport,          // submit an agency's file
  kReview,          // the review queue and its decisions
  kManageAgencies,  // add and change agencies
  kManageUsers,     // add, change, disable accounts, reset passwords
  kReadAudit,       // the audit trail
};

std::string_view ActionName(Action action);
std::span<const Action> AllActions();

bool Allows(const Principal& principal, Action action);

// Is `code` the region `root` or inside it? kNationalRegion contains everything.
bool InRegion(std::string_view code, std::string_view root);

// Which source records a principal may see.
struct RecordScope {
  bool nothing = false;     // analysts: aggregates only
  bool everything = false;  // national secretariat and administrators
  std::string region;       // else: the subtree the account belongs to
  bool by_origin = false;   // secretariat: also records whose origin lies in it
  int64_t agency_id = 0;    // agency roles: only their own agency's records
};

RecordScope ScopeOf(const Principal& principal);

// Where a source record belongs (SPEC section 6: two regions).
struct RecordPlace {
  int64_t agency_id = 0;
  std::string_view agency_region;
  std::string_view origin_region;  // "" when unknown
};

bool CanSee(const RecordScope& scope, const RecordPlace& place);

// May the principal submit files for this agency? Agency roles: only their own;
// secretariat and administrators: any agency whose region lies in theirs.
bool CanImportFor(const Principal& principal, int64_t agency_id,
                  std::string_view agency_region);

// May the principal manage an account or agency placed in `region`? Administrators
// only, within their own region (a provincial administrator cannot create a
// national account).
bool CanManageIn(const Principal& principal, std::string_view region);

}  // namespace gugus::domain
