#include "http/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "core/strcat.h"
#include "http/dto.h"
#include "http/errors.h"

namespace gugus::http {
namespace {

using json = nlohmann::json;

// What the access log needs from the request just handled on this worker thread.
thread_local std::string tl_route;
thread_local int64_t tl_user = 0;
thread_local std::chrono::steady_clock::time_point tl_start;
thread_local bool tl_logged = false;  // the handler logged before answering

constexpr std::array<double, 10> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1,
                                             0.25,  0.5,  1,     2.5,  10};

// Matches "/api/v1/persons/{person_id}" against a request path, filling `params`.
bool MatchPath(std::string_view pattern, std::string_view path,
               std::map<std::string, std::string>& params) {
  params.clear();
  size_t p = 0, q = 0;
  while (p < pattern.size() && q < path.size()) {
    if (pattern[p] == '{') {
      size_t close = pattern.find('}', p);
      size_t end = path.find('/', q);
      if (end == std::string_view::npos) end = path.size();
      if (end == q) return false;  // an empty segment names nothing
      params[std::string(pattern.substr(p + 1, close - p - 1))] =
          std::string(path.substr(q, end - q));
      p = close + 1;
      q = end;
      continue;
    }
    if (pattern[p] != path[q]) return false;
    ++p;
    ++q;
  }
  return p == pattern.size() && q == path.size();
}

std::string BearerToken(const httplib::Request& req) {
  std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (header.size() <= kPrefix.size() || header.compare(0, kPrefix.size(), kPrefix) != 0)
    return "";
  return header.substr(kPrefix.size());
}

void SetError(httplib::Response& res, int status, std::string_view code,
              std::string_view message) {
  res.status = status;
  res.set_content(Dump(ErrorBody(code, message)), "application/json");
}

void SetStatusError(httplib::Response& res, const absl::Status& status) {
  res.status = HttpStatusOf(status);
  if (auto retry = status.GetPayload(
          absl::string_view(kRetryAfterPayload.data(), kRetryAfterPayload.size())))
    res.set_header("Retry-After", std::string(*retry));
  res.set_content(Dump(ErrorBodyOf(status)), "application/json");
  if (res.status >= 500 && res.status != 503)
    spdlog::error(json({{"event", "handler_error"},
                        {"route", tl_route},
                        {"code", absl::StatusCodeToString(status.code())},
                        {"message", std::string(status.message())}})
                      .dump());
}

constexpr std::string_view kNoWebApp = R"html(<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>gugus</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>gugus</h1>
<p>Server berjalan. Aplikasi web belum dibangun di server ini; API tersedia di
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<p lang="en">The server is running. The web application has not been built on this
server; the API is described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body></html>
)html";

}  // namespace

class Server::Impl {
 public:
  Impl(Services services, ServerOptions options)
      : services_(services), options_(std::move(options)), api_(services, options_.api) {
    Configure();
  }

  absl::StatusOr<int> Bind() {
    int port = options_.port;
    if (port == 0) {
      port = svr_.bind_to_any_port(options_.host);
      if (port < 0) return absl::UnavailableError("cannot bind a port");
    } else if (!svr_.bind_to_port(options_.host, port)) {
      return absl::UnavailableError(
          StrCat("cannot listen on ", options_.host, ":", port,
                 " (is another server using it? set PORT or --port)"));
    }
    return port;
  }

  absl::Status Run() {
    if (!svr_.listen_after_bind())
      return absl::UnavailableError("the server stopped listening unexpectedly");
    return absl::OkStatus();
  }

  void Stop() { svr_.stop(); }
  absl::Status Warm() { return api_.Warm(); }

