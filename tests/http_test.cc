// The HTTP server as a client sees it: the error shape, the OpenAPI document kept
// true to the routes, import uploads as jobs with rejects to download, person
// search and detail, review decisions that change the person count, sessions
// (expiry, revocation, disabled accounts), login throttling, stale writes,
// oversized and malformed bodies, slow clients, injection and traversal attempts,
// the audit trail of API reads, and logs free of personal data.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "core/strcat.h"
#include "domain/audit_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/api.h"
#include "http/openapi.h"
#include "tests/http_support.h"

namespace gugus {
namespace {

using domain::Role;
using ::testing::HasSubstr;
using testing::HttpResult;
using ::testing::Not;
using testing::TestServer;
using json = nlohmann::json;

constexpr std::string_view kRejectsCsv =
    "record_id,report_date,name,nik,sex,origin_region\n"
    "H-1,2024-03-05,Dewi Lestari Ningsih,3202014512990001,P,Kab. Sukabumi\n"
    "H-2,31/02/2024,Rina Marlina,,P,Kota Bandung\n"
    "H-3,,Sri Wahyuni,,P,\n"
    "H-4,2024-03-06,Yohana Bria Seran,,P,Kab. Belu\n";

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  void Start(testing::TestServerOptions options) {
    server_.reset();
    server_ = std::make_unique<TestServer>(std::move(options));
    server_->AddUser("admin.nasional", Role::kAdmin, "ID", "UPTD-PPA-JABAR");
    server_->AddUser("petugas.jabar", Role::kCaseworker, "32", "UPTD-PPA-JABAR");
    server_->AddUser("penyidik.ntt", Role::kInvestigator, "53", "POLDA-NTT");
    admin_ = server_->Login("admin.nasional");
    jabar_ = server_->Login("petugas.jabar");
    ntt_ = server_->Login("penyidik.ntt");
    ASSERT_FALSE(admin_.empty());
    ASSERT_FALSE(jabar_.empty());
  }

  // Uploads `content` for `agency` and waits for the import job; returns the job.
  HttpResult Upload(const std::string& token, const std::string& agency,
                    std::string_view content, const std::string& file = "data.csv") {
    HttpResult r = server_->Send(
        "POST", StrCat("/api/v1/imports?agency=", agency, "&file_name=", file), token,
        std::string(content), "text/csv");
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return r;
    EXPECT_EQ(r.Header("Location"), StrCat("/api/v1/jobs/", r.json["id"].get<int64_t>()));
    return server_->WaitForJob(r.json["id"].get<int64_t>(), token);
  }

  std::unique_ptr<TestServer> server_;
  std::string admin_, jabar_, ntt_;
};

TEST_F(HttpTest, HealthzAnswersWithoutLogin) {
  HttpResult r = server_->Get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json["status"], "ok");
}

TEST_F(HttpTest, EveryErrorHasTheOneBodyShape) {
  std::vector<HttpResult> errors = {
      server_->Get("/api/v1/persons"),                               // 401
      server_->Get("/api/v1/users", jabar_),                         // 403
      server_->Get("/api/v1/persons/999999", jabar_),                // 404
      server_->Get("/api/v1/no-such-route", jabar_),                 // 404
      server_->Send("DELETE", "/api/v1/persons", jabar_, ""),        // 405
      server_->Send("POST", "/api/v1/auth/login", "", "{not json"),  // 400
  };
  std::vector<int> expected = {401, 403, 404, 404, 405, 400};
  for (size_t i = 0; i < errors.size(); ++i) {
    SCOPED_TRACE(errors[i].body);
    EXPECT_EQ(errors[i].status, expected[i]);
    ASSERT_TRUE(errors[i].json.is_object());
    const json& e = errors[i].json["error"];
    EXPECT_TRUE(e["code"].is_string());
    EXPECT_TRUE(e["message"].is_string());
    EXPECT_TRUE(e["fields"].is_object());
  }
  EXPECT_EQ(errors[4].Header("Allow"), "GET");
}

TEST_F(HttpTest, OpenApiDocumentMatchesTheRouteTable) {
  HttpResult r = server_->Get("/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["openapi"], "3.0.3");
  std::set<std::string> documented, routed;
  for (const auto& [path, ops] : r.json["paths"].items())
    for (const auto& [method, op] : ops.items()) {
      documented.insert(StrCat(method, " ", path));
      EXPECT_TRUE(op.contains("responses")) << path;
    }
  for (const http::Route& route : http::Routes()) {
    std::string method(route.method);
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    routed.insert(StrCat(method, " ", route.path));
    const json& op = r.json["paths"][std::string(route.path)][method];
    EXPECT_EQ(op.contains("security"), !route.access.is_public()) << route.path;
    // A documented path parameter for every {name} in the template.
    size_t braces = std::count(route.path.begin(), route.path.end(), '{');
    size_t in_path = 0;
    for (const auto& p : op.value("parameters", json::array()))
      in_path += p["in"] == "path";
    EXPECT_EQ(in_path, braces) << route.path;
  }
  EXPECT_EQ(documented, routed);
}

TEST_F(HttpTest, LoginReturnsATokenAndMeDescribesTheAccount) {
  HttpResult login = server_->Send(
      "POST", "/api/v1/auth/login", "",
      json({{"username", "petugas.jabar"}, {"password", testing::kTestPassword}}).dump());
  ASSERT_EQ(login.status, 200);
  EXPECT_GE(login.json["token"].get<std::string>().size(), 40u);
  EXPECT_EQ(login.json["user"]["role"], "caseworker");
  EXPECT_FALSE(login.json["user"].contains("password_hash"));
  HttpResult me = server_->Get("/api/v1/auth/me", login.json["token"]);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json["username"], "petugas.jabar");
  EXPECT_EQ(me.json["agency"], "UPTD-PPA-JABAR");
}

TEST_F(HttpTest, WrongPasswordAndUnknownUserLookTheSame) {
  HttpResult wrong = server_->Send(
      "POST", "/api/v1/auth/login", "",
      json({{"username", "petugas.jabar"}, {"password", "salah-sekali-123"}}).dump());
  HttpResult unknown = server_->Send(
      "POST", "/api/v1/auth/login", "",
      json({{"username", "tidak.ada"}, {"password", "salah-sekali-123"}}).dump());
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.json["error"]["message"], unknown.json["error"]["message"]);
}

