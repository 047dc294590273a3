// Configuration file reading (YAML via parse_yaml) and Go-style durations.
#include "sidecar/config.h"

#include <fstream>
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

void apply(const Value& c, ServerConfig& cfg) {
  if (const Value* v = at(c, {"addr"})) cfg.addrs = strings(*v, "addr");
  set_string(c, {"authz_addr"}, cfg.authz_addr);
  set_string(c, {"tls", "cert_file"}, cfg.tls_cert_file);
  set_string(c, {"tls", "private_key_file"}, cfg.tls_key_file);
  set_string(c, {"tls", "ca_cert_file"}, cfg.tls_ca_file);
  if (const Value* v = at(c, {"server", "threads"}); v && v->is_int()) cfg.threads = static_cast<int>(v->as_int());
  if (const Value* v = at(c, {"server", "max_body_bytes"}); v && v->is_int()) {
    cfg.max_body_bytes = static_cast<size_t>(v->as_int());
  }
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
  set_string(c, {"authz", "decision"}, cfg.authz_decision);
  set_string(c, {"plugins", "envoy_ext_authz_grpc", "path"}, cfg.authz_decision);
  if (const Value* v = at(c, {"decision_logs", "console"}); v && v->is_true()) cfg.decision_log = "stdout";
  set_string(c, {"decision_logs", "file"}, cfg.decision_log);
  if (const Value* v = at(c, {"decision_logs", "mask"})) cfg.decision_log_mask = strings(*v, "decision_logs.mask");
  set_string(c, {"log", "level"}, cfg.log_level);
  set_string(c, {"log", "format"}, cfg.log_format);
}

}  // namespace

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
