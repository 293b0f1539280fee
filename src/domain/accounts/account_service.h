// Accounts and sessions (SPEC section 6): creating and changing accounts, logging in
// and out, and checking session tokens.
//
// Passwords are hashed with Argon2id (libsodium); no password and no token is ever
// stored, logged or put in an error message. A session token is 32 random bytes,
// handed to the client once as URL-safe base64 without padding; the store keeps only
// its BLAKE2b-256 hash, so a copy of the database cannot be used to log in.
//
// Failed logins are slowed per lower-cased username and per client address, counted
// in the store (AccountRepository::AddLoginFailure) so that every server sharing the
// database throttles alike, and under a digest of each (never what was typed): after
// `free_failures` consecutive failures, each further attempt within 2^(failures -
// free_failures) seconds (at most `max_delay`) of the last failure is refused without
// checking the password (ResourceExhausted, with the payload kRetryAfterPayload holding
// the seconds to wait, in decimal). A successful login resets the username's and the
// address's counters. Failure state older than twice `max_delay` is forgotten (deleted
// with the next failure). The service records nothing in the audit trail: its caller
// knows the actor and records auth.* and user.* events (AuditLog).
//
// Account changes take the version the caller last saw (`expected_version`, 0 = do
// not check): a change made meanwhile by someone else fails with Aborted instead of
// being overwritten.
//
// Ownership: the Store must outlive the service. Thread-safety: every method may be
// called from several threads at once (the HTTP server's worker pool).
// Errors: InvalidArgument for bad input (the message says what is wrong and never
// repeats a password), AlreadyExists for a taken username, NotFound for an unknown
// account (except at login), Unauthenticated for a wrong username or password or a
// token that is unknown, expired, revoked or belongs to a disabled account,
// PermissionDenied for a disabled account's correct password or a wrong current
// password, ResourceExhausted while throttled, Aborted for a stale version, and
// storage errors as they come.
#pragma once

#include <sodium.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/accounts/account.h"
#include "domain/repository.h"

namespace gugus::domain {

// The payload key of a throttled login's status: the seconds to wait, in decimal.
inline constexpr std::string_view kRetryAfterPayload = "gugus/retry-after";

struct AccountOptions {
  std::chrono::seconds session_ttl{8 * 3600};
  int free_failures = 5;  // failed logins before throttling starts
  std::chrono::seconds max_delay{900};
  unsigned long long argon_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;  // tests: MIN
  size_t argon_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;              // tests: MIN
  std::function<std::chrono::system_clock::time_point()> clock;       // default: now
};

struct NewUser {
  std::string username, role, region_code, agency_code, password;
  bool must_change_password = false;  // set for a generated one-time password
};

struct LoginResult {
  std::string token;  // give to the client; it is not stored anywhere
  User user;
  std::string expires_at;  // ISO 8601 UTC
};

class AccountService {
 public:
  explicit AccountService(Store& store, AccountOptions options = {});
  AccountService(const AccountService&) = delete;
  AccountService& operator=(const AccountService&) = delete;

  // Validates everything: username 3–64 characters of a-z 0-9 . _ - (lower-cased),
  // a known role, a province, regency or "ID" region that exists, an existing
  // agency, a password of at least 10 characters that is not the username.
  absl::StatusOr<User> CreateUser(const NewUser& request);

  // The same Unauthenticated message for an unknown username and a wrong password.
  absl::StatusOr<LoginResult> Login(std::string_view username, std::string_view password,
                                    std::string_view address);
  // The account behind a token (read afresh, so changes apply at once).
  absl::StatusOr<User> Authenticate(std::string_view token);
  // Ends the session (also when it has already expired); Unauthenticated when the
  // token is unknown.
  absl::Status Logout(std::string_view token);

  // Disabling also ends every session of the account.
  absl::StatusOr<User> SetDisabled(std::string_view username, bool disabled,
                                   int64_t expected_version);
  // Changes what is given; sessions continue (Authenticate reads the account afresh).
  absl::StatusOr<User> UpdateUser(std::string_view username,
                                  std::optional<std::string> role,
                                  std::optional<std::string> region_code,
                                  std::optional<std::string> agency_code,
                                  int64_t expected_version);
  // Sets a new password (generated when `password` is empty; returned so it can be
  // shown once), marks must_change_password and ends every session of the account.
  absl::StatusOr<std::string> ResetPassword(std::string_view username,
                                            std::string_view password,
                                            int64_t expected_version);
  // The account's own change: needs the current password (PermissionDenied when
  // wrong; throttled like logins) and clears must_change_password.
  absl::Status ChangePassword(int64_t user_id, std::string_view old_password,
                              std::string_view new_password);

  // 4 groups of 4 characters without look-alikes (no 0/o, 1/l/i), joined by '-':
  // about 79 bits of randomness.
  static std::string GeneratePassword();

 private:
  std::chrono::system_clock::time_point Now() const;
  absl::StatusOr<std::string> Hash(std::string_view password) const;
  absl::Status CheckNewPassword(std::string_view username,
                                std::string_view password) const;
  absl::Status CheckRegion(std::string_view code);
  absl::StatusOr<Agency> FindAgency(std::string_view code);
  absl::StatusOr<User> FindForChange(std::string_view username, int64_t expected_version);
  const std::string& DummyHash();

  // Throttling by the failures the store counts under `keys` (see the top).
  absl::Status CheckThrottle(const std::vector<std::string>& keys);
  absl::Status RecordFailure(const std::vector<std::string>& keys);
  int64_t ForgetBefore(std::chrono::system_clock::time_point now) const;
  std::chrono::seconds DelayFor(int failures) const;

  Store& store_;
  AccountOptions options_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace gugus::domain
