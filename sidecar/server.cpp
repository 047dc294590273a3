// HttpServer implementation: HTTP/1.1 over plain TCP or TLS with Boost.Beast
// and Boost.Asio. All Beast/Asio code of the sidecar lives in this one
// translation unit (the templates are heavy). One io_context is run by N
// I/O threads; each connection is a Session serialised on its own strand.
//
// Per connection: (TLS handshake) -> wait for the first byte of a request
// (idle_timeout, or read_timeout for the first request) -> read the header and
// body within read_timeout -> hand the request to a WorkerPool (the handler
// runs there, never on an I/O thread; a full queue is answered at once with
// the listener's overload response) -> the response is posted back to the
// session's strand -> write it -> repeat while keep-alive. Oversized bodies get 413, malformed requests 400, oversized
// headers 431; those responses close the connection after a lingering drain so
// that the client can read them. A client that is too slow is disconnected
// (like Go's net/http, which OPA uses).
// Beast speaks std::string_view (the flag only affects this translation unit).
#define BOOST_BEAST_USE_STD_STRING_VIEW 1

#include "sidecar/server.h"

#include "sidecar/worker_pool.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <csignal>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace wartburg::sidecar {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using beast::error_code;

namespace {

constexpr uint32_t kHeaderLimit = 1 << 20;  // Go's DefaultMaxHeaderBytes
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr size_t kLingerBytes = 16 << 20;
constexpr std::chrono::milliseconds kPollInterval{20};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) { return a.size() == b.size() && lower(a) == lower(b); }

std::string endpoint_text(const tcp::endpoint& ep) {
  auto addr = ep.address();
  std::string host = addr.to_string();
  if (addr.is_v6()) {
    if (addr.to_v6().is_v4_mapped()) {
      host = addr.to_v6().to_v4().to_string();
    } else {
      host = "[" + host + "]";
    }
  }
  return host + ":" + std::to_string(ep.port());
}

// Subject of the peer certificate in RFC 2253 form ("CN=client,O=Example"), as Go prints pkix.Name.
std::string peer_subject(SSL* ssl_handle) {
  X509* cert = SSL_get1_peer_certificate(ssl_handle);
  if (!cert) return {};
  std::string out;
  if (BIO* bio = BIO_new(BIO_s_mem())) {
    X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    if (len > 0 && data) out.assign(data, static_cast<size_t>(len));
    BIO_free(bio);
  }
  X509_free(cert);
  return out;
}

// True for errors that just mean "the peer went away or we closed the socket".
bool is_disconnect(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::operation_aborted ||
         ec == beast::error::timeout || ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == http::error::partial_message || ec == ssl::error::stream_truncated || ec == net::error::bad_descriptor ||
         ec == net::error::not_connected || ec.category() == net::error::get_ssl_category();
}

}  // namespace

// ---------------------------------------------------------------------------
// Server state shared by listeners and sessions.

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void request_stop() = 0;  // posted: close when idle, else after the current response
  virtual void force_close() = 0;   // posted: close the socket now
};

struct Listener {
  ListenerConfig cfg;
  Handler handler;
  std::unique_ptr<ssl::context> tls;  // null: plain TCP
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<net::steady_timer> retry;
};

struct ServerCore {
  // Declared before the io_context so that sessions destroyed with the
  // io_context can still unregister themselves.
  std::mutex mu;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;
  std::atomic<bool> stopping{false};
  std::atomic<bool> destroying{false};
  // Listeners own the TLS contexts that sessions use: they must outlive the
  // io_context (their sockets are released in ~ServerCore before it goes).
  std::vector<std::unique_ptr<Listener>> listeners;

  int threads;
  std::chrono::milliseconds signal_grace;
  net::io_context ioc;
  // Declared after the io_context: destroyed (and joined) before it, so that a
  // job finishing late can still post to it.
  std::unique_ptr<WorkerPool> eval_pool;
  std::unique_ptr<WorkerPool> control_pool;
  net::strand<net::io_context::executor_type> strand{net::make_strand(ioc)};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> guard;
  std::unique_ptr<net::signal_set> signals;
  std::unique_ptr<net::steady_timer> grace_timer;
  std::chrono::steady_clock::time_point grace_deadline;
  bool forced = false;

