// Jobs in the database (domain/repository.h JobRepository, domain/jobs.h JobQueue)
// on both backends: a job and its file survive until it finishes, one claimant gets
// each job, a job whose server stopped renewing its lease is taken over, a job that
// keeps killing its servers fails, and queues of several servers on one database
// run every job exactly once.
#include "domain/jobs.h"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "core/date.h"
#include "core/strcat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using domain::Job;
using domain::JobClaim;
using domain::JobState;
using domain::NewJob;
using ::testing::HasSubstr;

class JobsTest : public ::testing::TestWithParam<testing::BackendKind> {
 protected:
  void SetUp() override {
    if (GetParam() == testing::BackendKind::kPostgres) GUGUS_REQUIRE_POSTGRES();
    db_.emplace(GetParam(), dir_.path());
    store_ = Open();
  }

  // Another connection set to the same database: another server.
  std::unique_ptr<domain::Store> Open() {
    auto s = storage::OpenStore(db_->address(), storage::OpenMode::kCreateOrUpgrade);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  domain::JobRepository& jobs() { return store_->jobs(); }

  NewJob Import(const std::string& key = "", const std::string& file = "") {
    NewJob j;
    j.kind = "import";
    j.owner = 7;
    j.subject = "POLDA-NTT";
    j.payload = R"({"agency":"POLDA-NTT"})";
    j.dedup_key = key;
    j.file_path = file;
    j.created_at = NowUtc();
    return j;
  }

  static JobClaim Claim(const std::string& worker, int64_t now_ms,
                        int64_t lease_ms = 1000,
                        std::vector<std::string> kinds = {"import", "relink"}) {
    JobClaim c;
    c.worker = worker;
    c.kinds = std::move(kinds);
    c.now_ms = now_ms;
    c.lease_until_ms = now_ms + lease_ms;
    c.now = NowUtc();
    return c;
  }

  testing::TempDir dir_;
  std::optional<testing::TestDatabase> db_;
  std::unique_ptr<domain::Store> store_;
};

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(gen() & 0xff);
  return out;
}

TEST_P(JobsTest, AJobKeepsItsFileUntilItFinishes) {
  // Larger than one stored chunk, not a multiple of it, with every byte value.
  const std::string bytes = RandomBytes((5 << 20) / 2 + 17, 1);
  testing::WriteFile(dir_.File("upload.csv"), bytes);
  auto added = jobs().Add(Import("", dir_.File("upload.csv")));
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_TRUE(added->added);
  auto found = jobs().Find(added->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->state, JobState::kQueued);
  EXPECT_TRUE((*found)->has_file);
  EXPECT_EQ((*found)->subject, "POLDA-NTT");
  EXPECT_EQ((*found)->payload, R"({"agency":"POLDA-NTT"})");

  auto claimed = jobs().Claim(Claim("server-a", 1000));
  ASSERT_TRUE(claimed.ok() && claimed->has_value()) << claimed.status();
  EXPECT_EQ((*claimed)->id, added->id);
  EXPECT_EQ((*claimed)->state, JobState::kRunning);
  EXPECT_EQ((*claimed)->attempts, 1);
  EXPECT_FALSE((*claimed)->started_at.empty());
  // Held: nobody else gets it while the lease lasts.
  auto second = jobs().Claim(Claim("server-b", 1500));
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());

  ASSERT_TRUE(jobs().CopyFile(added->id, dir_.File("run.csv")).ok());
  EXPECT_EQ(testing::ReadFile(dir_.File("run.csv")), bytes);
  ASSERT_TRUE(jobs().Renew(added->id, "server-a", {10, 20, 3}, 5000).ok());
  EXPECT_EQ((*jobs().Find(added->id))->progress.items, 3);
  ASSERT_TRUE(
      jobs()
          .Finish(added->id, "server-a", JobState::kDone, {}, R"({"ok":1})", "", NowUtc())
          .ok());
  found = jobs().Find(added->id);
  EXPECT_EQ((*found)->state, JobState::kDone);
  EXPECT_EQ((*found)->result, R"({"ok":1})");
  EXPECT_FALSE((*found)->finished_at.empty());
  // The bytes go with the finished job.
  EXPECT_TRUE(absl::IsNotFound(jobs().CopyFile(added->id, dir_.File("again.csv"))));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      jobs().Finish(added->id, "server-a", JobState::kDone, {}, "", "", NowUtc())));
}