TEST_F(HttpTest, RepeatedFailedLoginsAreThrottledWithRetryAfter) {
  json bad = {{"username", "petugas.jabar"}, {"password", "salah-sekali-123"}};
  int throttled = 0;
  HttpResult last;
  for (int i = 0; i < 8; ++i) {
    last = server_->Send("POST", "/api/v1/auth/login", "", bad.dump());
    if (last.status == 429) ++throttled;
  }
  EXPECT_GE(throttled, 2);
  EXPECT_EQ(last.status, 429);
  EXPECT_EQ(last.ErrorCode(), "throttled");
  EXPECT_GT(std::stoi(last.Header("Retry-After")), 0);
  // Even the right password waits until the delay has passed.
  EXPECT_EQ(server_->Login("petugas.jabar"), "");
  // The failures are in the audit trail, without the password.
  HttpResult audit =
      server_->Get("/api/v1/audit?action=auth.login_failed&limit=50", admin_);
  ASSERT_EQ(audit.status, 200);
  EXPECT_GE(audit.json["entries"].size(), 5u);
  EXPECT_THAT(audit.body, Not(HasSubstr("salah-sekali-123")));
}

// Behind nginx every peer is 127.0.0.1: the client's address comes from the proxy's
// X-Real-IP, so that the audit trail and login throttling tell clients apart. From
// a peer that is not a trusted proxy the header is ignored (a client cannot claim an
// address).
TEST_F(HttpTest, BehindATrustedProxyTheClientsAddressIsAudited) {
  auto failed_login_from = [&](const std::string& real_ip) {
    httplib::Client client("127.0.0.1", server_->port());
    json bad = {{"username", "petugas.jabar"}, {"password", "bukan-ini-123"}};
    auto r = client.Post("/api/v1/auth/login", {{"X-Real-IP", real_ip}}, bad.dump(),
                         "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
  };
  auto last_address = [&] {
    HttpResult audit =
        server_->Get("/api/v1/audit?action=auth.login_failed&limit=500", admin_);
    EXPECT_EQ(audit.status, 200);
    return audit.json["entries"].back().value("address", "");
  };
  failed_login_from("203.0.113.7");
  EXPECT_EQ(last_address(), "127.0.0.1");  // not trusted: the peer's own address

  testing::TestServerOptions options;
  options.server.trusted_proxies = {"127.0.0.1"};
  Start(options);
  failed_login_from("203.0.113.7");
  EXPECT_EQ(last_address(), "203.0.113.7");
  failed_login_from("2001:db8::5");
  EXPECT_EQ(last_address(), "2001:db8::5");
  failed_login_from("203.0.113.7, 10.0.0.1");  // not one address: the peer's
  EXPECT_EQ(last_address(), "127.0.0.1");
}

TEST_F(HttpTest, SessionsExpire) {
  auto now = std::make_shared<std::chrono::system_clock::time_point>(
      std::chrono::system_clock::now());
  testing::TestServerOptions options;
  options.accounts.session_ttl = std::chrono::hours(1);
  options.accounts.clock = [now] { return *now; };
  Start(options);
  EXPECT_EQ(server_->Get("/api/v1/auth/me", jabar_).status, 200);
  *now += std::chrono::minutes(61);
  HttpResult r = server_->Get("/api/v1/auth/me", jabar_);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.ErrorCode(), "unauthenticated");
}

TEST_F(HttpTest, LogoutRevokesTheToken) {
  ASSERT_EQ(server_->Send("POST", "/api/v1/auth/logout", jabar_, "").status, 200);
  EXPECT_EQ(server_->Get("/api/v1/auth/me", jabar_).status, 401);
}

TEST_F(HttpTest, DisablingAnAccountEndsItsSessions) {
  auto user = server_->store().accounts().FindUser("petugas.jabar");
  ASSERT_TRUE(user.ok());
  HttpResult r =
      server_->Send("PATCH", "/api/v1/users/petugas.jabar", admin_,
                    json({{"disabled", true}, {"version", user->version}}).dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["disabled"], true);
  EXPECT_EQ(server_->Get("/api/v1/auth/me", jabar_).status, 401);
  EXPECT_EQ(server_->Login("petugas.jabar"), "");
}

TEST_F(HttpTest, AStaleWriteAnswers409AndChangesNothing) {
  auto agency = server_->store().agencies().FindByCode("UPTD-PPA-JABAR");
  ASSERT_TRUE(agency.ok());
  int64_t read_version = agency->version;
  HttpResult first = server_->Send(
      "PATCH", "/api/v1/agencies/UPTD-PPA-JABAR", admin_,
      json({{"name", "UPTD PPA Jawa Barat (baru)"}, {"version", read_version}}).dump());
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json["version"], read_version + 1);
  HttpResult stale =
      server_->Send("PATCH", "/api/v1/agencies/UPTD-PPA-JABAR", admin_,
                    json({{"name", "Nama yang lama"}, {"version", read_version}}).dump());
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.ErrorCode(), "stale");
  EXPECT_EQ(server_->store().agencies().FindByCode("UPTD-PPA-JABAR")->name,
            "UPTD PPA Jawa Barat (baru)");
  // The same for accounts.
  auto user = server_->store().accounts().FindUser("petugas.jabar");
  HttpResult u1 =
      server_->Send("PATCH", "/api/v1/users/petugas.jabar", admin_,
                    json({{"role", "investigator"}, {"version", user->version}}).dump());
  ASSERT_EQ(u1.status, 200) << u1.body;
  HttpResult u2 =
      server_->Send("PATCH", "/api/v1/users/petugas.jabar", admin_,
                    json({{"role", "analyst"}, {"version", user->version}}).dump());
  EXPECT_EQ(u2.status, 409);
  EXPECT_EQ(server_->store().accounts().FindUser("petugas.jabar")->role,
            Role::kInvestigator);
}

