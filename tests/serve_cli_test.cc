// `gugus serve` as a process: it announces its address, answers, and stops cleanly
// (exit 0) on SIGTERM; a taken port is a plain error.
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <thread>

#include "core/strcat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using ::testing::HasSubstr;

TEST(ServeCliTest, AnswersThenStopsCleanlyOnSigterm) {
  testing::TempDir dir;
  std::string db = testing::PreparedDatabase(dir);
  testing::ServeProcess server({"--db", db, "serve", "--port", "0", "--host", "127.0.0.1",
                                "--upload-dir", dir.File("uploads")});
  ASSERT_GT(server.port(), 0);
  httplib::Client client("127.0.0.1", server.port());
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto openapi = client.Get("/api/v1/openapi.json");
  ASSERT_TRUE(openapi);
  EXPECT_EQ(openapi->status, 200);
  // What the process holds, for an operator watching its memory.
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  std::smatch held;
  ASSERT_TRUE(std::regex_search(metrics->body, held,
                                std::regex("\ngugus_sqlite_memory_bytes ([0-9]+)\n")))
      << metrics->body;
  // The connections opened so far (none on PostgreSQL, where SQLite holds nothing).
  if (testing::TestBackend() == testing::BackendKind::kSqlite) {
    EXPECT_GT(std::stoll(held[1]), 0);
  }
  // glibc's heap, by kind (zeros under the sanitizers, whose allocator replaces it).
  for (std::string kind : {"in_use", "free", "mapped"})
    EXPECT_TRUE(std::regex_search(
        metrics->body,
        std::regex("\ngugus_heap_bytes\\{kind=\"" + kind + "\"\\} [0-9]+\n")))
        << kind << "\n"
        << metrics->body;

  const int status = server.Stop();
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_THAT(server.Output(), HasSubstr("gugus stopped"));
  EXPECT_FALSE(client.Get("/healthz"));  // nobody listens any more
}

