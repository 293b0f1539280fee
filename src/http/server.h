// `gugus serve`: the HTTP server. The transport (transport.h: Boost.Beast, one I/O
// thread for every connection, a bounded worker pool for the work) with read and
// write timeouts, keep-alive limits and a bound on every request body; it serves
// the JSON API (api.h), /healthz, Prometheus-format /metrics and the built web
// application's static files (index.html for any other path, so the browser
// application's own routes work on reload).
//
// For every API request, in this order: match the route (404, or 405 for a known
// path with another method); for non-public routes authenticate the bearer token
// (401) and ask the access policy (403); read the body within its bound (413);
// run the handler; map its Status to the one error shape (errors.h). Responses
// carry Cache-Control: no-store (they may hold personal data).
// Logs: one JSON line per request on stderr (method, route template, status,
// milliseconds, user id) — never a query string, a body or a path parameter.
// Thread-safety: Stop() may be called from any thread (a signal handler thread);
// the rest from the thread that owns the Server.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "http/api.h"

namespace gugus::http {

struct ServerOptions {
  std::string host = "0.0.0.0";
  int port = 8080;      // 0: any free port (tests)
  int threads = 16;     // worker pool size (connections need no thread)
  std::string web_dir;  // the built web application; "" or missing: a notice page
  size_t max_json_bytes = 1 << 20;
  size_t max_upload_bytes = size_t{256} << 20;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds write_timeout{60};
  std::chrono::seconds keep_alive_timeout{5};
  int keep_alive_max = 100;
  // Peers whose X-Real-IP header names the client (a reverse proxy such as nginx in
  // front of several servers): the client's address is then that header's, for the
  // audit trail and login throttling. From any other peer the header is ignored.
  std::vector<std::string> trusted_proxies;
  ApiOptions api;
  // More Prometheus text for /metrics, appended after the server's own (the command
  // adds what the storage and the allocator hold); may be empty.
  std::function<std::string()> more_metrics;
};

class Server {
 public:
  Server(Services services, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port (useful with port 0).
  // Unavailable when the address is in use.
  absl::StatusOr<int> Bind();
  // Serves until Stop(); in-flight requests finish first.
  absl::Status Run();
  void Stop();
  // Builds what the first searches and statistics need (see Api::Warm); call it on
  // a thread of its own while Run() serves.
  absl::Status Warm();

  // The Prometheus text exposition of the server's counters.
  std::string MetricsText() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gugus::http