  explicit ServerCore(const ServerOptions& o)
      : threads(std::max(1, o.io_threads)),
        signal_grace(o.signal_grace),
        eval_pool(std::make_unique<WorkerPool>("eval", o.eval_workers, o.max_queue)),
        control_pool(std::make_unique<WorkerPool>("control", o.control_workers, o.control_queue)) {
    guard.emplace(net::make_work_guard(ioc));
  }
  ~ServerCore() {
    grace_timer.reset();
    signals.reset();
    for (auto& l : listeners) {
      l->acceptor.reset();
      l->retry.reset();
    }
    guard.reset();
  }

  void add_session(SessionBase* s, std::weak_ptr<SessionBase> w) {
    std::lock_guard<std::mutex> lock(mu);
    sessions.emplace(s, std::move(w));
  }
  void remove_session(SessionBase* s) {
    std::lock_guard<std::mutex> lock(mu);
    sessions.erase(s);
  }
  std::vector<std::shared_ptr<SessionBase>> live_sessions() {
    std::vector<std::shared_ptr<SessionBase>> out;
    std::lock_guard<std::mutex> lock(mu);
    for (auto& [_, w] : sessions) {
      if (auto s = w.lock()) out.push_back(std::move(s));
    }
    return out;
  }
  size_t session_count() {
    std::lock_guard<std::mutex> lock(mu);
    return sessions.size();
  }

  void accept(Listener* l);
  void on_accept(Listener* l, error_code ec, tcp::socket sock);
  void begin_stop(std::chrono::milliseconds grace);  // on strand
  void poll_grace();                                  // on strand
};

