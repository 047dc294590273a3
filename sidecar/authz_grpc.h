// Envoy's external authorization over gRPC (envoy.service.auth.v3.Authorization
// /Check), as OPA-Envoy serves it: the CheckRequest becomes OPA-Envoy's input
// document (protojson attributes plus parsed_path, parsed_query, parsed_body,
// truncated_body, version), the configured decision is evaluated, and its
// result (a boolean or an object: allowed, headers, request_headers_to_remove,
// response_headers_to_add, body, http_status, dynamic_metadata,
// query_parameters_to_set, query_parameters_to_remove) becomes the
// CheckResponse. An evaluation error is a gRPC error status, never an allow.
//
// The server (GrpcAuthzServer) is grpc++'s, on a listener of its own, with
// its own TLS/mTLS settings, grpc.health.v1.Health and optional reflection.
// Only sidecar/grpc/*.cpp include the generated protobuf and gRPC headers.
//
// grpc++, protobuf and abseil are some 50 shared libraries whose loading
// would triple the start-up time of every `wartburg` command. So the gRPC
// code is a module of its own, libwartburg_authz_grpc.so, next to the binary,
// loaded (dlopen) only when a gRPC listener starts; it uses the engine in the
// executable (which exports its symbols). Test programs link it in directly.
#pragma once

#include <cstddef>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "policy/value.h"
#include "sidecar/authz.h"
#include "sidecar/decision_log.h"
#include "sidecar/metrics.h"
#include "sidecar/store.h"

namespace envoy::service::auth::v3 {
class CheckRequest;
class CheckResponse;
}  // namespace envoy::service::auth::v3

namespace wartburg::sidecar {

struct GrpcAuthzOptions {
  std::string addr = "localhost:9191";  // "host:port", ":port" (all interfaces); port 0: any free port
  std::string decision = "data.envoy.authz.allow";  // OPA-Envoy's `path` (envoy/authz/allow) in Rego form
  EvalLimits limits;
  bool dry_run = false;             // allow everything; the real decision is logged
  bool enable_reflection = false;   // grpc.reflection.v1alpha.ServerReflection
  bool skip_body_parse = false;     // no parsed_body (OPA-Envoy skip-request-body-parse)
  size_t max_recv_msg_bytes = 4 << 20;  // larger CheckRequests: RESOURCE_EXHAUSTED
  size_t max_send_msg_bytes = 4 << 20;
  int eval_workers = 1;             // threads that evaluate (gRPC's own threads only receive and send)
  size_t max_queue = 64;            // checks waiting for a worker; more: RESOURCE_EXHAUSTED
  // TLS: cert and key -> TLS; with ca_file as well, clients must present a
  // certificate signed by that CA (mutual TLS). Separate from the REST API's.
  std::string tls_cert_file, tls_key_file, tls_ca_file;
};

// A CheckRequest whose path, query or body cannot be parsed (OPA-Envoy's
// request_parse_error: denied with HTTP 400, not an RPC error).
struct GrpcRequestParseError : std::runtime_error {
  explicit GrpcRequestParseError(const std::string& what) : std::runtime_error(what) {}
};

// OPA-Envoy's input document for a CheckRequest (exposed for tests and tools).
// Throws GrpcRequestParseError.
Value grpc_authz_input(const envoy::service::auth::v3::CheckRequest& req, bool skip_body_parse = false);

// input.attributes by protobuf reflection over every field (undefined without
// attributes): the reference the fast mapping in grpc_authz_input must equal
// (checked by the fuzz target and tests).
Value grpc_authz_attributes_reference(const envoy::service::auth::v3::CheckRequest& req);

// The outcome of one Check: `ok` false means the RPC fails with gRPC status
// `code` and `message` (an evaluation error, an illegal decision).
struct GrpcCheckOutcome {
  bool ok = true;
  int code = 0;
  std::string message;
};

// Evaluates one Check against the store's current snapshot, records metrics
// and a decision log entry, fills `resp` (exposed for tests; the server calls
// it). Thread-safe.
GrpcCheckOutcome grpc_authz_check(PolicyStore& store, Metrics* metrics, DecisionLog* log, const GrpcAuthzOptions& opts,
                                  const envoy::service::auth::v3::CheckRequest& req,
                                  envoy::service::auth::v3::CheckResponse& resp, const std::string& peer = {});

// What the module provides (its factory: wartburg_grpc_authz_create).
class GrpcAuthzBackend {
 public:
  virtual ~GrpcAuthzBackend() = default;
  virtual int start() = 0;
  virtual void shutdown(std::chrono::milliseconds grace) = 0;
};

extern "C" GrpcAuthzBackend* wartburg_grpc_authz_create(PolicyStore* store, Metrics* metrics, DecisionLog* log,
                                                        const GrpcAuthzOptions* opts);

class GrpcAuthzServer {
 public:
  // `metrics` and `log` may be null; store, metrics and log must outlive the server.
  GrpcAuthzServer(PolicyStore& store, Metrics* metrics, DecisionLog* log, GrpcAuthzOptions opts);
  ~GrpcAuthzServer();
  GrpcAuthzServer(const GrpcAuthzServer&) = delete;
  GrpcAuthzServer& operator=(const GrpcAuthzServer&) = delete;

  // Binds and serves (on gRPC's own threads); returns the bound port. Throws
  // std::runtime_error naming the address or the TLS file that failed, or
  // the module that cannot be loaded.
  int start();
  // Stops accepting, lets calls in flight finish (up to `grace`), then cancels the rest.
  void shutdown(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

 private:
  PolicyStore& store_;
  Metrics* metrics_;
  DecisionLog* log_;
  GrpcAuthzOptions opts_;
  std::unique_ptr<GrpcAuthzBackend> backend_;
};

}  // namespace wartburg::sidecar
