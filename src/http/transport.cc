#include "http/transport.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <unordered_set>

#include "core/strcat.h"

namespace gugus::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr size_t kChunk = 64 * 1024;
constexpr uint32_t kHeaderLimit = 8192;
constexpr std::chrono::seconds kLinger{2};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// Lets a process hold as many connections as the system allows it.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

std::string Exchange::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (EqualsIgnoreCase(k, name)) return v;
  return "";
}

class Transport::Impl {
 public:
  Impl(ExchangeHandler& handler, TransportOptions options)
      : handler_(handler),
        options_(std::move(options)),
        acceptor_(ioc_),
        retry_(ioc_),
        workers_(static_cast<size_t>(std::max(1, options_.workers))) {}

  ~Impl() { workers_.join(); }

  absl::StatusOr<int> Bind() {
    RaiseOpenFileLimit();
    boost::system::error_code ec;
    asio::ip::address address = asio::ip::make_address(options_.host, ec);
    if (ec) return absl::InvalidArgumentError(StrCat("not an address: ", options_.host));
    tcp::endpoint endpoint(address, static_cast<uint16_t>(options_.port));
    acceptor_.open(endpoint.protocol(), ec);
    // SO_REUSEADDR only: SO_REUSEPORT would let a second server share the port
    // silently; a taken port must be an error.
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      acceptor_.close(ec);
      if (options_.port == 0) return absl::UnavailableError("cannot bind a port");
      return absl::UnavailableError(
          StrCat("cannot listen on ", options_.host, ":", options_.port,
                 " (is another server using it? set PORT or --port)"));
    }
    return acceptor_.local_endpoint().port();
  }

  absl::Status Run() {
    if (!acceptor_.is_open())
      return absl::FailedPreconditionError("the server is not bound");
    Accept();
    ioc_.run();
    return absl::OkStatus();
  }

  void Stop();

  int64_t OpenConnections() const { return open_.load(std::memory_order_relaxed); }

 private:
  class Session;

  void Accept();

  ExchangeHandler& handler_;
  TransportOptions options_;
  // Before ioc_: a session that outlives the loop still finds them.
  std::unordered_set<Session*> sessions_;  // I/O thread only
  std::atomic<int64_t> open_{0};
  bool stopping_ = false;  // I/O thread only
  asio::io_context ioc_{1};
  tcp::acceptor acceptor_;
  asio::steady_timer retry_;
  asio::thread_pool workers_;
};