// ---------------------------------------------------------------------------
// One connection. Stream is beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>.

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  // Plain TCP.
  Session(ServerCore* srv, Listener* l, tcp::socket&& sock, std::string remote)
    requires(!kTls)
      : srv_(srv), l_(l), stream_(std::move(sock)), remote_(std::move(remote)) {}
  // TLS.
  Session(ServerCore* srv, Listener* l, tcp::socket&& sock, std::string remote)
    requires(kTls)
      : srv_(srv), l_(l), stream_(std::move(sock), *l->tls), remote_(std::move(remote)) {}

  ~Session() override { srv_->remove_session(this); }

  void start() {
    srv_->add_session(this, this->weak_from_this());
    // Stop may have begun between accept and registration.
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->begin(); });
  }

  void request_stop() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      self->stop_requested_ = true;
      if (self->state_ == State::Idle) self->close_now();
    });
  }

  void force_close() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] { self->close_now(); });
  }

 private:
  enum class State { Starting, Idle, Reading, Handling, Closing, Closed };

  tcp::socket& socket() { return beast::get_lowest_layer(stream_).socket(); }
  beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(stream_); }

  void begin() {
    if (srv_->stopping) return close_now();
    if constexpr (kTls) {
      tcp_layer().expires_after(l_->cfg.read_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](error_code ec) { self->on_handshake(ec); });
    } else {
      wait_request();
    }
  }

  void on_handshake(error_code ec) {
    if (ec) return close_now();
    if constexpr (kTls) subject_ = peer_subject(stream_.native_handle());
    wait_request();
  }

  bool tls_pending() {
    if constexpr (kTls) {
      return SSL_pending(stream_.native_handle()) > 0;
    } else {
      return false;
    }
  }

  // Waits for the first byte of the next request (idle phase).
  void wait_request() {
    if (srv_->stopping || stop_requested_) return close_graceful();
    state_ = State::Idle;
    if (buffer_.size() > 0 || tls_pending()) return read_header();
    tcp_layer().expires_after(first_ ? l_->cfg.read_timeout : l_->cfg.idle_timeout);
    stream_.async_read_some(buffer_.prepare(8192), [self = this->shared_from_this()](error_code ec, size_t n) {
      if (ec) return self->close_now();
      self->buffer_.commit(n);
      self->read_header();
    });
  }

  void read_header() {
    state_ = State::Reading;
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(static_cast<uint64_t>(l_->cfg.max_body_bytes));
    tcp_layer().expires_after(l_->cfg.read_timeout);  // whole request within read_timeout
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(error_code ec) {
    if (ec) return on_read_error(ec);
    auto& req = parser_->get();
    auto expect = req.find(http::field::expect);
    if (expect != req.end() && iequals(expect->value(), "100-continue") && !parser_->is_done()) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      http::async_write(stream_, *cont, [self = this->shared_from_this(), cont](error_code ec2, size_t) {
        if (ec2) return self->close_now();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    if (parser_->is_done()) return handle();
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](error_code ec, size_t) {
                       if (ec) return self->on_read_error(ec);
                       self->handle();
                     });
  }

  void on_read_error(error_code ec) {
    if (ec == http::error::body_limit) {
      return send_error(Response::error(413, "invalid_parameter", "request body too large"));
    }
    if (ec == http::error::header_limit) {
      return send_error(Response::text(431, "431 Request Header Fields Too Large"));
    }
    if (is_disconnect(ec) || ec.category() != http::make_error_code(http::error::bad_target).category()) {
      return close_now();
    }
    send_error(Response::text(400, "400 Bad Request"));
  }

  // Error responses close the connection: the rest of the request is unread.
  void send_error(Response r) {
    state_ = State::Closing;
    head_ = false;
    write(std::move(r), /*keep_alive=*/false, /*linger=*/true);
  }

  void handle() {
    state_ = State::Handling;
    auto& msg = parser_->get();
    auto req = std::make_shared<Request>();
    req->method = std::string(msg.method_string());
    head_ = msg.method() == http::verb::head;
    req->target = std::string(msg.target());
    std::string_view target = msg.target();
    size_t q = target.find('?');
    req->path = percent_decode(target.substr(0, q), false);
    if (q != std::string_view::npos) req->query = parse_query_string(target.substr(q + 1));
    req->headers.reserve(std::distance(msg.begin(), msg.end()));
    for (const auto& f : msg) req->headers.emplace_back(lower(f.name_string()), std::string(f.value()));
    req->body = std::move(msg.body());
    req->remote_addr = remote_;
    req->tls = kTls;
    req->client_subject = subject_;
    bool keep_alive = parser_->keep_alive();
    parser_.reset();

    // The handler runs on a worker; its response comes back to this strand.
    bool control = false;
    if (l_->cfg.control) {
      try {
        control = l_->cfg.control(*req);
      } catch (...) {
        control = false;
      }
    }
    WorkerPool& pool = control ? *srv_->control_pool : *srv_->eval_pool;
    auto self = this->shared_from_this();
    auto ex = stream_.get_executor();  // taken here, on the strand: the worker touches no stream state
    WorkerPool::Job job = [self, ex, req, keep_alive] {
      Response res = self->run_handler(*req);
      net::post(ex, [self, res = std::move(res), keep_alive]() mutable { self->finish(std::move(res), keep_alive); });
    };
    if (pool.try_submit(job)) return;
    Response res;
    try {
      res = l_->cfg.overload ? l_->cfg.overload(*req) : overloaded_response();
    } catch (...) {
      res = overloaded_response();
    }
    finish(std::move(res), keep_alive);
  }

  // On a worker thread.
  Response run_handler(const Request& req) {
    try {
      return l_->handler(req);
    } catch (const std::exception& e) {
      return Response::error(500, "internal_error", e.what());
    } catch (...) {
      return Response::error(500, "internal_error", "unknown error");
    }
  }

  // Back on the strand with the handler's response.
  void finish(Response res, bool keep_alive) {
    if (state_ == State::Closed) return;  // force-closed while the handler ran
    for (const auto& [k, v] : res.headers) {
      if (iequals(k, "connection") && iequals(v, "close")) keep_alive = false;
    }
    if (srv_->stopping || stop_requested_) keep_alive = false;
    write(std::move(res), keep_alive, /*linger=*/false);
  }

  void write(Response r, bool keep_alive, bool linger) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(r.status));
    for (auto& [k, v] : r.headers) {
      if (iequals(k, "content-length") || iequals(k, "connection") || iequals(k, "transfer-encoding")) continue;
      res->insert(k, v);
    }
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive);
    res->prepare_payload();
    if (head_) res->body().clear();  // HEAD: Content-Length of the body, but no body
    tcp_layer().expires_after(std::max(l_->cfg.read_timeout, std::chrono::milliseconds(30000)));
    http::async_write(stream_, *res, [self = this->shared_from_this(), res, keep_alive, linger](error_code ec, size_t) {
      if (ec) return self->close_now();
      if (!keep_alive) return linger ? self->close_linger() : self->close_graceful();
      self->first_ = false;
      self->wait_request();
    });
  }

  // Orderly close after a "Connection: close" response.
  void close_graceful() {
    if (state_ == State::Closed) return;
    state_ = State::Closing;
    if constexpr (kTls) {
      tcp_layer().expires_after(kLingerTime);
      stream_.async_shutdown([self = this->shared_from_this()](error_code) { self->close_now(); });
    } else {
      error_code ignored;
      socket().shutdown(tcp::socket::shutdown_send, ignored);
      close_now();
    }
  }

  // Close after an error response while the client may still be sending: stop
  // sending, then discard what arrives for a short while so that the kernel
  // does not reset the connection before the client has read the response.
  void close_linger() {
    if constexpr (kTls) {
      close_graceful();
    } else {
      state_ = State::Closing;
      error_code ignored;
      socket().shutdown(tcp::socket::shutdown_send, ignored);
      tcp_layer().expires_after(kLingerTime);
      drain();
    }
  }

  void drain() {
    drain_buf_.resize(16384);
    tcp_layer().async_read_some(net::buffer(drain_buf_), [self = this->shared_from_this()](error_code ec, size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > kLingerBytes || self->state_ == State::Closed) return self->close_now();
      self->drain();
    });
  }

  void close_now() {
    if (state_ == State::Closed) return;
    state_ = State::Closed;
    error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
  }

  ServerCore* srv_;
  Listener* l_;
  Stream stream_;
  std::string remote_;
  std::string subject_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::vector<char> drain_buf_;
  size_t drained_ = 0;
  State state_ = State::Starting;
  bool first_ = true;
  bool head_ = false;
  bool stop_requested_ = false;
};