// Without --port the port comes from $PORT (make run's contract), and --port 0 is
// any free port: two servers at once do not collide.
TEST(ServeCliTest, PortFromTheEnvironmentOrAnyFreePort) {
  testing::TempDir dir;
  std::string db = testing::PreparedDatabase(dir);
  // A port the kernel just handed out and that is free again.
  int free_port = 0;
  {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    free_port = ntohs(addr.sin_port);
    close(fd);
  }
  setenv("PORT", std::to_string(free_port).c_str(), 1);
  testing::ServeProcess from_env(
      {"--db", db, "serve", "--host", "127.0.0.1", "--upload-dir", dir.File("uploads")});
  unsetenv("PORT");
  testing::ServeProcess any({"--db", db, "serve", "--port", "0", "--host", "127.0.0.1",
                             "--upload-dir", dir.File("uploads2")});
  EXPECT_EQ(from_env.port(), free_port);
  ASSERT_GT(any.port(), 0);
  EXPECT_NE(any.port(), free_port);
  EXPECT_NE(any.port(), 8080);
  for (testing::ServeProcess* server : {&from_env, &any}) {
    const int status = server->Stop();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
}

TEST(ServeCliTest, ATakenPortIsAPlainError) {
  testing::TempDir dir;
  std::string db = testing::PreparedDatabase(dir);
  httplib::Server blocker;
  int port = blocker.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  auto r = testing::RunGugus(
      {"--db", db, "serve", "--host", "127.0.0.1", "--port", std::to_string(port)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(port)));
}

TEST(ServeCliTest, AMissingDatabaseSaysToRunInit) {
  testing::TempDir dir;
  auto r = testing::RunGugus(
      {"--db", testing::EmptyDatabase(dir, "none.db"), "serve", "--port", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("gugus init"));
}

// The audit trail under a burst of concurrent personal-data reads, and a SIGKILL in
// the middle of it: every read a client was answered is in the trail (an entry is
// committed before its answer leaves), the chain verifies after the kill, and a
// restarted server chains on from where the killed one stopped.
TEST(ServeCliTest, AuditChainHoldsEveryAnsweredReadAfterAKillUnderLoad) {
  testing::TempDir dir;
  std::string db = testing::PreparedDatabase(dir);
  std::string csv = "record_id,report_date,name,sex,birth_date\n";
  const char* names[] = {"Siti Aminah",  "Dewi Lestari", "Yohana Bria", "Rina Marlina",
                         "Maria Goreti", "Wulan Sari",   "Ayu Kartika", "Nur Hasanah"};
  for (int i = 0; i < 40; ++i)
    csv += StrCat("K-", i, ",2024-03-", 10 + i % 18, ",", names[i % 8], " ", i, ",P,19",
                  80 + i % 19, "-0", 1 + i % 9, "-1", i % 10, "\n");
  testing::WriteFile(dir.File("korban.csv"), csv);
  ASSERT_EQ(testing::RunGugus({"--db", db, "import", dir.File("korban.csv"), "--agency",
                               "UPTD-PPA-JABAR"})
                .exit_code,
            0);
  ASSERT_EQ(testing::RunGugus({"--db", db, "link"}).exit_code, 0);
  auto added = testing::RunGugus(
      {"--db", db, "user", "add", "sekretariat.uji", "--role", "secretariat", "--region",
       "ID", "--agency", "UPTD-PPA-JABAR", "--password-stdin"},
      "kata-sandi-uji-2026\n");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  std::vector<std::string> persons;
  {
    auto links = testing::RunGugus({"--db", db, "export", "links", "--format", "csv"});
    ASSERT_EQ(links.exit_code, 0);
    std::smatch m;
    std::string text = links.out;
    std::regex row("\n[^,\n]+,[^,\n]+,([0-9]+)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), row);
         it != std::sregex_iterator(); ++it)
      persons.push_back((*it)[1]);
  }
  ASSERT_GE(persons.size(), 20u);

  auto serve = [&] {
    return std::make_unique<testing::ServeProcess>(std::vector<std::string>{
        "--db", db, "serve", "--port", "0", "--host", "127.0.0.1", "--threads", "8",
        "--upload-dir", dir.File("uploads")});
  };
  auto server = serve();
  const int port = server->port();
  ASSERT_GT(port, 0);
  std::string token;
  {
    httplib::Client client("127.0.0.1", port);
    auto login =
        client.Post("/api/v1/auth/login",
                    R"({"username":"sekretariat.uji","password":"kata-sandi-uji-2026"})",
                    "application/json");
    ASSERT_TRUE(login);
    ASSERT_EQ(login->status, 200) << login->body;
    token = nlohmann::json::parse(login->body)["token"];
  }
  std::atomic<int64_t> answered{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 16; ++t)
    clients.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(30, 0);
      httplib::Headers auth = {{"Authorization", "Bearer " + token}};
      for (size_t i = static_cast<size_t>(t);; ++i) {
        auto r =
            client.Get(StrCat("/api/v1/persons/", persons[i % persons.size()]), auth);
        if (!r) return;  // the server is gone
        if (r->status == 200) answered.fetch_add(1);
      }
    });
  // Kill at a random point of the burst.
  std::mt19937 rng(std::random_device{}());
  int64_t kill_after = std::uniform_int_distribution<int64_t>(200, 800)(rng);
  while (answered.load() < kill_after) std::this_thread::yield();
  server->Kill();
  for (auto& c : clients) c.join();
  int64_t acknowledged = answered.load();

  auto verify = testing::RunGugus({"--db", db, "audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  auto count_reads = [&] {
    auto store = testing::OpenStore(db);
    int64_t reads = 0;
    EXPECT_TRUE(store->audit()
                    .ForEachAudit([&](const domain::AuditEntry& e) {
                      if (e.action == "person.read") ++reads;
                      return absl::OkStatus();
                    })
                    .ok());
    return reads;
  };
  int64_t recorded = count_reads();
  EXPECT_GE(recorded, acknowledged) << "answered reads missing from the audit trail";

  // A new server chains on.
  server = serve();
  ASSERT_GT(server->port(), 0);
  httplib::Client client("127.0.0.1", server->port());
  auto r = client.Get(StrCat("/api/v1/persons/", persons[0]),
                      httplib::Headers{{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  server->Stop();
  EXPECT_EQ(count_reads(), recorded + 1);
  verify = testing::RunGugus({"--db", db, "audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace gugus
