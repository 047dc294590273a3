// ServerConfig: everything `wartburg run --server` is configured with, read
// from one YAML file (--config-file) and overridden by command-line flags.
// Every field is documented in README.md ("Configuration").
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "policy/limits.h"

namespace wartburg::sidecar {

struct ServerConfig {
  // listeners
  std::vector<std::string> addrs{"localhost:8181"};  // OPA REST API (+ admission webhook)
  std::string authz_addr;                            // authorization endpoint (HTTP); empty: none
  std::string authz_grpc_addr;                       // Envoy ext_authz gRPC endpoint; empty: none
  std::string tls_cert_file, tls_key_file, tls_ca_file;  // the REST API's TLS
  // TLS of the authorization listeners (HTTP and gRPC), set on its own: the
  // REST API's TLS does not apply there (the local proxy is the client)
  std::string authz_tls_cert_file, authz_tls_key_file, authz_tls_ca_file;
  int threads = 0;                                   // I/O threads; 0: one per core
  int eval_workers = 0;                              // evaluation threads; 0: one per core
  size_t max_queue = 0;                              // requests waiting for a worker; 0: 64 per worker
  size_t max_body_bytes = 4 << 20;                   // request body as received (server.decoding.max_length)
  size_t max_decoded_body_bytes = 4 << 20;           // after gzip is undone (server.decoding.gzip.max_length)
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds shutdown_grace{5000};

  // who may call the REST API
  std::string authentication = "off";  // off | token | tls
  std::string authorization = "off";   // off | basic (data.system.authz.allow decides)

  // policies and data
  std::vector<std::string> paths;      // files and folders (as `wartburg eval -d`)
  std::vector<std::string> bundles;    // bundle folders or .tar.gz files
  std::vector<std::string> ignore;     // --ignore patterns (e.g. ".*" for Kubernetes ConfigMap mounts)
  bool watch = false;                  // reload changed files
  std::chrono::milliseconds watch_interval{1000};
  bool v0_compatible = false;
  // builtins switched off (e.g. http.send, net.lookup_ip_addr, time.now_ns):
  // policies calling them fail to load with "builtin X is disabled by configuration"
  std::vector<std::string> disabled_builtins;
  std::string capabilities_file;  // OPA capabilities JSON: builtins it does not list are disabled

  // decisions
  std::string default_decision = "/system/main";  // POST /
  std::string admission_path = "/v1/admit";
  std::string admission_package = "data.kubernetes.admission";
  std::string admission_failure_policy = "fail";  // fail (deny) | ignore (allow)
  std::chrono::milliseconds eval_timeout{5000};   // per decision, all endpoints
  uint64_t eval_max_memory = EvalLimits::kDefaultMemoryBytes;   // bytes of values one decision may build
  uint64_t eval_max_value_size = EvalLimits::kDefaultValueBytes;  // bytes of one value a builtin may build
  std::string authz_decision = "data.envoy.authz.allow";
  std::string authz_forwarded_headers = "none";  // none | envoy | nginx | traefik (see authz.h)
  // the gRPC endpoint (OPA-Envoy's plugins.envoy_ext_authz_grpc keys)
  bool authz_grpc_dry_run = false;
  bool authz_grpc_reflection = false;
  bool authz_grpc_skip_body_parse = false;
  size_t authz_grpc_max_recv_bytes = 4 << 20;
  size_t authz_grpc_max_send_bytes = 2147483647;

  // decision logs
  std::string decision_log;                 // "": off, "stdout", or a file path
  std::vector<std::string> decision_log_mask;
  size_t decision_log_max_events = 10000;        // queued records (decision_logs.reporting.buffer_size_limit_events)
  size_t decision_log_max_bytes = 16 << 20;      // queued bytes (decision_logs.reporting.buffer_size_limit_bytes)

  // process log
  std::string log_level = "info";   // debug | info | warn | error
  std::string log_format = "json";  // json | text

  // Evaluation limits (deadline, memory, output sizes) are added here by the
  // evaluator's limits work; eval_timeout above is the wall-clock one.
};

// The thread and queue sizes the server will use (0 fields resolved).
int resolved_io_threads(const ServerConfig& cfg);
int resolved_eval_workers(const ServerConfig& cfg);
size_t resolved_max_queue(const ServerConfig& cfg);

// Checks values that flags and the file can get wrong together; throws
// std::runtime_error naming the setting.
void validate_config(const ServerConfig& cfg);

// OPA-Envoy's decision `path` ("envoy/authz/allow") as a Rego reference
// ("data.envoy.authz.allow"): empty segments dropped, integer segments
// indexes, others names (quoted where they are not identifiers).
std::string opa_envoy_path_to_ref(const std::string& path);

// The evaluation limits every endpoint applies to one decision.
inline EvalLimits eval_limits(const ServerConfig& c) {
  return EvalLimits{std::chrono::duration_cast<std::chrono::nanoseconds>(c.eval_timeout), c.eval_max_memory,
                    c.eval_max_value_size};
}

// Reads a YAML configuration file into `cfg` (fields not in the file keep
// their values). Throws std::runtime_error naming the file and the problem.
void load_config_file(const std::string& path, ServerConfig& cfg);

// "5s", "250ms", "1m30s" (Go durations); throws std::invalid_argument.
std::chrono::milliseconds parse_duration(const std::string& text);

}  // namespace wartburg::sidecar
