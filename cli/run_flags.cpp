// Flags of `wartburg run`, as `opa run --server` spells them, plus the few
// that configure the admission webhook and the authorization endpoint.
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>

#include "cli/run_command.h"

namespace wartburg::cli {

std::string run_usage() {
  return "Start the Wartburg policy server.\n\n"
         "Usage:\n  wartburg run --server [flags] [files, folders or bundles]\n\n"
         "Flags:\n"
         "  -s, --server                       start the server (required)\n"
         "  -a, --addr strings                 REST API listen address (default [localhost:8181])\n"
         "      --authz-addr string            authorization endpoint address (ext_authz HTTP, auth_request, ForwardAuth)\n"
         "      --authz-grpc-addr string       Envoy ext_authz gRPC v3 endpoint address (OPA-Envoy's is :9191)\n"
         "  -b, --bundle                       load paths as bundle files or root directories\n"
         "  -w, --watch                        reload policies and data when the files change\n"
         "      --tls-cert-file string         TLS certificate file (HTTPS on the REST API listeners)\n"
         "      --tls-private-key-file string  TLS private key file\n"
         "      --tls-ca-cert-file string      CA certificate: clients must present a certificate it signed (mTLS)\n"
         "      --authz-tls-cert-file string   TLS certificate of the authorization listeners (HTTP and gRPC)\n"
         "      --authz-tls-private-key-file s TLS private key of the authorization listeners\n"
         "      --authz-tls-ca-cert-file s     CA certificate: proxies must present a certificate it signed (mTLS)\n"
         "      --authz-grpc-dry-run           gRPC: allow every check; the real decision is logged\n"
         "      --authz-grpc-reflection        gRPC: serve server reflection (grpcurl list)\n"
         "      --authz-grpc-skip-body-parse   gRPC: no parsed_body / truncated_body in the input\n"
         "      --authz-grpc-max-recv-bytes n  gRPC: largest CheckRequest; larger: RESOURCE_EXHAUSTED (default 4194304)\n"
         "      --authentication string        off, token or tls (default \"off\")\n"
         "      --authorization string         off or basic: data.system.authz.allow decides (default \"off\")\n"
         "  -c, --config-file string           YAML configuration file\n"
         "      --set stringArray              override configuration values (key=value)\n"
         "  -l, --log-level string             debug, info, warn or error (default \"info\")\n"
         "      --log-format string            json or text (default \"json\")\n"
         "      --v0-compatible                accept Rego v0 modules\n"
         "      --capabilities string          capabilities file: builtins it does not list are disabled\n"
         "      --threads int                  I/O threads (default: one per core)\n"
         "      --eval-workers int             threads that evaluate requests (default: one per core)\n"
         "      --max-queue int                requests waiting for an evaluation thread; more get 503\n"
         "                                     (admission: the failure policy) (default: 64 per eval worker)\n"
         "      --max-body-bytes int           largest request body as received; larger: 413 (default 4194304)\n"
         "      --max-decoded-body-bytes int   largest request body after gzip decoding; larger: 413 (default 4194304)\n"
         "      --shutdown-grace-period int    seconds to let requests finish on SIGTERM (default 5)\n"
         "      --eval-timeout duration        deadline of one decision (default 5s; 0: none)\n"
         "      --max-eval-memory size         bytes of values one decision may build (default 512MiB; 0: unlimited)\n"
         "      --max-value-size size          bytes of one value a builtin may build (default 128MiB; 0: unlimited)\n"
         "      --admission-path string        admission webhook path (default \"/v1/admit\")\n"
         "      --admission-package string     admission policy package (default \"data.kubernetes.admission\")\n"
         "      --admission-failure-policy s   fail (deny on errors) or ignore (allow) (default \"fail\")\n"
         "      --authz-decision string        authorization decision (default \"data.envoy.authz.allow\")\n"
         "      --authz-forwarded-headers s    whose headers name the original request on --authz-addr:\n"
         "                                     none, envoy, nginx or traefik (default \"none\": the request itself)\n"
         "      --decision-log string          decision log destination: stdout or a file\n"
         "      --decision-log-max-bytes int   decision log bytes waiting to be written; more are dropped (default 16777216)\n"
         "      --decision-log-max-events int  decision log records waiting to be written (default 10000)\n"
         "      --ignore strings               file and folder names to skip when loading (e.g. '.*')\n"
         "  -h, --help                         help for run\n";
}

namespace {

using sidecar::ServerConfig;
using Setter = std::function<bool(ServerConfig&, const std::string&, std::ostream&)>;

bool one_of(const std::string& v, std::initializer_list<const char*> allowed, const std::string& flag,
            std::ostream& err) {
  for (const char* a : allowed) {
    if (v == a) return true;
  }
  err << "Error: invalid argument \"" << v << "\" for \"" << flag << "\" flag\n";
  return false;
}

// A byte size ("1048576", "64MiB") into `out`; false (with the error) otherwise.
bool bytes_flag(const std::string& flag, const std::string& v, uint64_t& out, std::ostream& e) {
  try {
    out = limits::parse_byte_size(v);
    return true;
  } catch (const std::invalid_argument& ex) {
    e << "Error: invalid argument \"" << v << "\" for \"" << flag << "\" flag: " << ex.what() << "\n";
    return false;
  }
}

// A non-negative integer flag value into `out`; false (with the error) otherwise.
template <class T>
bool count_flag(const std::string& flag, const std::string& v, T& out, std::ostream& e, bool positive = false) {
  try {
    size_t used = 0;
    long long n = std::stoll(v, &used);
    if (used != v.size() || n < 0 || (positive && n == 0) ||
        static_cast<unsigned long long>(n) > static_cast<unsigned long long>(std::numeric_limits<T>::max())) {
      throw std::invalid_argument(v);
    }
    out = static_cast<T>(n);
    return true;
  } catch (const std::exception&) {
    e << "Error: invalid argument \"" << v << "\" for \"" << flag << "\" flag\n";
    return false;
  }
}

const std::map<std::string, Setter>& valued_flags() {
  static const std::map<std::string, Setter> flags = {
      {"--authz-addr", [](ServerConfig& c, const std::string& v, std::ostream&) { c.authz_addr = v; return true; }},
      {"--authz-grpc-addr",
       [](ServerConfig& c, const std::string& v, std::ostream&) { c.authz_grpc_addr = v; return true; }},
      {"--authz-tls-cert-file",
       [](ServerConfig& c, const std::string& v, std::ostream&) { c.authz_tls_cert_file = v; return true; }},
      {"--authz-tls-private-key-file",
       [](ServerConfig& c, const std::string& v, std::ostream&) { c.authz_tls_key_file = v; return true; }},
      {"--authz-tls-ca-cert-file",
       [](ServerConfig& c, const std::string& v, std::ostream&) { c.authz_tls_ca_file = v; return true; }},
      {"--authz-grpc-max-recv-bytes", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         return count_flag("--authz-grpc-max-recv-bytes", v, c.authz_grpc_max_recv_bytes, e, true);
       }},
      {"--capabilities",
       [](ServerConfig& c, const std::string& v, std::ostream&) { c.capabilities_file = v; return true; }},
      {"--tls-cert-file", [](ServerConfig& c, const std::string& v, std::ostream&) { c.tls_cert_file = v; return true; }},
      {"--tls-private-key-file",
       [](ServerConfig& c, const std::string& v, std::ostream&) { c.tls_key_file = v; return true; }},
      {"--tls-ca-cert-file", [](ServerConfig& c, const std::string& v, std::ostream&) { c.tls_ca_file = v; return true; }},
      {"--authentication", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         c.authentication = v;
         return one_of(v, {"off", "token", "tls"}, "--authentication", e);
       }},
      {"--authorization", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         c.authorization = v;
         return one_of(v, {"off", "basic"}, "--authorization", e);
       }},
      {"--log-level", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         c.log_level = v;
         return one_of(v, {"debug", "info", "warn", "error"}, "--log-level", e);
       }},
      {"--log-format", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         c.log_format = v == "json-pretty" ? "json" : v;
         return one_of(c.log_format, {"json", "text"}, "--log-format", e);
       }},
      {"--threads", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         return count_flag("--threads", v, c.threads, e);
       }},
      {"--eval-workers", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         return count_flag("--eval-workers", v, c.eval_workers, e);
       }},
      {"--max-queue", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         return count_flag("--max-queue", v, c.max_queue, e);
       }},
      {"--eval-timeout", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         try {
           c.eval_timeout = v == "0" ? std::chrono::milliseconds(0) : sidecar::parse_duration(v);
           return true;
         } catch (const std::exception&) {
           e << "Error: invalid argument \"" << v << "\" for \"--eval-timeout\" flag: time: invalid duration\n";
           return false;
         }
       }},
      {"--max-eval-memory", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         return bytes_flag("--max-eval-memory", v, c.eval_max_memory, e);
       }},
      {"--max-value-size", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         return bytes_flag("--max-value-size", v, c.eval_max_value_size, e);
       }},
      {"--max-body-bytes", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         return count_flag("--max-body-bytes", v, c.max_body_bytes, e, true);
       }},
      {"--max-decoded-body-bytes", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         return count_flag("--max-decoded-body-bytes", v, c.max_decoded_body_bytes, e, true);
       }},
      {"--decision-log-max-bytes", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         return count_flag("--decision-log-max-bytes", v, c.decision_log_max_bytes, e, true);
       }},
      {"--decision-log-max-events", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         return count_flag("--decision-log-max-events", v, c.decision_log_max_events, e, true);
       }},
      {"--authz-forwarded-headers", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         c.authz_forwarded_headers = v;
         return one_of(v, {"none", "envoy", "nginx", "traefik"}, "--authz-forwarded-headers", e);
       }},
      {"--shutdown-grace-period", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         try {
           c.shutdown_grace = std::chrono::seconds(std::stoi(v));
           return true;
         } catch (const std::exception&) {
           e << "Error: invalid argument \"" << v << "\" for \"--shutdown-grace-period\" flag\n";
           return false;
         }
       }},
      {"--admission-path", [](ServerConfig& c, const std::string& v, std::ostream&) { c.admission_path = v; return true; }},
      {"--admission-package",
       [](ServerConfig& c, const std::string& v, std::ostream&) { c.admission_package = v; return true; }},
      {"--admission-failure-policy", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         c.admission_failure_policy = v;
         return one_of(v, {"fail", "ignore"}, "--admission-failure-policy", e);
       }},
      {"--authz-decision", [](ServerConfig& c, const std::string& v, std::ostream&) { c.authz_decision = v; return true; }},
      {"--decision-log", [](ServerConfig& c, const std::string& v, std::ostream&) { c.decision_log = v; return true; }},
      {"--ignore", [](ServerConfig& c, const std::string& v, std::ostream&) { c.ignore.push_back(v); return true; }},
      {"--set", [](ServerConfig& c, const std::string& v, std::ostream& e) {
         if (v == "decision_logs.console=true") {
           c.decision_log = "stdout";
           return true;
         }
         e << "Error: unsupported --set " << v << " (supported: decision_logs.console=true)\n";
         return false;
       }},
  };
  return flags;
}

