// Configuration file reading (YAML via parse_yaml) and Go-style durations.
#include "sidecar/config.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <thread>
#include <sstream>
#include <stdexcept>

#include "policy/json.h"
#include "policy/value.h"

namespace wartburg::sidecar {

std::chrono::milliseconds parse_duration(const std::string& text) {
  if (text.empty()) throw std::invalid_argument("empty duration");
  double total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (start == i) throw std::invalid_argument("invalid duration " + text);
    double n = std::stod(text.substr(start, i - start));
    size_t u = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string unit = text.substr(u, i - u);
    double scale;
    if (unit == "ns") scale = 1e-6;
    else if (unit == "us" || unit == "µs") scale = 1e-3;
    else if (unit == "ms") scale = 1;
    else if (unit == "s") scale = 1000;
    else if (unit == "m") scale = 60000;
    else if (unit == "h") scale = 3600000;
    else throw std::invalid_argument("invalid duration " + text + ": unknown unit \"" + unit + "\"");
    total_ms += n * scale;
  }
  return std::chrono::milliseconds(static_cast<long long>(total_ms));
}

namespace {

const Value* at(const Value& v, std::initializer_list<const char*> path) {
  const Value* cur = &v;
  for (const char* k : path) {
    cur = cur->find(std::string_view(k));
    if (!cur) return nullptr;
  }
  return cur;
}

std::string str(const Value* v, const std::string& what) {
  if (!v->is_string()) throw std::runtime_error(what + " must be a string");
  return v->str();
}

void set_string(const Value& root, std::initializer_list<const char*> path, std::string& out) {
  if (const Value* v = at(root, path)) {
    std::string name;
    for (const char* k : path) name += (name.empty() ? "" : ".") + std::string(k);
    out = str(v, name);
  }
}

// A non-negative integer setting (a size or count); rejects other types.
void set_size(const Value& root, std::initializer_list<const char*> path, size_t& out) {
  const Value* v = at(root, path);
  if (!v) return;
  std::string name;
  for (const char* k : path) name += (name.empty() ? "" : ".") + std::string(k);
  int64_t n = 0;
  if (!v->is_number() || !v->to_int64(n) || n < 0) throw std::runtime_error(name + " must be a non-negative integer");
  out = static_cast<size_t>(n);
}

void set_int(const Value& root, std::initializer_list<const char*> path, int& out) {
  size_t n = 0;
  set_size(root, path, n);
  if (at(root, path)) {
    if (n > 4096) throw std::runtime_error("thread counts above 4096 are not supported");
    out = static_cast<int>(n);
  }
}

// A byte size: a non-negative integer, or a string with a unit ("64MiB", "1GB").
void set_bytes(const Value& root, std::initializer_list<const char*> path, uint64_t& out) {
  const Value* v = at(root, path);
  if (!v) return;
  std::string name;
  for (const char* k : path) name += (name.empty() ? "" : ".") + std::string(k);
  int64_t n = 0;
  if (v->is_number()) {
    if (!v->to_int64(n) || n < 0) throw std::runtime_error(name + " must be a non-negative integer or a size like \"64MiB\"");
    out = static_cast<uint64_t>(n);
    return;
  }
  try {
    out = limits::parse_byte_size(str(v, name));
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(name + ": " + e.what());
  }
}

void set_duration(const Value& root, std::initializer_list<const char*> path, std::chrono::milliseconds& out) {
  if (const Value* v = at(root, path)) {
    if (v->is_number()) {
      out = std::chrono::milliseconds(static_cast<long long>(v->as_double() * 1000));
    } else {
      out = parse_duration(str(v, "duration"));
    }
  }
}

std::vector<std::string> strings(const Value& v, const std::string& what) {
  std::vector<std::string> out;
  if (v.is_string()) return {v.str()};
  if (!v.is_array()) throw std::runtime_error(what + " must be a list of strings");
  for (const auto& s : v.items()) out.push_back(str(&s, what));
  return out;
}

bool boolean(const Value& v, const std::string& name) {
  if (!v.is_bool()) throw std::runtime_error(name + " must be true or false");
  return v.as_bool();
}

// OPA-Envoy's plugin section: the gRPC endpoint (default :9191) and its decision.
void apply_envoy_plugin(const Value& g, ServerConfig& cfg) {
  const std::string pre = "plugins.envoy_ext_authz_grpc.";
  if (!g.is_object()) {
    if (g.is_null()) {
      cfg.authz_grpc_addr = ":9191";
      return;
    }
    throw std::runtime_error("plugins.envoy_ext_authz_grpc must be a mapping");
  }
  cfg.authz_grpc_addr = ":9191";
  for (const auto& [key, v] : g.entries()) {
    const std::string k = key.is_string() ? key.str() : to_json(key);
    if (k == "addr") {
      cfg.authz_grpc_addr = str(&v, pre + k);
    } else if (k == "path") {
      cfg.authz_decision = opa_envoy_path_to_ref(str(&v, pre + k));
    } else if (k == "dry-run") {
      cfg.authz_grpc_dry_run = boolean(v, pre + k);
    } else if (k == "enable-reflection") {
      cfg.authz_grpc_reflection = boolean(v, pre + k);
    } else if (k == "skip-request-body-parse") {
      cfg.authz_grpc_skip_body_parse = boolean(v, pre + k);
    } else if (k == "grpc-max-recv-msg-size" || k == "grpc-max-send-msg-size") {
      int64_t n = 0;
      if (!v.is_number() || !v.to_int64(n) || n <= 0 || n > 2147483647) {
        throw std::runtime_error(pre + k + " must be a positive number of bytes (at most 2147483647)");
      }
      (k == "grpc-max-recv-msg-size" ? cfg.authz_grpc_max_recv_bytes : cfg.authz_grpc_max_send_bytes) = size_t(n);
    } else if (k == "enable-performance-metrics" || k == "grpc-request-duration-seconds-buckets") {
      // /metrics always has the decision counters and the evaluation histogram
    } else if (k == "query" || k == "proto-descriptor") {
      throw std::runtime_error(pre + k + " is not supported (use " + pre + "path; gRPC request bodies are not decoded)");
    } else {
      throw std::runtime_error("unknown key " + pre + k);
    }
  }
}

void apply(const Value& c, ServerConfig& cfg) {
  if (const Value* v = at(c, {"addr"})) cfg.addrs = strings(*v, "addr");
  set_string(c, {"authz_addr"}, cfg.authz_addr);
  set_string(c, {"tls", "cert_file"}, cfg.tls_cert_file);
  set_string(c, {"tls", "private_key_file"}, cfg.tls_key_file);
  set_string(c, {"tls", "ca_cert_file"}, cfg.tls_ca_file);
  set_int(c, {"server", "threads"}, cfg.threads);
  set_int(c, {"server", "eval_workers"}, cfg.eval_workers);
  set_size(c, {"server", "max_queue"}, cfg.max_queue);
  set_size(c, {"server", "max_body_bytes"}, cfg.max_body_bytes);
  set_size(c, {"server", "decoding", "max_length"}, cfg.max_body_bytes);  // OPA's key
  set_size(c, {"server", "decoding", "gzip", "max_length"}, cfg.max_decoded_body_bytes);
  set_duration(c, {"server", "read_timeout"}, cfg.read_timeout);
  set_duration(c, {"server", "shutdown_grace"}, cfg.shutdown_grace);
  set_string(c, {"authentication"}, cfg.authentication);
  set_string(c, {"authorization"}, cfg.authorization);
  if (const Value* v = at(c, {"policies"})) cfg.paths = strings(*v, "policies");
  if (const Value* v = at(c, {"bundles"})) cfg.bundles = strings(*v, "bundles");
  if (const Value* v = at(c, {"watch"}); v && v->is_bool()) cfg.watch = v->as_bool();
  if (const Value* v = at(c, {"builtins", "disabled"})) cfg.disabled_builtins = strings(*v, "builtins.disabled");
  set_string(c, {"capabilities"}, cfg.capabilities_file);
  set_string(c, {"default_decision"}, cfg.default_decision);
  set_string(c, {"admission", "path"}, cfg.admission_path);
  set_string(c, {"admission", "package"}, cfg.admission_package);
  set_string(c, {"admission", "failure_policy"}, cfg.admission_failure_policy);
  set_duration(c, {"eval_timeout"}, cfg.eval_timeout);
  set_bytes(c, {"eval_max_memory"}, cfg.eval_max_memory);
  set_bytes(c, {"eval_max_value_size"}, cfg.eval_max_value_size);
  set_string(c, {"authz", "decision"}, cfg.authz_decision);
  set_string(c, {"authz", "forwarded_headers"}, cfg.authz_forwarded_headers);
  set_string(c, {"authz_grpc_addr"}, cfg.authz_grpc_addr);
  set_string(c, {"authz_tls", "cert_file"}, cfg.authz_tls_cert_file);
  set_string(c, {"authz_tls", "private_key_file"}, cfg.authz_tls_key_file);
  set_string(c, {"authz_tls", "ca_cert_file"}, cfg.authz_tls_ca_file);
  if (const Value* g = at(c, {"plugins", "envoy_ext_authz_grpc"})) apply_envoy_plugin(*g, cfg);
  if (const Value* v = at(c, {"decision_logs", "console"}); v && v->is_true()) cfg.decision_log = "stdout";
  set_string(c, {"decision_logs", "file"}, cfg.decision_log);
  if (const Value* v = at(c, {"decision_logs", "mask"})) cfg.decision_log_mask = strings(*v, "decision_logs.mask");
  set_size(c, {"decision_logs", "reporting", "buffer_size_limit_events"}, cfg.decision_log_max_events);
  set_size(c, {"decision_logs", "reporting", "buffer_size_limit_bytes"}, cfg.decision_log_max_bytes);
  set_string(c, {"log", "level"}, cfg.log_level);
  set_string(c, {"log", "format"}, cfg.log_format);
}

}  // namespace