// ---------------------------------------------------------------------------
// Accepting and stopping.

void ServerCore::accept(Listener* l) {
  l->acceptor->async_accept(net::make_strand(ioc),
                            [this, l](error_code ec, tcp::socket sock) { on_accept(l, ec, std::move(sock)); });
}

void ServerCore::on_accept(Listener* l, error_code ec, tcp::socket sock) {
  if (ec == net::error::operation_aborted || !l->acceptor->is_open()) return;
  if (stopping) {
    error_code ignored;
    sock.close(ignored);
    return;
  }
  if (ec) {
    // EMFILE and friends: back off briefly instead of spinning.
    l->retry->expires_after(std::chrono::milliseconds(50));
    l->retry->async_wait([this, l](error_code e) {
      if (!e && !stopping) accept(l);
    });
    return;
  }
  error_code ep_ec;
  auto ep = sock.remote_endpoint(ep_ec);
  std::string remote = ep_ec ? std::string() : endpoint_text(ep);
  sock.set_option(tcp::no_delay(true), ep_ec);
  if (l->tls) {
    std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(this, l, std::move(sock), std::move(remote))
        ->start();
  } else {
    std::make_shared<Session<beast::tcp_stream>>(this, l, std::move(sock), std::move(remote))->start();
  }
  accept(l);
}

void ServerCore::begin_stop(std::chrono::milliseconds grace) {
  if (stopping.exchange(true)) return;
  for (auto& l : listeners) {
    error_code ignored;
    if (l->acceptor) l->acceptor->close(ignored);
    if (l->retry) l->retry->cancel();
  }
  if (signals) {
    error_code ignored;
    signals->cancel(ignored);
  }
  for (auto& s : live_sessions()) s->request_stop();
  guard.reset();
  grace_deadline = std::chrono::steady_clock::now() + grace;
  grace_timer = std::make_unique<net::steady_timer>(strand);
  poll_grace();
}

