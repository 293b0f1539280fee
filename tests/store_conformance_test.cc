// The repository contract (src/domain/repository.h), run against every storage
// backend. A new backend adds itself to kBackends and must pass unchanged.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <latch>
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <thread>
#include <tuple>

#include "core/strcat.h"
#include "domain/access.h"
#include "domain/accounts/account_service.h"
#include "domain/audit_log.h"
#include "domain/registry/link_service.h"
#include "domain/reporting/stats_service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/stored_form.h"
#include "storage/open_store.h"
#include "storage/postgres/pg_util.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Backend {
  std::string name;
  testing::BackendKind kind;
};

void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

const Backend kSqlite{"sqlite", testing::BackendKind::kSqlite};
const Backend kPostgres{"postgres", testing::BackendKind::kPostgres};

// A fresh, migrated, empty store of the test's backend.
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  // False (the test skipped or failed) when the backend cannot run here.
  bool OpenFreshStore() {
    if (GetParam().kind == testing::BackendKind::kPostgres &&
        testing::PostgresServer().empty()) {
      if (testing::UnderCi()) {
        ADD_FAILURE() << "GUGUS_TEST_POSTGRES is not set (run the suite with make test)";
      }
      return false;
    }
    db_.emplace(GetParam().kind, dir_.path());
    auto s = storage::OpenStore(db_->address(), storage::OpenMode::kCreateOrUpgrade);
    EXPECT_TRUE(s.ok()) << s.status();
    if (!s.ok()) return false;
    store_ = std::move(s).value();
    return true;
  }

  testing::TempDir dir_;
  std::optional<testing::TestDatabase> db_;
  std::unique_ptr<domain::Store> store_;
};

class StoreConformanceTest : public BackendTest {
 protected:
  void SetUp() override {
    if (!OpenFreshStore()) {
      if (!HasFailure()) GTEST_SKIP() << "no PostgreSQL server (GUGUS_TEST_POSTGRES)";
      return;
    }
    std::vector<Region> regions = {
        {"ID", "", "INDONESIA", RegionLevel::kNational},
        {"53", "ID", "NUSA TENGGARA TIMUR", RegionLevel::kProvince},
        {"53.71", "53", "KOTA KUPANG", RegionLevel::kRegency},
        {"53.71.01", "53.71", "Alak", RegionLevel::kDistrict}};
    ASSERT_TRUE(store_->reference().ReplaceRegions(regions).ok());
    agency_ = {0, "POLDA-NTT", "Polda NTT", "police", "53"};
    ASSERT_TRUE(store_->agencies().Add(agency_).ok());
  }

  ingest::ParsedRecord Record(const std::string& id, const std::string& name) {
    ingest::ParsedRecord r;
    r[ingest::Field::kRecordId] = id;
    r[ingest::Field::kReportDate] = "2023-01-01";
    r[ingest::Field::kName] = name;
    return r;
  }

  domain::ImportFileMeta Meta(const std::string& sha) {
    domain::ImportFileMeta m;
    m.agency_id = agency_.id;
    m.file_name = "f.csv";
    m.digest = sha;
    m.format = "csv";
    m.encoding = "utf-8";
    m.delimiter = ",";
    m.header = {"record_id", "report_date", "name"};
    return m;
  }

  domain::Agency agency_;
};

TEST_P(StoreConformanceTest, AgenciesAreUniqueByCodeAndNeedAKnownRegion) {
  EXPECT_GT(agency_.id, 0);
  domain::Agency again{0, "POLDA-NTT", "x", "police", "53"};
  EXPECT_TRUE(absl::IsAlreadyExists(store_->agencies().Add(again)));
  domain::Agency nowhere{0, "X-1", "x", "ngo", "99"};
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->agencies().Add(nowhere)));
  auto found = store_->agencies().FindByCode("POLDA-NTT");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->name, "Polda NTT");
  EXPECT_TRUE(absl::IsNotFound(store_->agencies().FindByCode("NONE").status()));
  EXPECT_EQ(store_->agencies().List()->size(), 1u);
}

TEST_P(StoreConformanceTest, RegionsRoundTripByLevel) {
  auto all = store_->reference().LoadRegions();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
  auto upper = store_->reference().LoadRegions(RegionLevel::kRegency);
  EXPECT_EQ(upper->size(), 3u);
  ASSERT_TRUE(
      store_->reference().ReplaceCountries({{"MY", "MYS", "Malaysia", "Malaysia"}}).ok());
  EXPECT_EQ(store_->reference().LoadCountries()->at(0).alpha3, "MYS");
}

TEST_P(StoreConformanceTest, UncommittedImportLeavesNoTrace) {
  {
    auto tx = store_->records().BeginImport(Meta("aa"));
    ASSERT_TRUE(tx.ok()) << tx.status();
    ASSERT_TRUE((*tx)
                    ->Upsert(Record("1", "Siti"),
                             ingest::EncodeCells({"1", "2023-01-01", "Siti"}), "[]", 2,
                             "h1")
                    .ok());
    ASSERT_TRUE((*tx)
                    ->Reject(3, ingest::EncodeCells({"", "x", ""}), "",
                             ingest::EncodeIssues({{"name", "missing", "name is empty"}}))
                    .ok());
  }  // destroyed without Commit
  auto s = store_->records().Summary();
  EXPECT_EQ(s->batches, 0);
  EXPECT_EQ(s->source_records, 0);
  EXPECT_EQ(s->rejects, 0);
}

TEST_P(StoreConformanceTest, UpsertInsertsUpdatesAndRecognisesUnchanged) {
  auto tx = store_->records().BeginImport(Meta("aa"));
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(
      *(*tx)->Upsert(Record("1", "Siti"), ingest::EncodeCells({"1"}), "[]", 2, "h1"),
      domain::UpsertResult::kInserted);
  ASSERT_TRUE((*tx)->Commit({1, 1, 0, 0, 0, 0, 0}, "aa").ok());

  auto tx2 = store_->records().BeginImport(Meta("bb"));
  EXPECT_EQ(
      *(*tx2)->Upsert(Record("1", "Siti"), ingest::EncodeCells({"1"}), "[]", 2, "h1"),
      domain::UpsertResult::kUnchanged);
  EXPECT_EQ(*(*tx2)->Upsert(Record("1", "Siti Aminah"), ingest::EncodeCells({"1"}), "[]",
                            2, "h2"),
            domain::UpsertResult::kUpdated);
  ASSERT_TRUE((*tx2)->Commit({2, 0, 1, 1, 0, 0, 0}, "bb").ok());

  domain::RecordQuery q;
  q.record_id = "1";
  q.all_versions = true;
  auto versions = store_->records().FindRecords(q);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[1].parsed[ingest::Field::kName], "Siti Aminah");
  EXPECT_EQ((*versions)[1].version, 2);

  auto batch = store_->records().FindBatch(agency_.id, "bb");
  ASSERT_TRUE(batch.ok() && batch->has_value());
  EXPECT_EQ((*batch)->counts.updated, 1);
  EXPECT_FALSE(store_->records().FindBatch(agency_.id, "cc")->has_value());
}

TEST_P(StoreConformanceTest, ARecordNewInATransactionCannotBeUpsertedTwice) {
  auto tx = store_->records().BeginImport(Meta("aa"));
  ASSERT_TRUE(
      (*tx)->Upsert(Record("7", "Siti"), ingest::EncodeCells({"7"}), "[]", 2, "h1").ok());
  // A backend may notice at once or when it writes: by Commit at the latest.
  absl::Status status =
      (*tx)
          ->Upsert(Record("7", "Siti"), ingest::EncodeCells({"7"}), "[]", 3, "h2")
          .status();
  if (status.ok()) status = (*tx)->Commit({2, 2, 0, 0, 0, 0, 0}, "aa");
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  tx->reset();
  EXPECT_EQ(store_->records().Summary()->source_records, 0);
}

TEST_P(StoreConformanceTest, NameSearchTreatsWildcardsLiterally) {
  auto tx = store_->records().BeginImport(Meta("aa"));
  ASSERT_TRUE(
      (*tx)->Upsert(Record("1", "Siti"), ingest::EncodeCells({"1"}), "[]", 2, "h1").ok());
  ASSERT_TRUE(
      (*tx)
          ->Upsert(Record("2", "100% Dewi_x"), ingest::EncodeCells({"2"}), "[]", 3, "h2")
          .ok());
  ASSERT_TRUE((*tx)->Commit({2, 2, 0, 0, 0, 0, 0}, "aa").ok());
  domain::RecordQuery q;
  q.name = "%";
  EXPECT_EQ(store_->records().FindRecords(q)->size(), 1u);
  q.name = "_";
  EXPECT_EQ(store_->records().FindRecords(q)->size(), 1u);
  q.name = "SITI";
  EXPECT_EQ(store_->records().FindRecords(q)->size(), 1u);
  q.name = "' OR 1=1 --";
  EXPECT_EQ(store_->records().FindRecords(q)->size(), 0u);
}

// --- Accounts, sessions, audit trail ---

domain::User NewAccount(const std::string& username, int64_t agency_id) {
  domain::User u;
  u.username = username;
  u.role = domain::Role::kCaseworker;
  u.region_code = "53";
  u.agency_id = agency_id;
  u.password_hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA";
  return u;
}

TEST_P(StoreConformanceTest, UsersAreUniqueByLowerCaseNameAndNeedAnAgency) {
  domain::User siti = NewAccount("Siti.Rahma", agency_.id);
  ASSERT_TRUE(store_->accounts().AddUser(siti).ok());
  EXPECT_GT(siti.id, 0);
  EXPECT_EQ(siti.username, "siti.rahma");
  EXPECT_EQ(siti.version, 1);
  EXPECT_FALSE(siti.created_at.empty());

  domain::User again = NewAccount("SITI.RAHMA", agency_.id);
  EXPECT_TRUE(absl::IsAlreadyExists(store_->accounts().AddUser(again)));
  domain::User nowhere = NewAccount("budi", agency_.id + 100);
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->accounts().AddUser(nowhere)));
  EXPECT_EQ(store_->accounts().ListUsers()->size(), 1u);
}

TEST_P(StoreConformanceTest, UsersAreFoundByNameAndIdWithTheirAgencyCode) {
  domain::User b = NewAccount("budi", agency_.id);
  b.role = domain::Role::kSecretariat;
  b.must_change_password = true;
  domain::User a = NewAccount("ani", agency_.id);
  ASSERT_TRUE(store_->accounts().AddUser(b).ok());
  ASSERT_TRUE(store_->accounts().AddUser(a).ok());

  auto by_name = store_->accounts().FindUser("BUDI");
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_EQ(by_name->id, b.id);
  EXPECT_EQ(by_name->agency_code, "POLDA-NTT");
  EXPECT_EQ(by_name->role, domain::Role::kSecretariat);
  EXPECT_EQ(by_name->region_code, "53");
  EXPECT_EQ(by_name->password_hash, b.password_hash);
  EXPECT_TRUE(by_name->must_change_password);
  EXPECT_FALSE(by_name->disabled);

  auto by_id = store_->accounts().FindUserById(a.id);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->username, "ani");
  EXPECT_TRUE(absl::IsNotFound(store_->accounts().FindUser("nobody").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->accounts().FindUserById(9999).status()));

  auto all = store_->accounts().ListUsers();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(0).username, "ani");
  EXPECT_EQ(all->at(1).username, "budi");
}

