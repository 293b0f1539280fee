// The hash-chained audit trail (SPEC section 6): a deleted, altered or moved entry
// is detected by AuditLog::Verify and by `gugus audit verify`, whose exit code
// outside checks rely on (SPEC section 7). Tampering is done as an attacker with the
// database file would: with raw SQL.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <span>
#include <thread>

#include "domain/audit_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using ::testing::HasSubstr;
using testing::RunGugus;

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::PreparedDatabase(dir_);
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

  // Runs SQL on the database behind the store's back (`postgres` where PostgreSQL's
  // dialect differs).
  void Tamper(const std::string& sqlite, const std::string& postgres = "") {
    log_.reset();
    store_.reset();
    ASSERT_EQ(testing::ExecSql(db_, sqlite, postgres.empty() ? sqlite : postgres), "");
    Open();
  }

  // A trigger that makes the database refuse the entry for 'person:refused'.
  void RefuseOneEntry() {
    Tamper(
        "CREATE TRIGGER refuse BEFORE INSERT ON audit_entries WHEN NEW.target = "
        "'person:refused' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.target = 'person:refused' THEN RAISE EXCEPTION 'refused by the test'; "
        "END IF; RETURN NEW; END $$; CREATE TRIGGER refuse BEFORE INSERT ON "
        "audit_entries FOR EACH ROW EXECUTE FUNCTION refuse()");
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

// --- Group commit ---

// The store under test with its audit repository wrapped: counts the transactions
// (AppendBatch calls) and their sizes, and can hold a batch back until a condition
// holds, so that a test decides which callers share a transaction without timing.
class ObservedAudit : public domain::AuditRepository {
 public:
  explicit ObservedAudit(domain::AuditRepository& inner) : inner_(inner) {}

  absl::Status AppendBatch(std::span<domain::AuditEntry> entries,
                           const SealFn& seal) override {
    std::function<void(int)> hold;
    int batch = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      batch = static_cast<int>(sizes_.size());
      sizes_.push_back(entries.size());
      hold = hold_;
    }
    if (hold) hold(batch);
    return inner_.AppendBatch(entries, seal);
  }
  absl::Status ForEachAudit(
      const std::function<absl::Status(const domain::AuditEntry&)>& visit) override {
    return inner_.ForEachAudit(visit);
  }
  absl::StatusOr<std::vector<domain::AuditEntry>> FindAudit(
      const domain::AuditQuery& query) override {
    return inner_.FindAudit(query);
  }

  // Called with the batch's number (0, 1, …) before it is written.
  void HoldEachBatch(std::function<void(int)> hold) {
    std::lock_guard<std::mutex> lock(mu_);
    hold_ = std::move(hold);
  }
  std::vector<size_t> BatchSizes() {
    std::lock_guard<std::mutex> lock(mu_);
    return sizes_;
  }

 private:
  domain::AuditRepository& inner_;
  std::mutex mu_;
  std::vector<size_t> sizes_;
  std::function<void(int)> hold_;
};

class ObservedStore : public domain::Store {
 public:
  explicit ObservedStore(domain::Store& inner) : inner_(inner), audit_(inner.audit()) {}
  domain::ReferenceRepository& reference() override { return inner_.reference(); }
  domain::AgencyRepository& agencies() override { return inner_.agencies(); }
  domain::RecordRepository& records() override { return inner_.records(); }
  domain::LinkRepository& links() override { return inner_.links(); }
  domain::AccountRepository& accounts() override { return inner_.accounts(); }
  ObservedAudit& audit() override { return audit_; }
  domain::StatsRepository& stats() override { return inner_.stats(); }
  domain::JobRepository& jobs() override { return inner_.jobs(); }
  domain::JusticeRepository& justice() override { return inner_.justice(); }

 private:
  domain::Store& inner_;
  ObservedAudit audit_;
};

// A clock that counts its calls: each gives a time one millisecond later, and a
// test can wait until a number of Record calls have taken their time (that is, have
// queued: the log reads the clock as it queues an entry).
class CountingClock {
 public:
  std::string Now() {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t ms = calls_++;
    cv_.notify_all();
    char text[32];
    std::snprintf(text, sizeof text, "2026-03-01T%02d:%02d:%02d.%03dZ",
                  static_cast<int>(11 + ms / 3600000), static_cast<int>(ms / 60000 % 60),
                  static_cast<int>(ms / 1000 % 60), static_cast<int>(ms % 1000));
    return text;
  }
  void WaitForCalls(int64_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return calls_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int64_t calls_ = 0;
};

std::vector<domain::AuditEntry> AllEntries(domain::Store& store) {
  std::vector<domain::AuditEntry> entries;
  EXPECT_TRUE(store.audit()
                  .ForEachAudit([&](const domain::AuditEntry& e) {
                    entries.push_back(e);
                    return absl::OkStatus();
                  })
                  .ok());
  return entries;
}

TEST_F(AuditTest, ManyThreadsRecordingAtOnceShareTransactionsAndKeepTheChain) {
  constexpr int kThreads = 16, kEach = 200;
  ObservedStore observed(*store_);
  CountingClock clock;
  domain::AuditLog log(observed, [&clock] { return clock.Now(); });
  std::vector<int> failed(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!log.Record({"worker" + std::to_string(t), "10.0.0.2", "person.read",
                         "person:" + std::to_string(i), "{}"})
                 .ok())
          ++failed[t];
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(failed.begin(), failed.end(), 0), kThreads)
      << "every Record call returns OK";

