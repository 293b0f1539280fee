// Several `gugus serve` processes on one PostgreSQL database, as behind a load
// balancer: a session made through one works through the other, the same file
// uploaded through both at once is imported once, an import whose server is killed
// is finished by another server with nothing lost or doubled, and eight servers'
// audit appends at once leave one unbroken chain.
#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "core/strcat.h"
#include "domain/audit_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/open_store.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kPassword = "kopi-tubruk-42";

struct Reply {
  int status = 0;
  json body;
};

Reply Send(int port, const std::string& method, const std::string& path,
           const std::string& token = "", const std::string& body = "",
           const std::string& type = "application/json") {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(60, 0);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  httplib::Result r = method == "GET"    ? client.Get(path, headers)
                      : method == "POST" ? client.Post(path, headers, body, type)
                                         : client.Delete(path, headers);
  Reply out;
  if (!r) return out;
  out.status = r->status;
  out.body = json::parse(r->body, nullptr, false);
  return out;
}

// Synthetic victims' records of one agency: `rows` rows with made-up Indonesian
// names (no real person), unique record ids starting at `first`.
std::string VictimFile(int rows, int first = 1) {
  static const char* given[] = {
      "Siti", "Dewi",  "Ayu",      "Rina",  "Maria", "Yohana", "Putri", "Lestari",
      "Nur",  "Fitri", "Agustina", "Ketut", "Made",  "Wayan",  "Rosa",  "Elisabet"};
  static const char* family[] = {"Rahayu", "Lado", "Bano",    "Tefa", "Manafe", "Seran",
                                 "Nahak",  "Kase", "Tualaka", "Benu", "Ndun",   "Lusi",
                                 "Kolo",   "Saba", "Nenabu",  "Faot"};
  std::mt19937 gen(static_cast<unsigned>(rows * 7 + first));
  std::string out = "record_id,report_date,name,sex,birth_date,origin_regency\n";
  for (int i = 0; i < rows; ++i) {
    out += StrCat("P-", first + i, ",2023-", 1 + gen() % 12, "-", 10 + gen() % 18, ",",
                  given[gen() % 16], " ", given[gen() % 16], " ", family[gen() % 16], ",",
                  gen() % 2 ? "F" : "M", ",", 1990 + gen() % 15, "-0", 1 + gen() % 9,
                  "-1", gen() % 9, ",53.71\n");
  }
  return out;
}

class MultiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GUGUS_REQUIRE_POSTGRES();
    db_.emplace(testing::BackendKind::kPostgres, dir_.path());
    const std::string ref =
        std::string(GUGUS_SOURCE_DIR) + "/node_modules/idn-area-data/data";
    auto init = testing::RunGugus({"--db", db_->address(), "init", "--ref-dir", ref});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    auto agency =
        testing::RunGugus({"--db", db_->address(), "agency", "add", "POLDA-NTT", "--name",
                           "Polda NTT", "--type", "police", "--region", "53"});
    ASSERT_EQ(agency.exit_code, 0) << agency.err;
    auto user = testing::RunGugus(
        {"--db", db_->address(), "user", "add", "penyidik.ntt", "--role", "investigator",
         "--region", "53", "--agency", "POLDA-NTT", "--password-stdin"},
        StrCat(kPassword, "\n"));
    ASSERT_EQ(user.exit_code, 0) << user.err;
  }

  std::unique_ptr<testing::ServeProcess> Serve(const std::string& name,
                                               const std::string& lease = "30") {
    auto s = std::make_unique<testing::ServeProcess>(std::vector<std::string>{
        "--db", db_->address(), "serve", "--port", "0", "--host", "127.0.0.1",
        "--upload-dir", dir_.File(name), "--job-lease", lease, "--threads", "4"});
    EXPECT_GT(s->port(), 0) << name << " did not start";
    return s;
  }

  std::string Login(int port) {
    Reply r = Send(port, "POST", "/api/v1/auth/login", "",
                   json{{"username", "penyidik.ntt"}, {"password", kPassword}}.dump());
    EXPECT_EQ(r.status, 200);
    return r.status == 200 ? r.body.value("token", "") : "";
  }

  Reply Upload(int port, const std::string& token, const std::string& content) {
    return Send(port, "POST", "/api/v1/imports?agency=POLDA-NTT&file_name=korban.csv",
                token, content, "text/csv");
  }

  // Polls the job through `port` until it has finished (or 120 s pass).
  Reply WaitForJob(int port, int64_t job, const std::string& token) {
    Reply r;
    for (int i = 0; i < 24000; ++i) {
      r = Send(port, "GET", StrCat("/api/v1/jobs/", job), token);
      if (r.status != 200) return r;
      std::string state = r.body.value("state", "");
      if (state != "queued" && state != "running") return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling
    }
    return r;
  }

  json Imports(int port, const std::string& token) {
    Reply r = Send(port, "GET", "/api/v1/imports", token);
    EXPECT_EQ(r.status, 200);
    return r.body.value("imports", json::array());
  }

  testing::TempDir dir_;
  std::optional<testing::TestDatabase> db_;
};

