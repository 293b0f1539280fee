// `gugus user …`, `gugus audit list` and the accounts `gugus init` and `gugus demo`
// create, as an operator runs them (SPEC section 7).
#include <sodium.h>
#include <stdlib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "domain/accounts/account_service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunGugus;
using json = nlohmann::json;

// A whole word: a temporary path such as /tmp/gugus-test-5873-7576… must not match.
const std::regex kOneTime(
    "(?:^|\\s)([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})(?=\\s|$)");

std::string OneTimePassword(const std::string& out) {
  std::smatch m;
  return std::regex_search(out, m, kOneTime) ? m[1].str() : "";
}

class AccessCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("USER", "operator", 1);  // the child processes inherit it
    db_ = testing::PreparedDatabase(dir_);
  }
  testing::CommandResult Gugus(std::vector<std::string> args,
                               const std::string& in = "") {
    args.insert(args.begin(), {"--db", db_});
    return RunGugus(args, in);
  }
  // Logs in through the library, as the server will (fast hashing is irrelevant to
  // verification: the stored hash carries its own parameters).
  absl::StatusOr<domain::LoginResult> Login(const std::string& user,
                                            const std::string& password) {
    store_ = testing::OpenStore(db_);
    service_ = std::make_unique<domain::AccountService>(*store_);
    return service_->Login(user, password, "127.0.0.1");
  }
  json UserJson(const std::string& username) {
    auto r = Gugus({"user", "list", "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const json& u : json::parse(r.out))
      if (u["username"] == username) return u;
    return json();
  }

  testing::TempDir dir_;
  std::string db_;
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<domain::AccountService> service_;
};

TEST_F(AccessCliTest, UserAddWithPasswordStdinCreatesAnAccountThatCanLogIn) {
  auto r = Gugus({"user", "add", "Siti.Rahma", "--role", "caseworker", "--region", "53",
                  "--agency", "POLDA-NTT", "--password-stdin"},
                 "kopi-tubruk-42\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("added user siti.rahma (caseworker, region 53, agency "
                               "POLDA-NTT)"));
  EXPECT_THAT(r.out, Not(HasSubstr("kopi-tubruk-42")));
  auto login = Login("siti.rahma", "kopi-tubruk-42");
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_FALSE(login->user.must_change_password);

  json user = UserJson("siti.rahma");
  EXPECT_EQ(user["role"], "caseworker");
  EXPECT_EQ(user["region"], "53");
  EXPECT_EQ(user["agency"], "POLDA-NTT");
  EXPECT_EQ(user["disabled"], false);

  auto all = Gugus({"user", "list", "--format", "json"});
  EXPECT_THAT(all.out, Not(HasSubstr("argon2")));
  EXPECT_THAT(all.out, Not(HasSubstr("hash")));
  auto table = Gugus({"user", "list"});
  EXPECT_THAT(table.out, HasSubstr("siti.rahma"));
  EXPECT_THAT(table.out, Not(HasSubstr("argon2")));
}

TEST_F(AccessCliTest, UserAddWithoutAPasswordPrintsAOneTimePasswordThatMustBeChanged) {
  auto r = Gugus({"user", "add", "budi", "--role", "analyst", "--region", "ID",
                  "--agency", "POLDA-NTT"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string password = OneTimePassword(r.out);
  ASSERT_FALSE(password.empty()) << r.out;
  EXPECT_THAT(r.out, HasSubstr("must be changed at first login"));
  auto login = Login("budi", password);
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_TRUE(login->user.must_change_password);
  EXPECT_EQ(UserJson("budi")["must_change_password"], true);
}

TEST_F(AccessCliTest, UserAddRefusesBadInputWithoutEchoingThePassword) {
  auto role = Gugus({"user", "add", "siti", "--role", "boss", "--region", "53",
                     "--agency", "POLDA-NTT", "--password-stdin"},
                    "kopi-tubruk-42\n");
  EXPECT_EQ(role.exit_code, 1);
  EXPECT_THAT(role.err, HasSubstr("unknown role 'boss'"));

  auto region = Gugus({"user", "add", "siti", "--role", "caseworker", "--region", "99",
                       "--agency", "POLDA-NTT", "--password-stdin"},
                      "kopi-tubruk-42\n");
  EXPECT_EQ(region.exit_code, 1);
  EXPECT_THAT(region.err, HasSubstr("unknown region code '99'"));

  auto agency = Gugus({"user", "add", "siti", "--role", "caseworker", "--region", "53",
                       "--agency", "NOPE", "--password-stdin"},
                      "kopi-tubruk-42\n");
  EXPECT_EQ(agency.exit_code, 1);
  EXPECT_THAT(agency.err, HasSubstr("unknown agency 'NOPE'"));

  auto short_password = Gugus({"user", "add", "siti", "--role", "caseworker", "--region",
                               "53", "--agency", "POLDA-NTT", "--password-stdin"},
                              "Qz7#kq\n");
  EXPECT_EQ(short_password.exit_code, 1);
  EXPECT_THAT(short_password.err, HasSubstr("at least 10 characters"));
  EXPECT_THAT(short_password.err + short_password.out, Not(HasSubstr("Qz7#kq")));

  auto empty = Gugus({"user", "add", "siti", "--role", "caseworker", "--region", "53",
                      "--agency", "POLDA-NTT", "--password-stdin"});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_THAT(empty.err, HasSubstr("no password on standard input"));

  auto missing =
      Gugus({"user", "add", "siti", "--region", "53", "--agency", "POLDA-NTT"});
  EXPECT_EQ(missing.exit_code, 2);  // usage: --role is required

  ASSERT_EQ(Gugus({"user", "add", "siti", "--role", "caseworker", "--region", "53",
                   "--agency", "POLDA-NTT", "--password-stdin"},
                  "kopi-tubruk-42\n")
                .exit_code,
            0);
  auto taken = Gugus({"user", "add", "SITI", "--role", "analyst", "--region", "53",
                      "--agency", "POLDA-NTT", "--password-stdin"},
                     "kopi-tubruk-43\n");
  EXPECT_EQ(taken.exit_code, 1);
  EXPECT_THAT(taken.err, HasSubstr("already taken"));
}

TEST_F(AccessCliTest, DisableAndEnableAnAccount) {
  ASSERT_EQ(Gugus({"user", "add", "siti", "--role", "caseworker", "--region", "53",
                   "--agency", "POLDA-NTT", "--password-stdin"},
                  "kopi-tubruk-42\n")
                .exit_code,
            0);
  auto disable = Gugus({"user", "disable", "siti"});
  ASSERT_EQ(disable.exit_code, 0) << disable.err;
  EXPECT_THAT(disable.out, HasSubstr("disabled user siti"));
  EXPECT_EQ(UserJson("siti")["disabled"], true);
  EXPECT_THAT(Gugus({"user", "list"}).out, HasSubstr("disabled"));
  EXPECT_TRUE(absl::IsPermissionDenied(Login("siti", "kopi-tubruk-42").status()));

  auto again = Gugus({"user", "disable", "siti"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_THAT(again.out, HasSubstr("already disabled"));

  ASSERT_EQ(Gugus({"user", "enable", "siti"}).exit_code, 0);
  EXPECT_EQ(UserJson("siti")["disabled"], false);
  EXPECT_TRUE(Login("siti", "kopi-tubruk-42").ok());

  auto unknown = Gugus({"user", "disable", "nobody"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("no such account"));
}

TEST_F(AccessCliTest, ResetPasswordPrintsANewOneTimePasswordAndTheOldOneStopsWorking) {
  ASSERT_EQ(Gugus({"user", "add", "siti", "--role", "caseworker", "--region", "53",
                   "--agency", "POLDA-NTT", "--password-stdin"},
                  "kopi-tubruk-42\n")
                .exit_code,
            0);
  auto r = Gugus({"user", "reset-password", "siti"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string password = OneTimePassword(r.out);
  ASSERT_FALSE(password.empty()) << r.out;
  EXPECT_TRUE(absl::IsUnauthenticated(Login("siti", "kopi-tubruk-42").status()));
  auto login = Login("siti", password);
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_TRUE(login->user.must_change_password);

  auto chosen =
      Gugus({"user", "reset-password", "siti", "--password-stdin"}, "teh-manis-hangat\n");
  ASSERT_EQ(chosen.exit_code, 0) << chosen.err;
  EXPECT_THAT(chosen.out, Not(HasSubstr("teh-manis-hangat")));
  EXPECT_TRUE(Login("siti", "teh-manis-hangat").ok());
}

TEST_F(AccessCliTest, EveryChangeIsInTheAuditTrailUnderTheOperatorsName) {
  ASSERT_EQ(Gugus({"user", "add", "siti", "--role", "caseworker", "--region", "53",
                   "--agency", "POLDA-NTT", "--password-stdin"},
                  "kopi-tubruk-42\n")
                .exit_code,
            0);
  ASSERT_EQ(Gugus({"user", "disable", "siti"}).exit_code, 0);
  ASSERT_EQ(Gugus({"user", "enable", "siti"}).exit_code, 0);
  ASSERT_EQ(Gugus({"user", "reset-password", "siti"}).exit_code, 0);
  // A refused change leaves no entry.
  ASSERT_EQ(Gugus({"user", "add", "siti", "--role", "caseworker", "--region", "53",
                   "--agency", "POLDA-NTT", "--password-stdin"},
                  "kopi-tubruk-42\n")
                .exit_code,
            1);

  auto r = Gugus({"audit", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json entries = json::parse(r.out);
  ASSERT_EQ(entries.size(), 4u);
  std::vector<std::string> actions;
  for (const json& e : entries) {
    EXPECT_EQ(e["actor"], "cli:operator");
    EXPECT_EQ(e["target"], "user:siti");
    actions.push_back(e["action"]);
  }
  EXPECT_THAT(actions, ::testing::ElementsAre("user.add", "user.disable", "user.enable",
                                              "user.reset_password"));
  EXPECT_THAT(r.out, Not(HasSubstr("kopi-tubruk-42")));

  auto filtered = Gugus({"audit", "list", "--action", "user.disable", "--json"});
  EXPECT_EQ(json::parse(filtered.out).size(), 1u);
  auto limited = Gugus({"audit", "list", "--limit", "2"});
  EXPECT_EQ(limited.exit_code, 0);
  EXPECT_THAT(limited.out, HasSubstr("user.disable"));
  EXPECT_THAT(limited.out, Not(HasSubstr("user.enable")));

  auto verify = Gugus({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("4 entries"));
}

TEST_F(AccessCliTest, InitCreatesTheAdministratorOnceAndShowsItsPasswordOnce) {
  testing::TempDir fresh;
  const std::string db = testing::EmptyDatabase(fresh, "new.db");
  auto first = RunGugus({"--db", db, "init"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("initial administrator: admin / "));
  EXPECT_THAT(first.out, HasSubstr("shown once; change it at first login"));
  std::string password = OneTimePassword(first.out);
  ASSERT_FALSE(password.empty());

  auto second = RunGugus({"--db", db, "init"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, Not(HasSubstr("administrator")));
  EXPECT_TRUE(OneTimePassword(second.out).empty());

  auto list = RunGugus({"--db", db, "user", "list", "--format", "json"});
  json users = json::parse(list.out);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["username"], "admin");
  EXPECT_EQ(users[0]["role"], "admin");
  EXPECT_EQ(users[0]["region"], "ID");
  EXPECT_EQ(users[0]["agency"], "GUGUS-ADMIN");
  EXPECT_EQ(users[0]["must_change_password"], true);

  auto agencies = RunGugus({"--db", db, "agency", "list", "--format", "json"});
  EXPECT_THAT(agencies.out, HasSubstr("Administrator gugus"));

  db_ = db;
  auto login = Login("admin", password);
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_TRUE(login->user.must_change_password);
  EXPECT_EQ(RunGugus({"--db", db, "audit", "verify"}).exit_code, 0);
  service_.reset();
  store_.reset();  // before the database goes with `fresh`
}

TEST_F(AccessCliTest, DemoCreatesOneAccountPerRoleWithTheDemoPassword) {
  auto r = Gugus({"demo", "--persons", "40", "--agencies", "5", "--seed", "3", "--out",
                  dir_.File("demo")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("DEMO ACCOUNTS"));
  EXPECT_THAT(r.out, HasSubstr("demo-gugus-2026"));
  EXPECT_THAT(r.out, HasSubstr("demo data only"));

  auto list = Gugus({"user", "list", "--format", "json"});
  std::map<std::string, json> users;
  for (const json& u : json::parse(list.out)) users[u["username"]] = u;
  ASSERT_EQ(users.size(), 9u) << list.out;  // 4 national/provincial + 5 agencies
  EXPECT_EQ(users["demo.admin"]["role"], "admin");
  EXPECT_EQ(users["demo.sekretariat"]["role"], "secretariat");
  EXPECT_EQ(users["demo.sekretariat"]["region"], "ID");
  EXPECT_EQ(users["demo.provinsi"]["role"], "secretariat");
  EXPECT_EQ(users["demo.provinsi"]["region"], "53");  // POLDA-NTT's province
  EXPECT_EQ(users["demo.polda-ntt"]["role"], "investigator");
  EXPECT_EQ(users["demo.polda-ntt"]["agency"], "POLDA-NTT");
  EXPECT_EQ(users["demo.uptd-ppa-jabar"]["role"], "caseworker");
  EXPECT_EQ(users["demo.uptd-ppa-jabar"]["region"], "32");
  EXPECT_EQ(users["demo.bp3mi-jatim"]["role"], "migrant_officer");
  EXPECT_EQ(users["demo.analis"]["role"], "analyst");
  for (const auto& [name, user] : users) {
    EXPECT_EQ(user["must_change_password"], false) << name;
    EXPECT_THAT(r.out, HasSubstr(name));
  }
  EXPECT_TRUE(Login("demo.polda-ntt", "demo-gugus-2026").ok());
  EXPECT_TRUE(Login("demo.analis", "demo-gugus-2026").ok());

  auto audit = Gugus({"audit", "list", "--action", "user.add", "--json"});
  EXPECT_EQ(json::parse(audit.out).size(), 9u);
}

}  // namespace
}  // namespace gugus