TEST_F(HttpTest, UploadIsAJobWithRejectsToReadAndDownload) {
  HttpResult job = Upload(jabar_, "UPTD-PPA-JABAR", kRejectsCsv, "laporan-maret.csv");
  ASSERT_EQ(job.status, 200) << job.body;
  ASSERT_EQ(job.json["state"], "done") << job.body;
  const json& result = job.json["result"];
  EXPECT_EQ(result["rows"], 4);
  EXPECT_EQ(result["inserted"], 2);
  EXPECT_EQ(result["rejected"], 2);
  // The accepted records were linked into persons by the same job.
  EXPECT_EQ(result["link"]["records"], 2) << result.dump();
  auto links = server_->store().links().Links();
  ASSERT_TRUE(links.ok());
  EXPECT_EQ(links->size(), 2u);
  int64_t batch = result["batch"];

  HttpResult rejects =
      server_->Get(StrCat("/api/v1/imports/", batch, "/rejects"), jabar_);
  ASSERT_EQ(rejects.status, 200);
  ASSERT_EQ(rejects.json["rejects"].size(), 2u);
  EXPECT_EQ(rejects.json["rejects"][0]["line"], 3);
  EXPECT_EQ(rejects.json["rejects"][0]["reasons"][0]["field"], "report_date");
  EXPECT_EQ(rejects.json["rejects"][0]["raw"]["name"], "Rina Marlina");
  EXPECT_EQ(rejects.json["rejects"][1]["reasons"][0]["code"], "missing");

  HttpResult csv =
      server_->Get(StrCat("/api/v1/imports/", batch, "/rejects?format=csv"), jabar_);
  ASSERT_EQ(csv.status, 200);
  EXPECT_THAT(csv.Header("Content-Type"), HasSubstr("text/csv"));
  EXPECT_THAT(csv.body, HasSubstr("batch,agency,file,line,reasons,record_id"));
  EXPECT_THAT(csv.body, HasSubstr("laporan-maret.csv,3,"));

  HttpResult batches = server_->Get("/api/v1/imports", jabar_);
  ASSERT_EQ(batches.status, 200);
  ASSERT_EQ(batches.json["imports"].size(), 1u);
  EXPECT_EQ(batches.json["imports"][0]["file"], "laporan-maret.csv");
  // The upload's temporary file is gone once the job is done.
  EXPECT_TRUE(std::filesystem::is_empty(server_->upload_dir()));
  // Someone else's job does not exist for the NTT investigator.
  EXPECT_EQ(
      server_->Get(StrCat("/api/v1/jobs/", job.json["id"].get<int64_t>()), ntt_).status,
      404);
  EXPECT_EQ(server_->Get(StrCat("/api/v1/imports/", batch), ntt_).status, 404);
}

TEST_F(HttpTest, RecordsArePagedWithLimitAndOffset) {
  ASSERT_EQ(Upload(jabar_, "UPTD-PPA-JABAR", kRejectsCsv).json["state"], "done");
  std::vector<std::string> seen;
  for (int offset = 0; offset < 3; ++offset) {
    HttpResult page = server_->Get(
        StrCat("/api/v1/records?agency=UPTD-PPA-JABAR&limit=1&offset=", offset), jabar_);
    ASSERT_EQ(page.status, 200);
    for (const auto& r : page.json["records"]) seen.push_back(r["record_id"]);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"H-1", "H-4"}));
}

TEST_F(HttpTest, AnUnreadableUploadFailsTheJobWithAPlainReason) {
  HttpResult job = Upload(jabar_, "UPTD-PPA-JABAR", "nama;umur\nAni;12\n");
  ASSERT_EQ(job.status, 200);
  EXPECT_EQ(job.json["state"], "failed");
  EXPECT_THAT(job.json["error"].get<std::string>(), HasSubstr("record_id"));
}

TEST_F(HttpTest, BodiesAreBounded) {
  testing::TestServerOptions options;
  options.server.max_json_bytes = 1024;
  options.server.max_upload_bytes = 64 * 1024;
  Start(options);
  std::string big_json =
      json({{"username", std::string(4000, 'a')}, {"password", "x"}}).dump();
  HttpResult r = server_->Send("POST", "/api/v1/auth/login", "", big_json);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.ErrorCode(), "too_large");
  std::string big_file = "record_id,report_date,name\n";
  while (big_file.size() < 100 * 1024) big_file += "X-1,2024-01-01,Nama Panjang Sekali\n";
  HttpResult up = server_->Send("POST", "/api/v1/imports?agency=UPTD-PPA-JABAR", jabar_,
                                big_file, "text/csv");
  EXPECT_EQ(up.status, 413);
  // Nothing half-written stays behind.
  EXPECT_TRUE(!std::filesystem::exists(server_->upload_dir()) ||
              std::filesystem::is_empty(server_->upload_dir()));
  EXPECT_EQ(server_->Get("/healthz").status, 200);
}