TEST_P(StoreConformanceTest, UpdateUserBumpsTheVersionAndRefusesAStaleOne) {
  domain::User u = NewAccount("budi", agency_.id);
  ASSERT_TRUE(store_->accounts().AddUser(u).ok());
  domain::User first = *store_->accounts().FindUser("budi");
  domain::User second = first;

  first.disabled = true;
  first.role = domain::Role::kAnalyst;
  first.region_code = "53.71";
  first.password_hash = "new-hash";
  first.must_change_password = true;
  ASSERT_TRUE(store_->accounts().UpdateUser(first).ok());
  EXPECT_EQ(first.version, 2);

  domain::User stored = *store_->accounts().FindUser("budi");
  EXPECT_EQ(stored.version, 2);
  EXPECT_TRUE(stored.disabled);
  EXPECT_EQ(stored.role, domain::Role::kAnalyst);
  EXPECT_EQ(stored.region_code, "53.71");
  EXPECT_EQ(stored.password_hash, "new-hash");
  EXPECT_TRUE(stored.must_change_password);

  // `second` still carries version 1: someone else changed the account meanwhile.
  second.disabled = false;
  absl::Status stale = store_->accounts().UpdateUser(second);
  EXPECT_TRUE(absl::IsAborted(stale)) << stale;
  EXPECT_TRUE(store_->accounts().FindUser("budi")->disabled);

  domain::User ghost = stored;
  ghost.id = 9999;
  EXPECT_TRUE(absl::IsNotFound(store_->accounts().UpdateUser(ghost)));
}

TEST_P(StoreConformanceTest, LoginFailuresCountUpRestartAfterAWhileAndAreCleared) {
  domain::AccountRepository& accounts = store_->accounts();
  using F = domain::LoginFailures;
  auto find = [&](std::vector<std::string> keys) {
    auto found = accounts.FindLoginFailures(keys);
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::vector<F>{};
  };
  EXPECT_EQ(find({"u1", "a1"}), (std::vector<F>{{0, 0}, {0, 0}}));

  ASSERT_TRUE(accounts.AddLoginFailure({"u1", "a1"}, 1000, 0).ok());
  ASSERT_TRUE(accounts.AddLoginFailure({"u1"}, 2000, 0).ok());
  ASSERT_TRUE(accounts.AddLoginFailure({"u2"}, 2500, 0).ok());
  EXPECT_EQ(find({"a1", "u1", "u3"}), (std::vector<F>{{1, 1000}, {2, 2000}, {0, 0}}));

  // A failure after the forgetting horizon starts again, and every key older than
  // the horizon goes.
  ASSERT_TRUE(accounts.AddLoginFailure({"u1"}, 9000, 2200).ok());
  EXPECT_EQ(find({"u1", "a1", "u2"}), (std::vector<F>{{1, 9000}, {0, 0}, {1, 2500}}));

  ASSERT_TRUE(accounts.ClearLoginFailures({"u1", "u2", "nothing"}).ok());
  EXPECT_EQ(find({"u1", "u2"}), (std::vector<F>{{0, 0}, {0, 0}}));
}

// Two servers on one database: each its own store and AccountService, as two
// `gugus serve` processes behind a load balancer.
TEST_P(StoreConformanceTest, ServersSharingADatabaseThrottleFailedLoginsAlike) {
  auto second = storage::OpenStore(db_->address(), storage::OpenMode::kExisting);
  ASSERT_TRUE(second.ok()) << second.status();
  const auto now =
      std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  domain::AccountOptions options;
  options.argon_ops = crypto_pwhash_OPSLIMIT_MIN;
  options.argon_mem = crypto_pwhash_MEMLIMIT_MIN;
  options.clock = [now] { return now; };
  domain::AccountService a(*store_, options), b(**second, options);
  ASSERT_TRUE(
      a.CreateUser({"siti", "caseworker", "53", "POLDA-NTT", "kopi-tubruk-42"}).ok());

  for (int i = 0; i < 5; ++i) {
    domain::AccountService& server = i % 2 ? b : a;
    EXPECT_TRUE(absl::IsUnauthenticated(
        server.Login("siti", StrCat("salah-", i), "10.1.2.3").status()));
  }
  // Five failures spread over both servers: either refuses the next attempt.
  for (domain::AccountService* server : {&a, &b}) {
    absl::Status refused = server->Login("siti", "kopi-tubruk-42", "10.9.9.9").status();
    EXPECT_TRUE(absl::IsResourceExhausted(refused)) << refused;
  }

  // The table holds digests: neither the username typed nor the address.
  auto stored = [&] {
    std::string all;
    if (GetParam().kind == testing::BackendKind::kSqlite) {
      SQLite::Database d(db_->address());
      SQLite::Statement s(d, "SELECT key FROM login_failures");
      while (s.executeStep()) all += s.getColumn(0).getString() + " ";
    } else {
      pqxx::connection c(db_->address());
      pqxx::read_transaction w(c);
      for (const auto& row : w.exec("SELECT key FROM login_failures"))
        all += std::string(row[0].c_str()) + " ";
    }
    return all;
  };
  const std::string keys = stored();
  EXPECT_THAT(keys, Not(HasSubstr("siti")));
  EXPECT_THAT(keys, Not(HasSubstr("10.1.2.3")));
  EXPECT_EQ(std::count(keys.begin(), keys.end(), ' '), 2);  // the user, the address
}

TEST_P(StoreConformanceTest, SessionsAreFoundAndRevokedOneByOneOrPerUser) {
  domain::User u = NewAccount("budi", agency_.id);
  domain::User v = NewAccount("ani", agency_.id);
  ASSERT_TRUE(store_->accounts().AddUser(u).ok());
  ASSERT_TRUE(store_->accounts().AddUser(v).ok());
  auto session = [](std::string hash, int64_t user) {
    return domain::Session{std::move(hash),        user,       "2026-01-01T00:00:00Z",
                           "2026-01-01T08:00:00Z", "10.0.0.1", false};
  };
  ASSERT_TRUE(store_->accounts().AddSession(session("aa", u.id)).ok());
  ASSERT_TRUE(store_->accounts().AddSession(session("bb", u.id)).ok());
  ASSERT_TRUE(store_->accounts().AddSession(session("cc", v.id)).ok());

  auto found = store_->accounts().FindSession("aa");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user_id, u.id);
  EXPECT_EQ(found->expires_at, "2026-01-01T08:00:00Z");
  EXPECT_EQ(found->address, "10.0.0.1");
  EXPECT_FALSE(found->revoked);
  EXPECT_TRUE(absl::IsNotFound(store_->accounts().FindSession("zz").status()));

  ASSERT_TRUE(store_->accounts().RevokeSession("aa").ok());
  EXPECT_TRUE(store_->accounts().FindSession("aa")->revoked);
  EXPECT_FALSE(store_->accounts().FindSession("bb")->revoked);
  EXPECT_TRUE(absl::IsNotFound(store_->accounts().RevokeSession("zz")));

  ASSERT_TRUE(store_->accounts().RevokeUserSessions(u.id).ok());
  EXPECT_TRUE(store_->accounts().FindSession("bb")->revoked);
  EXPECT_FALSE(store_->accounts().FindSession("cc")->revoked);
}

std::string TestSeal(const domain::AuditEntry& e) { return domain::AuditLog::Seal(e); }

domain::AuditEntry Event(const std::string& actor, const std::string& action) {
  domain::AuditEntry e;
  e.at = "2026-01-01T00:00:00.000Z";
  e.actor = actor;
  e.action = action;
  e.target = "user:x";
  e.detail = "{}";
  return e;
}