const std::map<std::string, std::string>& short_flags() {
  static const std::map<std::string, std::string> m = {{"-a", "--addr"},   {"-b", "--bundle"}, {"-w", "--watch"},
                                                       {"-c", "--config-file"}, {"-l", "--log-level"},
                                                       {"-s", "--server"}};
  return m;
}

std::string canonical(const std::string& f) {
  auto it = short_flags().find(f);
  return it == short_flags().end() ? f : it->second;
}

}  // namespace

bool parse_run_flags(const std::vector<std::string>& args, ServerConfig& cfg, bool& server, std::ostream& err) {
  // the configuration file first, so that flags override it
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    std::string value;
    if (a.rfind("--config-file=", 0) == 0) {
      value = a.substr(14);
    } else if ((a == "--config-file" || a == "-c") && i + 1 < args.size()) {
      value = args[i + 1];
    } else {
      continue;
    }
    try {
      sidecar::load_config_file(value, cfg);
    } catch (const std::exception& e) {
      err << "Error: " << e.what() << "\n";
      return false;
    }
  }
  bool bundle = false;
  std::vector<std::string> paths, addrs;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    std::string value;
    bool has_value = false;
    if (a.rfind("--", 0) == 0 && a.find('=') != std::string::npos) {
      value = a.substr(a.find('=') + 1);
      a = a.substr(0, a.find('='));
      has_value = true;
    }
    a = canonical(a);
    if (a == "--server") {
      server = true;
    } else if (a == "--bundle") {
      bundle = true;
    } else if (a == "--watch") {
      cfg.watch = true;
    } else if (a == "--v0-compatible") {
      cfg.v0_compatible = true;
    } else if (a == "--authz-grpc-dry-run") {
      cfg.authz_grpc_dry_run = true;
    } else if (a == "--authz-grpc-reflection") {
      cfg.authz_grpc_reflection = true;
    } else if (a == "--authz-grpc-skip-body-parse") {
      cfg.authz_grpc_skip_body_parse = true;
    } else if (a == "--config-file") {
      if (!has_value) ++i;
    } else if (a == "--addr") {
      if (!has_value && i + 1 >= args.size()) {
        err << "Error: flag needs an argument: --addr\n";
        return false;
      }
      addrs.push_back(has_value ? value : args[++i]);
    } else if (auto it = valued_flags().find(a); it != valued_flags().end()) {
      if (!has_value) {
        if (i + 1 >= args.size()) {
          err << "Error: flag needs an argument: " << a << "\n";
          return false;
        }
        value = args[++i];
      }
      if (!it->second(cfg, value, err)) return false;
    } else if (!a.empty() && a[0] == '-') {
      err << "Error: unknown flag: " << args[i] << "\n";
      return false;
    } else {
      paths.push_back(args[i]);
    }
  }
  for (auto& p : paths) (bundle ? cfg.bundles : cfg.paths).push_back(p);
  if (!addrs.empty()) cfg.addrs = addrs;  // --addr replaces the default and the file's
  if (!cfg.tls_cert_file.empty() != !cfg.tls_key_file.empty()) {
    err << "Error: --tls-cert-file and --tls-private-key-file must be given together\n";
    return false;
  }
  if (!cfg.authz_tls_cert_file.empty() != !cfg.authz_tls_key_file.empty()) {
    err << "Error: --authz-tls-cert-file and --authz-tls-private-key-file must be given together\n";
    return false;
  }
  if (cfg.authentication == "tls" && cfg.tls_ca_file.empty()) {
    err << "Error: --authentication=tls needs --tls-ca-cert-file\n";
    return false;
  }
  try {
    sidecar::validate_config(cfg);
  } catch (const std::exception& e) {
    err << "Error: " << e.what() << "\n";
    return false;
  }
  return true;
}

}  // namespace wartburg::cli
