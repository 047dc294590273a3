// `wartburg run --server`: loads policies, data and bundles into the
// PolicyStore, starts the REST API (with the admission webhook on its path)
// and the authorization listener, reloads on changes with --watch (keeping
// what the REST API wrote), and stops gracefully on SIGTERM. Wires the
// limits: evaluation pool and queue, body sizes, decision log buffer.
#include "cli/run_command.h"

#include "cli/capabilities.h"

#include <iostream>
#include <memory>
#include <thread>

#include "policy/loader.h"
#include "sidecar/admission.h"
#include "sidecar/auth.h"
#include "sidecar/authz.h"
#include "sidecar/authz_grpc.h"
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
    auto errors = store.replace_files(std::move(l.modules), std::move(l.data), std::move(l.revisions));
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

AdmissionOptions admission_options(const ServerConfig& cfg, bool validating) {
  AdmissionOptions ao;
  ao.package = cfg.admission_package;
  ao.failure_policy = cfg.admission_failure_policy;
  ao.limits = eval_limits(cfg);
  ao.route = cfg.admission_path;
  ao.validating = validating;
  ao.max_decoded_body_bytes = cfg.max_decoded_body_bytes;
  return ao;
}

// Which admission handler serves `path`: the admission path and ".../mutate"
// the mutating one, ".../validate" the validating one (never a patch).
enum class AdmitRoute { None, Mutate, Validate };
AdmitRoute admit_route(const std::string& path, const std::string& base) {
  if (path == base || path == base + "/mutate") return AdmitRoute::Mutate;
  if (path == base + "/validate") return AdmitRoute::Validate;
  return AdmitRoute::None;
}

// Cheap requests that run on the control pool: probes and metrics.
bool is_control_request(const Request& r) {
  if (r.method != "GET" && r.method != "HEAD") return false;
  return r.path == "/health" || r.path.rfind("/health/", 0) == 0 || r.path == "/metrics";
}

// The REST API with the admission webhook mounted on its path.
Handler api_handler(PolicyStore& store, Metrics& metrics, DecisionLog* dlog, const ServerConfig& cfg) {
  RestApiOptions ro;
  ro.default_decision = cfg.default_decision;
  ro.eval_limits = eval_limits(cfg);
  ro.max_decoded_body_bytes = cfg.max_decoded_body_bytes;
  if (dlog) {
    ro.plugin_status = [dlog] {
      DecisionLog::Stats st = dlog->stats();
      PluginStatus p;
      p.name = "decision_logs";
      p.state = st.failing ? "ERROR" : st.recently_dropped ? "WARN" : "OK";
      if (st.failing) p.message = "writing decision logs fails: " + st.last_error;
      else if (st.recently_dropped) p.message = "decision log records are being dropped: the buffer is full";
      ObjectBuilder d;
      d.add("written", Value::integer(static_cast<int64_t>(st.written)));
      d.add("dropped_buffer_full", Value::integer(static_cast<int64_t>(st.dropped_queue_full)));
      d.add("dropped_write_error", Value::integer(static_cast<int64_t>(st.dropped_write_error)));
      d.add("write_errors", Value::integer(static_cast<int64_t>(st.write_errors)));
      d.add("buffer_events", Value::integer(static_cast<int64_t>(st.queued)));
      d.add("buffer_bytes", Value::integer(static_cast<int64_t>(st.queued_bytes)));
      d.add("buffer_size_limit_events", Value::integer(static_cast<int64_t>(st.max_queue)));
      d.add("buffer_size_limit_bytes", Value::integer(static_cast<int64_t>(st.max_queue_bytes)));
      if (!st.last_error.empty()) d.add("last_error", Value::string(st.last_error));
      p.details = d.build();
      return std::vector<PluginStatus>{p};
    };
  }
  Handler rest = make_rest_api(store, &metrics, dlog, ro);
  Handler mutate = make_admission_handler(store, &metrics, dlog, admission_options(cfg, false));
  Handler validate = make_admission_handler(store, &metrics, dlog, admission_options(cfg, true));
  std::string base = cfg.admission_path;
  Handler routed = [rest, mutate, validate, base](const Request& r) {
    switch (admit_route(r.path, base)) {
      case AdmitRoute::Mutate: return mutate(r);
      case AdmitRoute::Validate: return validate(r);
      case AdmitRoute::None: break;
    }
    return rest(r);
  };
  AuthOptions auth;
  auth.authentication = cfg.authentication;
  auth.authorization = cfg.authorization;
  auth.limits = eval_limits(cfg);
  auth.max_decoded_body_bytes = cfg.max_decoded_body_bytes;
  return with_api_auth(routed, store, auth);
}

