// The hash-chained audit trail (SPEC section 6): a deleted, altered or moved entry
// is detected by AuditLog::Verify and by `gugus audit verify`, whose exit code
// outside checks rely on (SPEC section 7). Tampering is done as an attacker with the
// database file would: with raw SQL.
#include <sqlite3.h>

#include <atomic>
#include <thread>

#include "domain/audit_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using ::testing::HasSubstr;
using testing::RunGugus;

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("gugus.db");
    testing::CopyPreparedDatabase(db_);
    Open();
    for (int i = 1; i <= 5; ++i) {
      ASSERT_TRUE(log_->Record({"siti", "10.0.0.1", "person.read",
                                "person:" + std::to_string(i), "{\"fields\":3}"})
                      .ok());
    }
  }

  void Open() {
    store_ = testing::OpenStore(db_);
    int tick = 0;
    log_ = std::make_unique<domain::AuditLog>(*store_, [tick]() mutable {
      return "2026-03-01T10:00:" + std::to_string(10 + tick++) + ".000Z";
    });
  }

  // Runs SQL on the database file behind the store's back.
  void Tamper(const std::string& sql) {
    log_.reset();
    store_.reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
    Open();
  }

  domain::AuditVerification Verify(std::string_view head = "") {
    auto v = log_->Verify(head);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : domain::AuditVerification{};
  }

  testing::CommandResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_, "audit", "verify"});
    return RunGugus(args);
  }

  testing::TempDir dir_;
  std::string db_;
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<domain::AuditLog> log_;
};

TEST_F(AuditTest, AnUntouchedChainVerifies) {
  domain::AuditVerification v = Verify();
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries, 5);
  EXPECT_EQ(v.first_bad_seq, 0);
  EXPECT_EQ(v.head_hash.size(), 64u);
  EXPECT_TRUE(Verify(v.head_hash).intact);

  auto r = Cli({});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("5 entries, head hash " + v.head_hash));
  EXPECT_THAT(r.out, HasSubstr("intact"));
  auto json = Cli({"--json", "--expect-head", v.head_hash});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"intact\":true"));
}

TEST_F(AuditTest, AnAlteredFieldNamesTheEntry) {
  Tamper("UPDATE audit_entries SET target = 'person:99' WHERE seq = 3");
  domain::AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_EQ(v.problem, "entry 3 was altered");
  EXPECT_EQ(v.entries, 5);

  auto r = Cli({});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("entry 3 was altered"));
  auto json = Cli({"--json"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_THAT(json.out, HasSubstr("\"first_bad_seq\":3"));
}

TEST_F(AuditTest, AnAlteredAndResealedEntryBreaksTheLinkToTheNext) {
  // The attacker recomputes entry 3's hash with the published algorithm.
  std::vector<domain::AuditEntry> entries;
  ASSERT_TRUE(store_->audit()
                  .ForEachAudit([&](const domain::AuditEntry& e) {
                    entries.push_back(e);
                    return absl::OkStatus();
                  })
                  .ok());
  domain::AuditEntry forged = entries[2];
  forged.actor = "someone-else";
  Tamper("UPDATE audit_entries SET actor = 'someone-else', hash = '" +
         domain::AuditLog::Seal(forged) + "' WHERE seq = 3");
  domain::AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 4);
  EXPECT_THAT(v.problem, HasSubstr("entry 4 does not follow the entry before it"));
  EXPECT_EQ(Cli({}).exit_code, 1);
}

TEST_F(AuditTest, ADeletedMiddleEntryIsMissing) {
  Tamper("DELETE FROM audit_entries WHERE seq = 3");
  domain::AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_EQ(v.problem, "entry 3 is missing");
  EXPECT_EQ(v.entries, 4);

  auto r = Cli({});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("entry 3 is missing"));
}

TEST_F(AuditTest, SwappedEntriesAreDetected) {
  // Entries 2 and 4 exchange everything but their place in the sequence.
  const std::string columns =
      "at, actor, address, action, target, detail, prev_hash, hash";
  Tamper(
      "CREATE TEMP TABLE swap AS SELECT * FROM audit_entries WHERE seq IN (2, 4);"
      "UPDATE audit_entries SET (" +
      columns + ") = (SELECT " + columns +
      " FROM swap WHERE swap.seq = 6 - audit_entries.seq) WHERE seq IN (2, 4);");
  domain::AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 2);
  EXPECT_EQ(v.problem, "entry 2 was altered");

  auto r = Cli({});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("entry 2 was altered"));
}