TEST_F(HttpTest, MalformedJsonIsRefusedPlainly) {
  for (std::string body : {"", "{", "[1,2]", "\"text\"", "{\"username\": 5}",
                           "{\"username\":\"a\",\"password\":null}", "\xff\xfe"}) {
    HttpResult r = server_->Send("POST", "/api/v1/auth/login", "", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.ErrorCode(), "invalid") << body;
  }
  HttpResult r = server_->Send("POST", "/api/v1/users", admin_,
                               json({{"username", "x.y"}, {"role", 5}}).dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(r.json["error"]["fields"].contains("role")) << r.body;
}

TEST_F(HttpTest, ASlowClientIsCutOffWithoutBlockingOthers) {
  testing::TestServerOptions options;
  options.server.read_timeout = std::chrono::seconds(1);
  options.server.threads = 2;
  Start(options);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string partial = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Le";
  ASSERT_EQ(send(fd, partial.data(), partial.size(), 0),
            static_cast<ssize_t>(partial.size()));
  // Others are served while the slow client dawdles.
  EXPECT_EQ(server_->Get("/healthz").status, 200);
  // The server gives up on it once the read timeout passes: at most an error
  // status, then the connection is closed.
  timeval wait{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  std::string answer;
  char buffer[4096];
  ssize_t n;
  while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, n);
  EXPECT_EQ(n, 0) << "the connection was not closed";
  if (!answer.empty()) {
    EXPECT_THAT(answer, ::testing::StartsWith("HTTP/1.1 4"));
  }
  close(fd);
  EXPECT_EQ(server_->Get("/healthz").status, 200);
}

TEST_F(HttpTest, InjectionAndTraversalAttemptsFindNothingAndBreakNothing) {
  server_->AddUser("sekretariat.nasional", Role::kSecretariat, "ID", "UPTD-PPA-JABAR");
  std::string national = server_->Login("sekretariat.nasional");
  HttpResult job = Upload(admin_, "UPTD-PPA-JABAR", kRejectsCsv);
  ASSERT_EQ(job.json["state"], "done");
  std::vector<std::string> attacks = {"' OR '1'='1",
                                      "1; DROP TABLE users; --",
                                      "\" OR 1=1 --",
                                      "%' OR name LIKE '%",
                                      "../../../../etc/passwd",
                                      "..%2f..%2f..%2fetc%2fpasswd",
                                      "1 UNION SELECT password_hash FROM users",
                                      std::string("\0\x01", 2),
                                      "%00",
                                      "32.02' --"};
  for (const std::string& attack : attacks) {
    std::string q = httplib::detail::encode_query_param(attack);
    for (const std::string& path :
         {StrCat("/api/v1/records?name=", q), StrCat("/api/v1/records?nik=", q),
          StrCat("/api/v1/records?agency=", q), StrCat("/api/v1/persons?q=", q),
          StrCat("/api/v1/persons/", q), StrCat("/api/v1/records/", q, "/", q),
          StrCat("/api/v1/regions?q=", q), StrCat("/api/v1/regions?parent=", q),
          StrCat("/api/v1/regions/", q), StrCat("/api/v1/agencies/", q),
          StrCat("/api/v1/imports/", q), StrCat("/api/v1/imports/1/rejects?format=", q),
          StrCat("/api/v1/review/", q), StrCat("/api/v1/jobs/", q),
          StrCat("/api/v1/audit?actor=", q), StrCat("/api/v1/audit?after=", q),
          StrCat("/api/v1/review?limit=", q, "&offset=", q)}) {
      // The audit trail is the administrator's; everything else the secretariat's.
      HttpResult r = server_->Get(
          path, path.find("/audit") != std::string::npos ? admin_ : national);
      SCOPED_TRACE(StrCat(path, " → ", r.status, " ", r.body.substr(0, 200)));
      EXPECT_TRUE(r.status == 200 || r.status == 400 || r.status == 404);
      EXPECT_THAT(r.body, Not(HasSubstr("argon2id")));
      EXPECT_THAT(r.body, Not(HasSubstr("root:x:0")));
      if (r.status == 200 && r.json.contains("records")) {
        EXPECT_TRUE(r.json["records"].empty());
      }
      if (r.status == 200 && r.json.contains("persons")) {
        EXPECT_TRUE(r.json["persons"].empty());
      }
    }
  }
  // Static files cannot be escaped either.
  for (std::string path : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                           "/..%2f..%2fetc%2fpasswd", "/web/../../etc/passwd"}) {
    HttpResult r = server_->Get(path);
    EXPECT_THAT(r.body, Not(HasSubstr("root:x:0"))) << path;
  }
  // Everything still stands.
  EXPECT_FALSE(server_->Login("petugas.jabar").empty());
  EXPECT_EQ(server_->Get("/api/v1/records?agency=UPTD-PPA-JABAR", admin_)
                .json["records"]
                .size(),
            2u);
}

TEST_F(HttpTest, AnAdministratorManagesAccountsWithinTheirRegion) {
  server_->AddUser("admin.jabar", Role::kAdmin, "32", "UPTD-PPA-JABAR");
  std::string admin_jabar = server_->Login("admin.jabar");
  HttpResult add = server_->Send("POST", "/api/v1/users", admin_jabar,
                                 json({{"username", "petugas.bogor"},
                                       {"role", "caseworker"},
                                       {"region", "32.01"},
                                       {"agency", "UPTD-PPA-JABAR"}})
                                     .dump());
  ASSERT_EQ(add.status, 201) << add.body;
  std::string one_time = add.json["one_time_password"];
  EXPECT_EQ(add.json["must_change_password"], true);
  // The one-time password works only to change it.
  std::string token = server_->Login("petugas.bogor", one_time);
  ASSERT_FALSE(token.empty());
  HttpResult blocked = server_->Get("/api/v1/records?agency=UPTD-PPA-JABAR", token);
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.ErrorCode(), "password_change_required");
  HttpResult changed = server_->Send(
      "POST", "/api/v1/auth/password", token,
      json({{"old_password", one_time}, {"new_password", "sandi-baru-bogor-2026"}})
          .dump());
  ASSERT_EQ(changed.status, 200) << changed.body;
  std::string fresh = server_->Login("petugas.bogor", "sandi-baru-bogor-2026");
  EXPECT_EQ(server_->Get("/api/v1/records?agency=UPTD-PPA-JABAR", fresh).status, 200);
  // A national account or one in another province is beyond a provincial admin.
  HttpResult national = server_->Send("POST", "/api/v1/users", admin_jabar,
                                      json({{"username", "pusat.baru"},
                                            {"role", "secretariat"},
                                            {"region", "ID"},
                                            {"agency", "UPTD-PPA-JABAR"}})
                                          .dump());
  EXPECT_EQ(national.status, 403);
  HttpResult users = server_->Get("/api/v1/users", admin_jabar);
  ASSERT_EQ(users.status, 200);
  for (const auto& u : users.json["users"]) EXPECT_NE(u["username"], "penyidik.ntt");
  EXPECT_EQ(server_
                ->Send("POST", "/api/v1/users/penyidik.ntt/reset-password", admin_jabar,
                       json({{"version", 1}}).dump())
                .status,
            404);
}