TEST_P(StoreConformanceTest, AuditAppendChainsEntriesAndFindAuditFilters) {
  std::vector<domain::AuditEntry> written;
  for (auto [actor, action] :
       std::vector<std::pair<std::string, std::string>>{{"cli:op", "user.add"},
                                                        {"siti", "person.read"},
                                                        {"cli:op", "user.disable"},
                                                        {"siti", "person.read"}}) {
    domain::AuditEntry e = Event(actor, action);
    ASSERT_TRUE(store_->audit().Append(e, TestSeal).ok());
    written.push_back(e);
  }
  EXPECT_EQ(written[0].seq, 1);
  EXPECT_EQ(written[0].prev_hash, "");
  EXPECT_EQ(written[3].seq, 4);
  EXPECT_EQ(written[3].prev_hash, written[2].hash);
  EXPECT_EQ(written[3].hash, TestSeal(written[3]));

  std::vector<domain::AuditEntry> read;
  ASSERT_TRUE(store_->audit()
                  .ForEachAudit([&](const domain::AuditEntry& e) {
                    read.push_back(e);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(read.size(), 4u);
  for (size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read[i].seq, written[i].seq);
    EXPECT_EQ(read[i].hash, written[i].hash);
    EXPECT_EQ(read[i].actor, written[i].actor);
    EXPECT_EQ(read[i].at, written[i].at);
  }

  auto reads = store_->audit().FindAudit({0, "siti", "person.read", 100});
  ASSERT_TRUE(reads.ok());
  ASSERT_EQ(reads->size(), 2u);
  EXPECT_EQ(reads->at(0).seq, 2);
  EXPECT_EQ(reads->at(1).seq, 4);
  auto by_actor = store_->audit().FindAudit({0, "cli:op", "", 100});
  ASSERT_EQ(by_actor->size(), 2u);
  EXPECT_EQ(by_actor->at(1).action, "user.disable");
  auto after = store_->audit().FindAudit({2, "", "", 1});
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->at(0).seq, 3);
}

TEST_P(StoreConformanceTest, AuditAppendBatchChainsItsEntriesInOrderAfterTheHead) {
  domain::AuditEntry first = Event("cli:op", "user.add");
  ASSERT_TRUE(store_->audit().Append(first, TestSeal).ok());
  std::vector<domain::AuditEntry> none;
  ASSERT_TRUE(store_->audit().AppendBatch(none, TestSeal).ok());
  std::vector<domain::AuditEntry> batch{Event("siti", "person.read"),
                                        Event("budi", "person.read"),
                                        Event("ani", "person.read")};
  ASSERT_TRUE(store_->audit().AppendBatch(batch, TestSeal).ok());
  EXPECT_EQ(batch[0].seq, 2);
  EXPECT_EQ(batch[0].prev_hash, first.hash);
  EXPECT_EQ(batch[2].seq, 4);
  EXPECT_EQ(batch[2].prev_hash, batch[1].hash);
  EXPECT_EQ(batch[2].hash, TestSeal(batch[2]));

  std::vector<std::string> actors;
  ASSERT_TRUE(store_->audit()
                  .ForEachAudit([&](const domain::AuditEntry& e) {
                    actors.push_back(e.actor);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_THAT(actors, ::testing::ElementsAre("cli:op", "siti", "budi", "ani"));
}

// Least privilege: the servers' role reads and writes rows but cannot change the
// schema or rewrite the audit trail; `gugus init` (the owner) grants it.
TEST_P(StoreConformanceTest, TheServersRoleCannotAlterTheSchemaOrRewriteTheAudit) {
  if (GetParam().kind == testing::BackendKind::kSqlite) {
    absl::Status refused = storage::GrantServerRole(db_->address(), "gugus_server");
    EXPECT_TRUE(absl::IsFailedPrecondition(refused)) << refused;
    return;
  }
  const std::string& address = db_->address();
  const std::string role = StrCat("srv_", address.substr(address.rfind('/') + 1));
  {
    pqxx::connection c(address);
    pqxx::nontransaction n(c);
    n.exec0(StrCat("CREATE ROLE ", n.quote_name(role), " LOGIN PASSWORD 'rahasia-uji'"));
  }
  struct DropRole {
    std::string address, role;
    ~DropRole() {
      try {
        pqxx::connection c(address);
        pqxx::nontransaction n(c);
        n.exec0(StrCat("DROP OWNED BY ", n.quote_name(role)));
        n.exec0(StrCat("DROP ROLE ", n.quote_name(role)));
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    }
  } drop{address, role};
  EXPECT_TRUE(absl::IsNotFound(storage::GrantServerRole(address, role + "_none")));
  ASSERT_TRUE(storage::GrantServerRole(address, role).ok());
  ASSERT_TRUE(storage::GrantServerRole(address, role).ok());  // again: the same

  const std::string as_server = StrCat(address, "?user=", role, "&password=rahasia-uji");
  auto server = storage::OpenStore(as_server, storage::OpenMode::kExisting);
  ASSERT_TRUE(server.ok()) << server.status();
  // What a server does works: accounts, imports, the audit trail.
  domain::User siti = NewAccount("siti", agency_.id);
  ASSERT_TRUE((*server)->accounts().AddUser(siti).ok());
  auto tx = (*server)->records().BeginImport(Meta("s1"));
  ASSERT_TRUE(tx.ok()) << tx.status();
  ASSERT_TRUE((*tx)
                  ->Upsert(Record("R-1", "Korban Satu"), ingest::EncodeCells({"R-1"}),
                           "[]", 2, "h1")
                  .ok());
  ASSERT_TRUE((*tx)->Commit({}, "s1").ok());
  std::vector<domain::AuditEntry> entries = {Event("siti", "person.read")};
  ASSERT_TRUE((*server)->audit().AppendBatch(entries, TestSeal).ok());

  pqxx::connection c(as_server);
  auto refused = [&](const std::string& sql) {
    try {
      pqxx::work w(c);
      w.exec0(sql);
      w.commit();
      return false;
    } catch (const pqxx::insufficient_privilege& e) {
      // What a server reports when it meets one (libpqxx 6 leaves sqlstate() empty
      // for this type).
      EXPECT_TRUE(absl::IsPermissionDenied(storage::pg::FromException(e, "cannot")));
      return true;
    }
  };
  EXPECT_TRUE(refused("UPDATE audit_entries SET actor = 'orang lain'"));
  EXPECT_TRUE(refused("DELETE FROM audit_entries"));
  EXPECT_TRUE(refused("TRUNCATE audit_entries"));
  EXPECT_TRUE(refused("ALTER TABLE audit_entries ADD COLUMN x integer"));
  EXPECT_TRUE(refused("DROP TABLE source_records"));
  EXPECT_TRUE(refused("CREATE TABLE public.extra (x integer)"));
  EXPECT_TRUE(refused("DELETE FROM schema_migrations"));
  EXPECT_FALSE(refused("UPDATE users SET disabled = false"));  // a row write: allowed
}

TEST_P(StoreConformanceTest, ConcurrentAuditAppendsFormAGapFreeChain) {
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        domain::AuditEntry e = Event(StrCat("thread-", t), "person.read");
        if (!store_->audit().Append(e, TestSeal).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  int64_t expected = 1;
  std::string prev;
  ASSERT_TRUE(store_->audit()
                  .ForEachAudit([&](const domain::AuditEntry& e) {
                    EXPECT_EQ(e.seq, expected);
                    EXPECT_EQ(e.prev_hash, prev);
                    EXPECT_EQ(e.hash, TestSeal(e));
                    prev = e.hash;
                    ++expected;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(expected - 1, kThreads * kEach);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformanceTest,
                         ::testing::Values(kSqlite, kPostgres),
                         [](const auto& info) { return info.param.name; });

// --- Scoped reads (SPEC section 6, domain/access.h) ---
//
// Regions: NTT (53) ⊃ Kota Kupang (53.71) ⊃ Alak (53.71.01); Jawa Barat (32) ⊃
// Kab. Sukabumi (32.02). Agencies: POLDA-NTT (53), UPTD-PPA-JABAR (32),
// DINSOS-KUPANG (53.71). Records (agency/record_id: origin):
//   POLDA-NTT/N-1: 53.71        UPTD-PPA-JABAR/J-1: 53.71.01 (from NTT, found in Jabar)
//   UPTD-PPA-JABAR/J-2: 32.02   UPTD-PPA-JABAR/J-3: unknown   DINSOS-KUPANG/K-1: unknown
class ScopedReadTest : public StoreConformanceTest {
 protected:
  struct Row {
    std::string id, name, origin, phone;
  };

  void SetUp() override {
    StoreConformanceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    std::vector<Region> regions = {
        {"ID", "", "INDONESIA", RegionLevel::kNational},
        {"32", "ID", "JAWA BARAT", RegionLevel::kProvince},
        {"32.02", "32", "KABUPATEN SUKABUMI", RegionLevel::kRegency},
        {"53", "ID", "NUSA TENGGARA TIMUR", RegionLevel::kProvince},
        {"53.71", "53", "KOTA KUPANG", RegionLevel::kRegency},
        {"53.71.01", "53.71", "Alak", RegionLevel::kDistrict}};
    ASSERT_TRUE(store_->reference().ReplaceRegions(regions).ok());
    jabar_ = {0, "UPTD-PPA-JABAR", "UPTD PPA Jawa Barat", "pppa_unit", "32"};
    kupang_ = {0, "DINSOS-KUPANG", "Dinas Sosial Kota Kupang", "social_service", "53.71"};
    ASSERT_TRUE(store_->agencies().Add(jabar_).ok());
    ASSERT_TRUE(store_->agencies().Add(kupang_).ok());
    polda_batch_ =
        Import(agency_, "p1", {{"N-1", "Maria Bano", "53.71", "+6281211112222"}},
               /*rejects=*/1);
    jabar_batch_ = Import(jabar_, "j1",
                          {{"J-1", "Yohana Bere", "53.71.01", ""},
                           {"J-2", "Siti Aminah", "32.02", ""},
                           {"J-3", "Dewi Lestari", "", ""}},
                          /*rejects=*/2);
    kupang_batch_ = Import(kupang_, "k1", {{"K-1", "Agustina Nuban", "", ""}}, 0);
    auto all = store_->records().FindRecords(domain::RecordQuery{});
    ASSERT_TRUE(all.ok()) << all.status();
    for (const domain::StoredRecord& r : *all)
      id_[r.parsed[ingest::Field::kRecordId]] = r.source_record_id;
    ASSERT_EQ(id_.size(), 5u);
  }

  // Stores `rows` (and `rejects` quarantined rows) as one import of `agency`.
  int64_t Import(const domain::Agency& agency, const std::string& digest,
                 const std::vector<Row>& rows, int rejects) {
    domain::ImportFileMeta meta = Meta(digest);
    meta.agency_id = agency.id;
    auto tx = store_->records().BeginImport(meta);
    EXPECT_TRUE(tx.ok()) << tx.status();
    if (!tx.ok()) return 0;
    int64_t line = 2;
    for (const Row& row : rows) {
      ingest::ParsedRecord r = Record(row.id, row.name);
      r[ingest::Field::kOriginRegion] = row.origin;
      r[ingest::Field::kPhone] = row.phone;
      EXPECT_TRUE((*tx)
                      ->Upsert(std::move(r), ingest::EncodeCells({row.id}), "[]", line++,
                               StrCat(row.id, row.name, row.origin))
                      .ok());
    }
    for (int i = 0; i < rejects; ++i) {
      EXPECT_TRUE(
          (*tx)
              ->Reject(line++, ingest::EncodeCells({"", "x", ""}), "",
                       ingest::EncodeIssues({{"name", "missing", "name is empty"}}))
              .ok());
    }
    int64_t batch = (*tx)->batch_id();
    EXPECT_TRUE((*tx)->Commit({}, digest).ok());
    return batch;
  }

  static domain::RecordScope Scope(domain::Role role, const std::string& region,
                                   int64_t agency_id = 0) {
    domain::Principal p;
    p.role = role;
    p.region_code = region;
    p.agency_id = agency_id;
    return domain::ScopeOf(p);
  }
  domain::RecordScope National() { return Scope(domain::Role::kSecretariat, "ID"); }
  domain::RecordScope Ntt() { return Scope(domain::Role::kSecretariat, "53"); }

  std::set<std::string> Visible(const domain::RecordScope& scope,
                                domain::RecordQuery q = {}) {
    q.scope = scope;
    q.limit = 100;
    auto found = store_->records().FindRecords(q);
    EXPECT_TRUE(found.ok()) << found.status();
    std::set<std::string> out;
    if (found.ok())
      for (const auto& r : *found) out.insert(r.parsed[ingest::Field::kRecordId]);
    return out;
  }

  std::set<int64_t> Batches(const domain::RecordScope& scope) {
    auto batches = store_->records().ListBatches(scope);
    EXPECT_TRUE(batches.ok()) << batches.status();
    std::set<int64_t> out;
    if (batches.ok())
      for (const auto& b : *batches) out.insert(b.id);
    return out;
  }

  std::vector<int64_t> Rejects(int64_t batch, const domain::RecordScope& scope) {
    std::vector<int64_t> out;
    EXPECT_TRUE(store_->records()
                    .ForEachReject(batch, scope,
                                   [&](const domain::StoredReject& r) {
                                     out.push_back(r.batch_id);
                                     return absl::OkStatus();
                                   })
                    .ok());
    return out;
  }

  // A link run: N-1 and J-1 are person 1, J-2 person 2, J-3 person 3, K-1 person 4;
  // review items (N-1, J-1), (N-1, J-2), (J-1, K-1).
  void SaveRun() {
    domain::LinkRunWrite w;
    w.run.kind = "full";
    w.run.started_at = "2024-01-01T00:00:00Z";
    w.run.model = "{}";
    w.new_persons = {1, 2, 3, 4};
    w.links = {{id_["N-1"], 1, 1},
               {id_["J-1"], 1, 1},
               {id_["J-2"], 2, 1},
               {id_["J-3"], 3, 1},
               {id_["K-1"], 4, 1}};
    auto item = [&](const std::string& a, const std::string& b, double p) {
      domain::ReviewItem i;
      i.record_a = std::min(id_[a], id_[b]);
      i.record_b = std::max(id_[a], id_[b]);
      i.probability = p;
      i.evidence = "1;0";
      return i;
    };
    w.review = {item("N-1", "J-1", 0.52), item("N-1", "J-2", 0.55),
                item("J-1", "K-1", 0.6)};
    w.replace_review = true;
    ASSERT_TRUE(store_->links().SaveRun(w).ok());
  }

  // Each review item as "record_id_a+record_id_b".
  std::vector<std::string> Queue(const domain::RecordScope& scope, int limit = 10,
                                 int offset = 0) {
    auto queue = store_->links().ReviewQueue(limit, scope, offset);
    EXPECT_TRUE(queue.ok()) << queue.status();
    std::vector<std::string> out;
    if (queue.ok())
      for (const auto& i : *queue)
        out.push_back(StrCat(i.record_id_a, "+", i.record_id_b));
    return out;
  }

  domain::Agency jabar_, kupang_;
  int64_t polda_batch_ = 0, jabar_batch_ = 0, kupang_batch_ = 0;
  std::map<std::string, int64_t> id_;  // record_id → source record id
};

TEST_P(ScopedReadTest, ADefaultQueryReadsTheWholeStore) {
  EXPECT_EQ(store_->records().FindRecords(domain::RecordQuery{})->size(), 5u);
  EXPECT_EQ(store_->records().ListBatches()->size(), 3u);
}

TEST_P(ScopedReadTest, NationalAccountsSeeEveryRecord) {
  EXPECT_EQ(Visible(National()),
            (std::set<std::string>{"N-1", "J-1", "J-2", "J-3", "K-1"}));
  EXPECT_EQ(Visible(Scope(domain::Role::kAdmin, "ID")).size(), 5u);
}

TEST_P(ScopedReadTest, AProvincialSecretariatFollowsItsPeopleFoundElsewhere) {
  // J-1 was reported in Jawa Barat by a Jawa Barat agency, but the victim comes
  // from Kupang: NTT sees it. J-2 (from Sukabumi) and J-3 (origin unknown) it
  // does not.
  EXPECT_EQ(Visible(Ntt()), (std::set<std::string>{"N-1", "J-1", "K-1"}));
  // A regency secretariat: its own agencies, and records whose origin lies in it
  // (N-1 was reported by the provincial police).
  EXPECT_EQ(Visible(Scope(domain::Role::kSecretariat, "53.71")),
            (std::set<std::string>{"N-1", "J-1", "K-1"}));
  EXPECT_EQ(Visible(Scope(domain::Role::kSecretariat, "32")),
            (std::set<std::string>{"J-1", "J-2", "J-3"}));
  // A region code that only starts like another is not inside it.
  EXPECT_TRUE(Visible(Scope(domain::Role::kSecretariat, "5")).empty());
  EXPECT_TRUE(Visible(Scope(domain::Role::kSecretariat, "53.7")).empty());
}

TEST_P(ScopedReadTest, AnAgencyAccountSeesOnlyItsOwnAgencysRecords) {
  EXPECT_EQ(Visible(Scope(domain::Role::kCaseworker, "53.71", kupang_.id)),
            (std::set<std::string>{"K-1"}));
  // The provincial police's investigator does not see the Jabar record of a
  // victim from NTT: origin widens only secretariats' view.
  EXPECT_EQ(Visible(Scope(domain::Role::kInvestigator, "53", agency_.id)),
            (std::set<std::string>{"N-1"}));
  // An account whose agency lies outside its region sees nothing.
  EXPECT_TRUE(Visible(Scope(domain::Role::kMigrantOfficer, "32", kupang_.id)).empty());
}

TEST_P(ScopedReadTest, AnalystsSeeNoRecord) {
  EXPECT_TRUE(Visible(Scope(domain::Role::kAnalyst, "ID")).empty());
  EXPECT_TRUE(Batches(Scope(domain::Role::kAnalyst, "ID")).empty());
  EXPECT_TRUE(Rejects(0, Scope(domain::Role::kAnalyst, "ID")).empty());
}

TEST_P(ScopedReadTest, AnOutOfScopeRecordIsAbsentWhateverTheCriteria) {
  domain::RecordQuery q;
  q.record_id = "J-2";
  EXPECT_TRUE(Visible(Ntt(), q).empty());
  EXPECT_EQ(Visible(National(), q).size(), 1u);
  q = {};
  q.source_record_ids = {id_["J-2"], id_["N-1"]};
  EXPECT_EQ(Visible(Ntt(), q), (std::set<std::string>{"N-1"}));
  q = {};
  q.name = "siti";
  EXPECT_TRUE(Visible(Ntt(), q).empty());
}

TEST_P(ScopedReadTest, VisibilityFollowsTheCurrentVersionForEveryVersion) {
  // J-1's origin is corrected to Sukabumi: NTT no longer sees J-1, old version
  // included.
  domain::ImportFileMeta meta = Meta("j2");
  meta.agency_id = jabar_.id;
  auto tx = store_->records().BeginImport(meta);
  ASSERT_TRUE(tx.ok());
  ingest::ParsedRecord r = Record("J-1", "Yohana Bere");
  r[ingest::Field::kOriginRegion] = "32.02";
  ASSERT_EQ(
      *(*tx)->Upsert(std::move(r), ingest::EncodeCells({"J-1"}), "[]", 2, "changed"),
      domain::UpsertResult::kUpdated);
  ASSERT_TRUE((*tx)->Commit({}, "j2").ok());
  domain::RecordQuery q;
  q.all_versions = true;
  q.record_id = "J-1";
  EXPECT_TRUE(Visible(Ntt(), q).empty());
  q.scope = National();
  EXPECT_EQ(store_->records().FindRecords(q)->size(), 2u);
  EXPECT_EQ(Visible(Ntt()), (std::set<std::string>{"N-1", "K-1"}));
}

TEST_P(ScopedReadTest, BatchesAndRejectsFollowTheAgencyNotTheOrigin) {
  EXPECT_EQ(Batches(National()),
            (std::set<int64_t>{polda_batch_, jabar_batch_, kupang_batch_}));
  // Jabar's batch holds J-1, a victim from NTT, but also rows NTT may not see.
  EXPECT_EQ(Batches(Ntt()), (std::set<int64_t>{polda_batch_, kupang_batch_}));
  EXPECT_EQ(Batches(Scope(domain::Role::kCaseworker, "32", jabar_.id)),
            (std::set<int64_t>{jabar_batch_}));
  EXPECT_EQ(Rejects(0, National()).size(), 3u);
  EXPECT_EQ(Rejects(0, Ntt()), (std::vector<int64_t>{polda_batch_}));
  EXPECT_TRUE(Rejects(jabar_batch_, Ntt()).empty());
  EXPECT_EQ(Rejects(jabar_batch_, National()).size(), 2u);
  EXPECT_TRUE(Rejects(0, Scope(domain::Role::kCaseworker, "53.71", kupang_.id)).empty());
}

TEST_P(ScopedReadTest, AReviewItemIsVisibleOnlyWithBothRecords) {
  SaveRun();
  // Most uncertain first: 0.52, 0.55, 0.6.
  EXPECT_THAT(Queue(National()), ::testing::ElementsAre("N-1+J-1", "N-1+J-2", "J-1+K-1"));
  EXPECT_THAT(Queue(National(), 1, 1), ::testing::ElementsAre("N-1+J-2"));
  EXPECT_THAT(Queue(Ntt()), ::testing::ElementsAre("N-1+J-1", "J-1+K-1"));
  EXPECT_THAT(Queue(Ntt(), 10, 1), ::testing::ElementsAre("J-1+K-1"));
  EXPECT_TRUE(Queue(Scope(domain::Role::kCaseworker, "53.71", kupang_.id)).empty());
  EXPECT_TRUE(Queue(Scope(domain::Role::kAnalyst, "ID")).empty());
  EXPECT_EQ(store_->links().ReviewQueue(10)->size(), 3u);
  EXPECT_EQ(*store_->links().CountReviewQueue(National()), 3);
  EXPECT_EQ(*store_->links().CountReviewQueue(Ntt()), 2);
  EXPECT_EQ(*store_->links().CountReviewQueue(Scope(domain::Role::kAnalyst, "ID")), 0);

  auto all = store_->links().ReviewQueue(10, National(), 0);
  ASSERT_EQ(all->size(), 3u);
  const domain::ReviewItem& hidden = (*all)[1];  // N-1 + J-2
  auto seen = store_->links().FindReviewItem((*all)[0].id, Ntt());
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->record_id_b, "J-1");
  EXPECT_EQ(seen->person_a, 1);
  auto out_of_scope = store_->links().FindReviewItem(hidden.id, Ntt());
  EXPECT_TRUE(absl::IsNotFound(out_of_scope.status()));
  EXPECT_EQ(out_of_scope.status().message(), StrCat("no review item ", hidden.id));
  const int64_t absent = hidden.id + 1000;
  EXPECT_EQ(store_->links().FindReviewItem(absent, Ntt()).status().message(),
            StrCat("no review item ", absent));
  EXPECT_TRUE(store_->links().FindReviewItem(hidden.id).ok());
}

// The binding decision on one pair is the latest, whichever order the pair is named in.
TEST_P(ScopedReadTest, TheLatestDecisionOnAPairBinds) {
  const int64_t a = id_["N-1"], b = id_["J-1"];
  EXPECT_FALSE(store_->links().DecisionOn(a, b)->has_value());
  domain::LinkDecision d;
  d.record_a = b;  // either order
  d.record_b = a;
  d.decision = domain::Decision::kSame;
  d.decided_by = "peninjau.satu";
  ASSERT_TRUE(store_->links().AddDecision(d).ok());
  d.decision = domain::Decision::kDifferent;
  d.decided_by = "peninjau.dua";
  ASSERT_TRUE(store_->links().AddDecision(d).ok());
  auto found = store_->links().DecisionOn(a, b);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->decision, domain::Decision::kDifferent);
  EXPECT_EQ((*found)->decided_by, "peninjau.dua");
  EXPECT_EQ((*found)->record_a, std::min(a, b));
  EXPECT_EQ((*store_->links().DecisionOn(b, a))->decided_by, "peninjau.dua");
  EXPECT_FALSE(store_->links().DecisionOn(a, id_["J-2"])->has_value());
}

TEST_P(ScopedReadTest, RecordsCarryTheirPersonAndAreFoundByPersonAndPhone) {
  domain::RecordQuery q;
  q.person_ids = {1};
  EXPECT_TRUE(Visible(National(), q).empty());  // not linked yet
  SaveRun();
  EXPECT_EQ(Visible(Ntt(), q), (std::set<std::string>{"N-1", "J-1"}));
  EXPECT_EQ(Visible(Scope(domain::Role::kInvestigator, "53", agency_.id), q),
            (std::set<std::string>{"N-1"}));
  q.person_ids = {2, 3};
  EXPECT_TRUE(Visible(Ntt(), q).empty());
  EXPECT_EQ(Visible(National(), q), (std::set<std::string>{"J-2", "J-3"}));
  q = {};
  q.phone = "+6281211112222";
  q.with_raw = false;
  auto found = store_->records().FindRecords(q);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].person_id, 1);
  EXPECT_EQ((*found)[0].source_record_id, id_["N-1"]);
  EXPECT_TRUE((*found)[0].raw.empty());
  EXPECT_TRUE(Visible(Scope(domain::Role::kCaseworker, "32", jabar_.id), q).empty());
}

TEST_P(ScopedReadTest, LinkedNamesAndTheLinkStateFollowRunsAndImports) {
  auto before = store_->links().State();
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->last_run, 0);
  std::vector<domain::LinkedName> names;
  auto collect = [&](domain::LinkedName&& n) {
    names.push_back(std::move(n));
    return absl::OkStatus();
  };
  ASSERT_TRUE(store_->links().ForEachLinkedName(collect).ok());
  EXPECT_TRUE(names.empty());  // nothing linked yet

  SaveRun();
  auto linked = store_->links().State();
  EXPECT_GT(linked->last_run, 0);
  EXPECT_EQ(linked->last_version, before->last_version);
  ASSERT_TRUE(store_->links().ForEachLinkedName(collect).ok());
  ASSERT_EQ(names.size(), 5u);
  auto j1 = std::find_if(names.begin(), names.end(),
                         [&](const auto& n) { return n.source_record_id == id_["J-1"]; });
  ASSERT_NE(j1, names.end());
  EXPECT_EQ(j1->person_id, 1);
  EXPECT_EQ(j1->agency_id, jabar_.id);
  EXPECT_EQ(j1->origin_region, "53.71.01");
  EXPECT_EQ(j1->name, "Yohana Bere");

  Import(kupang_, "k2", {{"K-2", "Agustina Nuban", "", ""}}, 0);
  auto imported = store_->links().State();
  EXPECT_EQ(imported->last_run, linked->last_run);
  EXPECT_GT(imported->last_version, linked->last_version);
  EXPECT_FALSE(*imported == *linked);
}

INSTANTIATE_TEST_SUITE_P(Backends, ScopedReadTest, ::testing::Values(kSqlite, kPostgres),
                         [](const auto& info) { return info.param.name; });

// --- Record linkage and statistics (LinkRepository, StatsRepository) ---
class LinkStoreTest : public StoreConformanceTest {
 protected:
  void SetUp() override {
    StoreConformanceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    // Codes and record ids whose byte order is not the order of their ids.
    other_ = {0, "A-LSM", "LSM Peduli", "ngo", "53.71"};
    ASSERT_TRUE(store_->agencies().Add(other_).ok());
  }

  // An import of `agency`'s file, begun and left open.
  std::unique_ptr<domain::ImportTransaction> BeginImport(const domain::Agency& agency,
                                                         const std::string& digest) {
    domain::ImportFileMeta meta = Meta(digest);
    meta.agency_id = agency.id;
    auto tx = store_->records().BeginImport(meta);
    EXPECT_TRUE(tx.ok()) << tx.status();
    return tx.ok() ? std::move(tx).value() : nullptr;
  }

  // Stores `r` in the open import `tx` as a new version (its content hash is the
  // import's digest: every import changes the record).
  static void Upsert(domain::ImportTransaction& tx, const ingest::ParsedRecord& r,
                     const std::string& digest) {
    ingest::ParsedRecord copy = r;
    if (!copy[ingest::Field::kAge].empty())
      copy.age = std::stoi(copy[ingest::Field::kAge]);
    const std::string& id = r[ingest::Field::kRecordId];
    auto upserted =
        tx.Upsert(std::move(copy), ingest::EncodeCells({id}), "[]", 2, digest);
    EXPECT_TRUE(upserted.ok()) << upserted.status();
  }

  // The source record id of `agency`'s record `record_id` (0 when absent).
  int64_t SourceRecordId(const domain::Agency& agency, const std::string& record_id) {
    domain::RecordQuery q;
    q.agency_code = agency.code;
    q.record_id = record_id;
    auto found = store_->records().FindRecords(q);
    EXPECT_TRUE(found.ok() && found->size() == 1u);
    return found.ok() && !found->empty() ? (*found)[0].source_record_id : 0;
  }

  // Stores `r` as its agency's record r[kRecordId]: its first version, or its next
  // when it exists, in an import of its own. Returns its source record id.
  int64_t AddRecord(const domain::Agency& agency, const ingest::ParsedRecord& r) {
    const std::string digest = StrCat("d", ++files_);
    std::unique_ptr<domain::ImportTransaction> tx = BeginImport(agency, digest);
    if (!tx) return 0;
    Upsert(*tx, r, digest);
    const absl::Status committed = tx->Commit({}, digest);
    EXPECT_TRUE(committed.ok()) << committed;
    return SourceRecordId(agency, r[ingest::Field::kRecordId]);
  }

  // A record of the people the statistics count, with most of what they read.
  ingest::ParsedRecord Victim(const std::string& id, const std::string& sex,
                              const std::string& origin, const std::string& nik) {
    ingest::ParsedRecord r = Record(id, StrCat("Korban ", id));
    r[ingest::Field::kReportDate] = "2023-03-0" + std::to_string(1 + files_ % 9);
    r[ingest::Field::kSex] = sex;
    r[ingest::Field::kOriginRegion] = origin;
    r[ingest::Field::kNik] = nik;
    r[ingest::Field::kBirthDate] = "2001-07-15";
    r[ingest::Field::kCaseRef] = StrCat("LP/", id);
    r[ingest::Field::kDestination] = "MY";
    r[ingest::Field::kExploitation] = "forced_labour;debt_bondage";
    r[ingest::Field::kIncidentDate] = "2022-12-24";
    return r;
  }

  static domain::ReviewItem Item(int64_t a, int64_t b, double p) {
    domain::ReviewItem i;
    i.record_a = std::min(a, b);
    i.record_b = std::max(a, b);
    i.probability = p;
    i.evidence = "2;1";
    return i;
  }

  static domain::LinkRunWrite Run(const std::string& kind) {
    domain::LinkRunWrite w;
    w.run.kind = kind;
    w.run.started_at = "2024-02-01T00:00:00Z";
    w.run.model = StrCat("{\"kind\":\"", kind, "\"}");
    w.replace_review = kind == "full";
    return w;
  }

  // Each item of the queue as "record a+record b", source record ids.
  std::vector<std::string> QueuePairs() {
    auto queue = store_->links().ReviewQueue(100);
    EXPECT_TRUE(queue.ok()) << queue.status();
    std::vector<std::string> out;
    if (queue.ok())
      for (const auto& i : *queue) out.push_back(StrCat(i.record_a, "+", i.record_b));
    return out;
  }

  static std::string Pair(int64_t a, int64_t b) { return StrCat(a, "+", b); }

  std::vector<std::tuple<int64_t, int64_t, int64_t>> Links() {
    auto links = store_->links().Links();
    EXPECT_TRUE(links.ok()) << links.status();
    std::vector<std::tuple<int64_t, int64_t, int64_t>> out;
    if (links.ok())
      for (const auto& l : *links)
        out.emplace_back(l.source_record_id, l.person_id, l.version);
    return out;
  }

  domain::Agency other_;
  int files_ = 0;
};

TEST_P(LinkStoreTest, ASavedRunIsReadBackAsLinksPersonsAndTheLastRun) {
  EXPECT_FALSE(store_->links().LastRun()->has_value());
  EXPECT_EQ(*store_->links().NextPersonId(), 1);
  const int64_t a = AddRecord(agency_, Record("9", "Maria Bano"));
  const int64_t b = AddRecord(other_, Record("10", "Maria Bano"));
  const int64_t c = AddRecord(agency_, Record("10", "Yohana Bere"));
  ASSERT_TRUE(a < b && b < c);

  domain::LinkRunWrite first = Run("full");
  first.run.records = 3;
  first.run.new_records = 3;
  first.run.candidate_pairs = 2;
  first.run.links = 1;
  first.run.persons = 2;
  first.new_persons = {1, 2};
  first.links = {{c, 2, 1}, {a, 1, 1}, {b, 1, 1}};  // any order
  ASSERT_TRUE(store_->links().SaveRun(first).ok());
  EXPECT_GT(first.run.id, 0);
  EXPECT_EQ(Links(), (std::vector<std::tuple<int64_t, int64_t, int64_t>>{
                         {a, 1, 1}, {b, 1, 1}, {c, 2, 1}}));
  EXPECT_EQ(*store_->links().NextPersonId(), 3);
  auto last = store_->links().LastRun();
  ASSERT_TRUE(last.ok() && last->has_value()) << last.status();
  EXPECT_EQ((*last)->id, first.run.id);
  EXPECT_EQ((*last)->kind, "full");
  EXPECT_EQ((*last)->started_at, "2024-02-01T00:00:00Z");
  EXPECT_FALSE((*last)->finished_at.empty());
  EXPECT_EQ((*last)->records, 3);
  EXPECT_EQ((*last)->candidate_pairs, 2);
  EXPECT_EQ((*last)->links, 1);
  EXPECT_EQ((*last)->persons, 2);
  EXPECT_EQ((*last)->model, "{\"kind\":\"full\"}");

  // Exports list (agency code, record id) in byte order: "10" before "9".
  std::vector<std::string> exported;
  ASSERT_TRUE(store_->links()
                  .ForEachExportLink([&](std::string_view agency,
                                         std::string_view record_id, int64_t person) {
                    exported.push_back(StrCat(agency, "/", record_id, "=", person));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_THAT(exported,
              ::testing::ElementsAre("A-LSM/10=1", "POLDA-NTT/10=2", "POLDA-NTT/9=1"));
  // A visitor's error stops the export and comes back.
  int visited = 0;
  absl::Status stopped =
      store_->links().ForEachExportLink([&](std::string_view, std::string_view, int64_t) {
        ++visited;
        return absl::CancelledError("enough");
      });
  EXPECT_TRUE(absl::IsCancelled(stopped)) << stopped;
  EXPECT_EQ(visited, 1);

  // An incremental run writes only what changed: c corrected (version 2) moves to
  // a new person 3, and person 2 is left without records.
  AddRecord(agency_, Record("10", "Yohana Bere Tefa"));
  std::vector<int64_t> versions;
  ASSERT_TRUE(store_->links()
                  .ForEachLinkRecord([&](domain::LinkRecord&& r) {
                    versions.push_back(r.version);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(versions, (std::vector<int64_t>{1, 1, 2}));
  domain::LinkRunWrite second = Run("incremental");
  second.new_persons = {3};
  second.retired_persons = {2};
  second.links = {{c, 3, 2}};
  ASSERT_TRUE(store_->links().SaveRun(second).ok());
  EXPECT_GT(second.run.id, first.run.id);
  EXPECT_EQ(Links(), (std::vector<std::tuple<int64_t, int64_t, int64_t>>{
                         {a, 1, 1}, {b, 1, 1}, {c, 3, 2}}));
  EXPECT_EQ((*store_->links().LastRun())->kind, "incremental");
  EXPECT_EQ(*store_->links().NextPersonId(), 4);
}

TEST_P(LinkStoreTest, ARetiredPersonsIdIsNeverGivenAgain) {
  const int64_t a = AddRecord(agency_, Record("1", "Maria Bano"));
  const int64_t b = AddRecord(agency_, Record("2", "Maria Bano"));
  domain::LinkRunWrite first = Run("full");
  first.new_persons = {1, 2};
  first.links = {{a, 1, 1}, {b, 2, 1}};
  ASSERT_TRUE(store_->links().SaveRun(first).ok());

  // A reviewer said they are the same: person 2 is merged into 1 and retired.
  domain::LinkRunWrite merge = Run("incremental");
  merge.retired_persons = {2};
  merge.links = {{b, 1, 1}};
  ASSERT_TRUE(store_->links().SaveRun(merge).ok());
  EXPECT_EQ(Links(),
            (std::vector<std::tuple<int64_t, int64_t, int64_t>>{{a, 1, 1}, {b, 1, 1}}));
  EXPECT_EQ(*store_->links().NextPersonId(), 3);

  // A run that would create person 2 again fails whole: no run, no link changes.
  domain::LinkRunWrite reuse = Run("incremental");
  reuse.new_persons = {2};
  reuse.links = {{b, 2, 1}};
  reuse.review = {Item(a, b, 0.5)};
  absl::Status refused = store_->links().SaveRun(reuse);
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ((*store_->links().LastRun())->id, merge.run.id);
  EXPECT_EQ(Links(),
            (std::vector<std::tuple<int64_t, int64_t, int64_t>>{{a, 1, 1}, {b, 1, 1}}));
  EXPECT_TRUE(QueuePairs().empty());

  // Split again: the record gets a new person, not the retired one's id.
  domain::LinkRunWrite split = Run("incremental");
  split.new_persons = {3};
  split.links = {{b, 3, 1}};
  ASSERT_TRUE(store_->links().SaveRun(split).ok());
  EXPECT_EQ(*store_->links().NextPersonId(), 4);
}

TEST_P(LinkStoreTest, ALinkToARecordOrPersonThatDoesNotExistIsRefusedWhole) {
  const int64_t a = AddRecord(agency_, Record("1", "Maria Bano"));
  const int64_t b = AddRecord(agency_, Record("2", "Yohana Bere"));
  domain::LinkRunWrite first = Run("full");
  first.new_persons = {1, 2};
  first.links = {{a, 1, 1}, {b, 2, 1}};
  ASSERT_TRUE(store_->links().SaveRun(first).ok());
  const auto before =
      std::vector<std::tuple<int64_t, int64_t, int64_t>>{{a, 1, 1}, {b, 2, 1}};

  // Person 7 was never created; record b + 1000 was never imported. Either way the
  // run is refused: no run, no person, no link, nothing queued.
  for (const domain::PersonLink& bad :
       {domain::PersonLink{a, 7, 1}, domain::PersonLink{b + 1000, 1, 1}}) {
    domain::LinkRunWrite run = Run("incremental");
    run.new_persons = {3};
    run.links = {{b, 3, 1}, bad};
    run.review = {Item(a, b, 0.5)};
    EXPECT_FALSE(store_->links().SaveRun(run).ok());
    EXPECT_EQ((*store_->links().LastRun())->id, first.run.id);
    EXPECT_EQ(Links(), before);
    EXPECT_EQ(*store_->links().NextPersonId(), 3);
    EXPECT_TRUE(QueuePairs().empty());
  }
}

TEST_P(LinkStoreTest, AFullRunReplacesTheQueueAnIncrementalOneOnlyAroundItsRecords) {
  std::vector<int64_t> r;
  for (const char* id : {"1", "2", "3", "4", "5"})
    r.push_back(AddRecord(agency_, Record(id, StrCat("Korban ", id))));
  domain::LinkRunWrite first = Run("full");
  first.new_persons = {1, 2, 3, 4, 5};
  for (size_t i = 0; i < r.size(); ++i)
    first.links.push_back({r[i], static_cast<int64_t>(i + 1), 1});
  first.review = {Item(r[0], r[1], 0.6), Item(r[2], r[3], 0.7), Item(r[0], r[2], 0.45),
                  Item(r[3], r[4], 0.4)};
  ASSERT_TRUE(store_->links().SaveRun(first).ok());
  // Most uncertain first; ties (0.6 and 0.4) in the order they were queued.
  EXPECT_THAT(QueuePairs(), ::testing::ElementsAre(Pair(r[0], r[2]), Pair(r[0], r[1]),
                                                   Pair(r[3], r[4]), Pair(r[2], r[3])));
  EXPECT_EQ(*store_->links().CountReviewQueue(domain::WholeStore()), 4);

  // A decided item leaves the queue but keeps its number.
  const int64_t decided_id = (*store_->links().ReviewQueue(1))[0].id;
  domain::LinkDecision d;
  d.record_a = r[0];
  d.record_b = r[2];
  d.decision = domain::Decision::kDifferent;
  d.decided_by = "peninjau";
  ASSERT_TRUE(store_->links().AddDecision(d).ok());
  EXPECT_EQ(QueuePairs().size(), 3u);

  // An incremental run around record 1 rebuilds only the items touching it.
  domain::LinkRunWrite around = Run("incremental");
  around.review_records = {r[0]};
  around.review = {Item(r[0], r[3], 0.5), Item(r[2], r[3], 0.65)};
  ASSERT_TRUE(store_->links().SaveRun(around).ok());
  EXPECT_THAT(QueuePairs(), ::testing::ElementsAre(Pair(r[0], r[3]), Pair(r[3], r[4]),
                                                   Pair(r[2], r[3])));
  auto item = store_->links().FindReviewItem(decided_id);
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(item->record_a, r[0]);
  EXPECT_EQ(item->record_b, r[2]);
  EXPECT_EQ(item->evidence, "2;1");
  EXPECT_EQ(item->person_b, 3);
  auto updated = store_->links().ReviewQueue(1, domain::WholeStore(), 2);
  ASSERT_EQ(updated->size(), 1u);
  EXPECT_DOUBLE_EQ((*updated)[0].probability, 0.65);

  // A full run replaces every undecided item.
  domain::LinkRunWrite full = Run("full");
  full.review = {Item(r[1], r[4], 0.51)};
  ASSERT_TRUE(store_->links().SaveRun(full).ok());
  EXPECT_THAT(QueuePairs(), ::testing::ElementsAre(Pair(r[1], r[4])));
  EXPECT_TRUE(store_->links().FindReviewItem(decided_id).ok());
  EXPECT_EQ((*store_->links().Decisions()).size(), 1u);
}

// What LoadFacts must give: every current record's fact (report::FactOf of its
// values) under its person (-source record id when not linked), in person order.
using FactRow = std::tuple<int64_t, int64_t, int64_t, uint64_t, std::string, int32_t,
                           int32_t, int32_t, std::string, uint32_t, uint32_t, int32_t,
                           int32_t, int32_t, int16_t, int8_t, int8_t>;

FactRow RowOf(const report::FactSet& set, const report::Fact& f) {
  return {
      f.person,
      f.case_key,
      f.nik,
      f.stable_key,
      set.agencies.at(static_cast<size_t>(f.agency)).code,
      f.report_date,
      f.incident_date,
      f.origin,
      f.destination < 0 ? "" : set.destinations.at(static_cast<size_t>(f.destination)),
      f.exploitation,
      f.recruitment,
      f.birth_date,
      f.nik_birth,
      f.nik_origin,
      f.age,
      f.sex,
      f.nik_sex};
}

TEST_P(LinkStoreTest, LoadFactsFollowsRecordsAndLinks) {
  struct Stored {
    const domain::Agency* agency;
    ingest::ParsedRecord record;
    int64_t id = 0, person = 0;
  };
  std::vector<Stored> stored;
  auto add = [&](const domain::Agency& agency, ingest::ParsedRecord r) {
    int64_t id = AddRecord(agency, r);
    for (Stored& s : stored)
      if (s.id == id) {
        s.record = std::move(r);
        return id;
      }
    stored.push_back({&agency, std::move(r), id, 0});
    return id;
  };
  auto expected = [&] {
    std::vector<std::pair<std::pair<int64_t, int64_t>, FactRow>> rows;
    report::FactSet set;
    for (const Stored& s : stored) {
      ingest::ParsedRecord parsed = s.record;
      const std::string& age = parsed[ingest::Field::kAge];
      if (!age.empty()) parsed.age = std::stoi(age);
      report::RecordFact rf = report::FactOf(parsed, s.agency->id, s.agency->code);
      rf.fact.person = s.person != 0 ? s.person : -s.id;
      set.agencies = {{s.agency->id, s.agency->code, "", "", 0}};
      set.destinations = {rf.destination};
      rf.fact.agency = 0;
      rf.fact.destination = rf.destination.empty() ? -1 : 0;
      rows.push_back({{rf.fact.person, s.id}, RowOf(set, rf.fact)});
    }
    std::sort(rows.begin(), rows.end());
    std::vector<FactRow> out;
    for (auto& [key, row] : rows) out.push_back(row);
    return out;
  };
  auto loaded = [&] {
    auto set = store_->stats().LoadFacts();
    EXPECT_TRUE(set.ok()) << set.status();
    std::vector<FactRow> out;
    if (set.ok())
      for (const report::Fact& f : set->facts) out.push_back(RowOf(*set, f));
    return out;
  };

  EXPECT_TRUE(loaded().empty());
  const int64_t a = add(agency_, Victim("1", "P", "53.71", "5371014507010002"));
  const int64_t b = add(other_, Victim("2", "P", "53.71.01", ""));
  ingest::ParsedRecord young = Victim("3", "L", "", "");
  young[ingest::Field::kBirthDate] = "";
  young[ingest::Field::kAge] = "15";
  young[ingest::Field::kDestination] = "";
  const int64_t c = add(agency_, young);
  EXPECT_EQ(loaded(), expected());  // nobody linked yet: each record its own person
  EXPECT_EQ(loaded(), expected());  // and again, with nothing new

  domain::LinkRunWrite run = Run("full");
  run.new_persons = {1, 2};
  run.links = {{a, 2, 1}, {b, 2, 1}, {c, 1, 1}};
  ASSERT_TRUE(store_->links().SaveRun(run).ok());
  for (Stored& s : stored) s.person = s.id == c ? 1 : 2;
  EXPECT_EQ(loaded(), expected());

  // A corrected version, a new record (not linked yet) and a record moving to a new
  // person: only what changed is derived again, and the result is the same as
  // deriving everything.
  ingest::ParsedRecord corrected = Victim("2", "P", "32.02", "");
  corrected[ingest::Field::kDestination] = "SA";
  add(other_, corrected);
  add(other_, Victim("4", "L", "53", ""));
  domain::LinkRunWrite moved = Run("incremental");
  moved.new_persons = {3};
  moved.links = {{a, 3, 1}};
  ASSERT_TRUE(store_->links().SaveRun(moved).ok());
  for (Stored& s : stored)
    if (s.id == a) s.person = 3;
  const std::vector<FactRow> refreshed = loaded();
  EXPECT_EQ(refreshed.size(), 4u);
  EXPECT_EQ(refreshed, expected());
  EXPECT_EQ(loaded(), refreshed);
}

TEST_P(LinkStoreTest, ConcurrentRefreshesAgreeOnOneState) {
  for (int i = 0; i < 6; ++i)
    AddRecord(i % 2 ? agency_ : other_, Victim(StrCat("R-", i), "P", "53.71", ""));
  constexpr int kThreads = 4;
  std::vector<std::vector<int64_t>> persons(kThreads);
  std::vector<absl::Status> statuses(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto set = store_->stats().LoadFacts();
      statuses[static_cast<size_t>(t)] = set.status();
      if (set.ok())
        for (const report::Fact& f : set->facts)
          persons[static_cast<size_t>(t)].push_back(f.person);
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(statuses[static_cast<size_t>(t)].ok())
        << statuses[static_cast<size_t>(t)];
    EXPECT_EQ(persons[static_cast<size_t>(t)].size(), 6u);
    EXPECT_EQ(persons[static_cast<size_t>(t)], persons[0]);
  }
}

// Issue: on PostgreSQL, imports of different agencies run side by side and take
// their version ids when they write, not when they commit. An import that took the
// lower ids and committed last was missed by whatever watched the newest version id:
// the link state (so every cache keyed on it: person pages, search, dashboards) and
// the statistics' refresh, for good.
TEST_P(LinkStoreTest, AnImportCommittedAfterALaterOneIsSeenByCachesStatsAndLinking) {
  domain::StatsService stats(*store_);
  domain::StatsQuery query;
  query.k = 1;
  auto recorded = [&] {
    auto r = stats.Reconcile(query);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->records : -1;
  };
  auto state = [&] {
    auto s = store_->links().State();
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : domain::LinkState{};
  };
  const domain::LinkState empty = state();
  EXPECT_EQ(recorded(), 0);

  // B's import, committed, and what is read meanwhile: B's records only.
  domain::LinkState after_b;
  auto import_b = [&] {
    std::unique_ptr<domain::ImportTransaction> b = BeginImport(other_, "b");
    ASSERT_TRUE(b);
    Upsert(*b, Victim("B-1", "P", "53.71", ""), "b");
    Upsert(*b, Victim("B-2", "L", "53.71", ""), "b");
    const absl::Status committed = b->Commit({}, "b");
    ASSERT_TRUE(committed.ok()) << committed;
    after_b = state();
    EXPECT_NE(after_b, empty);
    EXPECT_EQ(recorded(), 2);
    auto linked = domain::LinkService(*store_).Link({.threads = 1});
    ASSERT_TRUE(linked.ok()) << linked.status();
    after_b = state();
  };
  // PostgreSQL: A takes its ids first, B takes later ones and commits first. SQLite
  // has one writer, whose imports commit in the order they took their ids: there B
  // goes before A begins.
  const bool side_by_side = GetParam().kind == testing::BackendKind::kPostgres;
  if (!side_by_side) import_b();
  std::unique_ptr<domain::ImportTransaction> a = BeginImport(agency_, "a");
  ASSERT_TRUE(a);
  for (const char* id : {"A-1", "A-2", "A-3"}) Upsert(*a, Victim(id, "P", "53", ""), "a");
  if (side_by_side) import_b();
  ASSERT_FALSE(HasFatalFailure());
  const absl::Status committed = a->Commit({}, "a");
  ASSERT_TRUE(committed.ok()) << committed;

  EXPECT_NE(state(), after_b);  // caches see that something changed
  EXPECT_EQ(recorded(), 5);     // and the statistics count A's records too
  auto linked = domain::LinkService(*store_).Link({.threads = 1});
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(linked->kind, "incremental");
  EXPECT_EQ(linked->new_records, 3);
  EXPECT_EQ(Links().size(), 5u);
  EXPECT_EQ(recorded(), 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, LinkStoreTest, ::testing::Values(kSqlite, kPostgres),
                         [](const auto& info) { return info.param.name; });

// --- Imports at scale: buffered and bulk writes, streamed reads ---

class ImportTest : public StoreConformanceTest {
 protected:
  // Record `i` of a file, every field set for most records, with the characters
  // that bulk writing has to escape (tab, newline, backslash, "\N") and long notes
  // (so that a few thousand rows make several megabytes). `variant` changes the
  // content and the hash.
  static ingest::ParsedRecord FullRecord(int i, const std::string& variant) {
    using ingest::Field;
    static const char* kNames[] = {"Siti\tAminah \\ \"Q\" 'x'", "Dewi\nLestari\r", "\\N",
                                   "\\.", "Ñoño Ünal 山田"};
    ingest::ParsedRecord r;
    r[Field::kRecordId] = StrCat("R-", 100000 + i);
    r[Field::kReportDate] = "2023-01-01";
    r[Field::kName] = i % 7 < 5 ? kNames[i % 7] : StrCat("Nama ", i);
    if (i % 3) r[Field::kCaseRef] = StrCat("C/", i);
    if (i % 2) r[Field::kNik] = StrCat(5371010101900000LL + i);
    r[Field::kSex] = i % 2 ? "L" : "P";
    if (i % 5) r[Field::kBirthDate] = "1990-02-03";
    if (i % 4) {
      r.age = i % 90;
      r[Field::kAge] = StrCat(i % 90);
    }
    r[Field::kBirthPlace] = "Kupang";
    if (i % 3) r[Field::kOriginRegion] = "53.71";
    r[Field::kAddress] = "Jl. \\Merdeka\\ No.\t5";
    if (i % 2) r[Field::kPhone] = StrCat("+62812", 1000000 + i);
    r[Field::kNationality] = "ID";
    r[Field::kExploitation] = "forced_labour;sexual";
    r[Field::kDestination] = "MY";
    r[Field::kIncidentDate] = "2022-12-31";
    r[Field::kSuspects] = "A; B";
    r[Field::kNotes] = StrCat(std::string(1500, 'n'), variant, "\t\n\\");
    return r;
  }

  static std::string RawOf(const ingest::ParsedRecord& r) {
    return ingest::EncodeCells({r[ingest::Field::kRecordId], "2023-01-01",
                                r[ingest::Field::kName], r[ingest::Field::kNotes]});
  }

  static std::string WarningsOf(int i) {
    if (i % 10) return "[]";
    return ingest::EncodeIssues({{"age", "unparseable", "age \"x\"\tis\\odd"}});
  }

  // Upserts records [from, to), record i as variant(i), and commits them as
  // `digest` with the counts of what Upsert answered. Returns the batch id.
  int64_t ImportRange(const std::string& digest, int from, int to,
                      const std::function<std::string(int)>& variant,
                      const domain::Agency* agency = nullptr) {
    domain::ImportFileMeta meta = Meta(digest);
    if (agency) meta.agency_id = agency->id;
    auto tx = store_->records().BeginImport(meta);
    EXPECT_TRUE(tx.ok()) << tx.status();
    if (!tx.ok()) return 0;
    domain::ImportCounts counts;
    for (int i = from; i < to; ++i) {
      ingest::ParsedRecord r = FullRecord(i, variant(i));
      std::string hash = StrCat(r[ingest::Field::kRecordId], variant(i));
      std::string raw = RawOf(r);
      auto result =
          (*tx)->Upsert(std::move(r), std::move(raw), WarningsOf(i), 2 * i + 2, hash);
      EXPECT_TRUE(result.ok()) << result.status();
      if (!result.ok()) return 0;
      ++counts.rows;
      ++(*result == domain::UpsertResult::kInserted  ? counts.inserted
         : *result == domain::UpsertResult::kUpdated ? counts.updated
                                                     : counts.unchanged);
    }
    int64_t batch = (*tx)->batch_id();
    absl::Status committed = (*tx)->Commit(counts, digest);
    EXPECT_TRUE(committed.ok()) << committed;
    return batch;
  }

  std::vector<domain::StoredRecord> Current() {
    std::vector<domain::StoredRecord> out;
    absl::Status read =
        store_->records().ForEachCurrentRecord([&](const domain::StoredRecord& r) {
          out.push_back(r);
          return absl::OkStatus();
        });
    EXPECT_TRUE(read.ok()) << read;
    return out;
  }

  // What was upserted as record `i` of `variant`, as read back.
  static void ExpectStored(const domain::StoredRecord& got, int i,
                           const std::string& variant) {
    ingest::ParsedRecord want = FullRecord(i, variant);
    for (int f = 0; f < ingest::kFieldCount; ++f)
      EXPECT_EQ(got.parsed.value[f], want.value[f])
          << ingest::Fields()[f].key << " " << i;
    EXPECT_EQ(got.parsed.age, want.age) << i;
    EXPECT_EQ(ingest::EncodeIssues(got.parsed.warnings), WarningsOf(i)) << i;
    EXPECT_EQ(got.line, 2 * i + 2);
  }
};

TEST_P(ImportTest, AnImportOfThousandsOfRowsRoundTripsExactly) {
  constexpr int kRows = 3000, kRejects = 700;
  auto tx = store_->records().BeginImport(Meta("aa"));
  ASSERT_TRUE(tx.ok()) << tx.status();
  for (int i = 0; i < kRows; ++i) {
    ingest::ParsedRecord r = FullRecord(i, "v1");
    std::string raw = RawOf(r);
    auto result = (*tx)->Upsert(std::move(r), std::move(raw), WarningsOf(i), 2 * i + 2,
                                StrCat("h", i));
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(*result, domain::UpsertResult::kInserted);
  }
  auto reject_text = [](int j) {
    return j % 2 ? StrCat("bad\tline \\N ", j, "\r\n") : std::string();
  };
  for (int j = 0; j < kRejects; ++j) {
    ASSERT_TRUE(
        (*tx)
            ->Reject(2 * j + 3, ingest::EncodeCells({"", "x\ty", "\\N"}), reject_text(j),
                     ingest::EncodeIssues({{"name", "missing", StrCat("row ", j)}}))
            .ok());
  }
  const int64_t batch_id = (*tx)->batch_id();
  ASSERT_TRUE(
      (*tx)->Commit({kRows + kRejects, kRows, 0, 0, kRejects, 300, 5}, "aa").ok());

  auto batch = store_->records().FindBatch(agency_.id, "aa");
  ASSERT_TRUE(batch.ok() && batch->has_value()) << batch.status();
  EXPECT_EQ((*batch)->id, batch_id);
  EXPECT_EQ((*batch)->counts.rows, kRows + kRejects);
  EXPECT_EQ((*batch)->counts.rejected, kRejects);
  EXPECT_EQ((*batch)->counts.warnings, 300);
  EXPECT_EQ((*batch)->counts.blank, 5);
  EXPECT_EQ((*batch)->meta.header, Meta("aa").header);
  EXPECT_FALSE((*batch)->finished_at.empty());

  domain::RecordQuery q;
  q.limit = kRows + 1;
  auto found = store_->records().FindRecords(q);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), static_cast<size_t>(kRows));
  for (int i = 0; i < kRows; ++i) {
    const domain::StoredRecord& got = (*found)[static_cast<size_t>(i)];
    ExpectStored(got, i, "v1");
    EXPECT_EQ(got.version, 1);
    EXPECT_EQ(got.batch_id, batch_id);
    EXPECT_EQ(got.agency_code, "POLDA-NTT");
    ingest::ParsedRecord want = FullRecord(i, "v1");
    EXPECT_THAT(
        got.raw,
        ::testing::ElementsAre(
            std::pair<std::string, std::string>("record_id",
                                                want[ingest::Field::kRecordId]),
            std::pair<std::string, std::string>("report_date", "2023-01-01"),
            std::pair<std::string, std::string>("name", want[ingest::Field::kName]),
            std::pair<std::string, std::string>("column_4",
                                                want[ingest::Field::kNotes])));
  }

  std::vector<domain::StoredReject> rejects;
  ASSERT_TRUE(store_->records()
                  .ForEachReject(batch_id,
                                 [&](const domain::StoredReject& r) {
                                   rejects.push_back(r);
                                   return absl::OkStatus();
                                 })
                  .ok());
  ASSERT_EQ(rejects.size(), static_cast<size_t>(kRejects));
  for (int j = 0; j < kRejects; ++j) {
    const domain::StoredReject& r = rejects[static_cast<size_t>(j)];
    EXPECT_EQ(r.line, 2 * j + 3);
    EXPECT_EQ(r.text, reject_text(j));
    EXPECT_EQ(r.file_name, "f.csv");
    ASSERT_EQ(r.raw.size(), 3u);
    EXPECT_EQ(r.raw[1].second, "x\ty");
    EXPECT_EQ(r.raw[2].second, "\\N");
    ASSERT_EQ(r.reasons.size(), 1u);
    EXPECT_EQ(r.reasons[0].message, StrCat("row ", j));
  }
  auto summary = store_->records().Summary();
  EXPECT_EQ(summary->source_records, kRows);
  EXPECT_EQ(summary->versions, kRows);
  EXPECT_EQ(summary->rejects, kRejects);
}

TEST_P(ImportTest, AReimportStoresOnlyWhatChanged) {
  constexpr int kFirst = 3000, kSecond = 3500;
  ImportRange("aa", 0, kFirst, [](int) { return "v1"; });
  // Every third record changes and 500 are new; the rest are as they were.
  auto second = [](int i) { return i % 3 == 0 || i >= kFirst ? "v2" : "v1"; };
  const int64_t batch = ImportRange("bb", 0, kSecond, second);
  auto counts = store_->records().FindBatch(agency_.id, "bb");
  ASSERT_TRUE(counts.ok() && counts->has_value());
  EXPECT_EQ((*counts)->counts.inserted, 500);
  EXPECT_EQ((*counts)->counts.updated, 1000);
  EXPECT_EQ((*counts)->counts.unchanged, 2000);

  std::vector<domain::StoredRecord> current = Current();
  ASSERT_EQ(current.size(), static_cast<size_t>(kSecond));
  for (int i = 0; i < kSecond; ++i) {
    const domain::StoredRecord& r = current[static_cast<size_t>(i)];
    ExpectStored(r, i, second(i));
    EXPECT_EQ(r.version, i % 3 == 0 && i < kFirst ? 2 : 1) << i;
    EXPECT_EQ(r.batch_id == batch, i % 3 == 0 || i >= kFirst) << i;
    EXPECT_TRUE(r.raw.empty());
  }
  domain::RecordQuery q;
  q.record_id = FullRecord(3, "")[ingest::Field::kRecordId];
  q.all_versions = true;
  auto versions = store_->records().FindRecords(q);
  ASSERT_EQ(versions->size(), 2u);
  ExpectStored((*versions)[0], 3, "v1");
  ExpectStored((*versions)[1], 3, "v2");
  EXPECT_EQ(store_->records().Summary()->versions, kSecond + 1000);
}

TEST_P(ImportTest, CurrentRecordsComeInAgencyCodeAndRecordIdOrderBytewise) {
  domain::Agency kupang{0, "DINSOS-KUPANG", "Dinas Sosial", "social_service", "53.71"};
  ASSERT_TRUE(store_->agencies().Add(kupang).ok());
  for (const domain::Agency* agency : {&agency_, &kupang}) {
    domain::ImportFileMeta meta = Meta(agency->code);
    meta.agency_id = agency->id;
    auto tx = store_->records().BeginImport(meta);
    ASSERT_TRUE(tx.ok()) << tx.status();
    int64_t line = 2;
    for (const char* id : {"b", "B", "10", "9", "a-1", "\xC3\x84", "a"}) {
      ASSERT_TRUE(
          (*tx)
              ->Upsert(Record(id, "Siti"), ingest::EncodeCells({id}), "[]", line++, id)
              .ok());
    }
    ASSERT_TRUE((*tx)->Commit({}, agency->code).ok());
  }
  std::vector<std::string> order;
  for (const domain::StoredRecord& r : Current())
    order.push_back(StrCat(r.agency_code, "/", r.parsed[ingest::Field::kRecordId]));
  const std::vector<std::string> expected = {"DINSOS-KUPANG/10",
                                             "DINSOS-KUPANG/9",
                                             "DINSOS-KUPANG/B",
                                             "DINSOS-KUPANG/a",
                                             "DINSOS-KUPANG/a-1",
                                             "DINSOS-KUPANG/b",
                                             "DINSOS-KUPANG/\xC3\x84",
                                             "POLDA-NTT/10",
                                             "POLDA-NTT/9",
                                             "POLDA-NTT/B",
                                             "POLDA-NTT/a",
                                             "POLDA-NTT/a-1",
                                             "POLDA-NTT/b",
                                             "POLDA-NTT/\xC3\x84"};
  EXPECT_EQ(order, expected);
  std::vector<std::string> found;
  auto all = store_->records().FindRecords({});
  ASSERT_TRUE(all.ok()) << all.status();
  for (const domain::StoredRecord& r : *all)
    found.push_back(StrCat(r.agency_code, "/", r.parsed[ingest::Field::kRecordId]));
  EXPECT_EQ(found, expected);
}

TEST_P(ImportTest, RejectsAreReadBackInBatchAndLineOrder) {
  std::vector<int64_t> batches;
  for (const std::vector<int64_t>& lines :
       {std::vector<int64_t>{9, 3, 5}, std::vector<int64_t>{4, 2}}) {
    auto tx = store_->records().BeginImport(Meta(StrCat("d", batches.size())));
    ASSERT_TRUE(tx.ok()) << tx.status();
    for (int64_t line : lines) {
      ASSERT_TRUE((*tx)
                      ->Reject(line, ingest::EncodeCells({StrCat(line)}), "",
                               ingest::EncodeIssues({{"name", "missing", "no name"}}))
                      .ok());
    }
    batches.push_back((*tx)->batch_id());
    ASSERT_TRUE((*tx)->Commit({}, StrCat("d", batches.size())).ok());
  }
  auto read = [&](int64_t batch) {
    std::vector<std::pair<int64_t, int64_t>> out;
    EXPECT_TRUE(store_->records()
                    .ForEachReject(batch,
                                   [&](const domain::StoredReject& r) {
                                     EXPECT_EQ(r.agency_code, "POLDA-NTT");
                                     EXPECT_EQ(r.raw[0].second, StrCat(r.line));
                                     out.emplace_back(r.batch_id, r.line);
                                     return absl::OkStatus();
                                   })
                    .ok());
    return out;
  };
  using Line = std::pair<int64_t, int64_t>;
  EXPECT_THAT(read(0), ::testing::ElementsAre(Line(batches[0], 3), Line(batches[0], 5),
                                              Line(batches[0], 9), Line(batches[1], 2),
                                              Line(batches[1], 4)));
  EXPECT_THAT(read(batches[1]),
              ::testing::ElementsAre(Line(batches[1], 2), Line(batches[1], 4)));
  // The visitor's error ends the reading and is what the caller gets.
  int visits = 0;
  absl::Status stopped = store_->records().ForEachReject(0, [&](const auto&) {
    ++visits;
    return absl::CancelledError("enough");
  });
  EXPECT_TRUE(absl::IsCancelled(stopped)) << stopped;
  EXPECT_EQ(visits, 1);
}

TEST_P(ImportTest, NikAndPhoneSearchesFindTheVersionsOfEveryImport) {
  using ingest::Field;
  auto import = [&](const std::string& digest,
                    const std::vector<std::array<std::string, 3>>& rows) {
    auto tx = store_->records().BeginImport(Meta(digest));
    ASSERT_TRUE(tx.ok()) << tx.status();
    int64_t line = 2;
    for (const auto& [id, nik, phone] : rows) {
      ingest::ParsedRecord r = Record(id, "Siti");
      r[Field::kNik] = nik;
      r[Field::kPhone] = phone;
      ASSERT_TRUE((*tx)
                      ->Upsert(std::move(r), ingest::EncodeCells({id}), "[]", line++,
                               StrCat(id, nik, phone))
                      .ok());
    }
    ASSERT_TRUE((*tx)->Commit({}, digest).ok());
  };
  const std::string n1 = "5371010101900001", n2 = "5371010101900002",
                    n3 = "5371010101900003", p1 = "+6281211112222";
  auto search = [&](const std::string& nik, const std::string& phone, bool all) {
    domain::RecordQuery q;
    q.nik = nik;
    q.phone = phone;
    q.all_versions = all;
    std::vector<std::string> out;
    auto found = store_->records().FindRecords(q);
    EXPECT_TRUE(found.ok()) << found.status();
    if (found.ok())
      for (const auto& r : *found)
        out.push_back(StrCat(r.parsed[Field::kRecordId], "v", r.version));
    return out;
  };
  import("aa", {{"R-1", n1, p1}, { "R-2", n2, "" }});
  EXPECT_THAT(search(n1, "", false), ::testing::ElementsAre("R-1v1"));
  // R-1's NIK is corrected, and R-3 names the old one.
  import("bb", {{"R-1", n3, p1}, { "R-3", n1, "" }});
  EXPECT_THAT(search(n1, "", false), ::testing::ElementsAre("R-3v1"));
  EXPECT_THAT(search(n1, "", true), ::testing::ElementsAre("R-1v1", "R-3v1"));
  EXPECT_THAT(search(n3, "", false), ::testing::ElementsAre("R-1v2"));
  EXPECT_THAT(search("", p1, true), ::testing::ElementsAre("R-1v1", "R-1v2"));
  EXPECT_THAT(search(n3, p1, false), ::testing::ElementsAre("R-1v2"));
  EXPECT_TRUE(search(n2, p1, false).empty());
}

TEST_P(ImportTest, ConcurrentImportsOfOneAgencyNeverDuplicateARecord) {
  constexpr int kRecords = 200;
  std::latch start(2);
  std::atomic<int> inserted{0}, updated{0}, failures{0};
  auto run = [&](const std::string& variant) {
    start.arrive_and_wait();
    auto tx = store_->records().BeginImport(Meta(variant));
    if (!tx.ok()) {
      ADD_FAILURE() << tx.status();
      ++failures;
      return;
    }
    for (int i = 0; i < kRecords; ++i) {
      ingest::ParsedRecord r = FullRecord(i, variant);
      std::string raw = RawOf(r);
      auto result = (*tx)->Upsert(std::move(r), std::move(raw), WarningsOf(i), 2 * i + 2,
                                  StrCat(i, variant));
      if (!result.ok()) {
        ADD_FAILURE() << result.status();
        ++failures;
        return;
      }
      ++(*result == domain::UpsertResult::kInserted ? inserted : updated);
    }
    absl::Status committed = (*tx)->Commit({}, variant);
    if (!committed.ok()) {
      ADD_FAILURE() << committed;
      ++failures;
    }
  };
  std::thread x(run, "x"), y(run, "y");
  x.join();
  y.join();
  EXPECT_EQ(failures.load(), 0);
  // One import went first; the other saw its records and gave each a version 2.
  EXPECT_EQ(inserted.load(), kRecords);
  EXPECT_EQ(updated.load(), kRecords);
  auto summary = store_->records().Summary();
  EXPECT_EQ(summary->batches, 2);
  EXPECT_EQ(summary->source_records, kRecords);
  EXPECT_EQ(summary->versions, 2 * kRecords);
  std::vector<domain::StoredRecord> current = Current();
  ASSERT_EQ(current.size(), static_cast<size_t>(kRecords));
  for (const domain::StoredRecord& r : current) EXPECT_EQ(r.version, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportTest, ::testing::Values(kSqlite, kPostgres),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gugus