TEST_F(AuditTest, ACutOffTailIsCaughtOnlyWithTheRecordedHead) {
  const std::string head = Verify().head_hash;
  Tamper("DELETE FROM audit_entries WHERE seq = 5");
  domain::AuditVerification v = Verify();
  EXPECT_TRUE(v.intact) << v.problem;  // a shorter chain is still a chain
  EXPECT_EQ(v.entries, 4);
  EXPECT_NE(v.head_hash, head);

  domain::AuditVerification expected = Verify(head);
  EXPECT_FALSE(expected.intact);
  EXPECT_THAT(expected.problem, HasSubstr("no entry has the expected head hash"));

  EXPECT_EQ(Cli({}).exit_code, 0);
  auto r = Cli({"--expect-head", head});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("entries at the end of the trail were removed"));
}

TEST_F(AuditTest, AnOlderRecordedHeadStillVerifiesAfterNewEntries) {
  const std::string head = Verify().head_hash;
  ASSERT_TRUE(log_->Record({"budi", "", "user.add", "user:ani", "{}"}).ok());
  domain::AuditVerification v = Verify(head);
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries, 6);
  EXPECT_NE(v.head_hash, head);
}

TEST_F(AuditTest, ConcurrentRecordsLeaveAnIntactChain) {
  constexpr int kThreads = 4, kEach = 20;
  domain::AuditLog log(*store_);
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!log.Record({"worker" + std::to_string(t), "", "person.read",
                         "person:" + std::to_string(i), "{}"})
                 .ok())
          ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  domain::AuditVerification v = Verify();
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries, 5 + kThreads * kEach);
}

TEST_F(AuditTest, RecordRefusesEntriesWithoutActorOrWithADetailThatIsNotAnObject) {
  EXPECT_TRUE(
      absl::IsInvalidArgument(log_->Record({"", "", "user.add", "user:x", "{}"})));
  EXPECT_TRUE(absl::IsInvalidArgument(log_->Record({"siti", "", "", "user:x", "{}"})));
  EXPECT_TRUE(
      absl::IsInvalidArgument(log_->Record({"siti", "", "user.add", "user:x", "[1]"})));
  EXPECT_TRUE(
      absl::IsInvalidArgument(log_->Record({"siti", "", "user.add", "user:x", "{"})));
  EXPECT_EQ(Verify().entries, 5);
}

TEST_F(AuditTest, RecordKeepsTheTimeAndFieldsItWasGiven) {
  auto entries = store_->audit().FindAudit({4, "", "", 10});
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  const domain::AuditEntry& e = entries->at(0);
  EXPECT_EQ(e.seq, 5);
  EXPECT_EQ(e.at, "2026-03-01T10:00:14.000Z");
  EXPECT_EQ(e.actor, "siti");
  EXPECT_EQ(e.address, "10.0.0.1");
  EXPECT_EQ(e.target, "person:5");
  EXPECT_EQ(e.detail, "{\"fields\":3}");
}

TEST(AuditSealTest, FieldBoundariesCannotBeMoved) {
  domain::AuditEntry a;
  a.seq = 1;
  a.actor = "ab";
  a.action = "c";
  domain::AuditEntry b = a;
  b.actor = "a";
  b.action = "bc";
  EXPECT_NE(domain::AuditLog::Seal(a), domain::AuditLog::Seal(b));
  domain::AuditEntry c = a;
  c.seq = 2;
  EXPECT_NE(domain::AuditLog::Seal(a), domain::AuditLog::Seal(c));
  EXPECT_EQ(domain::AuditLog::Seal(a), domain::AuditLog::Seal(a));
  EXPECT_EQ(domain::AuditLog::Seal(a).size(), 64u);
}

TEST(AuditDefaultClockTest, TimesAreUtcWithMilliseconds) {
  testing::TempDir dir;
  testing::CopyPreparedDatabase(dir.File("gugus.db"));
  auto store = testing::OpenStore(dir.File("gugus.db"));
  domain::AuditLog log(*store);
  ASSERT_TRUE(log.Record({"cli", "", "user.add", "user:x", "{}"}).ok());
  auto entries = store->audit().FindAudit({});
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_THAT(
      entries->at(0).at,
      ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                              "\\.[0-9]{3}Z"));
}

}  // namespace
}  // namespace gugus
