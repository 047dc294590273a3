// The authorization endpoint handler (see authz.h): turns the incoming
// request (or the original request named by the configured proxy's
// forwarding headers) into OPA-Envoy's input document, evaluates the configured decision and maps
// the result to an HTTP answer as Envoy's ext_authz HTTP service expects it.
// Records metrics and a decision log entry per request.
#include "sidecar/authz.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <map>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "policy/engine.h"
#include "policy/error.h"
#include "policy/json.h"

namespace wartburg::sidecar {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string revision_text(const Snapshot& snap) {
  if (snap.revisions.size() == 1) return snap.revisions.begin()->second;
  std::string s;
  for (const auto& [name, rev] : snap.revisions) {
    if (!s.empty()) s += ',';
    s += name + ":" + rev;
  }
  return s;
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// The value of a header the proxy sets; nullptr when absent. A header sent
// more than once is ambiguous (a client copy next to the proxy's): refused.
const std::string* proxy_header(const Request& req, std::string_view name) {
  const std::string* found = nullptr;
  for (const auto& [k, v] : req.headers) {
    if (k != name) continue;
    if (found) throw AuthzInputError("header " + std::string(name) + " appears more than once");
    found = &v;
  }
  return found;
}

const std::string& required_header(const Request& req, std::string_view name, const std::string& mode) {
  const std::string* v = proxy_header(req, name);
  if (!v || v->empty()) {
    throw AuthzInputError("header " + std::string(name) + " is missing (authz forwarded headers: " + mode + ")");
  }
  return *v;
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string checked_method(const std::string& m, std::string_view from) {
  if (m.empty() || m.size() > 32 || !std::all_of(m.begin(), m.end(), is_token_char)) {
    throw AuthzInputError("header " + std::string(from) + " is not an HTTP method");
  }
  return m;
}

std::string checked_uri(const std::string& u, std::string_view from) {
  if (u.empty() || u.front() != '/' ||
      std::any_of(u.begin(), u.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; })) {
    throw AuthzInputError("header " + std::string(from) + " is not a request URI (an absolute path)");
  }
  return u;
}

// The last entry of X-Forwarded-For: the one the nearest proxy appended (the
// entries before it are whatever the client sent).
std::string last_forwarded_for(const std::string& xff) {
  size_t comma = xff.rfind(',');
  return trim(comma == std::string::npos ? std::string_view(xff) : std::string_view(xff).substr(comma + 1));
}

// "1.2.3.4:80" / "[::1]:80" -> address and port (port -1 when absent).
void split_host_port(std::string_view s, std::string& host, long& port) {
  port = -1;
  host = std::string(s);
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos) return;
    host = std::string(s.substr(1, close - 1));
    if (close + 1 < s.size() && s[close + 1] == ':') port = std::strtol(std::string(s.substr(close + 2)).c_str(), nullptr, 10);
    return;
  }
  size_t colon = s.rfind(':');
  if (colon != std::string_view::npos && s.find(':') == colon) {
    host = std::string(s.substr(0, colon));
    port = std::strtol(std::string(s.substr(colon + 1)).c_str(), nullptr, 10);
  }
}

Value socket_address(const std::string& address, long port) {
  ObjectBuilder sa;
  sa.add("address", Value::string(address));
  if (port >= 0) sa.add("portValue", Value::integer(port));
  ObjectBuilder a;
  a.add("socketAddress", sa.build());
  ObjectBuilder o;
  o.add("address", a.build());
  return o.build();
}

// The client: the TCP peer, or (behind a proxy) the address the proxy appended.
Value source_of(const Request& req, bool behind_proxy) {
  if (behind_proxy) {
    if (const std::string* xff = proxy_header(req, "x-forwarded-for")) {
      std::string addr = last_forwarded_for(*xff);
      if (!addr.empty()) return socket_address(addr, -1);
    }
  }
  if (req.remote_addr.empty()) return {};
  std::string host;
  long port;
  split_host_port(req.remote_addr, host, port);
  return socket_address(host, port);
}