// A bad account names the field at fault, so a form can say it next to that field.
TEST_F(HttpTest, ABadAccountNamesTheFieldAtFault) {
  auto add = [&](json changes) {
    json body = {{"username", "petugas.cianjur"},
                 {"role", "caseworker"},
                 {"region", "32.03"},
                 {"agency", "UPTD-PPA-JABAR"},
                 {"password", "sandi-cianjur-2026"}};
    body.update(changes);
    return server_->Send("POST", "/api/v1/users", admin_, body.dump());
  };
  const std::pair<json, std::string> cases[] = {
      {{{"username", "a b"}}, "username"},    {{{"role", "bupati"}}, "role"},
      {{{"region", "99.99"}}, "region"},      {{{"agency", "TIDAK-ADA"}}, "agency"},
      {{{"password", "pendek"}}, "password"},
  };
  for (const auto& [changes, field] : cases) {
    HttpResult r = add(changes);
    EXPECT_EQ(r.status, 400) << field << " " << r.body;
    EXPECT_EQ(r.ErrorCode(), "invalid") << field;
    EXPECT_TRUE(r.json["error"]["fields"].contains(field)) << field << " " << r.body;
  }
  EXPECT_EQ(add(json::object()).status, 201);
  // A new password like the current one is the new password's fault.
  std::string token = server_->Login("petugas.cianjur", "sandi-cianjur-2026");
  HttpResult same = server_->Send("POST", "/api/v1/auth/password", token,
                                  json({{"old_password", "sandi-cianjur-2026"},
                                        {"new_password", "sandi-cianjur-2026"}})
                                      .dump());
  EXPECT_EQ(same.status, 400);
  EXPECT_TRUE(same.json["error"]["fields"].contains("new_password")) << same.body;
}

TEST_F(HttpTest, ApiReadsOfPersonalDataAreAuditedAndTheChainVerifies) {
  HttpResult job = Upload(jabar_, "UPTD-PPA-JABAR", kRejectsCsv);
  ASSERT_EQ(job.json["state"], "done");
  HttpResult records = server_->Get("/api/v1/records?name=dewi", jabar_);
  ASSERT_EQ(records.status, 200);
  ASSERT_EQ(records.json["records"].size(), 1u);
  ASSERT_EQ(server_->Get("/api/v1/records/UPTD-PPA-JABAR/H-1", jabar_).status, 200);
  HttpResult audit = server_->Get("/api/v1/audit?actor=petugas.jabar&limit=100", admin_);
  ASSERT_EQ(audit.status, 200);
  std::set<std::string> actions;
  for (const auto& e : audit.json["entries"]) actions.insert(e["action"]);
  EXPECT_TRUE(actions.count("auth.login"));
  EXPECT_TRUE(actions.count("import.submit"));
  EXPECT_TRUE(actions.count("record.search"));
  EXPECT_TRUE(actions.count("record.read"));
  // Entries name what was read, never the personal data itself.
  EXPECT_THAT(audit.body, Not(HasSubstr("Dewi")));
  EXPECT_THAT(audit.body, Not(HasSubstr("3202014512990001")));
  domain::AuditLog log(server_->store());
  auto verified = log.Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact) << verified->problem;
  EXPECT_GE(verified->entries, 5);
}

TEST_F(HttpTest, RequestLogsCarryNoPersonalData) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  spdlog::set_level(spdlog::level::info);
  HttpResult job = Upload(jabar_, "UPTD-PPA-JABAR", kRejectsCsv);
  server_->Get("/api/v1/records?name=Dewi%20Lestari", jabar_);
  server_->Get("/api/v1/records?nik=3202014512990001", jabar_);
  server_->Get("/api/v1/persons?q=Rina%20Marlina", jabar_);
  server_->Get("/api/v1/records/UPTD-PPA-JABAR/H-1", jabar_);
  spdlog::set_default_logger(previous);
  spdlog::set_level(spdlog::level::warn);
  std::string logs = captured.str();
  EXPECT_THAT(logs, HasSubstr("http_request"));
  EXPECT_THAT(logs, HasSubstr("/api/v1/records/{agency}/{record_id}"));
  for (std::string secret : {"Dewi", "Lestari", "3202014512990001", "Rina", "H-1",
                             testing::kTestPassword.data()})
    EXPECT_THAT(logs, Not(HasSubstr(secret)));
}

TEST_F(HttpTest, MetricsCountRequestsInPrometheusFormat) {
  server_->Get("/healthz");
  server_->Get("/api/v1/auth/me", jabar_);
  HttpResult m = server_->Get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_THAT(m.body, HasSubstr("# TYPE gugus_http_requests_total counter"));
  EXPECT_THAT(m.body,
              HasSubstr("gugus_http_requests_total{route=\"/healthz\",method=\"GET\","
                        "status=\"200\"}"));
  EXPECT_THAT(m.body,
              HasSubstr("gugus_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
}

TEST_F(HttpTest, WithoutABuiltWebAppTheRootExplainsWhereTheApiIs) {
  HttpResult r = server_->Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("/api/v1/openapi.json"));
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
}

// A built web application: hashed assets are cached for good, the page itself is
// asked again each time, any application path gets the page, and the page may load
// only this server's scripts.
TEST(HttpWebAppTest, ServesTheBuiltAppWithCachingAndAContentSecurityPolicy) {
  testing::TempDir web;
  testing::WriteFile(web.File("index.html"), "<!doctype html><title>gugus</title>");
  std::filesystem::create_directories(web.File("assets"));
  testing::WriteFile(web.File("assets/index-abc123.js"), "console.log(1)");
  testing::TestServerOptions options;
  options.server.web_dir = web.path().string();
  TestServer server(options);
  HttpResult asset = server.Get("/assets/index-abc123.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, "console.log(1)");
  EXPECT_THAT(asset.Header("Cache-Control"), HasSubstr("immutable"));
  for (const char* path : {"/", "/orang/12", "/tinjauan"}) {
    HttpResult page = server.Get(path);
    EXPECT_EQ(page.status, 200) << path;
    EXPECT_THAT(page.body, HasSubstr("<title>gugus</title>")) << path;
    EXPECT_EQ(page.Header("Cache-Control"), "no-cache") << path;
    EXPECT_THAT(page.Header("Content-Security-Policy"), HasSubstr("default-src 'self'"));
  }
  // The API is never mistaken for a page of the application.
  EXPECT_EQ(server.Get("/api/v1/nothing-here").status, 404);
}

// Person search, detail and review on generated data, with the person count moving
// when a reviewer decides.
class HttpDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::TestServerOptions options;
    options.generated_data = true;
    options.persons = 800;
    server_ = std::make_unique<TestServer>(options);
    server_->AddUser("sekretariat.nasional", Role::kSecretariat, "ID", "UPTD-PPA-JABAR");
    token_ = server_->Login("sekretariat.nasional");
  }
  int64_t Persons() {
    auto links = server_->store().links().Links();
    std::set<int64_t> persons;
    for (const auto& l : *links) persons.insert(l.person_id);
    return static_cast<int64_t>(persons.size());
  }
  std::unique_ptr<TestServer> server_;
  std::string token_;
};