TEST_P(JobsTest, AnEmptyFileIsAFileToo) {
  testing::WriteFile(dir_.File("empty.csv"), "");
  auto added = jobs().Add(Import("", dir_.File("empty.csv")));
  ASSERT_TRUE(added.ok()) << added.status();
  ASSERT_TRUE(jobs().CopyFile(added->id, dir_.File("out.csv")).ok());
  EXPECT_EQ(testing::ReadFile(dir_.File("out.csv")), "");
}

TEST_P(JobsTest, TheSameKeyWhileUnfinishedIsOneJob) {
  auto first = jobs().Add(Import("import:7:POLDA-NTT:abc"));
  auto again = jobs().Add(Import("import:7:POLDA-NTT:abc"));
  auto other = jobs().Add(Import("import:7:POLDA-NTT:def"));
  ASSERT_TRUE(first.ok() && again.ok() && other.ok());
  EXPECT_EQ(again->id, first->id);
  EXPECT_FALSE(again->added);
  EXPECT_NE(other->id, first->id);
  // Once it is done, the same key is a new job (sending a file again is allowed).
  ASSERT_TRUE(jobs().Claim(Claim("a", 1)).ok());
  ASSERT_TRUE(
      jobs().Finish(first->id, "a", JobState::kDone, {}, "{}", "", NowUtc()).ok());
  auto later = jobs().Add(Import("import:7:POLDA-NTT:abc"));
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->added);
  EXPECT_NE(later->id, first->id);
}

TEST_P(JobsTest, AJobWhoseLeasePassedIsTakenOverAndItsOldServerLosesIt) {
  auto added = jobs().Add(Import());
  ASSERT_TRUE(added.ok());
  ASSERT_TRUE(jobs().Claim(Claim("dead", 1000, 1000))->has_value());
  // Still held at 1999; free at 2001.
  EXPECT_FALSE(jobs().Claim(Claim("alive", 1999))->has_value());
  auto taken = jobs().Claim(Claim("alive", 2001));
  ASSERT_TRUE(taken.ok() && taken->has_value());
  EXPECT_EQ((*taken)->attempts, 2);
  EXPECT_EQ((*taken)->worker, "alive");
  // The server that was thought dead finds out when it next speaks.
  EXPECT_TRUE(absl::IsFailedPrecondition(jobs().Renew(added->id, "dead", {}, 9000)));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      jobs().Finish(added->id, "dead", JobState::kDone, {}, "{}", "", NowUtc())));
  EXPECT_TRUE(
      jobs()
          .Finish(added->id, "alive", JobState::kFailed, {}, "", "broken file", NowUtc())
          .ok());
  EXPECT_EQ((*jobs().Find(added->id))->error, "broken file");
}

TEST_P(JobsTest, AJobThatKeepsKillingItsServersFails) {
  auto added = jobs().Add(Import());
  auto next = jobs().Add(Import());
  ASSERT_TRUE(added.ok() && next.ok());
  JobClaim c = Claim("s1", 1000, 10);
  c.max_attempts = 2;
  ASSERT_EQ((*jobs().Claim(c))->id, added->id);
  c.worker = "s2";
  c.now_ms = 2000;
  c.lease_until_ms = 2010;
  ASSERT_EQ((*jobs().Claim(c))->id, added->id);
  c.worker = "s3";
  c.now_ms = 3000;
  c.lease_until_ms = 3010;
  auto third = jobs().Claim(c);
  ASSERT_TRUE(third.ok() && third->has_value());
  EXPECT_EQ((*third)->id, next->id);  // the worn one was failed on the way
  auto worn = jobs().Find(added->id);
  EXPECT_EQ((*worn)->state, JobState::kFailed);
  EXPECT_THAT((*worn)->error, HasSubstr("interrupted 2 times"));
}

