#include "http/server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
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
#include "core/text.h"
#include "http/dto.h"
#include "http/errors.h"
#include "http/static_files.h"
#include "http/transport.h"

namespace gugus::http {
namespace {

using json = nlohmann::json;

constexpr std::array<double, 10> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1,
                                             0.25,  0.5,  1,     2.5,  10};

// One request as the application keeps it between the transport's steps.
struct ApiExchange : Exchange {
  std::string path;                 // decoded
  std::string route = "unmatched";  // the route template, for logs and metrics
  int64_t user = 0;
  const Route* api_route = nullptr;
  Call call;
  bool is_head = false;
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; in a query, '+' is a space. A malformed escape stays as it is.
std::string Decode(std::string_view text, bool query) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else if (c == '+' && query) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<std::string_view> Segments(std::string_view path) { return Split(path, '/'); }

// Matches "/api/v1/persons/{person_id}" against a request path still encoded,
// segment by segment, decoding each parameter (so a record id "A/1" sent as
// "A%2F1" is one parameter). With `rest`, a last parameter also takes the
// segments after it ("…/records/BP3MI.JTM/001/2024" sent unencoded).
bool MatchPath(std::string_view pattern, std::string_view raw_path, bool rest,
               std::map<std::string, std::string>& params) {
  params.clear();
  std::vector<std::string_view> want = Segments(pattern), got = Segments(raw_path);
  bool last_is_param = want.back().starts_with('{');
  if (got.size() != want.size() && !(rest && last_is_param && got.size() > want.size()))
    return false;
  for (size_t i = 0; i < want.size(); ++i) {
    std::string_view w = want[i];
    if (w.size() >= 2 && w.front() == '{' && w.back() == '}') {
      std::string_view value = got[i];
      if (i + 1 == want.size() && got.size() > want.size()) {
        value = raw_path.substr(static_cast<size_t>(got[i].data() - raw_path.data()));
      }
      if (value.empty()) return false;  // an empty segment names nothing
      params[std::string(w.substr(1, w.size() - 2))] = Decode(value, false);
      continue;
    }
    if (w != got[i]) return false;
  }
  return true;
}

std::string BearerToken(const Exchange& x) {
  std::string header = x.Header("Authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (header.size() <= kPrefix.size() || header.compare(0, kPrefix.size(), kPrefix) != 0)
    return "";
  return header.substr(kPrefix.size());
}

void SetError(Exchange& x, int status, std::string_view code, std::string_view message) {
  x.admitted = false;
  x.status = status;
  x.content_type = "application/json";
  x.response_body = Dump(ErrorBody(code, message));
}

void SetStatusError(ApiExchange& x, const absl::Status& status) {
  x.admitted = false;
  x.status = HttpStatusOf(status);
  if (auto retry = status.GetPayload(
          absl::string_view(kRetryAfterPayload.data(), kRetryAfterPayload.size())))
    x.response_headers.emplace_back("Retry-After", std::string(*retry));
  x.content_type = "application/json";
  x.response_body = Dump(ErrorBodyOf(status));
  if (x.status >= 500 && x.status != 503)
    spdlog::error(json({{"event", "handler_error"},
                        {"route", x.route},
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

class Server::Impl : public ExchangeHandler {
 public:
  Impl(Services services, ServerOptions options)
      : services_(services),
        options_(std::move(options)),
        api_(services, options_.api),
        transport_(*this, TransportOptionsOf(options_)) {
    has_web_ = !options_.web_dir.empty() &&
               std::filesystem::is_regular_file(std::filesystem::path(options_.web_dir) /
                                                "index.html");
    if (has_web_) web_ = std::make_unique<StaticFiles>(options_.web_dir);
  }

  absl::StatusOr<int> Bind() { return transport_.Bind(); }
  absl::Status Run() { return transport_.Run(); }
  void Stop() { transport_.Stop(); }
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
    out +=
        "# HELP gugus_http_open_connections Client connections open now.\n"
        "# TYPE gugus_http_open_connections gauge\n";
    out += fmt::format("gugus_http_open_connections {}\n", transport_.OpenConnections());
    out +=
        "# HELP gugus_jobs Background jobs in the database by state (every server's).\n"
        "# TYPE gugus_jobs gauge\n";
    if (auto counts = services_.jobs.Counts(); counts.ok())
      for (const auto& [state, n] : *counts)
        out += fmt::format("gugus_jobs{{state=\"{}\"}} {}\n", domain::JobStateName(state),
                           n);
    if (options_.more_metrics) out += options_.more_metrics();
    return out;
  }

  // --- ExchangeHandler

  std::shared_ptr<Exchange> NewExchange() override {
    return std::make_shared<ApiExchange>();
  }

  void Admit(Exchange& exchange) override {
    auto& x = static_cast<ApiExchange&>(exchange);
    std::string_view target = x.target;
    size_t question = target.find('?');
    std::string_view raw_path = target.substr(0, question);
    x.path = Decode(raw_path, false);
    x.is_head = x.method == "HEAD";
    std::string_view method = x.is_head ? std::string_view("GET") : x.method;
    if (question != std::string_view::npos) ParseQuery(target.substr(question + 1), x);

    if (!IsApiPath(x.path)) {
      if (method != "GET") return Refuse(x, 404, "not_found", "not found");
      ServeStatic(x);
      return Admitted(x, Exchange::BodyPlan::kDrop, options_.max_json_bytes);
    }
    x.response_headers.emplace_back("Cache-Control", "no-store");
    if (x.path == "/metrics" && method == "GET") {
      x.route = "/metrics";
      x.content_type = "text/plain; version=0.0.4";
      x.response_body = MetricsText();
      return Admitted(x, Exchange::BodyPlan::kDrop, options_.max_json_bytes);
    }
    Call& call = x.call;
    call.method = std::string(method);
    call.path = x.path;
    call.address = ClientAddress(x);
    const Route* route = nullptr;
    std::vector<std::string> allowed;
    for (bool rest : {false, true}) {
      for (const Route& r : Routes()) {
        if (!MatchPath(r.path, raw_path, rest, call.params)) continue;
        if (r.method == method) {
          route = &r;
          break;
        }
        allowed.emplace_back(r.method);
      }
      if (route || !allowed.empty()) break;
    }
    if (!route) {
      if (!allowed.empty()) {
        std::string allow;
        for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
        x.response_headers.emplace_back("Allow", allow);
        return Refuse(x, 405, "method_not_allowed", "this method is not allowed here");
      }
      return Refuse(x, 404, "not_found", "no such API route");
    }
    // A later route's miss cleared the winner's parameters: match it again.
    MatchPath(route->path, raw_path, true, call.params);
    x.route = std::string(route->path);
    x.api_route = route;
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
    if (bad) return Refuse(x, 400, "invalid", "the address holds control characters");

    if (!route->access.is_public()) {
      call.token = BearerToken(x);
      if (call.token.empty()) {
        x.response_headers.emplace_back("WWW-Authenticate", "Bearer");
        return Refuse(x, 401, "unauthenticated", "log in first");
      }
      absl::StatusOr<domain::User> user = services_.accounts.Authenticate(call.token);
      if (!user.ok()) {
        x.response_headers.emplace_back("WWW-Authenticate", "Bearer");
        SetStatusError(x, user.status());
        return Finish(x);
      }
      call.principal = domain::PrincipalOf(*user);
      x.user = user->id;
      if (user->must_change_password &&
          route->access.action() != domain::Action::kSession)
        return Refuse(x, 403, "password_change_required",
                      "change your one-time password first (POST /api/v1/auth/password)");
      if (!domain::Allows(*call.principal, route->access.action()))
        return Refuse(x, 403, "forbidden", "your role may not do this");
    }
    switch (route->body) {
      case BodyKind::kNone:  // a body is read and dropped, so keep-alive stays in step
        return Admitted(x, Exchange::BodyPlan::kDrop, options_.max_json_bytes);
      case BodyKind::kJson:
        return Admitted(x, Exchange::BodyPlan::kMemory, options_.max_json_bytes);
      case BodyKind::kUpload:
        x.upload_path = NewUploadPath();
        return Admitted(x, Exchange::BodyPlan::kFile, options_.max_upload_bytes);
    }
  }

  void Respond(Exchange& exchange) override {
    auto& x = static_cast<ApiExchange&>(exchange);
    if (x.api_route) {
      if (absl::Status s = BodyStatus(x); !s.ok()) {
        if (absl::IsResourceExhausted(s))
          SetError(x, 413, "too_large", std::string(s.message()));
        else
          SetStatusError(x, s);
      } else {
        Call& call = x.call;
        if (x.body_plan == Exchange::BodyPlan::kMemory) call.body = std::move(x.body);
        if (x.body_plan == Exchange::BodyPlan::kFile) call.upload_path = x.upload_path;
        absl::StatusOr<Reply> reply = (api_.*(x.api_route->handler))(call);
        if (!call.upload_path.empty()) {  // the handler failed before taking it
          std::error_code ec;
          std::filesystem::remove(call.upload_path, ec);
        }
        if (!reply.ok()) {
          SetStatusError(x, reply.status());
        } else {
          x.status = reply->status;
          for (auto& h : reply->headers) x.response_headers.push_back(std::move(h));
          if (!reply->text.empty() || !reply->content_type.empty()) {
            x.response_body = std::move(reply->text);
            x.content_type = reply->content_type;
          } else {
            x.response_body = Dump(reply->json);
            x.content_type = "application/json";
          }
        }
      }
    }
    Finish(x);
  }

  void TransportError(Exchange& exchange, int status) override {
    auto& x = static_cast<ApiExchange&>(exchange);
    std::string_view code = status == 413   ? "too_large"
                            : status == 500 ? "internal"
                            : status == 408 ? "timeout"
                                            : "invalid";
    std::string_view message = status == 413   ? "the request body is too large"
                               : status == 431 ? "the request header is too large"
                               : status == 408 ? "the request did not arrive in time"
                               : status == 500
                                   ? "internal error; the server's log has the details"
                                   : "the request could not be read";
    x.response_headers.clear();
    SetError(x, status, code, message);
    if (status == 500)
      spdlog::error(json({{"event", "exception"}, {"route", x.route}}).dump());
    Finish(x);
  }

 private:
  static TransportOptions TransportOptionsOf(const ServerOptions& o) {
    TransportOptions t;
    t.host = o.host;
    t.port = o.port;
    t.workers = o.threads;
    t.max_body_bytes = std::max(o.max_upload_bytes, o.max_json_bytes);
    t.read_timeout = o.read_timeout;
    t.write_timeout = o.write_timeout;
    t.keep_alive_timeout = o.keep_alive_timeout;
    t.keep_alive_max = o.keep_alive_max;
    return t;
  }

  static bool IsApiPath(std::string_view path) {
    return path.starts_with("/api/") || path == "/api" || path == "/healthz" ||
           path == "/metrics";
  }

  static void ParseQuery(std::string_view query, ApiExchange& x) {
    for (std::string_view pair : Split(query, '&')) {
      if (pair.empty()) continue;
      size_t eq = pair.find('=');
      std::string key = Decode(pair.substr(0, eq), true);
      std::string value =
          eq == std::string_view::npos ? "" : Decode(pair.substr(eq + 1), true);
      x.call.query.emplace(std::move(key), std::move(value));
    }
  }

  // The client's address: the peer's, or a trusted proxy's X-Real-IP when it holds
  // an IPv4 or IPv6 address.
  std::string ClientAddress(const ApiExchange& x) const {
    const auto& trusted = options_.trusted_proxies;
    if (std::find(trusted.begin(), trusted.end(), x.remote_address) == trusted.end())
      return x.remote_address;
    std::string real = x.Header("X-Real-IP");
    unsigned char bytes[sizeof(in6_addr)];
    if (inet_pton(AF_INET, real.c_str(), bytes) == 1 ||
        inet_pton(AF_INET6, real.c_str(), bytes) == 1)
      return real;
    return x.remote_address;
  }

  void Refuse(ApiExchange& x, int status, std::string_view code,
              std::string_view message) {
    SetError(x, status, code, message);
    Finish(x);
  }

  static void Admitted(ApiExchange& x, Exchange::BodyPlan plan, uint64_t limit) {
    x.admitted = true;
    x.body_plan = plan;
    x.body_limit = limit;
  }

  std::string NewUploadPath() const {
    unsigned char random[12];
    randombytes_buf(random, sizeof random);
    std::string name;
    for (unsigned char c : random) name += fmt::format("{:02x}", c);
    return (std::filesystem::path(options_.api.upload_dir) / (name + ".upload")).string();
  }

  // What went wrong while the body arrived, in the words of the route's kind.
  absl::Status BodyStatus(const ApiExchange& x) const {
    using P = Exchange::BodyProblem;
    bool upload = x.body_plan == Exchange::BodyPlan::kFile;
    switch (x.body_problem) {
      case P::kNone:
        if (upload && x.body_bytes == 0)
          return FieldError("file", "the request body (the file) is empty");
        return absl::OkStatus();
      case P::kTooLarge:
        if (upload)
          return absl::ResourceExhaustedError(StrCat(
              "the file is larger than ", options_.max_upload_bytes / (1 << 20), " MiB"));
        return absl::ResourceExhaustedError(
            StrCat("the request body is larger than ", x.body_limit, " bytes"));
      case P::kIncomplete:
        return absl::InvalidArgumentError(
            "the upload did not arrive whole; send it again");
      case P::kCannotStore:
        return absl::UnavailableError(
            "cannot store the upload (is the upload folder writable?)");
      case P::kWriteFailed:
        return absl::UnavailableError("cannot store the upload (is the disk full?)");
    }
    return absl::OkStatus();
  }

  // The built application's files; any other path gets its page, because the
  // browser application routes on its own.
  void ServeStatic(ApiExchange& x) {
    x.route = "static";
    if (!has_web_) {
      x.content_type = "text/html; charset=utf-8";
      x.response_body = std::string(kNoWebApp);
      return;
    }
    std::shared_ptr<const StaticFile> file;
    if (x.path != "/") file = web_->Find(x.path);
    // Built assets carry a content hash in their names: cached for good, so a
    // slow connection fetches them once; index.html is always asked again.
    bool immutable = file && x.path.starts_with("/assets/");
    if (!file) file = web_->Find("/index.html");
    if (!file) {
      x.content_type = "text/html; charset=utf-8";
      x.response_body = std::string(kNoWebApp);
      return;
    }
    x.response_headers.emplace_back(
        "Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    x.content_type = file->content_type;
    Encoding e = ChooseEncoding(x.Header("Accept-Encoding"), true);
    const std::string& bytes = file->In(e);
    if (&bytes != &file->identity)
      x.response_headers.emplace_back("Content-Encoding", std::string(EncodingName(e)));
    if (!file->gzip.empty() || !file->brotli.empty())
      x.response_headers.emplace_back("Vary", "Accept-Encoding");
    x.response_body = bytes;
  }

  // Adds the headers every answer carries, compresses a large text answer the
  // client accepts compressed, and logs the request before the answer leaves, so a
  // client that has its answer can rely on the log line being written.
  void Finish(ApiExchange& x) {
    // The web application loads only its own scripts and talks only to this server.
    x.response_headers.emplace_back("X-Content-Type-Options", "nosniff");
    x.response_headers.emplace_back("X-Frame-Options", "DENY");
    x.response_headers.emplace_back("Referrer-Policy", "no-referrer");
    x.response_headers.emplace_back(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
        "'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'");
    if (x.route != "static" && x.response_body.size() >= 1024 &&
        IsCompressible(x.content_type)) {
      Encoding e = ChooseEncoding(x.Header("Accept-Encoding"), false);
      if (e != Encoding::kIdentity) {
        if (auto packed = Compress(x.response_body, e, 6)) {
          x.response_body = std::move(*packed);
          x.response_headers.emplace_back("Content-Encoding",
                                          std::string(EncodingName(e)));
        }
      }
      x.response_headers.emplace_back("Vary", "Accept-Encoding");
    }
    Log(x);
  }

  void Log(const ApiExchange& x) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - x.start).count();
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++requests_[{x.route, x.method, x.status}];
      size_t bucket = 0;
      while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
      ++buckets_[bucket];
      duration_sum_ += seconds;
    }
    if (!spdlog::should_log(spdlog::level::info)) return;
    json line = {{"event", "http_request"},
                 {"method", x.method},
                 {"route", x.route},
                 {"status", x.status},
                 {"ms", std::round(seconds * 1e4) / 10},
                 {"user", x.user}};
    spdlog::info(line.dump());
  }

  Services services_;
  ServerOptions options_;
  Api api_;
  bool has_web_ = false;
  std::unique_ptr<StaticFiles> web_;
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::array<uint64_t, kBuckets.size() + 1> buckets_{};
  double duration_sum_ = 0;
  Transport transport_;  // last: stopped and destroyed before what it calls into
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