TEST_F(HttpDataTest, DecidingAReviewPairChangesThePersonCount) {
  HttpResult queue = server_->Get("/api/v1/review?limit=5", token_);
  ASSERT_EQ(queue.status, 200);
  HttpResult all = server_->Get("/api/v1/review?limit=1000", token_);
  ASSERT_EQ(all.status, 200);
  ASSERT_FALSE(queue.json["items"].empty());
  // A pair whose records are two persons (others may be one through other links).
  int64_t item = 0;
  HttpResult detail;
  for (const auto& i : all.json["items"]) {
    detail = server_->Get(StrCat("/api/v1/review/", i["item"].get<int64_t>()), token_);
    ASSERT_EQ(detail.status, 200) << detail.body;
    if (detail.json["a"]["person_id"] != detail.json["b"]["person_id"]) {
      item = i["item"];
      break;
    }
  }
  ASSERT_NE(item, 0) << "no review pair between two persons";
  EXPECT_TRUE(detail.json["a"]["record"]["parsed"].contains("name"));
  EXPECT_FALSE(detail.json["explanation"]["comparisons"].empty());
  int64_t before = Persons();
  HttpResult decided = server_->Send("POST", StrCat("/api/v1/review/", item, "/decision"),
                                     token_, json({{"decision", "same"}}).dump());
  ASSERT_EQ(decided.status, 202) << decided.body;
  HttpResult job = server_->WaitForJob(decided.json["id"], token_);
  ASSERT_EQ(job.json["state"], "done") << job.body;
  EXPECT_EQ(Persons(), before - 1);
  EXPECT_EQ(job.json["result"]["persons"], before - 1);
  // The pair is decided: it left the queue.
  HttpResult after = server_->Get("/api/v1/review?limit=1000", token_);
  for (const auto& i : after.json["items"]) EXPECT_NE(i["item"], item);
  // The total counts every waiting pair, not only the page asked for.
  EXPECT_EQ(after.json["total"], queue.json["total"].get<int64_t>() - 1);
  EXPECT_EQ(after.json["total"], after.json["items"].size());
  EXPECT_GT(queue.json["total"].get<int64_t>(), 5);
  // A second reviewer looking at the same pair sees who decided it, and deciding
  // again is refused rather than overwriting the first decision unseen.
  HttpResult again = server_->Get(StrCat("/api/v1/review/", item), token_);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.json["decision"]["decision"], "same");
  EXPECT_EQ(again.json["decision"]["decided_by"], "sekretariat.nasional");
  HttpResult second = server_->Send("POST", StrCat("/api/v1/review/", item, "/decision"),
                                    token_, json({{"decision", "different"}}).dump());
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_EQ(second.ErrorCode(), "conflict");
  EXPECT_EQ(Persons(), before - 1);
}

// Two decisions on one pair sent before either job ran: the second job finds the
// first decision and fails instead of overwriting it.
TEST_F(HttpDataTest, TwoDecisionsSentAtOnceKeepTheFirst) {
  HttpResult queue = server_->Get("/api/v1/review?limit=1", token_);
  ASSERT_FALSE(queue.json["items"].empty());
  int64_t item = queue.json["items"][0]["item"];
  std::string path = StrCat("/api/v1/review/", item, "/decision");
  HttpResult first =
      server_->Send("POST", path, token_, json({{"decision", "same"}}).dump());
  HttpResult second =
      server_->Send("POST", path, token_, json({{"decision", "different"}}).dump());
  ASSERT_EQ(first.status, 202) << first.body;
  HttpResult first_job = server_->WaitForJob(first.json["id"], token_);
  EXPECT_EQ(first_job.json["state"], "done") << first_job.body;
  // The second was refused at once (the first job had run) or failed in its job.
  if (second.status == 202) {
    HttpResult second_job = server_->WaitForJob(second.json["id"], token_);
    EXPECT_EQ(second_job.json["state"], "failed") << second_job.body;
    EXPECT_THAT(second_job.json["error"].get<std::string>(),
                HasSubstr("already decided"));
  } else {
    EXPECT_EQ(second.status, 409) << second.body;
  }
  HttpResult detail = server_->Get(StrCat("/api/v1/review/", item), token_);
  EXPECT_EQ(detail.json["decision"]["decision"], "same");
}

TEST_F(HttpDataTest, PersonSearchAndDetailExplainTheLinks) {
  // A person with records at two agencies.
  auto links = server_->store().links().Links();
  std::map<int64_t, int> count;
  for (const auto& l : *links) ++count[l.person_id];
  int64_t person = 0;
  for (const auto& [p, n] : count)
    if (n >= 2) {
      person = p;
      break;
    }
  ASSERT_NE(person, 0);
  HttpResult detail = server_->Get(StrCat("/api/v1/persons/", person), token_);
  ASSERT_EQ(detail.status, 200) << detail.body;
  ASSERT_GE(detail.json["records"].size(), 2u);
  EXPECT_EQ(detail.json["links"].size(), detail.json["records"].size() - 1);
  EXPECT_FALSE(detail.json["timeline"].empty());
  std::string name = detail.json["records"][0]["parsed"]["name"];
  HttpResult found = server_->Get(
      StrCat("/api/v1/persons?q=", httplib::detail::encode_query_param(name)), token_);
  ASSERT_EQ(found.status, 200);
  bool listed = false;
  for (const auto& p : found.json["persons"]) listed |= p["person_id"] == person;
  EXPECT_TRUE(listed) << found.body;
  EXPECT_EQ(server_->Get("/api/v1/persons/0", token_).status, 404);
  EXPECT_EQ(server_->Get("/api/v1/persons/abc", token_).status, 404);
}

