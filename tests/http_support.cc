#include "tests/http_support.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "core/strcat.h"
#include "domain/registry/import_service.h"
#include "domain/registry/link_service.h"
#include "gtest/gtest.h"
#include "ingest/reader.h"
#include "synth/generator.h"

namespace gugus::testing {
namespace {

void Check(const absl::Status& status, std::string_view what) {
  if (!status.ok())
    throw std::runtime_error(StrCat(what, ": ", std::string(status.message())));
}

void LoadGenerated(domain::Store& store, const domain::ReferenceIndexes& refs,
                   const std::string& dir, int persons) {
  synth::GeneratorOptions options;
  options.agencies = 4;
  options.persons = persons;
  options.seed = 7;
  options.out_dir = dir;
  Check(ImportGenerated(store, refs, options), "generated data");
  domain::LinkService link(store);
  Check(link.Link({}).status(), "link");
}

}  // namespace

std::string HttpResult::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

std::string HttpResult::ErrorCode() const {
  if (!json.is_object() || !json.contains("error")) return "";
  return json["error"].value("code", "");
}

TestServer::TestServer(TestServerOptions options) {
  spdlog::set_level(spdlog::level::warn);  // request logs would drown the test output
  db_ = PreparedDatabase(dir_);
  upload_dir_ = dir_.File("uploads");
  store_ = OpenStore(db_);
  auto refs = domain::LoadReferenceIndexes(*store_);
  Check(refs.status(), "reference data");
  refs_ = std::move(refs).value();
  if (options.generated_data)
    LoadGenerated(*store_, *refs_, dir_.File("gen"), options.persons);
  options.accounts.argon_ops = crypto_pwhash_OPSLIMIT_MIN;
  options.accounts.argon_mem = crypto_pwhash_MEMLIMIT_MIN;
  accounts_ = std::make_unique<domain::AccountService>(*store_, options.accounts);
  audit_ = std::make_unique<domain::AuditLog>(*store_);
  domain::JobQueueOptions jobs;
  jobs.work_dir = upload_dir_;
  jobs_ = std::make_unique<domain::JobQueue>(*store_, jobs);
  http::ServerOptions server = options.server;
  server.host = "127.0.0.1";
  server.port = 0;
  server.api.upload_dir = upload_dir_;
  server_ = std::make_unique<http::Server>(
      http::Services{*store_, refs_->regions, refs_->countries, *accounts_, *audit_,
                     *jobs_},
      server);
  auto port = server_->Bind();
  Check(port.status(), "bind");
  port_ = *port;
  thread_ = std::thread([this] { (void)server_->Run(); });
}

TestServer::~TestServer() {
  server_->Stop();
  thread_.join();
  jobs_->Shutdown();
}

domain::User TestServer::AddUser(const std::string& username, domain::Role role,
                                 const std::string& region, const std::string& agency) {
  domain::NewUser request{username, std::string(domain::RoleName(role)), region, agency,
                          std::string(kTestPassword)};
  auto user = accounts_->CreateUser(request);
  EXPECT_TRUE(user.ok()) << user.status();
  return user.ok() ? *user : domain::User{};
}

std::string TestServer::Login(const std::string& username, std::string_view password) {
  nlohmann::json body = {{"username", username}, {"password", password}};
  HttpResult r = Send("POST", "/api/v1/auth/login", "", body.dump());
  if (r.status != 200) return "";
  return r.json.value("token", "");
}

HttpResult TestServer::Get(const std::string& path, const std::string& token) {
  return Send("GET", path, token, "");
}

HttpResult TestServer::Send(const std::string& method, const std::string& path,
                            const std::string& token, const std::string& body,
                            const std::string& content_type) {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(30, 0);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto send = [&]() -> httplib::Result {
    if (method == "GET") return client.Get(path, headers);
    if (method == "POST") return client.Post(path, headers, body, content_type);
    if (method == "PATCH") return client.Patch(path, headers, body, content_type);
    if (method == "PUT") return client.Put(path, headers, body, content_type);
    return client.Delete(path, headers, body, content_type);
  };
  httplib::Result res = send();
  HttpResult out;
  if (!res) return out;
  out.status = res->status;
  out.body = res->body;
  for (const auto& [k, v] : res->headers) out.headers.emplace(k, v);
  out.json = nlohmann::json::parse(res->body, nullptr, false);
  if (out.json.is_discarded()) out.json = nullptr;
  return out;
}

HttpResult TestServer::WaitForJob(int64_t job, const std::string& token) {
  for (;;) {
    HttpResult r = Get(StrCat("/api/v1/jobs/", job), token);
    if (r.status != 200) return r;
    std::string state = r.json.value("state", "");
    if (state != "queued" && state != "running") return r;
    std::this_thread::sleep_for(
        std::chrono::milliseconds(5));  // polling, not waiting for readiness
  }
}

}  // namespace gugus::testing