namespace {
int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }
}  // namespace

int resolved_io_threads(const ServerConfig& cfg) { return cfg.threads > 0 ? cfg.threads : cores(); }

int resolved_eval_workers(const ServerConfig& cfg) { return cfg.eval_workers > 0 ? cfg.eval_workers : cores(); }

size_t resolved_max_queue(const ServerConfig& cfg) {
  return cfg.max_queue > 0 ? cfg.max_queue : 64 * static_cast<size_t>(resolved_eval_workers(cfg));
}

std::string opa_envoy_path_to_ref(const std::string& path) {
  std::string ref = "data";
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string seg = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    start = slash == std::string::npos ? path.size() + 1 : slash + 1;
    if (seg.empty()) continue;
    bool digits = std::all_of(seg.begin(), seg.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
                  (seg.size() > 1 && (seg[0] == '-' || seg[0] == '+') &&
                   std::all_of(seg.begin() + 1, seg.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }));
    bool ident = (std::isalpha(static_cast<unsigned char>(seg[0])) || seg[0] == '_') &&
                 std::all_of(seg.begin(), seg.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    if (digits && seg.size() <= 18) {
      ref += "[" + std::to_string(std::stoll(seg)) + "]";
    } else if (ident) {
      ref += "." + seg;
    } else {
      ref += "[" + to_json(Value::string(seg)) + "]";
    }
  }
  return ref;
}