TEST_F(HttpDataTest, DisagreementsListPersonsWhoseRecordsDisagreeWithinTheCallersScope) {
  HttpResult all = server_->Get("/api/v1/disagreements?limit=100", token_);
  ASSERT_EQ(all.status, 200) << all.body;
  const int64_t total = all.json["total"];
  ASSERT_GT(total, 0) << "the generated data has records that disagree";
  for (const auto& p : all.json["persons"]) {
    ASSERT_FALSE(p["fields"].empty());
    EXPECT_GE(p["records"].size(), 2u);
    for (const auto& f : p["facts"]["fields"]) {
      const bool listed = std::find(p["fields"].begin(), p["fields"].end(), f["field"]) !=
                          p["fields"].end();
      if (f["field"] == "nationality") continue;  // not a field the list is about
      EXPECT_EQ(f["disagreement"].get<bool>(), listed) << f.dump();
      if (!listed) continue;
      std::set<std::string> values;
      for (const auto& source : f["sources"]) values.insert(source["value"]);
      EXPECT_GE(values.size(), 2u) << f.dump();
      EXPECT_NE(f["rule"], "agreement");
    }
  }
  // Pages are slices of one list.
  HttpResult second = server_->Get("/api/v1/disagreements?limit=1&offset=1", token_);
  ASSERT_EQ(second.status, 200);
  if (total > 1) {
    EXPECT_EQ(second.json["persons"][0]["person_id"],
              all.json["persons"][1]["person_id"]);
  }
  EXPECT_EQ(second.json["total"], total);
  // The person page carries the same facts.
  const int64_t person = all.json["persons"][0]["person_id"];
  HttpResult detail = server_->Get(StrCat("/api/v1/persons/", person), token_);
  ASSERT_EQ(detail.status, 200);
  EXPECT_EQ(detail.json["facts"], all.json["persons"][0]["facts"]);
  EXPECT_EQ(detail.json["facts"]["fields"].size(), 5u);

  // A case worker sees only the disagreements among its own agency's records.
  server_->AddUser("pendamping.jabar", Role::kCaseworker, "32", "UPTD-PPA-JABAR");
  const std::string caseworker = server_->Login("pendamping.jabar");
  HttpResult own = server_->Get("/api/v1/disagreements?limit=100", caseworker);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_LT(own.json["total"].get<int64_t>(), total);
  for (const auto& p : own.json["persons"])
    for (const auto& r : p["records"]) EXPECT_EQ(r["agency"], "UPTD-PPA-JABAR");
  EXPECT_EQ(server_->Get("/api/v1/disagreements?region=53", caseworker).status, 404);
}