  domain::AuditVerification v = Verify();
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries, 5 + kThreads * kEach);
  std::vector<domain::AuditEntry> entries = AllEntries(*store_);
  ASSERT_EQ(entries.size(), 5u + kThreads * kEach);
  std::map<std::string, int> next_of;  // worker -> the target it recorded next
  for (size_t i = 0; i < entries.size(); ++i) {
    const domain::AuditEntry& e = entries[i];
    EXPECT_EQ(e.seq, static_cast<int64_t>(i) + 1);
    if (i < 5) continue;
    // Time order is chain order: each entry took its time as it queued.
    if (i > 5) {
      EXPECT_LT(entries[i - 1].at, e.at) << "at seq " << e.seq;
    }
    int& next = next_of[e.actor];
    EXPECT_EQ(e.target, "person:" + std::to_string(next))
        << e.actor << "'s entries are out of the order it recorded them, at seq "
        << e.seq;
    ++next;
  }
  EXPECT_EQ(next_of.size(), static_cast<size_t>(kThreads));

  std::vector<size_t> sizes = observed.audit().BatchSizes();
  size_t total = 0;
  for (size_t n : sizes) {
    EXPECT_GE(n, 1u);
    EXPECT_LE(n, domain::AuditLog::kMaxBatch);
    total += n;
  }
  EXPECT_EQ(total, static_cast<size_t>(kThreads * kEach));
  EXPECT_LT(sizes.size(), static_cast<size_t>(kThreads * kEach))
      << "callers waiting at the same time share a transaction";
}

TEST_F(AuditTest, CallersQueuedWhileABatchIsWrittenShareTheNextTransaction) {
  constexpr int kCallers = 8;
  ObservedStore observed(*store_);
  CountingClock clock;
  domain::AuditLog log(observed, [&clock] { return clock.Now(); });
  // The first transaction is held until every caller has queued.
  observed.audit().HoldEachBatch([&](int batch) {
    if (batch == 0) clock.WaitForCalls(kCallers);
  });
  std::vector<absl::Status> results(kCallers);
  std::thread first([&] {
    results[0] = log.Record({"worker0", "", "person.read", "person:0", "{}"});
  });
  clock.WaitForCalls(1);  // the first caller leads the first batch
  std::vector<std::thread> others;
  for (int t = 1; t < kCallers; ++t) {
    others.emplace_back([&, t] {
      results[t] =
          log.Record({"worker" + std::to_string(t), "", "person.read", "person:0", "{}"});
    });
  }
  first.join();
  for (auto& t : others) t.join();
  for (const absl::Status& s : results) EXPECT_TRUE(s.ok()) << s;
  EXPECT_THAT(observed.audit().BatchSizes(), ::testing::ElementsAre(1u, kCallers - 1u));
  domain::AuditVerification v = Verify();
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries, 5 + kCallers);
}

TEST_F(AuditTest, AFailedBatchFailsEveryRecordInItAndLeavesTheChainIntact) {
  // The database refuses one entry: the whole transaction must be rolled back.
  RefuseOneEntry();
  const std::string head = Verify().head_hash;
  constexpr int kCallers = 6;
  ObservedStore observed(*store_);
  CountingClock clock;
  domain::AuditLog log(observed, [&clock] { return clock.Now(); });
  observed.audit().HoldEachBatch([&](int batch) {
    if (batch == 0) clock.WaitForCalls(kCallers);
  });
  std::vector<absl::Status> results(kCallers);
  std::thread first([&] {
    results[0] = log.Record({"worker0", "", "person.read", "person:1", "{}"});
  });
  clock.WaitForCalls(1);
  // Callers 1 … 5 share the second batch; caller 3's entry is refused.
  std::vector<std::thread> others;
  for (int t = 1; t < kCallers; ++t) {
    others.emplace_back([&, t] {
      results[t] =
          log.Record({"worker" + std::to_string(t), "", "person.read",
                      t == 3 ? "person:refused" : "person:" + std::to_string(t), "{}"});
    });
  }
  first.join();
  for (auto& t : others) t.join();
  ASSERT_THAT(observed.audit().BatchSizes(), ::testing::ElementsAre(1u, kCallers - 1u));
  EXPECT_TRUE(results[0].ok()) << results[0];
  for (int t = 1; t < kCallers; ++t) {
    EXPECT_FALSE(results[t].ok()) << "caller " << t << " shared the failed batch";
    EXPECT_THAT(results[t].message(), HasSubstr("cannot write the audit trail"));
  }

  domain::AuditVerification v = Verify(head);
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries, 6) << "the first batch only; nothing of the failed one";
  // The log goes on: the next caller leads a batch of its own.
  ASSERT_TRUE(log.Record({"worker1", "", "person.read", "person:1", "{}"}).ok());
  v = Verify(head);
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries, 7);
  std::vector<domain::AuditEntry> entries = AllEntries(*store_);
  EXPECT_EQ(entries.back().seq, 7);
  EXPECT_EQ(entries.back().actor, "worker1");
}

