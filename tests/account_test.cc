// AccountService over a real store (the run's backend): what an account holder and
// an administrator notice (SPEC section 6: Argon2id passwords, random session tokens,
// slowed repeated failures).
#include <sodium.h>

#include <atomic>
#include <set>
#include <thread>

#include "core/date.h"
#include "core/status.h"
#include "domain/accounts/account_service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;
using Clock = std::chrono::system_clock;
using std::chrono::seconds;

constexpr char kPassword[] = "kopi-tubruk-42";

class AccountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::OpenStore(testing::PreparedDatabase(dir_));
    service_ = std::make_unique<domain::AccountService>(*store_, Options());
  }

  domain::AccountOptions Options() {
    domain::AccountOptions o;
    o.argon_ops = crypto_pwhash_OPSLIMIT_MIN;
    o.argon_mem = crypto_pwhash_MEMLIMIT_MIN;
    o.max_delay = seconds(60);
    o.clock = [this] { return now_; };
    return o;
  }

  domain::User Create(const std::string& username, const std::string& role = "caseworker",
                      const std::string& password = kPassword) {
    auto user = service_->CreateUser({username, role, "53", "POLDA-NTT", password});
    EXPECT_TRUE(user.ok()) << user.status();
    return user.ok() ? *user : domain::User{};
  }

  absl::Status LoginStatus(const std::string& user, const std::string& password,
                           const std::string& address = "10.0.0.1") {
    return service_->Login(user, password, address).status();
  }

  testing::TempDir dir_;
  std::unique_ptr<domain::Store> store_;
  Clock::time_point now_ = Clock::time_point(seconds(1'800'000'000));
  std::unique_ptr<domain::AccountService> service_;
};

TEST_F(AccountTest, CreateUserLowerCasesTheNameAndStoresAnArgon2idHash) {
  domain::User user = Create("Siti.Rahma");
  EXPECT_EQ(user.username, "siti.rahma");
  EXPECT_EQ(user.agency_code, "POLDA-NTT");
  EXPECT_EQ(user.role, domain::Role::kCaseworker);
  EXPECT_FALSE(user.must_change_password);
  auto stored = store_->accounts().FindUser("siti.rahma");
  ASSERT_TRUE(stored.ok());
  EXPECT_THAT(stored->password_hash, StartsWith("$argon2id$"));
  EXPECT_THAT(stored->password_hash, Not(HasSubstr(kPassword)));
  EXPECT_NE(stored->password_hash, kPassword);
}

TEST_F(AccountTest, CreateUserRefusesBadInputWithPlainMessagesThatNeverShowThePassword) {
  struct Case {
    domain::NewUser request;
    std::string message;
  };
  const std::string secret = "Rahasia-Sekali-99";
  std::vector<Case> cases = {
      {{"ab", "caseworker", "53", "POLDA-NTT", secret}, "3 to 64 characters"},
      {{std::string(65, 'a'), "caseworker", "53", "POLDA-NTT", secret},
       "3 to 64 characters"},
      {{"siti rahma", "caseworker", "53", "POLDA-NTT", secret}, "may only hold"},
      {{"siti@x", "caseworker", "53", "POLDA-NTT", secret}, "may only hold"},
      {{"siti", "boss", "53", "POLDA-NTT", secret}, "unknown role 'boss'"},
      {{"siti", "caseworker", "99", "POLDA-NTT", secret}, "unknown region code '99'"},
      {{"siti", "caseworker", "", "POLDA-NTT", secret}, "region code is missing"},
      {{"siti", "caseworker", "53", "NOPE", secret}, "unknown agency 'NOPE'"},
      {{"siti", "caseworker", "53", "POLDA-NTT", "Pendek-1"}, "at least 10 characters"},
      {{"siti.rahma1", "caseworker", "53", "POLDA-NTT", "SITI.RAHMA1"},
       "must not be the username"},
  };
  for (const Case& c : cases) {
    auto user = service_->CreateUser(c.request);
    EXPECT_TRUE(absl::IsInvalidArgument(user.status()))
        << c.message << ": " << user.status();
    EXPECT_THAT(std::string(user.status().message()), HasSubstr(c.message));
    EXPECT_THAT(std::string(user.status().message()), Not(HasSubstr(c.request.password)));
  }
  EXPECT_TRUE(store_->accounts().ListUsers()->empty());
}

TEST_F(AccountTest, NationalRegionAndATakenUsername) {
  auto national =
      service_->CreateUser({"nasional", "secretariat", "ID", "POLDA-NTT", kPassword});
  ASSERT_TRUE(national.ok()) << national.status();
  EXPECT_EQ(national->region_code, "ID");
  auto taken =
      service_->CreateUser({"NASIONAL", "analyst", "53", "POLDA-NTT", kPassword});
  EXPECT_TRUE(absl::IsAlreadyExists(taken.status()));
  EXPECT_THAT(std::string(taken.status().message()), HasSubstr("already taken"));
}

TEST_F(AccountTest, LoginGivesATokenThatAuthenticatesAndIsNotStored) {
  domain::User user = Create("siti");
  auto login = service_->Login("SITI", kPassword, "10.0.0.1");
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_THAT(login->token, MatchesRegex("[A-Za-z0-9_-]{43}"));
  EXPECT_EQ(login->user.id, user.id);
  EXPECT_THAT(std::string(login->user.password_hash), StartsWith("$argon2id$"));
  EXPECT_EQ(login->expires_at, FormatUtc(now_ + seconds(8 * 3600)));

  auto who = service_->Authenticate(login->token);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->username, "siti");
  EXPECT_TRUE(absl::IsNotFound(store_->accounts().FindSession(login->token).status()));

  auto other = service_->Login("siti", kPassword, "10.0.0.1");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->token, login->token);

  for (std::string bad : {std::string(""), std::string("x"), login->token + "A",
                          std::string(43, 'A'), std::string(43, '!')}) {
    EXPECT_TRUE(absl::IsUnauthenticated(service_->Authenticate(bad).status())) << bad;
  }
}