TEST_F(HttpDataTest, StatisticsGiveTheCliNumbersAndAnalystsOnlySuppressedOnes) {
  // The same numbers as `gugus stats` (CSV, k = 1) for a national secretariat.
  HttpResult api = server_->Get("/api/v1/stats?by=agency,sex&k=1&format=csv", token_);
  ASSERT_EQ(api.status, 200) << api.body;
  auto cli = testing::RunGugus({"--db", server_->db_path(), "stats", "--by", "agency,sex",
                                "--k", "1", "--format", "csv"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(api.body, cli.out);

  // An analyst asking for k = 1 still gets k = 5: small cells hidden.
  server_->AddUser("analis.nasional", Role::kAnalyst, "ID", "UPTD-PPA-JABAR");
  std::string analyst = server_->Login("analis.nasional");
  HttpResult hidden = server_->Get("/api/v1/stats?by=origin_regency,sex&k=1", analyst);
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  EXPECT_EQ(hidden.json["k"], 5);
  int suppressed = 0;
  for (const auto& c : hidden.json["cells"]) {
    if (c["suppressed"]) {
      ++suppressed;
      EXPECT_TRUE(c["persons"].is_null());
    } else {
      EXPECT_GE(c["persons"].get<int64_t>(), 5);
    }
  }
  EXPECT_GT(suppressed, 0);
  HttpResult rec = server_->Get("/api/v1/stats/reconciliation?k=1", analyst);
  ASSERT_EQ(rec.status, 200);
  EXPECT_EQ(rec.json["k"], 5);

  // A case worker counts only their own agency's records.
  server_->AddUser("petugas.ppa", Role::kCaseworker, "32", "UPTD-PPA-JABAR");
  std::string worker = server_->Login("petugas.ppa");
  HttpResult own = server_->Get("/api/v1/stats?by=agency&k=1", worker);
  ASSERT_EQ(own.status, 200);
  ASSERT_EQ(own.json["cells"].size(), 1u) << own.body;
  EXPECT_EQ(own.json["cells"][0]["values"]["agency"], "UPTD-PPA-JABAR");
  // Outside their area: absent.
  EXPECT_EQ(server_->Get("/api/v1/stats?by=sex&region=53", worker).status, 404);
  // Bad dimensions are named.
  HttpResult bad = server_->Get("/api/v1/stats?by=provinsi", token_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(bad.json["error"]["fields"].contains("by")) << bad.body;
}

// The dashboard's numbers come in one request, each exactly what the separate
// /stats and /stats/reconciliation calls answer for the same caller and filter.
class HttpDashboardTest : public HttpDataTest {
 protected:
  static constexpr std::string_view kDims[] = {
      "origin_province", "report_year", "sex",        "age_group",
      "exploitation",    "recruitment", "destination"};

  // Asks /stats/dashboard with `filter` (a query string without '?') and checks it
  // against the eight separate calls; returns the dashboard's answer.
  json ExpectSameAsSeparateCalls(const std::string& token, const std::string& filter) {
    SCOPED_TRACE(filter);
    const std::string and_filter = filter.empty() ? "" : StrCat("&", filter);
    HttpResult dash = server_->Get(
        StrCat("/api/v1/stats/dashboard", filter.empty() ? "" : "?", filter), token);
    EXPECT_EQ(dash.status, 200) << dash.body;
    HttpResult rec = server_->Get(
        StrCat("/api/v1/stats/reconciliation", filter.empty() ? "" : "?", filter), token);
    EXPECT_EQ(rec.status, 200) << rec.body;
    EXPECT_EQ(dash.json["reconciliation"], rec.json);
    EXPECT_EQ(dash.json["tables"].size(), std::size(kDims)) << dash.body;
    for (std::string_view dim : kDims) {
      HttpResult table = server_->Get(
          StrCat("/api/v1/stats?by=", dim, "&totals=true", and_filter), token);
      EXPECT_EQ(table.status, 200) << table.body;
      EXPECT_EQ(dash.json["tables"][std::string(dim)], table.json) << dim;
    }
    return dash.json;
  }
};

TEST_F(HttpDashboardTest, OneRequestAnswersWhatTheSeparateCallsDo) {
  json all = ExpectSameAsSeparateCalls(token_, "");
  const int64_t records = all["reconciliation"]["records"];
  EXPECT_GT(records, 0);
  EXPECT_EQ(all["tables"]["sex"]["k"], 5);
  // Each filter narrows the numbers, and the one request still agrees.
  for (std::string filter : {"from=2023-01-01&to=2024-12-31", "region=32", "region=53",
                             "from=2022-01-01&to=2025-12-31&region=53&k=1"}) {
    json narrowed = ExpectSameAsSeparateCalls(token_, filter);
    EXPECT_LT(narrowed["reconciliation"]["records"].get<int64_t>(), records) << filter;
    EXPECT_GT(narrowed["reconciliation"]["records"].get<int64_t>(), 0) << filter;
  }
  // Other tables than the dashboard's seven, when asked for.
  HttpResult two =
      server_->Get("/api/v1/stats/dashboard?tables=agency,%20sex&k=1", token_);
  ASSERT_EQ(two.status, 200) << two.body;
  EXPECT_EQ(two.json["tables"].size(), 2u);
  EXPECT_EQ(two.json["tables"]["agency"],
            server_->Get("/api/v1/stats?by=agency&totals=true&k=1", token_).json);
  EXPECT_EQ(two.json["reconciliation"]["k"], 1);
}

TEST_F(HttpDashboardTest, AnAnalystGetsOnlySuppressedNumbers) {
  server_->AddUser("analis.nasional", Role::kAnalyst, "ID", "UPTD-PPA-JABAR");
  std::string analyst = server_->Login("analis.nasional");
  // Asking for k = 1 still gives k = 5, as /stats does.
  json dash = ExpectSameAsSeparateCalls(analyst, "k=1");
  EXPECT_EQ(dash["reconciliation"]["k"], 5);
  int suppressed = 0;
  for (const auto& [dim, table] : dash["tables"].items()) {
    EXPECT_EQ(table["k"], 5) << dim;
    for (const auto& c : table["cells"]) {
      if (c["suppressed"]) {
        ++suppressed;
        EXPECT_TRUE(c["persons"].is_null()) << dim;
      } else {
        EXPECT_GE(c["persons"].get<int64_t>(), 5) << dim;
      }
    }
  }
  EXPECT_GT(suppressed, 0);
  ExpectSameAsSeparateCalls(analyst, "region=53&k=1");
}

TEST_F(HttpDashboardTest, ACaseWorkerCountsOnlyTheirAgencyAndIsRefusedElsewhere) {
  // Every role may read aggregates (SPEC section 6); an agency account counts only
  // its own agency's records, as with /stats.
  server_->AddUser("petugas.ppa", Role::kCaseworker, "32", "UPTD-PPA-JABAR");
  std::string worker = server_->Login("petugas.ppa");
  json dash = ExpectSameAsSeparateCalls(worker, "k=1");
  ASSERT_EQ(dash["reconciliation"]["agencies"].size(), 1u) << dash.dump();
  EXPECT_EQ(dash["reconciliation"]["agencies"][0]["code"], "UPTD-PPA-JABAR");
  // Outside their area the dashboard is absent, as /stats is; without a login, too.
  HttpResult outside = server_->Get("/api/v1/stats/dashboard?region=53", worker);
  EXPECT_EQ(outside.status, 404);
  EXPECT_EQ(outside.status,
            server_->Get("/api/v1/stats?by=sex&region=53", worker).status);
  EXPECT_EQ(server_->Get("/api/v1/stats/dashboard").status, 401);
}

// The dashboard keeps its answers while the data is the same: a decision that
// joins two persons is counted at the next request, and the answer still agrees
// with the separate calls.
TEST_F(HttpDashboardTest, AChangeToTheDataIsCountedAtOnce) {
  json before = ExpectSameAsSeparateCalls(token_, "k=1");
  EXPECT_EQ(server_->Get("/api/v1/stats/dashboard?k=1", token_).json, before);
  HttpResult all = server_->Get("/api/v1/review?limit=1000", token_);
  ASSERT_EQ(all.status, 200);
  int64_t item = 0;
  for (const auto& i : all.json["items"]) {
    HttpResult d =
        server_->Get(StrCat("/api/v1/review/", i["item"].get<int64_t>()), token_);
    if (d.json["a"]["person_id"] != d.json["b"]["person_id"]) {
      item = i["item"];
      break;
    }
  }
  ASSERT_NE(item, 0) << "no review pair between two persons";
  HttpResult decided = server_->Send("POST", StrCat("/api/v1/review/", item, "/decision"),
                                     token_, json({{"decision", "same"}}).dump());
  ASSERT_EQ(decided.status, 202) << decided.body;
  ASSERT_EQ(server_->WaitForJob(decided.json["id"], token_).json["state"], "done");
  json after = ExpectSameAsSeparateCalls(token_, "k=1");
  EXPECT_EQ(after["reconciliation"]["unified_persons"].get<int64_t>(),
            before["reconciliation"]["unified_persons"].get<int64_t>() - 1)
      << after["reconciliation"].dump();
}

TEST_F(HttpDashboardTest, BadTablesAreNamed) {
  for (std::string tables : {"sex,provinsi", "sex,sex", ",", "origin_province%3Bsex"}) {
    HttpResult bad =
        server_->Get(StrCat("/api/v1/stats/dashboard?tables=", tables), token_);
    SCOPED_TRACE(tables);
    EXPECT_EQ(bad.status, 400) << bad.body;
    EXPECT_TRUE(bad.json["error"]["fields"].contains("tables")) << bad.body;
  }
  HttpResult k = server_->Get("/api/v1/stats/dashboard?k=0", token_);
  EXPECT_EQ(k.status, 400);
  EXPECT_TRUE(k.json["error"]["fields"].contains("k")) << k.body;
}

}  // namespace
}  // namespace gugus