// /metrics gauges of the evaluation pools and counters of the decision log.
void register_gauges(Metrics& metrics, const HttpServer& server, const DecisionLog* dlog) {
  const HttpServer* srv = &server;
  metrics.add_callback("wartburg_eval_queue_length", "Requests waiting for an evaluation worker.", "gauge",
                       "{pool=\"eval\"}", [srv] { return double(srv->stats().eval.queued); });
  metrics.add_callback("wartburg_eval_queue_length", "Requests waiting for an evaluation worker.", "gauge",
                       "{pool=\"control\"}", [srv] { return double(srv->stats().control.queued); });
  metrics.add_callback("wartburg_eval_queue_capacity", "Requests that may wait for an evaluation worker.", "gauge",
                       "{pool=\"eval\"}", [srv] { return double(srv->stats().eval.max_queue); });
  metrics.add_callback("wartburg_eval_workers", "Evaluation worker threads.", "gauge", "{pool=\"eval\"}",
                       [srv] { return double(srv->stats().eval.workers); });
  metrics.add_callback("wartburg_eval_workers_busy", "Evaluation worker threads running a request.", "gauge",
                       "{pool=\"eval\"}", [srv] { return double(srv->stats().eval.busy); });
  if (!dlog) return;
  auto stat = [dlog](auto field) { return [dlog, field] { return double(field(dlog->stats())); }; };
  using S = DecisionLog::Stats;
  const char* dropped_help = "Decision log records dropped, by reason.";
  metrics.add_callback("wartburg_decision_logs_dropped_total", dropped_help, "counter", "{reason=\"buffer_full\"}",
                       stat([](const S& s) { return s.dropped_queue_full; }));
  metrics.add_callback("wartburg_decision_logs_dropped_total", dropped_help, "counter", "{reason=\"write_error\"}",
                       stat([](const S& s) { return s.dropped_write_error; }));
  metrics.add_callback("wartburg_decision_logs_write_errors_total", "Failed decision log writes.", "counter", "",
                       stat([](const S& s) { return s.write_errors; }));
  metrics.add_callback("wartburg_decision_logs_written_total", "Decision log records written.", "counter", "",
                       stat([](const S& s) { return s.written; }));
  metrics.add_callback("wartburg_decision_logs_buffer_bytes", "Bytes of decision log records waiting to be written.",
                       "gauge", "", stat([](const S& s) { return s.queued_bytes; }));
  metrics.add_callback("wartburg_decision_logs_buffer_events", "Decision log records waiting to be written.", "gauge",
                       "", stat([](const S& s) { return s.queued; }));
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
    dc.max_queue = cfg.decision_log_max_events;
    dc.max_queue_bytes = cfg.decision_log_max_bytes;
    dc.logger = &log;
    try {
      dlog = std::make_unique<DecisionLog>(std::move(dc));
    } catch (const std::exception& e) {
      err << "Error: " << e.what() << "\n";
      return 1;
    }
  }
  if (cfg.authentication != "off" && cfg.authorization == "off") {
    log.warn("--authentication without --authorization=basic restricts nothing (as in OPA): every request is served",
             {{"authentication", cfg.authentication}});
  }

  ServerOptions so;
  so.io_threads = resolved_io_threads(cfg);
  so.eval_workers = resolved_eval_workers(cfg);
  so.max_queue = resolved_max_queue(cfg);
  so.signal_grace = cfg.shutdown_grace;
  HttpServer server(so);
  register_gauges(metrics, server, dlog.get());
  std::unique_ptr<GrpcAuthzServer> grpc_authz;
  try {
    Handler api = api_handler(store, metrics, dlog.get(), cfg);
    ListenerConfig base = listener(cfg, "");
    AdmissionOptions mutate = admission_options(cfg, false), validate = admission_options(cfg, true);
    std::string admission_base = cfg.admission_path;
    Metrics* m = &metrics;
    base.overload = [m, mutate, validate, admission_base](const Request& r) {
      switch (admit_route(r.path, admission_base)) {
        case AdmitRoute::Mutate:
          m->count_overload(admission_base);
          return admission_overload_response(r, mutate);
        case AdmitRoute::Validate:
          m->count_overload(admission_base);
          return admission_overload_response(r, validate);
        case AdmitRoute::None: break;
      }
      m->count_overload("api");
      return overloaded_response();
    };
    base.control = is_control_request;
    for (const auto& addr : cfg.addrs) {
      ListenerConfig lc = base;
      lc.addr = addr;
      int port = server.listen(lc, api);
      log.info("server listening", {{"addr", addr}, {"port", std::to_string(port)}});
    }
    if (!cfg.authz_addr.empty()) {
      AuthzOptions zo;
      zo.decision = cfg.authz_decision;
      zo.limits = eval_limits(cfg);
      zo.forwarded_headers = cfg.authz_forwarded_headers;
      ListenerConfig lc = listener(cfg, cfg.authz_addr);
      lc.tls_cert_file = cfg.authz_tls_cert_file;  // the authorization listener's own TLS
      lc.tls_key_file = cfg.authz_tls_key_file;
      lc.tls_ca_file = cfg.authz_tls_ca_file;
      lc.overload = [m](const Request&) {
        m->count_overload("authz");
        return overloaded_response();
      };
      int port = server.listen(lc, make_authz_handler(store, &metrics, dlog.get(), zo));
      log.info("authorization endpoint listening", {{"addr", cfg.authz_addr},
                                                    {"port", std::to_string(port)},
                                                    {"forwarded_headers", cfg.authz_forwarded_headers}});
    }
    if (!cfg.authz_grpc_addr.empty()) {
      GrpcAuthzOptions go;
      go.addr = cfg.authz_grpc_addr;
      go.decision = cfg.authz_decision;
      go.limits = eval_limits(cfg);
      go.dry_run = cfg.authz_grpc_dry_run;
      go.enable_reflection = cfg.authz_grpc_reflection;
      go.skip_body_parse = cfg.authz_grpc_skip_body_parse;
      go.max_recv_msg_bytes = cfg.authz_grpc_max_recv_bytes;
      go.max_send_msg_bytes = cfg.authz_grpc_max_send_bytes;
      go.eval_workers = so.eval_workers;
      go.max_queue = so.max_queue;
      go.tls_cert_file = cfg.authz_tls_cert_file;
      go.tls_key_file = cfg.authz_tls_key_file;
      go.tls_ca_file = cfg.authz_tls_ca_file;
      grpc_authz = std::make_unique<GrpcAuthzServer>(store, &metrics, dlog.get(), go);
      int port = grpc_authz->start();
      log.info("authorization gRPC endpoint listening",
               {{"addr", cfg.authz_grpc_addr}, {"port", std::to_string(port)}, {"decision", cfg.authz_decision},
                {"dry_run", cfg.authz_grpc_dry_run ? "true" : "false"}, {"tls", go.tls_cert_file.empty() ? "off" : "on"}});
    }
  } catch (const std::exception& e) {
    err << "Error: " << e.what() << "\n";
    return 1;
  }
  log.info("evaluation pool", {{"eval_workers", std::to_string(so.eval_workers)},
                               {"max_queue", std::to_string(so.max_queue)},
                               {"io_threads", std::to_string(so.io_threads)}});

  std::unique_ptr<PathWatcher> watcher;
  if (cfg.watch) {
    std::vector<std::string> watched = cfg.paths;
    watched.insert(watched.end(), cfg.bundles.begin(), cfg.bundles.end());
    watcher = std::make_unique<PathWatcher>(watched, cfg.watch_interval, [&] {
      if (load_into(store, cfg, log, metrics)) log.info("policies reloaded");
    });
  }
  server.run(true);
  if (grpc_authz) grpc_authz->shutdown(cfg.shutdown_grace);
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