TEST_F(AccountTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  Create("siti");
  absl::Status wrong = LoginStatus("siti", "not-the-password");
  absl::Status unknown = LoginStatus("nobody", kPassword);
  EXPECT_TRUE(absl::IsUnauthenticated(wrong));
  EXPECT_TRUE(absl::IsUnauthenticated(unknown));
  EXPECT_EQ(wrong.message(), "wrong username or password");
  EXPECT_EQ(wrong.message(), unknown.message());
}

TEST_F(AccountTest, ADisabledAccountIsToldSoOnlyWithTheRightPassword) {
  domain::User user = Create("siti");
  ASSERT_TRUE(service_->SetDisabled("siti", true, user.version).ok());
  absl::Status right = LoginStatus("siti", kPassword);
  EXPECT_TRUE(absl::IsPermissionDenied(right)) << right;
  EXPECT_EQ(right.message(), "this account is disabled");
  EXPECT_TRUE(absl::IsUnauthenticated(LoginStatus("siti", "not-the-password")));
}

TEST_F(AccountTest, SessionsExpireAfterTheirLifetime) {
  Create("siti");
  auto login = service_->Login("siti", kPassword, "10.0.0.1");
  ASSERT_TRUE(login.ok());
  now_ += seconds(8 * 3600 - 1);
  EXPECT_TRUE(service_->Authenticate(login->token).ok());
  now_ += seconds(1);
  EXPECT_TRUE(absl::IsUnauthenticated(service_->Authenticate(login->token).status()));
}

TEST_F(AccountTest, LogoutEndsOnlyThatSession) {
  Create("siti");
  auto first = service_->Login("siti", kPassword, "10.0.0.1");
  auto second = service_->Login("siti", kPassword, "10.0.0.2");
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(service_->Logout(first->token).ok());
  EXPECT_TRUE(absl::IsUnauthenticated(service_->Authenticate(first->token).status()));
  EXPECT_TRUE(service_->Authenticate(second->token).ok());
  EXPECT_TRUE(absl::IsUnauthenticated(service_->Logout("made-up")));
}

TEST_F(AccountTest, DisablingEndsExistingSessionsAndEnablingDoesNotRevive) {
  domain::User user = Create("siti");
  auto login = service_->Login("siti", kPassword, "10.0.0.1");
  ASSERT_TRUE(login.ok());
  auto disabled = service_->SetDisabled("siti", true, user.version);
  ASSERT_TRUE(disabled.ok()) << disabled.status();
  EXPECT_TRUE(disabled->disabled);
  EXPECT_TRUE(absl::IsUnauthenticated(service_->Authenticate(login->token).status()));
  auto enabled = service_->SetDisabled("siti", false, disabled->version);
  ASSERT_TRUE(enabled.ok());
  EXPECT_FALSE(enabled->disabled);
  EXPECT_TRUE(absl::IsUnauthenticated(service_->Authenticate(login->token).status()));
  EXPECT_TRUE(service_->Login("siti", kPassword, "10.0.0.1").ok());
}

