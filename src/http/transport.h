// The HTTP/1.1 transport under `gugus serve`: an event-driven server on Boost.Beast
// (Boost.Asio) that holds thousands of mostly idle keep-alive connections on one
// I/O thread, and hands every request's work to a bounded pool of worker threads.
//
// The I/O thread only accepts, parses headers, reads bodies within their bounds and
// writes answers; everything that may touch the database (routing, authentication,
// handlers, static files) runs on a worker, in two steps:
//   1. Admit, once the header is read: decide the route and who is asking, and
//      either answer at once (a refusal, or a request without a body) or say how
//      the body is to be read (kept in memory, streamed to a file, or dropped) and
//      within which bound;
//   2. Respond, once the body is read (or failed to arrive).
// So an unauthenticated upload is refused before a byte of it is stored.
//
// Timeouts: a new connection must send its first request within read_timeout; a
// kept-alive connection may wait keep_alive_timeout for its next one; a request's
// header and body must arrive within read_timeout; an answer must be taken within
// write_timeout. A connection serves at most keep_alive_max requests. Sockets have
// TCP_NODELAY: an answer leaves in one write, at once.
//
// Stop() closes the listening socket and the idle connections; requests in flight
// are answered (with Connection: close) before Run() returns.
// Thread-safety: Stop() may be called from any thread; Bind and Run from one.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace gugus::http {

// One request and its answer, shared by the transport and the application (which
// derives from it to keep its own state). Handed between threads, never shared.
struct Exchange {
  virtual ~Exchange() = default;

  // --- The request, as read by the transport.
  std::string method;  // as sent ("GET", "HEAD", "POST" …)
  std::string target;  // the raw request target: path and query, still encoded
  std::string remote_address;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::steady_clock::time_point start;  // when the header was read
  bool body_follows = false;                    // a body follows the header
  uint64_t declared_length = 0;                 // Content-Length, 0 when absent
  // The first header of that name (case-insensitive), or "".
  std::string Header(std::string_view name) const;

  // --- Decided by Admit.
  enum class BodyPlan { kDrop, kMemory, kFile };
  bool admitted = false;  // false: `status`… already hold the answer
  BodyPlan body_plan = BodyPlan::kDrop;
  uint64_t body_limit = 0;  // more than this is `kTooLarge`
  std::string upload_path;  // kFile: where the body goes (the transport creates it)

  // --- The body, as read by the transport.
  enum class BodyProblem { kNone, kTooLarge, kIncomplete, kCannotStore, kWriteFailed };
  BodyProblem body_problem = BodyProblem::kNone;
  std::string body;         // kMemory
  uint64_t body_bytes = 0;  // bytes received

  // --- The answer.
  int status = 200;
  std::vector<std::pair<std::string, std::string>> response_headers;
  std::string content_type;
  std::string response_body;
  bool close = false;  // close the connection after this answer
};

// What the transport asks of the application. Admit and Respond run on worker
// threads; TransportError on the I/O thread (keep it cheap: no database).
class ExchangeHandler {
 public:
  virtual ~ExchangeHandler() = default;
  virtual std::shared_ptr<Exchange> NewExchange() = 0;
  // Sets admitted and the body plan, or leaves admitted false with the answer set.
  // A request without a body is answered by Admit, or by Respond right after it.
  virtual void Admit(Exchange& x) = 0;
  // Answers an admitted request once its body is read (see body_problem).
  virtual void Respond(Exchange& x) = 0;
  // Answers a request the transport could not read (a malformed or oversized
  // header, a declared body beyond every bound): `status` is 400, 413 or 431.
  virtual void TransportError(Exchange& x, int status) = 0;
};

struct TransportOptions {
  std::string host = "0.0.0.0";
  int port = 8080;  // 0: any free port
  int workers = 8;
  uint64_t max_body_bytes = 1 << 20;  // a larger declared body is refused at once
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds write_timeout{60};
  std::chrono::seconds keep_alive_timeout{5};
  int keep_alive_max = 100;
};

class Transport {
 public:
  // `handler` must outlive the Transport.
  Transport(ExchangeHandler& handler, TransportOptions options);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Binds and listens; returns the port. Unavailable when the address is in use.
  // Raises the process's open-file limit to its hard limit (one descriptor per
  // connection).
  absl::StatusOr<int> Bind();
  // Serves until Stop(), then waits for the requests in flight and the workers.
  absl::Status Run();
  void Stop();

  // Connections open now (a gauge for /metrics).
  int64_t OpenConnections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gugus::http
