// Accounts, sessions and audit entries: value types shared by the account and
// audit services, the access policy and the storage backends. Thread-safe values.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gugus::domain {

// SPEC section 6's roles. Every account belongs to one agency and one region.
enum class Role {
  kAdmin,
  kSecretariat,
  kCaseworker,
  kInvestigator,
  kMigrantOfficer,
  kAnalyst,
};

// "admin", "secretariat", "caseworker", "investigator", "migrant_officer", "analyst".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
std::span<const Role> AllRoles();

// The region code that stands for the whole of Indonesia (national accounts).
inline constexpr std::string_view kNationalRegion = "ID";

struct User {
  int64_t id = 0;
  std::string username;  // 3–64 of a-z 0-9 . _ -, stored lower-case
  Role role = Role::kAnalyst;
  std::string region_code;  // Kemendagri code or kNationalRegion
  int64_t agency_id = 0;
  std::string agency_code;    // filled when read back
  std::string password_hash;  // libsodium Argon2id string; never leaves the domain
  bool disabled = false;
  bool must_change_password = false;   // set by a one-time or reset password
  int64_t version = 1;                 // optimistic concurrency: bumped by every update
  std::string created_at, updated_at;  // ISO 8601 UTC, set by the store
};

// A login session. Only a hash of the token is stored: a stolen database copy
// cannot be used to log in.
struct Session {
  std::string token_hash;  // hex
  int64_t user_id = 0;
  std::string created_at;  // ISO 8601 UTC
  std::string expires_at;  // ISO 8601 UTC
  std::string address;     // client address at login
  bool revoked = false;
};

// Failed logins under one throttling key (a username's or a client address's).
struct LoginFailures {
  int count = 0;
  int64_t last_ms = 0;  // the last failure, milliseconds since the epoch
  bool operator==(const LoginFailures&) const = default;
};

// One entry of the append-only, hash-chained audit trail. Entries never hold
// personal data: `target` names records by internal ids ("person:12",
// "record:POLDA-NTT/LP-1"), `detail` is a short JSON object of non-identifying facts.
struct AuditEntry {
  int64_t seq = 0;        // 1, 2, 3 … set by the store
  std::string at;         // ISO 8601 UTC with milliseconds, set by the caller
  std::string actor;      // username, or "system"/"cli:<user>"
  std::string address;    // client address, "" for the CLI
  std::string action;     // "person.read", "user.add", "auth.login_failed" …
  std::string target;     // what was read or changed
  std::string detail;     // JSON object ("{}" when nothing more)
  std::string prev_hash;  // hash of entry seq-1 ("" before the first), set by the store
  std::string hash;       // hex SHA-256 over prev_hash and the fields above
};

}  // namespace gugus::domain