// Polls until every session is gone; at the deadline closes what is left.
void ServerCore::poll_grace() {
  if (session_count() == 0) return;
  auto now = std::chrono::steady_clock::now();
  if (!forced && now >= grace_deadline) {
    forced = true;
    for (auto& s : live_sessions()) s->force_close();
  }
  // Sessions whose handler is still running on a worker stay registered after
  // the forced close; their late responses are dropped. Stop waiting for them.
  if (forced && now >= grace_deadline + kLingerTime) return;
  grace_timer->expires_after(kPollInterval);
  grace_timer->async_wait([this](error_code ec) {
    if (!ec) poll_grace();
  });
}

// ---------------------------------------------------------------------------
// Address parsing and binding.

namespace {

struct HostPort {
  std::string host;
  std::string port;
};

HostPort split_addr(const std::string& addr) {
  HostPort hp;
  if (!addr.empty() && addr[0] == '[') {
    size_t close = addr.find(']');
    if (close == std::string::npos) throw std::runtime_error("invalid listen address " + addr);
    hp.host = addr.substr(1, close - 1);
    if (close + 1 < addr.size()) {
      if (addr[close + 1] != ':') throw std::runtime_error("invalid listen address " + addr);
      hp.port = addr.substr(close + 2);
    }
  } else {
    size_t colon = addr.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("invalid listen address " + addr + ": missing port");
    hp.host = addr.substr(0, colon);
    hp.port = addr.substr(colon + 1);
  }
  if (hp.port.empty() || hp.port.find_first_not_of("0123456789") != std::string::npos || hp.port.size() > 5 ||
      std::stoi(hp.port) > 65535) {
    throw std::runtime_error("invalid listen address " + addr + ": bad port");
  }
  return hp;
}

using Strand = net::strand<net::io_context::executor_type>;

// The acceptor runs its completions on the server strand (serialised with stop).
std::unique_ptr<tcp::acceptor> bind_one(Strand& strand, const tcp::endpoint& ep, bool dual_stack, error_code& ec) {
  auto acc = std::make_unique<tcp::acceptor>(strand);
  acc->open(ep.protocol(), ec);
  if (ec) return nullptr;
  acc->set_option(net::socket_base::reuse_address(true), ec);
  if (dual_stack) {
    error_code ignored;
    acc->set_option(net::ip::v6_only(false), ignored);
  }
  acc->bind(ep, ec);
  if (ec) return nullptr;
  acc->listen(net::socket_base::max_listen_connections, ec);
  if (ec) return nullptr;
  return acc;
}

std::unique_ptr<tcp::acceptor> bind_addr(net::io_context& ioc, Strand& strand, const std::string& addr) {
  HostPort hp = split_addr(addr);
  auto port = static_cast<unsigned short>(std::stoi(hp.port));
  error_code ec;
  if (hp.host.empty()) {
    // All interfaces: IPv6 dual-stack when available, else IPv4.
    if (auto acc = bind_one(strand, tcp::endpoint(net::ip::address_v6::any(), port), true, ec)) return acc;
    if (auto acc = bind_one(strand, tcp::endpoint(net::ip::address_v4::any(), port), false, ec)) return acc;
    throw std::runtime_error("cannot listen on " + addr + ": " + ec.message());
  }
  std::vector<tcp::endpoint> eps;
  auto literal = net::ip::make_address(hp.host, ec);
  if (!ec) {
    eps.emplace_back(literal, port);
  } else {
    tcp::resolver resolver(ioc);
    auto results = resolver.resolve(hp.host, hp.port, tcp::resolver::passive | tcp::resolver::address_configured, ec);
    if (ec) throw std::runtime_error("cannot listen on " + addr + ": " + ec.message());
    for (const auto& r : results) eps.push_back(r.endpoint());
    // Prefer IPv4 ("localhost" -> 127.0.0.1, as Go does).
    std::stable_partition(eps.begin(), eps.end(), [](const tcp::endpoint& e) { return e.address().is_v4(); });
  }
  for (const auto& ep : eps) {
    if (auto acc = bind_one(strand, ep, false, ec)) return acc;
  }
  throw std::runtime_error("cannot listen on " + addr + ": " + (ec ? ec.message() : "no address"));
}

std::unique_ptr<ssl::context> make_tls(const ListenerConfig& cfg) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  error_code ec;
  ctx->use_certificate_chain_file(cfg.tls_cert_file, ec);
  if (ec) throw std::runtime_error("cannot load TLS certificate " + cfg.tls_cert_file + " for " + cfg.addr + ": " + ec.message());
  ctx->use_private_key_file(cfg.tls_key_file, ssl::context::pem, ec);
  if (ec) throw std::runtime_error("cannot load TLS key " + cfg.tls_key_file + " for " + cfg.addr + ": " + ec.message());
  if (!cfg.tls_ca_file.empty()) {
    ctx->load_verify_file(cfg.tls_ca_file, ec);
    if (ec) throw std::runtime_error("cannot load TLS CA " + cfg.tls_ca_file + " for " + cfg.addr + ": " + ec.message());
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(cfg.tls_ca_file.c_str())) {
      SSL_CTX_set_client_CA_list(ctx->native_handle(), names);
    }
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  return ctx;
}

}  // namespace