TEST_F(AccountTest, ResetPasswordEndsSessionsAndRequiresAChange) {
  domain::User user = Create("siti");
  auto login = service_->Login("siti", kPassword, "10.0.0.1");
  ASSERT_TRUE(login.ok());
  auto generated = service_->ResetPassword("siti", "", user.version);
  ASSERT_TRUE(generated.ok()) << generated.status();
  EXPECT_THAT(*generated,
              MatchesRegex("[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}"));
  EXPECT_TRUE(absl::IsUnauthenticated(service_->Authenticate(login->token).status()));
  EXPECT_TRUE(absl::IsUnauthenticated(LoginStatus("siti", kPassword)));
  auto fresh = service_->Login("siti", *generated, "10.0.0.1");
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_TRUE(fresh->user.must_change_password);

  auto chosen = service_->ResetPassword("siti", "pilihan-admin-7", 0);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(*chosen, "pilihan-admin-7");
  EXPECT_TRUE(service_->Login("siti", "pilihan-admin-7", "10.0.0.1").ok());
  EXPECT_TRUE(
      absl::IsInvalidArgument(service_->ResetPassword("siti", "short", 0).status()));
  EXPECT_TRUE(absl::IsNotFound(service_->ResetPassword("nobody", "", 0).status()));
}

TEST_F(AccountTest, ChangePasswordNeedsTheCurrentOneAndClearsTheMustChangeMark) {
  domain::User user = Create("siti");
  auto one_time = service_->ResetPassword("siti", "", 0);
  ASSERT_TRUE(one_time.ok());
  absl::Status wrong =
      service_->ChangePassword(user.id, "guess-guess-1", "baru-sekali-123");
  EXPECT_TRUE(absl::IsPermissionDenied(wrong)) << wrong;
  EXPECT_EQ(wrong.message(), "the current password is wrong");
  EXPECT_TRUE(
      absl::IsInvalidArgument(service_->ChangePassword(user.id, *one_time, "pendek")));
  EXPECT_TRUE(
      absl::IsInvalidArgument(service_->ChangePassword(user.id, *one_time, *one_time)));
  ASSERT_TRUE(service_->ChangePassword(user.id, *one_time, "baru-sekali-123").ok());
  auto login = service_->Login("siti", "baru-sekali-123", "10.0.0.1");
  ASSERT_TRUE(login.ok());
  EXPECT_FALSE(login->user.must_change_password);
  EXPECT_TRUE(absl::IsUnauthenticated(LoginStatus("siti", *one_time)));
}

TEST_F(AccountTest, AStaleVersionIsAbortedAndChangesNothing) {
  domain::User user = Create("siti");
  auto changed = service_->UpdateUser("siti", "investigator", std::nullopt, std::nullopt,
                                      user.version);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->role, domain::Role::kInvestigator);
  EXPECT_EQ(changed->version, user.version + 1);

  // Another administrator still holds the old version.
  EXPECT_TRUE(
      absl::IsAborted(service_->SetDisabled("siti", true, user.version).status()));
  EXPECT_TRUE(absl::IsAborted(
      service_->UpdateUser("siti", "analyst", std::nullopt, std::nullopt, user.version)
          .status()));
  EXPECT_TRUE(
      absl::IsAborted(service_->ResetPassword("siti", "", user.version).status()));
  auto stored = store_->accounts().FindUser("siti");
  EXPECT_EQ(stored->role, domain::Role::kInvestigator);
  EXPECT_FALSE(stored->disabled);
  EXPECT_TRUE(service_->Login("siti", kPassword, "10.0.0.1").ok());
}

TEST_F(AccountTest, UpdateUserValidatesWhatItChanges) {
  domain::User user = Create("siti");
  EXPECT_TRUE(absl::IsInvalidArgument(
      service_->UpdateUser("siti", "boss", std::nullopt, std::nullopt, 0).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      service_->UpdateUser("siti", std::nullopt, "99", std::nullopt, 0).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      service_->UpdateUser("siti", std::nullopt, std::nullopt, "NOPE", 0).status()));
  auto moved = service_->UpdateUser("siti", std::nullopt, "32", "UPTD-PPA-JABAR", 0);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->region_code, "32");
  EXPECT_EQ(moved->agency_code, "UPTD-PPA-JABAR");
  EXPECT_EQ(moved->role, domain::Role::kCaseworker);
  EXPECT_TRUE(absl::IsNotFound(
      service_->UpdateUser("nobody", "analyst", std::nullopt, std::nullopt, 0).status()));
}

int64_t RetryAfter(const absl::Status& status) {
  auto payload = status.GetPayload(AsAbsl(domain::kRetryAfterPayload));
  if (!payload) return -1;
  return std::stoll(std::string(*payload));
}

