// The real HTTP server in process for the HTTP tests: a database copied from the
// prepared one, optionally filled with generated agency files and linked, the
// server bound to a free port on 127.0.0.1 (no sleeps: the socket listens once
// Bind returns), accounts made with fast Argon2 parameters, and a small client.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "domain/accounts/account_service.h"
#include "domain/audit_log.h"
#include "domain/jobs.h"
#include "domain/registry/reference_service.h"
#include "http/server.h"
#include "tests/test_support.h"

namespace gugus::testing {

inline constexpr std::string_view kTestPassword = "kata-sandi-uji-2026";

struct TestServerOptions {
  bool generated_data = false;  // four agencies' generated files, imported and linked
  int persons = 300;
  http::ServerOptions server;       // port, host and upload_dir are set by TestServer
  domain::AccountOptions accounts;  // argon parameters are set to the minimum
};

struct HttpResult {
  int status = 0;       // 0: no response (connection failed or closed)
  nlohmann::json json;  // parsed body when it was JSON, else null
  std::string body;
  std::multimap<std::string, std::string> headers;
  std::string Header(const std::string& name) const;
  std::string ErrorCode() const;  // json["error"]["code"] or ""
};

class TestServer {
 public:
  explicit TestServer(TestServerOptions options = {});
  ~TestServer();

  int port() const { return port_; }
  domain::Store& store() { return *store_; }
  const domain::ReferenceIndexes& refs() const { return *refs_; }
  const std::string& db_path() const { return db_; }
  const std::string& upload_dir() const { return upload_dir_; }
  domain::AccountService& accounts() { return *accounts_; }
  domain::JobQueue& jobs() { return *jobs_; }

  // Adds an account with kTestPassword (fails the test on error).
  domain::User AddUser(const std::string& username, domain::Role role,
                       const std::string& region, const std::string& agency);
  // Logs in through the API; "" when the login failed.
  std::string Login(const std::string& username,
                    std::string_view password = kTestPassword);

  HttpResult Get(const std::string& path, const std::string& token = "");
  HttpResult Send(const std::string& method, const std::string& path,
                  const std::string& token, const std::string& body,
                  const std::string& content_type = "application/json");
  // Polls a job until it is no longer queued or running.
  HttpResult WaitForJob(int64_t job, const std::string& token);

 private:
  TempDir dir_;
  std::string db_, upload_dir_;
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<domain::ReferenceIndexes> refs_;
  std::unique_ptr<domain::AccountService> accounts_;
  std::unique_ptr<domain::AuditLog> audit_;
  std::unique_ptr<domain::JobQueue> jobs_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace gugus::testing