Value parsed_path(std::string_view path) {
  std::string p = percent_decode(path, false);
  size_t b = p.find_first_not_of('/');
  p = b == std::string::npos ? std::string() : p.substr(b);
  std::vector<Value> segs;
  size_t start = 0;
  for (;;) {
    size_t slash = p.find('/', start);
    segs.push_back(Value::string(p.substr(start, slash == std::string::npos ? std::string::npos : slash - start)));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return Value::array(std::move(segs));
}

Value parsed_query(std::string_view qs) {
  std::map<std::string, std::vector<Value>> m;
  for (auto& [k, v] : parse_query_string(qs)) m[k].push_back(Value::string(v));
  ObjectBuilder o;
  for (auto& [k, vs] : m) o.add(k, Value::array(std::move(vs)));
  return o.build();
}

// ---- the decision ----

struct Decision {
  bool allowed = false;
  int status = 403;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

void add_headers(const Value& v, const char* field, std::vector<std::pair<std::string, std::string>>& out) {
  auto from_object = [&](const Value& obj) {
    for (const auto& [k, val] : obj.entries()) {
      std::string name = k.is_string() ? k.str() : to_json(k);
      if (val.is_string()) {
        out.emplace_back(name, val.str());
      } else if (val.is_array() || val.is_set()) {
        for (const Value& e : val.items()) {
          if (!e.is_string()) throw std::runtime_error("invalid value type for header '" + name + "'");
          out.emplace_back(name, e.str());
        }
      } else {
        throw std::runtime_error("type assertion error for header '" + name + "'");
      }
    }
  };
  if (v.is_object()) return from_object(v);
  if (v.is_array()) {
    for (const Value& e : v.items()) {
      if (!e.is_object()) throw std::runtime_error(std::string("type assertion error, expected ") + field + " to be of type 'object'");
      from_object(e);
    }
    return;
  }
  throw std::runtime_error(std::string("type assertion error, expected ") + field + " to be of type 'object'");
}

// OPA-Envoy's reading of a result; throws std::runtime_error for an illegal one.
Decision interpret(const Value& result) {
  Decision d;
  if (!result.defined()) return d;
  if (result.is_bool()) {
    d.allowed = result.as_bool();
    if (d.allowed) d.status = 200;
    return d;
  }
  if (!result.is_object()) {
    throw std::runtime_error(std::string("illegal value for policy evaluation result: ") + kind_name(result.kind()));
  }
  const Value* allowed = result.find("allowed");
  if (!allowed) throw std::runtime_error("unable to determine evaluation result due to missing \"allowed\" key");
  if (!allowed->is_bool()) {
    throw std::runtime_error("type assertion error, expected allowed to be of type 'boolean'");
  }
  d.allowed = allowed->as_bool();
  if (const Value* h = result.find("headers")) add_headers(*h, "headers", d.headers);
  if (const Value* h = result.find("response_headers_to_add")) add_headers(*h, "response_headers_to_add", d.headers);
  if (const Value* b = result.find("body")) {
    if (!b->is_string()) throw std::runtime_error("type assertion error, expected body to be of type 'string'");
    d.body = b->str();
  }
  if (const Value* s = result.find("http_status")) {
    int64_t code;
    if (!s->is_number() || !s->to_int64(code)) {
      throw std::runtime_error("type assertion error, expected http_status to be of type 'number'");
    }
    if (code < 100 || code > 599) throw std::runtime_error("invalid HTTP status code " + std::to_string(code));
    if (!d.allowed) d.status = int(code);
  }
  if (d.allowed) d.status = 200;
  return d;
}

struct Impl {
  PolicyStore& store;
  Metrics* metrics;
  DecisionLog* log;
  AuthzOptions opts;

  Response handle(const Request& req) const {
    Value input;
    AuthzEval ev;
    try {
      input = authz_input(req, opts);
    } catch (const std::exception& e) {
      ev.error = std::string("authz input: ") + e.what();
      ev.revision = authz_revision(store);
    }
    if (ev.error.empty()) ev = eval_authz(store, opts.decision, opts.limits, input);
    Value& result = ev.result;
    std::string& error = ev.error;
    double eval_s = ev.seconds;

    Decision d;
    if (error.empty()) {
      try {
        d = interpret(result);
      } catch (const std::exception& e) {
        error = e.what();
        d = Decision{};
      }
    }
    std::string outcome = !error.empty() ? "error" : !result.defined() ? "undefined" : d.allowed ? "allow" : "deny";
    if (metrics) {
      metrics->count_decision("authz", outcome);
      metrics->observe_eval(eval_s);
    }
    if (log) {
      DecisionRecord r;
      r.path = opts.decision;
      r.input = input;
      r.result = result;
      r.error = error;
      r.remote_addr = req.remote_addr;
      r.revision = ev.revision;
      r.eval_seconds = eval_s;
      log->log(std::move(r));
    }

    Response resp;
    resp.status = d.status;
    resp.headers = std::move(d.headers);
    if (!d.allowed) resp.body = std::move(d.body);
    return resp;
  }
};

}  // namespace

AuthzEval eval_authz(PolicyStore& store, const std::string& decision, const EvalLimits& limits, const Value& input) {
  AuthzEval ev;
  auto snap = store.current();
  ev.revision = revision_text(*snap);
  auto t0 = Clock::now();
  try {
    auto pq = snap->prepare(decision);
    EvalOptions eo = eval_options(limits);
    std::vector<QueryRow> rows = pq->eval(input, snap->data, eo);
    if (!rows.empty() && !rows[0].expressions.empty()) ev.result = rows[0].expressions[0].value;
  } catch (const Error& e) {
    ev.error = e.errors.empty() ? std::string(e.what()) : e.errors.front().code + ": " + e.errors.front().message;
  } catch (const std::exception& e) {
    ev.error = e.what();
  }
  ev.seconds = seconds_since(t0);
  return ev;
}

std::string authz_revision(PolicyStore& store) { return revision_text(*store.current()); }

bool valid_forwarded_headers(const std::string& mode) {
  return mode == "none" || mode == "envoy" || mode == "nginx" || mode == "traefik";
}

Value authz_input(const Request& req, const AuthzOptions& opts) {
  const std::string& mode = opts.forwarded_headers;
  if (!valid_forwarded_headers(mode)) throw AuthzInputError("unknown authz forwarded headers \"" + mode + "\"");
  // The original request: from the request itself (none, envoy) or from the
  // headers the named proxy sets (nginx, traefik). No other header is read.
  std::string method = req.method;
  std::string uri;
  if (mode == "nginx") {
    method = checked_method(required_header(req, "x-original-method", mode), "X-Original-Method");
    uri = checked_uri(required_header(req, "x-original-uri", mode), "X-Original-URI");
  } else if (mode == "traefik") {
    method = checked_method(required_header(req, "x-forwarded-method", mode), "X-Forwarded-Method");
    uri = checked_uri(required_header(req, "x-forwarded-uri", mode), "X-Forwarded-Uri");
  } else {
    uri = req.target;
    if (!opts.path_prefix.empty() && uri.compare(0, opts.path_prefix.size(), opts.path_prefix) == 0) {
      uri = uri.substr(opts.path_prefix.size());
    }
    if (uri.empty() || uri.front() != '/') uri.insert(uri.begin(), '/');
  }
  std::string path_only = uri.substr(0, uri.find_first_of("?#"));
  std::string query;
  if (size_t q = uri.find('?'); q != std::string::npos) {
    size_t hash = uri.find('#', q);
    query = uri.substr(q + 1, hash == std::string::npos ? std::string::npos : hash - q - 1);
  }
  bool behind_proxy = mode != "none";
  std::string host;
  if (mode == "traefik") {
    if (const std::string* h = proxy_header(req, "x-forwarded-host")) host = *h;
  }
  if (host.empty()) {
    if (const std::string* h = proxy_header(req, "host")) host = *h;
  }
  std::string scheme = req.tls ? "https" : "http";
  if (behind_proxy) {
    if (const std::string* p = proxy_header(req, "x-forwarded-proto"); p && !p->empty()) scheme = trim(*p);
  }

  std::map<std::string, std::string> hdrs;  // repeated headers are joined with ","
  for (const auto& [k, v] : req.headers) {
    auto [it, fresh] = hdrs.emplace(k, v);
    if (!fresh) it->second += "," + v;
  }
  ObjectBuilder hb;
  for (auto& [k, v] : hdrs) hb.add(k, Value::string(v));

  ObjectBuilder http;
  if (auto it = hdrs.find("x-request-id"); it != hdrs.end()) http.add("id", Value::string(it->second));
  http.add("method", Value::string(method));
  http.add("path", Value::string(uri));
  http.add("host", Value::string(host));
  http.add("scheme", Value::string(scheme));
  http.add("protocol", Value::string("HTTP/1.1"));
  http.add("headers", hb.build());
  http.add("body", Value::string(req.body));
  http.add("size", Value::string(std::to_string(req.body.size())));  // int64 in protojson is a string
  ObjectBuilder request;
  request.add("http", http.build());
  ObjectBuilder attributes;
  attributes.add("request", request.build());
  if (Value src = source_of(req, behind_proxy); src.defined()) attributes.add("source", src);

  Value parsed_body = Value::null();
  if (auto it = hdrs.find("content-type"); it != hdrs.end() && it->second.find("application/json") != std::string::npos &&
                                           !req.body.empty()) {
    try {
      parsed_body = parse_json(req.body);
    } catch (const std::exception&) {
      parsed_body = Value::null();  // not JSON after all (or over a parser limit): the raw body is still in attributes
    }
  }

  ObjectBuilder version;
  version.add("encoding", Value::string("protojson"));
  version.add("ext_authz", Value::string("v3"));

  ObjectBuilder in;
  in.add("attributes", attributes.build());
  in.add("parsed_path", parsed_path(path_only));
  in.add("parsed_query", parsed_query(query));
  in.add("parsed_body", parsed_body);
  in.add("truncated_body", Value::boolean(false));
  in.add("version", version.build());
  return in.build();
}

Handler make_authz_handler(PolicyStore& store, Metrics* metrics, DecisionLog* log, AuthzOptions opts) {
  auto impl = std::make_shared<Impl>(Impl{store, metrics, log, std::move(opts)});
  return observed([impl](const Request& req) { return impl->handle(req); }, metrics, impl->opts.route);
}

}  // namespace wartburg::sidecar