// One connection. Lives on the I/O thread; its exchanges visit a worker and come
// back (the work guard keeps the I/O loop running meanwhile).
class Transport::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& server, tcp::socket socket)
      : server_(server), stream_(std::move(socket)) {
    boost::system::error_code ec;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string();
    server_.sessions_.insert(this);
    server_.open_.fetch_add(1, std::memory_order_relaxed);
  }

  ~Session() {
    if (upload_) std::fclose(upload_);
    server_.sessions_.erase(this);
    server_.open_.fetch_sub(1, std::memory_order_relaxed);
  }

  void Start() { WaitForRequest(); }

  // The server stops: an idle connection closes now, a busy one after its answer.
  void Shutdown() {
    if (idle_) {
      boost::system::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.socket().close(ec);
    }
  }

 private:
  const TransportOptions& options() const { return server_.options_; }

  // Waits for the first byte of the next request: read_timeout on a new
  // connection, keep_alive_timeout between requests.
  void WaitForRequest() {
    if (server_.stopping_) return Close();
    if (buffer_.size() > 0) return ReadHeader();
    idle_ = true;
    stream_.expires_after(requests_ == 0 ? options().read_timeout
                                         : options().keep_alive_timeout);
    stream_.async_read_some(buffer_.prepare(kHeaderLimit),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->idle_ = false;
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    header_.emplace();
    header_->header_limit(kHeaderLimit);
    header_->body_limit(options().max_body_bytes);
    stream_.expires_after(options().read_timeout);
    bhttp::async_read_header(stream_, buffer_, *header_,
                             [self = shared_from_this()](beast::error_code ec, size_t) {
                               self->OnHeader(ec);
                             });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::errc::not_connected ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted)
      return Close();
    x_ = server_.handler_.NewExchange();
    x_->start = std::chrono::steady_clock::now();
    x_->remote_address = remote_;
    ++requests_;
    if (ec) {
      // Timed out or malformed: say so if the client still listens, then close.
      int status = ec == bhttp::error::header_limit ? 431
                   : ec == bhttp::error::body_limit ? 413
                                                    : 400;
      if (ec == beast::error::timeout) status = 408;
      server_.handler_.TransportError(*x_, status);
      x_->close = true;
      unread_body_ = true;
      return Write();
    }
    const auto& req = header_->get();
    x_->method = std::string(req.method_string());
    x_->target = std::string(req.target());
    for (const auto& field : req)
      x_->headers.emplace_back(std::string(field.name_string()),
                               std::string(field.value()));
    x_->body_follows = !header_->is_done();
    x_->declared_length = header_->content_length().value_or(0);
    keep_alive_ = header_->keep_alive();
    stream_.expires_never();  // the work may take long; the client waits
    asio::post(server_.workers_, [self = shared_from_this(), x = x_,
                                  guard = asio::make_work_guard(server_.ioc_)]() mutable {
      ExchangeHandler& handler = self->server_.handler_;
      try {
        handler.Admit(*x);
        if (x->admitted && !x->body_follows) handler.Respond(*x);
      } catch (...) {
        // The handler maps its own failures; this is the last line of defence.
        x->admitted = false;
        handler.TransportError(*x, 500);
      }
      // Not self->server_ in the call: the capture may move `self` first.
      asio::io_context& ioc = self->server_.ioc_;
      asio::post(ioc, [self = std::move(self)] { self->OnAdmitted(); });
    });
  }

  void OnAdmitted() {
    if (!x_->admitted || !x_->body_follows) {
      unread_body_ = x_->body_follows;
      return Write();
    }
    if (x_->declared_length > x_->body_limit) {
      x_->body_problem = Exchange::BodyProblem::kTooLarge;
      unread_body_ = true;
      return RespondAfterBody();
    }
    if (x_->body_plan == Exchange::BodyPlan::kFile) {
      std::error_code fs_ec;
      std::filesystem::create_directories(
          std::filesystem::path(x_->upload_path).parent_path(), fs_ec);
      upload_ = std::fopen(x_->upload_path.c_str(), "wb");
      if (!upload_) {
        x_->body_problem = Exchange::BodyProblem::kCannotStore;
        x_->upload_path.clear();
        unread_body_ = true;
        return RespondAfterBody();
      }
    }
    body_.emplace(std::move(*header_));
    body_->body_limit(boost::none);  // the plan's bound is kept below
    if (!chunk_) chunk_ = std::make_unique<char[]>(kChunk);
    if (EqualsIgnoreCase(x_->Header("Expect"), "100-continue")) {
      continue_ = std::make_unique<bhttp::response<bhttp::empty_body>>(
          bhttp::status::continue_, 11);
      stream_.expires_after(options().write_timeout);
      bhttp::async_write(stream_, *continue_,
                         [self = shared_from_this()](beast::error_code ec, size_t) {
                           if (ec) return self->Abandon();
                           self->ReadChunk();
                         });
      return;
    }
    ReadChunk();
  }

  void ReadChunk() {
    auto& body = body_->get().body();
    body.data = chunk_.get();
    body.size = kChunk;
    stream_.expires_after(options().read_timeout);
    bhttp::async_read(
        stream_, buffer_, *body_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnChunk(ec); });
  }

  void OnChunk(beast::error_code ec) {
    if (ec == bhttp::error::need_buffer) ec = {};
    size_t got = kChunk - body_->get().body().size;
    if (got > 0) Take(got);
    if (x_->body_problem != Exchange::BodyProblem::kNone) {
      unread_body_ = !body_->is_done();
      return RespondAfterBody();
    }
    if (ec) {
      // The client stopped sending: a broken or closed connection has nobody to
      // answer; a timeout is told that the body did not arrive whole.
      if (ec != beast::error::timeout) return Abandon();
      x_->body_problem = Exchange::BodyProblem::kIncomplete;
      unread_body_ = true;
      return RespondAfterBody();
    }
    if (body_->is_done()) return RespondAfterBody();
    ReadChunk();
  }

  // Keeps `n` bytes of the chunk just read as the plan says.
  void Take(size_t n) {
    x_->body_bytes += n;
    if (x_->body_bytes > x_->body_limit) {
      x_->body_problem = Exchange::BodyProblem::kTooLarge;
      return;
    }
    switch (x_->body_plan) {
      case Exchange::BodyPlan::kDrop:
        break;
      case Exchange::BodyPlan::kMemory:
        x_->body.append(chunk_.get(), n);
        break;
      case Exchange::BodyPlan::kFile:
        if (std::fwrite(chunk_.get(), 1, n, upload_) != n)
          x_->body_problem = Exchange::BodyProblem::kWriteFailed;
        break;
    }
  }

  // Closes the upload file (removing it unless the body arrived whole) and hands
  // the exchange to a worker for its answer.
  void RespondAfterBody() {
    if (upload_) {
      if (std::fclose(upload_) != 0 && x_->body_problem == Exchange::BodyProblem::kNone)
        x_->body_problem = Exchange::BodyProblem::kWriteFailed;
      upload_ = nullptr;
    }
    DropUploadUnlessWhole();
    stream_.expires_never();
    asio::post(server_.workers_, [self = shared_from_this(), x = x_,
                                  guard = asio::make_work_guard(server_.ioc_)]() mutable {
      try {
        self->server_.handler_.Respond(*x);
      } catch (...) {
        self->server_.handler_.TransportError(*x, 500);
      }
      asio::io_context& ioc = self->server_.ioc_;
      asio::post(ioc, [self = std::move(self)] { self->Write(); });
    });
  }

  void DropUploadUnlessWhole() {
    if (x_->upload_path.empty() || x_->body_problem == Exchange::BodyProblem::kNone)
      return;
    std::error_code ec;
    std::filesystem::remove(x_->upload_path, ec);
    x_->upload_path.clear();
  }

  // The connection broke while a body was arriving: nobody to answer.
  void Abandon() {
    if (upload_) {
      std::fclose(upload_);
      upload_ = nullptr;
    }
    if (x_ && !x_->upload_path.empty()) {
      std::error_code ec;
      std::filesystem::remove(x_->upload_path, ec);
    }
    Close();
  }

  void Write() {
    bool keep = keep_alive_ && !x_->close && !unread_body_ && !server_.stopping_ &&
                requests_ < options().keep_alive_max;
    response_ = std::make_unique<bhttp::response<bhttp::string_body>>();
    auto& res = *response_;
    res.version(11);
    res.result(static_cast<unsigned>(x_->status));
    for (const auto& [k, v] : x_->response_headers) res.insert(k, v);
    if (!x_->content_type.empty()) res.set(bhttp::field::content_type, x_->content_type);
    res.keep_alive(keep);
    if (x_->method == "HEAD") {
      res.content_length(x_->response_body.size());
    } else {
      res.body() = std::move(x_->response_body);
      res.prepare_payload();
    }
    x_.reset();
    stream_.expires_after(options().write_timeout);
    bhttp::async_write(stream_, res,
                       [self = shared_from_this(), keep](beast::error_code ec, size_t) {
                         self->response_.reset();
                         if (ec) return self->Close();
                         if (!keep) return self->Linger();
                         self->header_.reset();
                         self->body_.reset();
                         self->WaitForRequest();
                       });
  }

  // Ends the connection after an answer: our side first, then whatever the client
  // still sends is read and dropped for a moment, so the answer is not lost to a
  // reset while an unread body sits in our receive buffer.
  void Linger() {
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    if (!chunk_) chunk_ = std::make_unique<char[]>(kChunk);
    idle_ = true;  // a stopping server need not wait for it
    stream_.expires_after(kLinger);
    stream_.async_read_some(
        asio::buffer(chunk_.get(), kChunk),
        [self = shared_from_this()](beast::error_code read_ec, size_t) {
          if (read_ec) return self->Close();
          self->Linger();
        });
  }

  void Close() {
    boost::system::error_code ec;
    stream_.socket().close(ec);
  }

  Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string remote_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> header_;
  std::optional<bhttp::request_parser<bhttp::buffer_body>> body_;
  std::unique_ptr<char[]> chunk_;
  std::unique_ptr<bhttp::response<bhttp::empty_body>> continue_;
  std::unique_ptr<bhttp::response<bhttp::string_body>> response_;
  std::shared_ptr<Exchange> x_;
  std::FILE* upload_ = nullptr;
  int requests_ = 0;
  bool idle_ = false;
  bool keep_alive_ = false;
  bool unread_body_ = false;
};

