// ServerConfig: everything `wartburg run --server` is configured with, read
// from one YAML file (--config-file) and overridden by command-line flags.
// Every field is documented in README.md ("Configuration").
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace wartburg::sidecar {

struct ServerConfig {
  // listeners
  std::vector<std::string> addrs{"localhost:8181"};  // OPA REST API (+ admission webhook)
  std::string authz_addr;                            // authorization endpoint; empty: none
  std::string tls_cert_file, tls_key_file, tls_ca_file;
  int threads = 0;                                   // worker threads; 0: one per core
  size_t max_body_bytes = 4 << 20;
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
  std::string authz_decision = "data.envoy.authz.allow";

  // decision logs
  std::string decision_log;                 // "": off, "stdout", or a file path
  std::vector<std::string> decision_log_mask;

  // process log
  std::string log_level = "info";   // debug | info | warn | error
  std::string log_format = "json";  // json | text
};

// Reads a YAML configuration file into `cfg` (fields not in the file keep
// their values). Throws std::runtime_error naming the file and the problem.
void load_config_file(const std::string& path, ServerConfig& cfg);

// "5s", "250ms", "1m30s" (Go durations); throws std::invalid_argument.
std::chrono::milliseconds parse_duration(const std::string& text);

}  // namespace wartburg::sidecar