TEST_P(JobsTest, AServerClaimsOnlyTheKindsItRuns) {
  NewJob relink = Import();
  relink.kind = "relink";
  auto a = jobs().Add(Import());
  auto b = jobs().Add(relink);
  ASSERT_TRUE(a.ok() && b.ok());
  auto claimed = jobs().Claim(Claim("s", 1, 1000, {"relink"}));
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ((*claimed)->id, b->id);
  EXPECT_FALSE(jobs().Claim(Claim("s", 1, 1000, {"relink"}))->has_value());
}

TEST_P(JobsTest, ConcurrentClaimantsNeverShareAJob) {
  constexpr int kJobs = 40, kServers = 6;
  for (int i = 0; i < kJobs; ++i) ASSERT_TRUE(jobs().Add(Import()).ok());
  std::vector<std::unique_ptr<domain::Store>> servers;
  for (int s = 0; s < kServers; ++s) servers.push_back(Open());
  std::mutex mu;
  std::multiset<int64_t> claimed;
  std::atomic<int> errors = 0;
  std::vector<std::thread> threads;
  for (int s = 0; s < kServers; ++s)
    threads.emplace_back([&, s] {
      for (;;) {
        auto job = servers[s]->jobs().Claim(Claim(StrCat("s", s), 1, 1'000'000));
        if (!job.ok()) {  // SQLite: a writer may time out waiting; try again
          ++errors;
          continue;
        }
        if (!job->has_value()) return;
        std::lock_guard<std::mutex> lock(mu);
        claimed.insert((*job)->id);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(std::set<int64_t>(claimed.begin(), claimed.end()).size(),
            static_cast<size_t>(kJobs));
  EXPECT_EQ(errors, 0);
}

TEST_P(JobsTest, OldFinishedJobsAreForgotten) {
  auto a = jobs().Add(Import());
  auto b = jobs().Add(Import());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(jobs().Claim(Claim("s", 1)).ok());
  ASSERT_TRUE(
      jobs()
          .Finish(a->id, "s", JobState::kDone, {}, "{}", "", "2026-01-01T00:00:00Z")
          .ok());
  ASSERT_TRUE(jobs().Forget("2026-02-01T00:00:00Z").ok());
  EXPECT_FALSE(jobs().Find(a->id)->has_value());
  EXPECT_TRUE(jobs().Find(b->id)->has_value());  // unfinished: kept
  auto counts = jobs().Counts();
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ(counts->front(), std::make_pair(JobState::kQueued, int64_t{1}));
}

// Polls until `done` or 30 s.
template <typename Fn>
bool Eventually(Fn done) {
  for (int i = 0; i < 3000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

domain::JobQueueOptions QuickQueue(const std::string& work_dir) {
  domain::JobQueueOptions o;
  o.work_dir = work_dir;
  o.poll = std::chrono::milliseconds(20);
  o.heartbeat = std::chrono::milliseconds(50);
  return o;
}

TEST_P(JobsTest, QueuesOfSeveralServersRunEveryJobOnceWithItsFile) {
  constexpr int kJobs = 24;
  std::mutex mu;
  std::multiset<std::string> ran;
  auto handler = [&](const domain::JobRun& run) -> absl::StatusOr<std::string> {
    run.report({1, 2, 3});
    std::lock_guard<std::mutex> lock(mu);
    ran.insert(testing::ReadFile(run.file));
    return std::string(R"({"done":true})");
  };
  std::vector<std::unique_ptr<domain::Store>> stores;
  std::vector<std::unique_ptr<domain::JobQueue>> queues;
  for (int s = 0; s < 3; ++s) {
    stores.push_back(Open());
    queues.push_back(std::make_unique<domain::JobQueue>(*stores.back(),
                                                        QuickQueue(dir_.File("work"))));
    queues.back()->Handle("import", handler);
  }
  std::vector<int64_t> ids;
  for (int i = 0; i < kJobs; ++i) {
    testing::WriteFile(dir_.File("f.csv"), StrCat("file ", i));
    auto added = queues[i % 3]->Submit(Import("", dir_.File("f.csv")));
    ASSERT_TRUE(added.ok()) << added.status();
    ids.push_back(added->id);
  }
  ASSERT_TRUE(Eventually([&] {
    for (int64_t id : ids) {
      auto j = queues[0]->Find(id);
      if (!j.ok() || !j->has_value() || (*j)->state != JobState::kDone) return false;
    }
    return true;
  }));
  for (auto& q : queues) q->Shutdown();
  std::multiset<std::string> expected;
  for (int i = 0; i < kJobs; ++i) expected.insert(StrCat("file ", i));
  EXPECT_EQ(ran, expected);
  auto j = queues[1]->Find(ids[0]);
  EXPECT_EQ((*j)->result, R"({"done":true})");
  EXPECT_EQ((*j)->progress.items, 3);
  // Every job's file was removed from the work folder after it ran.
  EXPECT_TRUE(std::filesystem::is_empty(dir_.File("work")));
}

TEST_P(JobsTest, AQueueTakesOverTheJobOfAServerThatStoppedRenewing) {
  // A server claimed the job and died: it never renews.
  auto added = jobs().Add(Import());
  ASSERT_TRUE(added.ok());
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  ASSERT_TRUE(jobs().Claim(Claim("dead", now, 300))->has_value());
  std::atomic<int> runs = 0;
  domain::JobQueue queue(*store_, QuickQueue(dir_.File("work")));
  queue.Handle("import", [&](const domain::JobRun& run) -> absl::StatusOr<std::string> {
    ++runs;
    EXPECT_EQ(run.job.attempts, 2);
    return absl::InvalidArgumentError("the file has no header");
  });
  ASSERT_TRUE(Eventually([&] {
    auto j = queue.Find(added->id);
    return j.ok() && j->has_value() && (*j)->state == JobState::kFailed;
  }));
  EXPECT_EQ(runs, 1);
  EXPECT_EQ((*queue.Find(added->id))->error, "the file has no header");
}

TEST_P(JobsTest, QueuedJobsOutliveTheServerThatTookThem) {
  std::unique_ptr<domain::Store> first = Open();
  int64_t id = 0;
  {
    domain::JobQueue queue(*first, QuickQueue(dir_.File("work")));  // runs no kind
    auto added = queue.Submit(Import());
    ASSERT_TRUE(added.ok());
    id = added->id;
    queue.Shutdown();
    EXPECT_TRUE(absl::IsFailedPrecondition(queue.Submit(Import()).status()));
  }
  domain::JobQueue next(*store_, QuickQueue(dir_.File("work")));
  next.Handle("import", [](const domain::JobRun&) -> absl::StatusOr<std::string> {
    return std::string("{}");
  });
  EXPECT_TRUE(Eventually([&] {
    auto j = next.Find(id);
    return j.ok() && j->has_value() && (*j)->state == JobState::kDone;
  }));
}

INSTANTIATE_TEST_SUITE_P(Backends, JobsTest,
                         ::testing::Values(testing::BackendKind::kSqlite,
                                           testing::BackendKind::kPostgres),
                         [](const auto& info) {
                           return info.param == testing::BackendKind::kSqlite
                                      ? "sqlite"
                                      : "postgres";
                         });

}  // namespace
}  // namespace gugus