TEST_F(AuditTest, AppendBatchChainsInOrderAndIsAllOrNothing) {
  auto entry = [](const std::string& target) {
    domain::AuditEntry e;
    e.at = "2026-03-01T12:00:00.000Z";
    e.actor = "cli:op";
    e.action = "person.read";
    e.target = target;
    e.detail = "{}";
    return e;
  };
  std::vector<domain::AuditEntry> batch{entry("person:1"), entry("person:2"),
                                        entry("person:3")};
  ASSERT_TRUE(store_->audit().AppendBatch(batch, &domain::AuditLog::Seal).ok());
  EXPECT_EQ(batch[0].seq, 6);
  EXPECT_EQ(batch[2].seq, 8);
  EXPECT_EQ(batch[1].prev_hash, batch[0].hash);
  EXPECT_EQ(batch[2].prev_hash, batch[1].hash);
  EXPECT_TRUE(Verify(batch[2].hash).intact);

  RefuseOneEntry();
  std::vector<domain::AuditEntry> refused{entry("person:4"), entry("person:refused"),
                                          entry("person:5")};
  EXPECT_FALSE(store_->audit().AppendBatch(refused, &domain::AuditLog::Seal).ok());
  EXPECT_EQ(refused[0].seq, 0) << "a failed batch leaves the entries as given";
  EXPECT_EQ(refused[0].hash, "");
  domain::AuditVerification v = Verify(batch[2].hash);
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries, 8);
}

// A child process records from many threads and reports, through a pipe, how many
// Record calls have returned OK; it is killed with SIGKILL after a random number of
// them, with batches in flight. Every acknowledged entry must be in the trail, and
// the trail must verify. Several rounds on one database: each child continues the
// chain the killed one left.
TEST_F(AuditTest, SigkillWhileRecordingLosesNoAcknowledgedEntry) {
  log_.reset();
  store_.reset();
  std::random_device seed_source;
  const unsigned seed = seed_source();
  std::mt19937 rng(seed);
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  int64_t entries = 5;
  for (int round = 0; round < 4; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      // The child never returns into the test framework; it ends by _exit (or is
      // killed).
      auto store = storage::OpenStore(db_, storage::OpenMode::kExisting);
      if (!store.ok()) _exit(2);
      domain::AuditLog log(**store);
      std::atomic<int64_t> acknowledged{0};
      std::vector<std::thread> threads;
      for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
          for (int i = 0;; ++i) {
            if (!log.Record({"worker" + std::to_string(t), "", "person.read",
                             "person:" + std::to_string(i), "{}"})
                     .ok())
              _exit(3);
            int64_t n = ++acknowledged;
            if (write(fds[1], &n, sizeof n) != sizeof n) _exit(4);
          }
        });
      }
      for (auto& t : threads) t.join();
      _exit(0);
    }
    close(fds[1]);
    const int64_t kill_after = std::uniform_int_distribution<int64_t>(1, 2000)(rng);
    int64_t acknowledged = 0, n = 0;
    bool killed = false;
    // Read until the pipe's end: after the kill, what the child wrote before dying.
    while (read(fds[0], &n, sizeof n) == sizeof n) {
      acknowledged = std::max(acknowledged, n);
      if (!killed && acknowledged >= kill_after) {
        ASSERT_EQ(kill(pid, SIGKILL), 0);
        killed = true;
      }
    }
    close(fds[0]);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "round " << round << ": the child stopped by itself (exit "
        << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << ") after " << acknowledged
        << " entries";

    Open();
    domain::AuditVerification v = Verify();
    EXPECT_TRUE(v.intact) << "round " << round << ": " << v.problem;
    EXPECT_GE(v.entries, entries + acknowledged)
        << "round " << round << ": an acknowledged entry was lost";
    entries = v.entries;
    log_.reset();
    store_.reset();
  }
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
  auto store = testing::OpenStore(testing::PreparedDatabase(dir));
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
