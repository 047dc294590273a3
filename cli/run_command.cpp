// `wartburg run --server`: loads policies, data and bundles into the
// PolicyStore, starts the REST API (with the admission webhook on its path)
// and the authorization listener, reloads on changes with --watch, and stops
// gracefully on SIGTERM.
#include "cli/run_command.h"

#include "cli/capabilities.h"

#include <iostream>
#include <memory>
#include <thread>

#include "policy/loader.h"
#include "sidecar/admission.h"
#include "sidecar/auth.h"
#include "sidecar/authz.h"
#include "sidecar/bundle.h"
#include "sidecar/decision_log.h"
#include "sidecar/log.h"
#include "sidecar/metrics.h"
#include "sidecar/rest_api.h"
#include "sidecar/server.h"
#include "sidecar/store.h"

namespace wartburg::cli {

namespace {

using namespace wartburg::sidecar;

// Everything the configured paths and bundles hold, as one snapshot's content.
struct Loaded {
  std::map<std::string, SourceFile> modules;
  Value data = Value::empty_object();
  std::map<std::string, std::string> revisions;
};

Value merge_data(const Value& a, const Value& b) {
  if (!a.is_object() || !b.is_object()) return b;
  std::vector<std::pair<Value, Value>> out = a.entries();
  for (const auto& [k, v] : b.entries()) {
    bool merged = false;
    for (auto& kv : out) {
      if (kv.first == k) {
        kv.second = merge_data(kv.second, v);
        merged = true;
      }
    }
    if (!merged) out.emplace_back(k, v);
  }
  return Value::object(std::move(out));
}

Loaded load_everything(const ServerConfig& cfg) {
  Loaded l;
  if (!cfg.paths.empty()) {
    LoadOptions lo;
    lo.ignore = cfg.ignore;
    LoadedFiles files = wartburg::load_paths(cfg.paths, lo);
    for (auto& m : files.modules) l.modules[m.name] = m;
    l.data = files.data;
  }
  for (const auto& b : cfg.bundles) {
    Bundle bundle = load_bundle(b);
    for (auto& [id, src] : bundle.modules) l.modules[b + "/" + id] = src;
    l.data = merge_data(l.data, bundle.data);
    l.revisions[b] = bundle.revision;
  }
  return l;
}

std::string describe(const std::vector<ErrorInfo>& errors) {
  std::string s;
  for (const auto& e : errors) s += (s.empty() ? "" : "; ") + e.to_string();
  return s;
}

// Loads (or reloads) everything into the store; false on errors (logged).
bool load_into(PolicyStore& store, const ServerConfig& cfg, const Logger& log, Metrics& metrics) {
  try {
    Loaded l = load_everything(cfg);
    auto errors = store.replace_all(std::move(l.modules), std::move(l.data), std::move(l.revisions));
    if (!errors.empty()) {
      log.error("policies do not compile; keeping the active ones", {{"errors", describe(errors)}});
      metrics.count_reload(false);
      return false;
    }
  } catch (const Error& e) {
    log.error("cannot load policies", {{"error", e.what()}});
    metrics.count_reload(false);
    return false;
  } catch (const std::exception& e) {
    log.error("cannot load policies", {{"error", e.what()}});
    metrics.count_reload(false);
    return false;
  }
  metrics.count_reload(true);
  return true;
}

ListenerConfig listener(const ServerConfig& cfg, const std::string& addr) {
  ListenerConfig l;
  l.addr = addr;
  l.tls_cert_file = cfg.tls_cert_file;
  l.tls_key_file = cfg.tls_key_file;
  l.tls_ca_file = cfg.tls_ca_file;
  l.max_body_bytes = cfg.max_body_bytes;
  l.read_timeout = cfg.read_timeout;
  return l;
}

// The REST API with the admission webhook mounted on its path.
Handler api_handler(PolicyStore& store, Metrics& metrics, DecisionLog* dlog, const ServerConfig& cfg) {
  RestApiOptions ro;
  ro.default_decision = cfg.default_decision;
  ro.eval_timeout = cfg.eval_timeout;
  Handler rest = make_rest_api(store, &metrics, dlog, ro);
  AdmissionOptions ao;
  ao.package = cfg.admission_package;
  ao.failure_policy = cfg.admission_failure_policy;
  ao.timeout = cfg.eval_timeout;
  ao.route = cfg.admission_path;
  Handler admit = make_admission_handler(store, &metrics, dlog, ao);
  std::string path = cfg.admission_path;
  Handler routed = [rest, admit, path](const Request& r) { return r.path == path ? admit(r) : rest(r); };
  return with_api_auth(routed, store, AuthOptions{cfg.authentication, cfg.authorization});
}

int serve(const ServerConfig& cfg, std::ostream& err) {
  Logger log(cfg.log_level, cfg.log_format);
  Metrics metrics;
  CompileOptions co;
  co.v0_compatible = cfg.v0_compatible;
  co.disabled_builtins.insert(cfg.disabled_builtins.begin(), cfg.disabled_builtins.end());
  if (!cfg.capabilities_file.empty()) {
    try {
      auto off = disabled_by_capabilities(cfg.capabilities_file);
      co.disabled_builtins.insert(off.begin(), off.end());
    } catch (const std::exception& e) {
      err << "Error: " << e.what() << "\n";
      return 1;
    }
  }
  PolicyStore store(co);
  if (!load_into(store, cfg, log, metrics)) {
    err << "Error: the policies could not be loaded (see the log above)\n";
    return 1;
  }
  std::unique_ptr<DecisionLog> dlog;
  if (!cfg.decision_log.empty()) {
    DecisionLogConfig dc;
    dc.destination = cfg.decision_log;
    dc.mask = cfg.decision_log_mask;
    dlog = std::make_unique<DecisionLog>(std::move(dc));
  }

  int threads = cfg.threads > 0 ? cfg.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  HttpServer server(threads);
  try {
    Handler api = api_handler(store, metrics, dlog.get(), cfg);
    for (const auto& addr : cfg.addrs) {
      int port = server.listen(listener(cfg, addr), api);
      log.info("server listening", {{"addr", addr}, {"port", std::to_string(port)}});
    }
    if (!cfg.authz_addr.empty()) {
      AuthzOptions zo;
      zo.decision = cfg.authz_decision;
      zo.timeout = cfg.eval_timeout;
      int port = server.listen(listener(cfg, cfg.authz_addr), make_authz_handler(store, &metrics, dlog.get(), zo));
      log.info("authorization endpoint listening", {{"addr", cfg.authz_addr}, {"port", std::to_string(port)}});
    }
  } catch (const std::exception& e) {
    err << "Error: " << e.what() << "\n";
    return 1;
  }

  std::unique_ptr<PathWatcher> watcher;
  if (cfg.watch) {
    std::vector<std::string> watched = cfg.paths;
    watched.insert(watched.end(), cfg.bundles.begin(), cfg.bundles.end());
    watcher = std::make_unique<PathWatcher>(watched, cfg.watch_interval, [&] {
      if (load_into(store, cfg, log, metrics)) log.info("policies reloaded");
    });
  }
  server.run(true);
  if (watcher) watcher->stop();
  if (dlog) dlog->flush();
  log.info("server stopped");
  return 0;
}

}  // namespace

int run_run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      out << run_usage();
      return 0;
    }
  }
  ServerConfig cfg;
  bool server = false;
  if (!parse_run_flags(args, cfg, server, err)) return 1;
  if (!server) {
    err << "Error: the interactive shell is not supported; use `wartburg run --server`\n";
    return 1;
  }
  return serve(cfg, err);
}

}  // namespace wartburg::cli
