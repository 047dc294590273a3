// HttpServer: HTTP/1.1 over TCP or TLS (Boost.Beast + Asio + OpenSSL), with
// keep-alive, request limits and graceful shutdown. A few I/O threads read
// and write; handlers run on a separate evaluation pool with a bounded queue
// (WorkerPool), so a slow evaluation never stalls other connections, and a
// full queue is answered at once with an "overloaded" response. Each listener
// has its own handler (the REST API on one address, the authorization
// endpoint on another). Only server.cpp includes Beast.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "sidecar/http.h"

namespace wartburg::sidecar {

struct ListenerConfig {
  std::string addr = "localhost:8181";  // "host:port", ":port" (all interfaces), port 0 = any free port
  // TLS: both set -> HTTPS. With ca_file as well, clients must present a
  // certificate signed by that CA (mutual TLS); others are rejected in the handshake.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_ca_file;
  size_t max_body_bytes = 4 << 20;                  // larger bodies: 413
  std::chrono::milliseconds read_timeout{10000};    // a request must arrive within this: else 408 / close
  std::chrono::milliseconds idle_timeout{60000};    // keep-alive connections idle longer are closed
  // The answer for a request that finds the evaluation queue full. It runs on
  // an I/O thread: keep it cheap. Unset: 503 {"code": "server_overloaded", ...}.
  std::function<Response(const Request&)> overload;
  // Requests for which this is true (cheap ones: GET /health, /metrics) run on
  // a small pool of their own, so probes are answered while evaluations queue.
  // Unset: every request goes to the evaluation pool.
  std::function<bool(const Request&)> control;
};

struct ServerOptions {
  int io_threads = 1;      // threads that accept, read and write (shared by all listeners)
  int eval_workers = 1;    // threads that run the handlers
  size_t max_queue = 64;   // requests waiting for an evaluation worker; more: the overload answer
  int control_workers = 1;      // threads for ListenerConfig::control requests
  size_t control_queue = 256;   // requests waiting for a control worker
  std::chrono::milliseconds signal_grace{5000};  // grace of the stop that SIGTERM/SIGINT trigger
};

// The default overload answer: 503, Retry-After: 1, OPA's error shape.
Response overloaded_response();

class HttpServer {
 public:
  explicit HttpServer(int threads);  // `threads` I/O threads and as many evaluation workers
  explicit HttpServer(const ServerOptions& opts);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting (once run() is called); returns the bound port.
  // Throws std::runtime_error naming the address when it cannot bind or the
  // TLS files cannot be loaded.
  int listen(const ListenerConfig& cfg, Handler handler);

  // Serves until stop(); SIGTERM/SIGINT also trigger a graceful stop when
  // handle_signals is true. Returns when all connections are closed.
  void run(bool handle_signals = true);

  // Graceful stop: stop accepting, let requests in flight finish (up to
  // `grace`), then close remaining connections. Thread-safe; callable from a handler.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

  struct PoolStats {
    size_t workers = 0, busy = 0, queued = 0, max_queue = 0;
    uint64_t accepted = 0, rejected = 0;
  };
  struct Stats {
    PoolStats eval, control;
  };
  Stats stats() const;  // thread-safe

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wartburg::sidecar
