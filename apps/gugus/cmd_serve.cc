// `gugus serve`: wires the store, reference indexes and services into the HTTP
// server, and stops it gracefully on SIGTERM or SIGINT (in-flight requests and the
// running job finish; queued jobs stay in the database for the next server).
#include <arpa/inet.h>
#include <fmt/format.h>
#include <malloc.h>
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "commands.h"
#include "core/status.h"
#include "domain/accounts/account_service.h"
#include "domain/audit_log.h"
#include "domain/jobs.h"
#include "domain/registry/reference_service.h"
#include "http/server.h"
#include "memory.h"
#include "storage/open_store.h"

namespace gugus {
namespace {

struct ServeFlags {
  int port = -1;  // -1: $PORT, else 8080; 0: any free port
  std::string host = "0.0.0.0";
  int threads = 16;
  std::string web_dir = "web/dist";
  std::string upload_dir = "var/uploads";
  double job_lease = 30;  // seconds
  std::vector<std::string> trust_proxy;
};

absl::Status RunServe(const Globals& g, const ServeFlags& flags) {
  // Block the stop signals in every thread the server starts; one thread waits.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A server replaces large structures whenever the data changes (the name
  // index, the statistics' facts: tens to hundreds of MiB). glibc raises its mmap
  // threshold after each such free and then serves them from its heaps, where
  // freed memory is not returned and the resident size creeps up: a fixed
  // threshold keeps every allocation of 1 MiB or more in its own mapping.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);

  GUGUS_ASSIGN_OR_RETURN(auto store, Open(g));
  GUGUS_ASSIGN_OR_RETURN(std::unique_ptr<domain::ReferenceIndexes> indexes,
                         domain::LoadReferenceIndexes(*store));
  domain::AccountService accounts(*store);
  domain::AuditLog audit(*store);
  domain::JobQueueOptions job_options;
  job_options.work_dir = flags.upload_dir;
  job_options.lease =
      std::chrono::milliseconds(static_cast<int64_t>(flags.job_lease * 1000));
  job_options.heartbeat = std::min(job_options.heartbeat, job_options.lease / 3);
  job_options.poll = std::min(job_options.poll, job_options.lease / 3);
  domain::JobQueue jobs(*store, job_options);

  // JSON lines on stderr, one per request; never personal data (server.h).
  auto logger = spdlog::stderr_logger_mt("gugus-serve");
  logger->set_pattern("{\"time\":\"%Y-%m-%dT%H:%M:%S.%eZ\",\"level\":\"%l\",\"log\":%v}",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::info);
  spdlog::set_default_logger(logger);

  http::ServerOptions options;
  int port = flags.port;
  if (port < 0) {
    const char* env = std::getenv("PORT");
    port = env && *env ? std::atoi(env) : 8080;
    if (port <= 0 || port > 65535)
      return absl::InvalidArgumentError("PORT must be 1–65535");
  }
  if (port > 65535) return absl::InvalidArgumentError("--port must be 0–65535");
  options.port = port;
  options.host = flags.host;
  options.threads = flags.threads;
  options.web_dir = flags.web_dir;
  options.api.upload_dir = flags.upload_dir;
  options.trusted_proxies = flags.trust_proxy;
  options.more_metrics = MemoryMetrics;
  http::Server server(
      http::Services{*store, indexes->regions, indexes->countries, accounts, audit, jobs},
      options);
  GUGUS_ASSIGN_OR_RETURN(int bound, server.Bind());
  fmt::print("gugus is serving http://localhost:{}/ (database {}); stop with Ctrl-C\n",
             bound, storage::DisplayAddress(g.db_path));
  std::fflush(stdout);

  std::thread waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    spdlog::info("{{\"event\":\"shutdown\",\"signal\":{}}}", signal);
    server.Stop();
  });
  // The person-name index and the statistics are built while the server answers.
  std::thread warm([&server] {
    const auto start = std::chrono::steady_clock::now();
    if (absl::Status s = server.Warm(); !s.ok()) {
      spdlog::warn("{{\"event\":\"warm_failed\",\"code\":\"{}\"}}",
                   absl::StatusCodeToString(s.code()));
      return;
    }
    spdlog::info("{{\"event\":\"warmed\",\"ms\":{:.0f}}}",
                 std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - start)
                     .count());
  });
  HeapTrimmer trimmer;  // memory.h: RSS stays flat as indexes are replaced
  absl::Status status = server.Run();
  warm.join();
  // Run() returned without a signal (an error): wake the waiter.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  jobs.Shutdown();
  fmt::print("gugus stopped\n");
  return status;
}

}  // namespace

void AddServeCommand(CLI::App& app, const Globals& g, const RunResult& run) {
  auto flags = std::make_shared<ServeFlags>();
  auto* serve = app.add_subcommand("serve", "serve the web application and the API");
  serve->add_option("--port", flags->port,
                    "TCP port (default: $PORT, else 8080; 0: any free port)");
  serve->add_option("--host", flags->host, "address to listen on")->capture_default_str();
  serve->add_option("--threads", flags->threads, "worker threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve->add_option("--web-dir", flags->web_dir, "the built web application")
      ->capture_default_str();
  serve
      ->add_option("--upload-dir", flags->upload_dir,
                   "where uploads are received and jobs' files are written to run")
      ->capture_default_str();
  serve
      ->add_option("--job-lease", flags->job_lease,
                   "seconds a running job is held without word from its server; "
                   "after that another server takes it over")
      ->check(CLI::Range(0.5, 3600.0))
      ->capture_default_str();
  serve
      ->add_option("--trust-proxy", flags->trust_proxy,
                   "address of a reverse proxy (e.g. 127.0.0.1 for nginx on the same "
                   "machine) whose X-Real-IP header is the client's address; repeatable")
      ->each([](const std::string& address) {
        unsigned char bytes[sizeof(in6_addr)];
        if (inet_pton(AF_INET, address.c_str(), bytes) != 1 &&
            inet_pton(AF_INET6, address.c_str(), bytes) != 1)
          throw CLI::ValidationError("--trust-proxy", "not an IP address: " + address);
      });
  serve->callback([&g, run, flags] { run(RunServe(g, *flags)); });
}

}  // namespace gugus
