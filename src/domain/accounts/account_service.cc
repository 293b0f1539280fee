#include "domain/accounts/account_service.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "absl/strings/cord.h"
#include "core/date.h"
#include "core/status.h"
#include "core/strcat.h"

namespace gugus::domain {
namespace {

using Clock = std::chrono::system_clock;

constexpr size_t kTokenBytes = 32;
constexpr size_t kMinPassword = 10;
constexpr size_t kMaxPassword = 256;
constexpr std::string_view kWrongLogin = "wrong username or password";
constexpr std::string_view kNoSession = "not logged in, or the session has ended";

void InitSodium() {
  // Thread-safe and idempotent; fails only when no random source exists, and then
  // randombytes aborts rather than returning predictable bytes.
  static const int ready = sodium_init();
  (void)ready;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Characters, not bytes: a UTF-8 continuation byte does not start a character.
size_t CharCount(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string CheckUsername(std::string_view username) {
  if (username.size() < 3 || username.size() > 64)
    return "a username has 3 to 64 characters";
  for (char c : username) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return "a username may only hold the letters a-z, digits, '.', '_' and '-'";
  }
  return "";
}

std::string RoleList() {
  std::string out;
  for (Role r : AllRoles()) out += StrCat(out.empty() ? "" : ", ", RoleName(r));
  return out;
}

absl::StatusOr<Role> ParseRoleOrError(std::string_view name) {
  std::optional<Role> role = ParseRole(name);
  if (!role)
    return WithField(absl::InvalidArgumentError(
                         StrCat("unknown role '", name, "'; use one of: ", RoleList())),
                     "role");
  return *role;
}

// Only a hash of the token is stored; a token that is not our encoding of 32 bytes
// cannot be one we issued.
std::optional<std::string> TokenHash(std::string_view token) {
  std::array<unsigned char, kTokenBytes> raw;
  size_t len = 0;
  const char* end = nullptr;
  if (token.size() !=
      sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING) -
          1)
    return std::nullopt;
  if (sodium_base642bin(raw.data(), raw.size(), token.data(), token.size(), nullptr, &len,
                        &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len != kTokenBytes || end != token.data() + token.size())
    return std::nullopt;
  std::array<unsigned char, crypto_generichash_BYTES> digest;
  crypto_generichash(digest.data(), digest.size(), raw.data(), raw.size(), nullptr, 0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex;
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

// The throttling key stored for a username or an address: a digest, so that the
// table never holds what was typed as a username (sometimes a password).
std::string ThrottleKey(std::string_view kind, std::string_view value) {
  const std::string text = StrCat(kind, ":", value);
  std::array<unsigned char, 16> digest;
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     nullptr, 0);
  std::array<char, 33> hex;
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

int64_t Millis(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch())
      .count();
}

absl::Status Unauthenticated(std::string_view message) {
  return absl::UnauthenticatedError(AsAbsl(message));
}

}  // namespace

AccountService::AccountService(Store& store, AccountOptions options)
    : store_(store), options_(std::move(options)) {
  InitSodium();
  if (options_.free_failures < 0) options_.free_failures = 0;
  if (options_.max_delay < std::chrono::seconds(1))
    options_.max_delay = std::chrono::seconds(1);
}

Clock::time_point AccountService::Now() const {
  return options_.clock ? options_.clock() : Clock::now();
}

absl::StatusOr<std::string> AccountService::Hash(std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> out;
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            options_.argon_ops, options_.argon_mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return absl::ResourceExhaustedError("cannot hash the password: out of memory");
  return std::string(out.data());
}

const std::string& AccountService::DummyHash() {
  // Verified against for unknown usernames, so that they take as long as known ones.
  std::call_once(dummy_once_, [this] {
    std::array<unsigned char, 16> random;
    randombytes_buf(random.data(), random.size());
    absl::StatusOr<std::string> hash = Hash(
        std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
    dummy_hash_ = hash.ok() ? *hash : "";
  });
  return dummy_hash_;
}

absl::Status AccountService::CheckNewPassword(std::string_view username,
                                              std::string_view password) const {
  const size_t chars = CharCount(password);
  if (chars < kMinPassword)
    return absl::InvalidArgumentError(
        StrCat("a password needs at least ", kMinPassword, " characters"));
  if (chars > kMaxPassword)
    return absl::InvalidArgumentError(
        StrCat("a password may have at most ", kMaxPassword, " characters"));
  const std::string lower_password = Lower(password), lower_username = Lower(username);
  if (lower_password.size() == lower_username.size() &&
      sodium_memcmp(lower_password.data(), lower_username.data(),
                    lower_password.size()) == 0)
    return absl::InvalidArgumentError("the password must not be the username");
  return absl::OkStatus();
}

absl::Status AccountService::CheckRegion(std::string_view code) {
  if (code.empty())
    return WithField(absl::InvalidArgumentError("the region code is missing"), "region");
  GUGUS_ASSIGN_OR_RETURN(std::vector<Region> regions,
                         store_.reference().LoadRegions(RegionLevel::kRegency));
  for (const Region& r : regions)
    if (r.code == code) return absl::OkStatus();
  return WithField(
      absl::InvalidArgumentError(StrCat("unknown region code '", code,
                                        "'; use a province or regency code, or ",
                                        kNationalRegion, " for all of Indonesia")),
      "region");
}

absl::StatusOr<Agency> AccountService::FindAgency(std::string_view code) {
  if (code.empty())
    return WithField(absl::InvalidArgumentError("the agency code is missing"), "agency");
  absl::StatusOr<Agency> agency = store_.agencies().FindByCode(code);
  if (absl::IsNotFound(agency.status()))
    return WithField(absl::InvalidArgumentError(StrCat("unknown agency '", code, "'")),
                     "agency");
  return agency;
}

absl::StatusOr<User> AccountService::CreateUser(const NewUser& request) {
  const std::string username = Lower(request.username);
  if (std::string problem = CheckUsername(username); !problem.empty())
    return WithField(absl::InvalidArgumentError(problem), "username");
  GUGUS_ASSIGN_OR_RETURN(Role role, ParseRoleOrError(request.role));
  GUGUS_RETURN_IF_ERROR(CheckRegion(request.region_code));
  GUGUS_ASSIGN_OR_RETURN(Agency agency, FindAgency(request.agency_code));
  GUGUS_RETURN_IF_ERROR(
      WithField(CheckNewPassword(username, request.password), "password"));
  if (absl::StatusOr<User> taken = store_.accounts().FindUser(username); taken.ok())
    return absl::AlreadyExistsError(
        StrCat("the username '", username, "' is already taken"));
  else if (!absl::IsNotFound(taken.status()))
    return taken.status();
  User user;
  user.username = username;
  user.role = role;
  user.region_code = request.region_code;
  user.agency_id = agency.id;
  user.must_change_password = request.must_change_password;
  GUGUS_ASSIGN_OR_RETURN(user.password_hash, Hash(request.password));
  GUGUS_RETURN_IF_ERROR(store_.accounts().AddUser(user));
  return user;
}

absl::StatusOr<LoginResult> AccountService::Login(std::string_view username,
                                                  std::string_view password,
                                                  std::string_view address) {
  const std::string name = Lower(username);
  std::vector<std::string> keys = {ThrottleKey("u", name)};
  if (!address.empty()) keys.push_back(ThrottleKey("a", address));
  GUGUS_RETURN_IF_ERROR(CheckThrottle(keys));

  absl::StatusOr<User> user = store_.accounts().FindUser(name);
  if (!user.ok() && !absl::IsNotFound(user.status())) return user.status();
  const std::string& hash = user.ok() ? user->password_hash : DummyHash();
  const bool verified =
      !hash.empty() &&
      crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  if (!user.ok() || !verified) {
    GUGUS_RETURN_IF_ERROR(RecordFailure(keys));
    return Unauthenticated(kWrongLogin);
  }
  if (user->disabled) return absl::PermissionDeniedError("this account is disabled");
  GUGUS_RETURN_IF_ERROR(store_.accounts().ClearLoginFailures(keys));

  // Hashes made with weaker parameters than today's are upgraded while the password
  // is at hand; a concurrent change wins (the old hash still works).
  if (crypto_pwhash_str_needs_rehash(user->password_hash.c_str(), options_.argon_ops,
                                     options_.argon_mem) != 0) {
    if (absl::StatusOr<std::string> rehash = Hash(password); rehash.ok()) {
      User updated = *user;
      updated.password_hash = *rehash;
      if (store_.accounts().UpdateUser(updated).ok()) *user = std::move(updated);
    }
  }

  std::array<unsigned char, kTokenBytes> raw;
  randombytes_buf(raw.data(), raw.size());
  std::array<char, sodium_base64_ENCODED_LEN(kTokenBytes,
                                             sodium_base64_VARIANT_URLSAFE_NO_PADDING)>
      encoded;
  sodium_bin2base64(encoded.data(), encoded.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw.data(), raw.size());
  LoginResult result;
  result.token = encoded.data();
  sodium_memzero(encoded.data(), encoded.size());

  const Clock::time_point now = Now();
  Session session;
  session.token_hash = *TokenHash(result.token);
  session.user_id = user->id;
  session.created_at = FormatUtc(now);
  session.expires_at = FormatUtc(now + options_.session_ttl);
  session.address = std::string(address);
  GUGUS_RETURN_IF_ERROR(store_.accounts().AddSession(session));
  result.user = *std::move(user);
  result.expires_at = session.expires_at;
  return result;
}

absl::StatusOr<User> AccountService::Authenticate(std::string_view token) {
  std::optional<std::string> hash = TokenHash(token);
  if (!hash) return Unauthenticated(kNoSession);
  absl::StatusOr<Session> session = store_.accounts().FindSession(*hash);
  if (absl::IsNotFound(session.status())) return Unauthenticated(kNoSession);
  if (!session.ok()) return session.status();
  // Same fixed-width format: string order is time order.
  if (session->revoked || session->expires_at <= FormatUtc(Now()))
    return Unauthenticated(kNoSession);
  absl::StatusOr<User> user = store_.accounts().FindUserById(session->user_id);
  if (absl::IsNotFound(user.status())) return Unauthenticated(kNoSession);
  if (!user.ok()) return user.status();
  if (user->disabled) return Unauthenticated(kNoSession);
  return user;
}

absl::Status AccountService::Logout(std::string_view token) {
  std::optional<std::string> hash = TokenHash(token);
  if (!hash) return Unauthenticated(kNoSession);
  absl::Status status = store_.accounts().RevokeSession(*hash);
  if (absl::IsNotFound(status)) return Unauthenticated(kNoSession);
  return status;
}

absl::StatusOr<User> AccountService::FindForChange(std::string_view username,
                                                   int64_t expected_version) {
  GUGUS_ASSIGN_OR_RETURN(User user, store_.accounts().FindUser(Lower(username)));
  if (expected_version != 0 && user.version != expected_version)
    return absl::AbortedError(
        "the account was changed by someone else meanwhile; reload it and try again");
  return user;
}

absl::StatusOr<User> AccountService::SetDisabled(std::string_view username, bool disabled,
                                                 int64_t expected_version) {
  GUGUS_ASSIGN_OR_RETURN(User user, FindForChange(username, expected_version));
  user.disabled = disabled;
  GUGUS_RETURN_IF_ERROR(store_.accounts().UpdateUser(user));
  if (disabled) GUGUS_RETURN_IF_ERROR(store_.accounts().RevokeUserSessions(user.id));
  return user;
}

absl::StatusOr<User> AccountService::UpdateUser(std::string_view username,
                                                std::optional<std::string> role,
                                                std::optional<std::string> region_code,
                                                std::optional<std::string> agency_code,
                                                int64_t expected_version) {
  GUGUS_ASSIGN_OR_RETURN(User user, FindForChange(username, expected_version));
  if (role) {
    GUGUS_ASSIGN_OR_RETURN(user.role, ParseRoleOrError(*role));
  }
  if (region_code) {
    GUGUS_RETURN_IF_ERROR(CheckRegion(*region_code));
    user.region_code = *region_code;
  }
  if (agency_code) {
    GUGUS_ASSIGN_OR_RETURN(Agency agency, FindAgency(*agency_code));
    user.agency_id = agency.id;
  }
  GUGUS_RETURN_IF_ERROR(store_.accounts().UpdateUser(user));
  return user;
}

absl::StatusOr<std::string> AccountService::ResetPassword(std::string_view username,
                                                          std::string_view password,
                                                          int64_t expected_version) {
  GUGUS_ASSIGN_OR_RETURN(User user, FindForChange(username, expected_version));
  std::string chosen = password.empty() ? GeneratePassword() : std::string(password);
  GUGUS_RETURN_IF_ERROR(WithField(CheckNewPassword(user.username, chosen), "password"));
  GUGUS_ASSIGN_OR_RETURN(user.password_hash, Hash(chosen));
  user.must_change_password = true;
  GUGUS_RETURN_IF_ERROR(store_.accounts().UpdateUser(user));
  GUGUS_RETURN_IF_ERROR(store_.accounts().RevokeUserSessions(user.id));
  return chosen;
}

absl::Status AccountService::ChangePassword(int64_t user_id,
                                            std::string_view old_password,
                                            std::string_view new_password) {
  GUGUS_ASSIGN_OR_RETURN(User user, store_.accounts().FindUserById(user_id));
  // A stolen session must not let anyone guess the current password at full speed.
  const std::vector<std::string> keys = {ThrottleKey("u", user.username)};
  GUGUS_RETURN_IF_ERROR(CheckThrottle(keys));
  if (crypto_pwhash_str_verify(user.password_hash.c_str(), old_password.data(),
                               old_password.size()) != 0) {
    GUGUS_RETURN_IF_ERROR(RecordFailure(keys));
    return absl::PermissionDeniedError("the current password is wrong");
  }
  GUGUS_RETURN_IF_ERROR(
      WithField(CheckNewPassword(user.username, new_password), "new_password"));
  if (old_password.size() == new_password.size() &&
      sodium_memcmp(old_password.data(), new_password.data(), new_password.size()) == 0)
    return WithField(
        absl::InvalidArgumentError("the new password must differ from the current one"),
        "new_password");
  GUGUS_ASSIGN_OR_RETURN(user.password_hash, Hash(new_password));
  user.must_change_password = false;
  return store_.accounts().UpdateUser(user);
}

std::string AccountService::GeneratePassword() {
  InitSodium();
  // No 0/o, 1/l/i: read aloud or copied from paper without mistakes.
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string out;
  for (int group = 0; group < 4; ++group) {
    if (group) out += '-';
    for (int i = 0; i < 4; ++i)
      out += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
  }
  return out;
}

// --- Throttling ---

std::chrono::seconds AccountService::DelayFor(int failures) const {
  const int over = failures - options_.free_failures;
  if (over < 0) return std::chrono::seconds(0);
  if (over >= 30) return options_.max_delay;
  return std::min(std::chrono::seconds(int64_t{1} << over), options_.max_delay);
}

// Failures whose last one is before this are forgotten: those at least twice the
// longest delay ago.
int64_t AccountService::ForgetBefore(Clock::time_point now) const {
  return Millis(now - 2 * options_.max_delay) + 1;
}

absl::Status AccountService::CheckThrottle(const std::vector<std::string>& keys) {
  GUGUS_ASSIGN_OR_RETURN(std::vector<LoginFailures> failures,
                         store_.accounts().FindLoginFailures(keys));
  const Clock::time_point now = Now();
  const int64_t forget_before = ForgetBefore(now);
  std::chrono::milliseconds wait{0};
  for (const LoginFailures& f : failures) {
    if (f.count == 0 || f.last_ms < forget_before) continue;
    const auto until = std::chrono::milliseconds(f.last_ms) + DelayFor(f.count);
    wait = std::max(wait, until - std::chrono::milliseconds(Millis(now)));
  }
  if (wait.count() <= 0) return absl::OkStatus();
  const int64_t seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
  absl::Status status = absl::ResourceExhaustedError(
      StrCat("too many failed logins; try again in ", seconds,
             seconds == 1 ? " second" : " seconds"));
  status.SetPayload(AsAbsl(kRetryAfterPayload), absl::Cord(StrCat(seconds)));
  return status;
}

absl::Status AccountService::RecordFailure(const std::vector<std::string>& keys) {
  const Clock::time_point now = Now();
  return store_.accounts().AddLoginFailure(keys, Millis(now), ForgetBefore(now));
}

}  // namespace gugus::domain
