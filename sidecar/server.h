// HttpServer: HTTP/1.1 over TCP or TLS (Boost.Beast + Asio + OpenSSL), with
// keep-alive, a pool of worker threads, request limits and graceful shutdown.
// Each listener has its own handler (the REST API on one address, the
// authorization endpoint on another). Only server.cpp includes Beast.
#pragma once

#include <chrono>
#include <cstddef>
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
};

class HttpServer {
 public:
  explicit HttpServer(int threads);  // worker threads shared by all listeners
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wartburg::sidecar