void Transport::Impl::Stop() {
  asio::post(ioc_, [this] {
    if (stopping_) return;
    stopping_ = true;
    boost::system::error_code ec;
    acceptor_.close(ec);
    retry_.cancel();
    // Copy: closing a session may end it, which removes it from the set.
    std::vector<Session*> sessions(sessions_.begin(), sessions_.end());
    for (Session* s : sessions) s->Shutdown();
  });
}

void Transport::Impl::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (stopping_) return;
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      // Out of descriptors (or another passing failure): try again shortly
      // instead of spinning; the connections already held go on.
      if (ec == asio::error::no_descriptors || ec.value() == ENFILE)
        spdlog::warn(R"({"event":"accept_failed","reason":"out of file descriptors"})");
      retry_.expires_after(std::chrono::milliseconds(50));
      retry_.async_wait([this](boost::system::error_code wait_ec) {
        if (!wait_ec && !stopping_) Accept();
      });
      return;
    }
    boost::system::error_code opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);
    std::make_shared<Session>(*this, std::move(socket))->Start();
    Accept();
  });
}

Transport::Transport(ExchangeHandler& handler, TransportOptions options)
    : impl_(std::make_unique<Impl>(handler, std::move(options))) {}
Transport::~Transport() = default;
absl::StatusOr<int> Transport::Bind() { return impl_->Bind(); }
absl::Status Transport::Run() { return impl_->Run(); }
void Transport::Stop() { impl_->Stop(); }
int64_t Transport::OpenConnections() const { return impl_->OpenConnections(); }

}  // namespace gugus::http