  std::string MetricsText() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    out +=
        "# HELP gugus_http_requests_total HTTP requests by route template, method and "
        "status.\n# TYPE gugus_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      out += fmt::format(
          "gugus_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
          std::get<0>(key), std::get<1>(key), std::get<2>(key), count);
    }
    out +=
        "# HELP gugus_http_request_duration_seconds Time to handle a request.\n"
        "# TYPE gugus_http_request_duration_seconds histogram\n";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += buckets_[i];
      out += fmt::format("gugus_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                         kBuckets[i], cumulative);
    }
    cumulative += buckets_[kBuckets.size()];
    out += fmt::format(
        "gugus_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n"
        "gugus_http_request_duration_seconds_sum {}\n"
        "gugus_http_request_duration_seconds_count {}\n",
        cumulative, duration_sum_, cumulative);
    out += "# HELP gugus_jobs Background jobs by state.\n# TYPE gugus_jobs gauge\n";
    for (const auto& [state, n] : services_.jobs.Counts())
      out +=
          fmt::format("gugus_jobs{{state=\"{}\"}} {}\n", domain::JobStateName(state), n);
    return out;
  }

 private:
  void Configure() {
    int threads = std::max(1, options_.threads);
    svr_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    svr_.set_read_timeout(options_.read_timeout);
    svr_.set_write_timeout(options_.write_timeout);
    svr_.set_keep_alive_timeout(options_.keep_alive_timeout.count());
    svr_.set_keep_alive_max_count(static_cast<size_t>(options_.keep_alive_max));
    svr_.set_payload_max_length(
        std::max(options_.max_upload_bytes, options_.max_json_bytes));
    // httplib's default also sets SO_REUSEPORT, which would let a second server
    // share the port silently; a taken port must be an error.
    svr_.set_socket_options([](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    // The web application loads only its own scripts and talks only to this server.
    svr_.set_default_headers(
        {{"X-Content-Type-Options", "nosniff"},
         {"X-Frame-Options", "DENY"},
         {"Referrer-Policy", "no-referrer"},
         {"Content-Security-Policy",
          "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
          "'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
          "form-action 'self'"}});
    bool has_web = !options_.web_dir.empty() &&
                   std::filesystem::is_regular_file(
                       std::filesystem::path(options_.web_dir) / "index.html");
    if (has_web) {
      // Built assets carry a content hash in their names: cached for good, so a
      // slow connection fetches them once; index.html is always asked again.
      auto assets = std::filesystem::path(options_.web_dir) / "assets";
      if (std::filesystem::is_directory(assets))
        svr_.set_mount_point("/assets", assets.string(),
                             {{"Cache-Control", "public, max-age=31536000, immutable"}});
      svr_.set_mount_point("/", options_.web_dir, {{"Cache-Control", "no-cache"}});
    }

    svr_.Get(".*", [this, has_web](const httplib::Request& req, httplib::Response& res) {
      if (IsApiPath(req.path)) return Dispatch(req, res, nullptr);
      tl_route = "static";
      // The browser application routes on its own: any other path gets its page.
      if (has_web) {
        std::ifstream in(std::filesystem::path(options_.web_dir) / "index.html",
                         std::ios::binary);
        std::stringstream content;
        content << in.rdbuf();
        res.set_content(content.str(), "text/html; charset=utf-8");
        res.set_header("Cache-Control", "no-cache");
      } else {
        res.set_content(std::string(kNoWebApp), "text/html; charset=utf-8");
      }
    });
    auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                            const httplib::ContentReader& reader) {
      Dispatch(req, res, &reader);
    };
    svr_.Post(".*", with_body);
    svr_.Put(".*", with_body);
    svr_.Patch(".*", with_body);
    svr_.Delete(".*", with_body);

    svr_.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                  std::exception_ptr) {
      SetError(res, 500, "internal", "internal error; the server's log has the details");
      spdlog::error(json({{"event", "exception"}, {"route", tl_route}}).dump());
    });
    svr_.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const httplib::Request&, httplib::Response& res) {
          if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          std::string_view code = res.status == 413   ? "too_large"
                                  : res.status == 404 ? "not_found"
                                  : res.status == 400 ? "invalid"
                                                      : "error";
          std::string_view message = res.status == 413 ? "the request body is too large"
                                     : res.status == 404
                                         ? "not found"
                                         : "the request could not be handled";
          SetError(res, res.status, code, message);
          return httplib::Server::HandlerResponse::Handled;
        }));
    svr_.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
      tl_start = std::chrono::steady_clock::now();
      tl_route = "unmatched";
      tl_user = 0;
      tl_logged = false;
      return httplib::Server::HandlerResponse::Unhandled;
    });
    // Requests no handler saw (refused by httplib itself) are logged after the fact.
    svr_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      if (!tl_logged) Log(req, res);
    });
  }

  static bool IsApiPath(std::string_view path) {
    return path.starts_with("/api/") || path == "/api" || path == "/healthz" ||
           path == "/metrics";
  }

  // Handles an API request and logs it before the answer leaves, so a client that
  // has its answer can rely on the log line being written.
  void Dispatch(const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader* reader) {
    Handle(req, res, reader);
    Log(req, res);
    tl_logged = true;
  }

  void Handle(const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader* reader) {
    res.set_header("Cache-Control", "no-store");
    if (!IsApiPath(req.path)) {
      Drain(reader, 0);
      SetError(res, 404, "not_found", "not found");
      return;
    }
    if (req.path == "/metrics" && req.method == "GET") {
      tl_route = "/metrics";
      res.set_content(MetricsText(), "text/plain; version=0.0.4");
      return;
    }
    Call call;
    call.method = req.method;
    call.path = req.path;
    call.address = req.remote_addr;
    for (const auto& [k, v] : req.params) call.query.emplace(k, v);
    const Route* route = nullptr;
    std::vector<std::string> allowed;
    for (const Route& r : Routes()) {
      if (!MatchPath(r.path, req.path, call.params)) continue;
      if (r.method == req.method) {
        route = &r;
        break;
      }
      allowed.emplace_back(r.method);
    }
    if (!route) {
      Drain(reader, 0);
      if (!allowed.empty()) {
        std::string allow;
        for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
        res.set_header("Allow", allow);
        SetError(res, 405, "method_not_allowed", "this method is not allowed here");
      } else {
        SetError(res, 404, "not_found", "no such API route");
      }
      return;
    }
    // MatchPath ran again for other routes after a miss; redo it for the winner.
    MatchPath(route->path, req.path, call.params);
    tl_route = std::string(route->path);
    // Control characters (NUL above all) have no business in an identifier or a
    // search; refusing them keeps them away from every query below.
    auto has_control = [](const std::string& text) {
      return std::any_of(text.begin(), text.end(),
                         [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    };
    bool bad = std::any_of(call.params.begin(), call.params.end(),
                           [&](const auto& p) { return has_control(p.second); }) ||
               std::any_of(call.query.begin(), call.query.end(),
                           [&](const auto& p) { return has_control(p.second); });
    if (bad) {
      Drain(reader, 0);
      SetError(res, 400, "invalid", "the address holds control characters");
      return;
    }

    if (!route->access.is_public()) {
      call.token = BearerToken(req);
      if (call.token.empty()) {
        Drain(reader, 0);
        res.set_header("WWW-Authenticate", "Bearer");
        SetError(res, 401, "unauthenticated", "log in first");
        return;
      }
      absl::StatusOr<domain::User> user = services_.accounts.Authenticate(call.token);
      if (!user.ok()) {
        Drain(reader, 0);
        res.set_header("WWW-Authenticate", "Bearer");
        SetStatusError(res, user.status());
        return;
      }
      call.principal = domain::PrincipalOf(*user);
      tl_user = user->id;
      if (user->must_change_password &&
          route->access.action() != domain::Action::kSession) {
        Drain(reader, 0);
        SetError(res, 403, "password_change_required",
                 "change your one-time password first (POST /api/v1/auth/password)");
        return;
      }
      if (!domain::Allows(*call.principal, route->access.action())) {
        Drain(reader, 0);
        SetError(res, 403, "forbidden", "your role may not do this");
        return;
      }
    }

    size_t declared = static_cast<size_t>(
        std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10));
    if (absl::Status s = ReadBody(*route, reader, declared, call); !s.ok()) {
      if (absl::IsResourceExhausted(s))
        SetError(res, 413, "too_large", std::string(s.message()));
      else
        SetStatusError(res, s);
      return;
    }

    absl::StatusOr<Reply> reply = (api_.*(route->handler))(call);
    if (!call.upload_path.empty()) {  // the handler failed before taking it
      std::error_code ec;
      std::filesystem::remove(call.upload_path, ec);
    }
    if (!reply.ok()) {
      SetStatusError(res, reply.status());
      return;
    }
    res.status = reply->status;
    for (const auto& [k, v] : reply->headers) res.set_header(k, v);
    if (!reply->text.empty() || !reply->content_type.empty())
      res.set_content(reply->text, reply->content_type);
    else
      res.set_content(Dump(reply->json), "application/json");
  }

  // Reads the body within the route's bound: JSON into call.body, an upload into a
  // temporary file under the upload directory.
  absl::Status ReadBody(const Route& route, const httplib::ContentReader* reader,
                        size_t declared_length, Call& call) {
    if (!reader) return absl::OkStatus();  // GET: no body is used
    if (route.body == BodyKind::kNone) {
      Drain(reader, options_.max_json_bytes);
      return absl::OkStatus();
    }
    if (route.body == BodyKind::kJson) {
      bool too_large = false;
      (*reader)([&](const char* data, size_t n) {
        if (call.body.size() + n > options_.max_json_bytes) {
          too_large = true;
          return false;
        }
        call.body.append(data, n);
        return true;
      });
      if (too_large)
        return absl::ResourceExhaustedError(StrCat("the request body is larger than ",
                                                   options_.max_json_bytes, " bytes"));
      return absl::OkStatus();
    }
    // Upload: stream to disk so a large file never sits in memory.
    std::error_code ec;
    std::filesystem::create_directories(options_.api.upload_dir, ec);
    unsigned char random[12];
    randombytes_buf(random, sizeof random);
    std::string name;
    for (unsigned char c : random) name += fmt::format("{:02x}", c);
    std::string path =
        (std::filesystem::path(options_.api.upload_dir) / (name + ".upload")).string();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f)
      return absl::UnavailableError(
          "cannot store the upload (is the upload folder writable?)");
    size_t total = 0;
    bool too_large = false, write_failed = false;
    bool complete = (*reader)([&](const char* data, size_t n) {
      total += n;
      if (total > options_.max_upload_bytes) {
        too_large = true;
        return false;
      }
      if (std::fwrite(data, 1, n, f) != n) {
        write_failed = true;
        return false;
      }
      return true;
    });
    if (std::fclose(f) != 0) write_failed = true;
    // httplib refuses a declared length beyond the bound before reading a byte.
    if (!complete && !too_large && !write_failed) {
      if (declared_length > options_.max_upload_bytes) {
        too_large = true;
      } else {
        std::filesystem::remove(path, ec);
        return absl::InvalidArgumentError(
            "the upload did not arrive whole; send it again");
      }
    }
    if (too_large || write_failed || total == 0) {
      std::filesystem::remove(path, ec);
      if (too_large)
        return absl::ResourceExhaustedError(StrCat(
            "the file is larger than ", options_.max_upload_bytes / (1 << 20), " MiB"));
      if (write_failed)
        return absl::UnavailableError("cannot store the upload (is the disk full?)");
      return FieldError("file", "the request body (the file) is empty");
    }
    call.upload_path = path;
    return absl::OkStatus();
  }

  // Reads and drops a body the route does not use, so keep-alive stays in step.
  static void Drain(const httplib::ContentReader* reader, size_t limit) {
    if (!reader) return;
    size_t total = 0;
    (*reader)([&](const char*, size_t n) {
      total += n;
      return total <= limit;
    });
  }

  void Log(const httplib::Request& req, const httplib::Response& res) {
    if (tl_route == "unmatched" && !IsApiPath(req.path)) tl_route = "static";
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - tl_start)
            .count();
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++requests_[{tl_route, req.method, res.status}];
      size_t bucket = 0;
      while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
      ++buckets_[bucket];
      duration_sum_ += seconds;
    }
    json line = {{"event", "http_request"},
                 {"method", req.method},
                 {"route", tl_route},
                 {"status", res.status},
                 {"ms", std::round(seconds * 1e4) / 10},
                 {"user", tl_user}};
    spdlog::info(line.dump());
  }

  Services services_;
  ServerOptions options_;
  Api api_;
  httplib::Server svr_;
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::array<uint64_t, kBuckets.size() + 1> buckets_{};
  double duration_sum_ = 0;
};

Server::Server(Services services, ServerOptions options)
    : impl_(std::make_unique<Impl>(services, std::move(options))) {}
Server::~Server() = default;
absl::StatusOr<int> Server::Bind() { return impl_->Bind(); }
absl::Status Server::Run() { return impl_->Run(); }
void Server::Stop() { impl_->Stop(); }
absl::Status Server::Warm() { return impl_->Warm(); }
std::string Server::MetricsText() const { return impl_->MetricsText(); }

}  // namespace gugus::http