TEST_F(AccountTest, RepeatedFailuresForOneAccountAreSlowedDownWithRetryAfter) {
  Create("siti");
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(
        absl::IsUnauthenticated(LoginStatus("siti", "wrong-" + std::to_string(i))));

  // Even the right password is refused without being checked, from any address.
  absl::Status refused = LoginStatus("siti", kPassword, "10.9.9.9");
  ASSERT_TRUE(absl::IsResourceExhausted(refused)) << refused;
  EXPECT_EQ(refused.message(), "too many failed logins; try again in 1 second");
  EXPECT_EQ(RetryAfter(refused), 1);

  now_ += seconds(1);
  EXPECT_TRUE(absl::IsUnauthenticated(LoginStatus("siti", "wrong-again")));
  refused = LoginStatus("siti", kPassword);
  EXPECT_EQ(refused.message(), "too many failed logins; try again in 2 seconds");
  EXPECT_EQ(RetryAfter(refused), 2);

  now_ += seconds(2);
  EXPECT_TRUE(LoginStatus("siti", kPassword).ok());
  // The success reset the counter: the next failure is not throttled.
  EXPECT_TRUE(absl::IsUnauthenticated(LoginStatus("siti", "wrong")));
  EXPECT_TRUE(absl::IsUnauthenticated(LoginStatus("siti", "wrong")));
}

TEST_F(AccountTest, UnknownUsernamesAreThrottledLikeKnownOnes) {
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(absl::IsUnauthenticated(
        LoginStatus("nobody", "x", "10.0.0." + std::to_string(i))));
  absl::Status refused = LoginStatus("nobody", "x", "10.0.1.1");
  EXPECT_TRUE(absl::IsResourceExhausted(refused)) << refused;
}

TEST_F(AccountTest, OneAddressTryingManyAccountsIsSlowedDown) {
  Create("siti");
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(absl::IsUnauthenticated(
        LoginStatus("user" + std::to_string(i), "x", "192.0.2.7")));
  absl::Status refused = LoginStatus("siti", kPassword, "192.0.2.7");
  EXPECT_TRUE(absl::IsResourceExhausted(refused)) << refused;
  EXPECT_EQ(RetryAfter(refused), 1);
  // The same account from another address is not affected.
  EXPECT_TRUE(LoginStatus("siti", kPassword, "198.51.100.1").ok());
  // That success did not clear the first address.
  EXPECT_TRUE(absl::IsResourceExhausted(LoginStatus("user9", "x", "192.0.2.7")));
}

TEST_F(AccountTest, TheDelayIsCappedAndFailuresAreForgottenAfterAWhile) {
  Create("siti");
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(absl::IsUnauthenticated(LoginStatus("siti", "wrong")));
    now_ += seconds(61);  // past any delay, which is capped at 60 s
  }
  now_ -= seconds(61);
  absl::Status refused = LoginStatus("siti", kPassword);
  EXPECT_EQ(RetryAfter(refused), 60);

  now_ += seconds(120);  // twice the maximum delay since the last failure
  EXPECT_TRUE(absl::IsUnauthenticated(LoginStatus("siti", "wrong")));
  EXPECT_TRUE(absl::IsUnauthenticated(LoginStatus("siti", "wrong")));  // count restarted
}

TEST_F(AccountTest, ChangePasswordGuessesAreThrottledToo) {
  domain::User user = Create("siti");
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(absl::IsPermissionDenied(service_->ChangePassword(
        user.id, "guess-" + std::to_string(i), "baru-sekali-123")));
  EXPECT_TRUE(absl::IsResourceExhausted(
      service_->ChangePassword(user.id, kPassword, "baru-sekali-123")));
}

TEST_F(AccountTest, GeneratedPasswordsAreUnambiguousAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string p = domain::AccountService::GeneratePassword();
    EXPECT_THAT(p, MatchesRegex("[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}"));
    EXPECT_THAT(p, Not(MatchesRegex(".*[01oil].*")));
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST_F(AccountTest, ConcurrentLoginsFromManyThreadsEachGetAWorkingSession) {
  Create("siti");
  Create("budi");
  constexpr int kThreads = 6;
  std::vector<std::thread> threads;
  std::vector<std::string> tokens(kThreads);
  std::atomic<int> failed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto login = service_->Login(t % 2 ? "siti" : "budi", kPassword,
                                   "10.1.0." + std::to_string(t));
      // Wrong passwords from other addresses run alongside.
      if (!absl::IsUnauthenticated(service_
                                       ->Login("nobody" + std::to_string(t), "wrong",
                                               "10.2.0." + std::to_string(t))
                                       .status()))
        ++failed;
      if (!login.ok()) {
        ++failed;
        return;
      }
      tokens[t] = login->token;
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failed.load(), 0);
  std::set<std::string> distinct(tokens.begin(), tokens.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads));
  for (const std::string& token : tokens) EXPECT_TRUE(service_->Authenticate(token).ok());
}

}  // namespace
}  // namespace gugus