TEST_F(MultiServerTest, ASessionMadeOnOneServerWorksOnTheOtherUntilLoggedOut) {
  auto a = Serve("a"), b = Serve("b");
  const std::string token = Login(a->port());
  ASSERT_FALSE(token.empty());
  Reply me = Send(b->port(), "GET", "/api/v1/auth/me", token);
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.body.value("username", ""), "penyidik.ntt");
  EXPECT_EQ(Send(b->port(), "POST", "/api/v1/auth/logout", token).status, 200);
  EXPECT_EQ(Send(a->port(), "GET", "/api/v1/auth/me", token).status, 401);
}

TEST_F(MultiServerTest, TheSameFileUploadedThroughBothServersAtOnceIsImportedOnce) {
  auto a = Serve("a"), b = Serve("b");
  const std::string token = Login(a->port());
  const std::string file = VictimFile(2000);
  Reply sent[2];
  std::thread ta([&] { sent[0] = Upload(a->port(), token, file); });
  std::thread tb([&] { sent[1] = Upload(b->port(), token, file); });
  ta.join();
  tb.join();
  ASSERT_EQ(sent[0].status, 202) << sent[0].body;
  ASSERT_EQ(sent[1].status, 202) << sent[1].body;
  int64_t inserted = 0, again = 0;
  for (int i = 0; i < 2; ++i) {
    // Either server answers for either job.
    Reply done = WaitForJob(i == 0 ? b->port() : a->port(), sent[i].body["id"], token);
    ASSERT_EQ(done.body.value("state", ""), "done") << done.body;
    const json& result = done.body["result"];
    inserted += result.value("inserted", 0);
    if (sent[1].body["id"] != sent[0].body["id"] || i == 0)
      again += result.value("already_imported", false) ? 1 : 0;
  }
  // One job for both, or a second that found the first's import.
  if (sent[0].body["id"] == sent[1].body["id"])
    EXPECT_EQ(inserted, 2 * 2000);  // the one result, read twice
  else
    EXPECT_EQ(again, 1);
  json imports = Imports(b->port(), token);
  ASSERT_EQ(imports.size(), 1u) << imports;
  EXPECT_EQ(imports[0].value("inserted", 0), 2000);
}

TEST_F(MultiServerTest, AnImportWhoseServerIsKilledIsFinishedByAnotherOnce) {
  constexpr int kRows = 40000;
  const std::string file = VictimFile(kRows);
  int64_t job = 0;
  std::string token;
  {
    auto a = Serve("a", "1");
    token = Login(a->port());
    Reply sent = Upload(a->port(), token, file);
    ASSERT_EQ(sent.status, 202) << sent.body;
    job = sent.body["id"];
    // Killed while it imports: some rows read, nothing committed.
    bool importing = false;
    for (int i = 0; i < 20000 && !importing; ++i) {
      Reply r = Send(a->port(), "GET", StrCat("/api/v1/jobs/", job), token);
      ASSERT_EQ(r.status, 200);
      ASSERT_NE(r.body.value("state", ""), "done") << "the import ended before the kill";
      importing = r.body["progress"].value("items", 0) > 0;
      if (!importing) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_TRUE(importing);
    a->Kill();
  }
  auto b = Serve("b", "1");
  Reply done = WaitForJob(b->port(), job, token);
  ASSERT_EQ(done.body.value("state", ""), "done") << done.body;
  EXPECT_EQ(done.body["result"].value("inserted", 0), kRows);
  json imports = Imports(b->port(), token);
  ASSERT_EQ(imports.size(), 1u) << imports;
  EXPECT_EQ(imports[0].value("inserted", 0), kRows);
  auto store = storage::OpenStore(db_->address(), storage::OpenMode::kExisting);
  ASSERT_TRUE(store.ok());
  auto summary = (*store)->records().Summary();
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->source_records, kRows);
  auto stored = (*store)->jobs().Find(job);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->attempts, 2);
  EXPECT_FALSE((*stored)->has_file && (*stored)->state != domain::JobState::kDone);
}

TEST_F(MultiServerTest, EightServersAppendingAtOnceLeaveOneUnbrokenChain) {
  constexpr int kServers = 8, kThreads = 3, kEach = 60;
  std::vector<std::unique_ptr<domain::Store>> stores;
  std::vector<std::unique_ptr<domain::AuditLog>> logs;
  for (int s = 0; s < kServers; ++s) {
    auto store = storage::OpenStore(db_->address(), storage::OpenMode::kExisting);
    ASSERT_TRUE(store.ok()) << store.status();
    stores.push_back(std::move(store).value());
    logs.push_back(std::make_unique<domain::AuditLog>(*stores.back()));
  }
  std::atomic<int> failed = 0;
  std::vector<std::thread> threads;
  for (int s = 0; s < kServers; ++s)
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, s, t] {
        for (int i = 0; i < kEach; ++i) {
          domain::AuditEvent e;
          e.actor = StrCat("server", s);
          e.action = "person.read";
          e.target = StrCat("person:", t * kEach + i);
          if (!logs[s]->Record(e).ok()) ++failed;
        }
      });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  auto verified = logs[0]->Verify();
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->intact) << verified->problem;
  EXPECT_GE(verified->entries, kServers * kThreads * kEach);
}

}  // namespace
}  // namespace gugus