void validate_config(const ServerConfig& cfg) {
  if (cfg.max_body_bytes == 0) throw std::runtime_error("server.max_body_bytes must be positive");
  if (cfg.max_decoded_body_bytes == 0) throw std::runtime_error("server.decoding.gzip.max_length must be positive");
  if (cfg.decision_log_max_events == 0) {
    throw std::runtime_error("decision_logs.reporting.buffer_size_limit_events must be positive");
  }
  if (cfg.decision_log_max_bytes == 0) {
    throw std::runtime_error("decision_logs.reporting.buffer_size_limit_bytes must be positive");
  }
  const std::string& f = cfg.authz_forwarded_headers;
  if (f != "none" && f != "envoy" && f != "nginx" && f != "traefik") {
    throw std::runtime_error("authz.forwarded_headers must be none, envoy, nginx or traefik, not \"" + f + "\"");
  }
}

void load_config_file(const std::string& path, ServerConfig& cfg) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("config file " + path + ": cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  Value root;
  try {
    root = parse_yaml(ss.str());
  } catch (const ParseError& e) {
    throw std::runtime_error("config file " + path + ": " + e.what());
  }
  if (!root.is_object()) {
    if (root.is_null() || !root.defined()) return;
    throw std::runtime_error("config file " + path + ": the top level must be a mapping");
  }
  try {
    apply(root, cfg);
  } catch (const std::exception& e) {
    throw std::runtime_error("config file " + path + ": " + e.what());
  }
}

}  // namespace wartburg::sidecar