// ---------------------------------------------------------------------------
// Public interface.

struct HttpServer::Impl : ServerCore {
  using ServerCore::ServerCore;
};

namespace {
ServerOptions options_for(int threads) {
  ServerOptions o;
  o.io_threads = threads;
  o.eval_workers = threads;
  o.max_queue = 64 * static_cast<size_t>(std::max(1, threads));
  return o;
}
}  // namespace

Response overloaded_response() {
  Response r = Response::error(503, "server_overloaded", "too many requests are waiting for evaluation; try again later");
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

HttpServer::HttpServer(int threads) : impl_(std::make_unique<Impl>(options_for(threads))) {}

HttpServer::HttpServer(const ServerOptions& opts) : impl_(std::make_unique<Impl>(opts)) {}

HttpServer::~HttpServer() {
  impl_->destroying = true;
  impl_->stopping = true;
  impl_->ioc.stop();
  // Let running handlers finish (their responses are dropped), drop queued
  // ones; then pending handlers (and their sessions) go with the io_context.
  impl_->eval_pool->stop();
  impl_->control_pool->stop();
}

HttpServer::Stats HttpServer::stats() const {
  auto conv = [](const WorkerPool::Stats& s) {
    PoolStats p;
    p.workers = s.workers;
    p.busy = s.busy;
    p.queued = s.queued;
    p.max_queue = s.max_queue;
    p.accepted = s.accepted;
    p.rejected = s.rejected;
    return p;
  };
  Stats st;
  st.eval = conv(impl_->eval_pool->stats());
  st.control = conv(impl_->control_pool->stats());
  return st;
}

int HttpServer::listen(const ListenerConfig& cfg, Handler handler) {
  if (cfg.tls_cert_file.empty() != cfg.tls_key_file.empty()) {
    throw std::runtime_error("listener " + cfg.addr + ": TLS needs both a certificate and a key file");
  }
  auto l = std::make_unique<Listener>();
  l->cfg = cfg;
  l->handler = std::move(handler);
  if (!cfg.tls_cert_file.empty()) l->tls = make_tls(cfg);
  l->acceptor = bind_addr(impl_->ioc, impl_->strand, cfg.addr);
  l->retry = std::make_unique<net::steady_timer>(impl_->strand);
  int port = l->acceptor->local_endpoint().port();
  Listener* raw = l.get();
  impl_->listeners.push_back(std::move(l));
  net::post(impl_->strand, [impl = impl_.get(), raw] {
    if (!impl->stopping) impl->accept(raw);
  });
  return port;
}

void HttpServer::run(bool handle_signals) {
  Impl* impl = impl_.get();
  if (handle_signals && !impl->stopping) {
    // Installed before any worker runs: once a request is served, signals are handled.
    impl->signals = std::make_unique<net::signal_set>(impl->strand, SIGTERM, SIGINT);
    impl->signals->async_wait([impl](error_code ec, int) {
      if (!ec) impl->begin_stop(impl->signal_grace);
    });
  }
  std::vector<std::thread> workers;
  for (int i = 1; i < impl->threads; ++i) {
    workers.emplace_back([impl] { impl->ioc.run(); });
  }
  impl->ioc.run();
  for (auto& t : workers) t.join();
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  Impl* impl = impl_.get();
  if (impl->destroying) return;
  net::post(impl->strand, [impl, grace] { impl->begin_stop(grace); });
}

}  // namespace wartburg::sidecar
