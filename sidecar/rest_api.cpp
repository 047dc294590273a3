// The REST API router (make_rest_api), the Health API, GET /metrics, and the
// helpers shared by the Data, Policy and Query API handlers: OPA's error
// shapes, body parsing, evaluation of a data path and decision recording.
#include "sidecar/rest_api.h"

#include <cctype>

#include "sidecar/body.h"
#include "sidecar/rest_api_internal.h"

namespace wartburg::sidecar {
namespace rest {

std::vector<std::string> split_path(std::string_view p) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    if (j > i) out.emplace_back(p.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

namespace {
bool is_integer_segment(const std::string& s) {
  if (s.empty() || s.size() > 18) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool is_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}
}  // namespace

std::string data_query(const std::vector<std::string>& path) {
  std::string q = "data";
  for (const auto& seg : path) {
    q += '[';
    q += is_integer_segment(seg) ? std::to_string(std::stoll(seg)) : to_json(Value::string(seg));
    q += ']';
  }
  return q;
}

std::string data_ref_text(const std::vector<std::string>& path) {
  std::string s = "data";
  for (const auto& seg : path) s += is_identifier(seg) ? "." + seg : "[" + to_json(Value::string(seg)) + "]";
  return s;
}

std::string join_slash(const std::vector<std::string>& path) {
  std::string s;
  for (const auto& seg : path) {
    if (!s.empty()) s += '/';
    s += seg;
  }
  return s;
}

std::string errors_json(const std::vector<ErrorInfo>& errors) {
  std::vector<Value> items;
  for (const auto& e : errors) {
    ObjectBuilder b;
    b.add("code", Value::string(e.code));
    b.add("message", Value::string(e.message));
    if (!e.file.empty() || e.row > 0) {
      ObjectBuilder loc;
      loc.add("file", Value::string(e.file));
      loc.add("row", Value::integer(e.row));
      loc.add("col", Value::integer(e.col));
      b.add("location", loc.build());
    }
    items.push_back(b.build());
  }
  return to_json(Value::array(std::move(items)));
}

Response engine_error(const Error& e) {
  bool parse = false, compile = false;
  for (const auto& info : e.errors) {
    if (info.code == "rego_parse_error") parse = true;
    else if (info.code.rfind("rego_", 0) == 0) compile = true;
  }
  if (parse) return Response::error(400, "invalid_parameter", kMsgParseQuery, errors_json(e.errors));
  if (compile) return Response::error(400, "invalid_parameter", kMsgCompileModule, errors_json(e.errors));
  return Response::error(500, "internal_error", kMsgEvaluation, errors_json(e.errors));
}

Response json_value(int status, const Value& body, bool pretty) {
  return Response::json(status, to_json(body, pretty ? 2 : 0));
}

Response no_content() {
  Response r;
  r.status = 204;
  return r;
}

Response method_not_allowed(std::string_view allow) {
  Response r = Response::error(405, "invalid_operation", "method not allowed");
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

std::string body_text(const Ctx& c, const Request& req) {
  try {
    return decoded_body(req, c.opts.max_decoded_body_bytes);
  } catch (const BodyDecodeError& e) {
    throw ParseError(e.what(), 0, 0);
  }
}

Value parse_body(const Ctx& c, const Request& req) {
  const std::string* ct = req.header("content-type");
  bool yaml = ct && ct->find("yaml") != std::string::npos;
  std::string text = body_text(c, req);
  return yaml ? parse_yaml(text) : parse_json(text);
}

Response bad_body(std::string_view what, const ParseError& e) {
  std::string msg(what);
  if (!msg.empty()) msg += ": ";
  msg += e.what();
  return Response::error(400, "invalid_parameter", msg);
}

Value eval_document(const Ctx& c, const Snapshot& snap, const std::vector<std::string>& path, const Value& input,
                    bool strict, Timings& t) {
  auto t0 = Clock::now();
  auto pq = snap.prepare(data_query(path));
  t.query_compile_ns = elapsed_ns(t0);
  EvalOptions eo = eval_options(c.opts.eval_limits);
  eo.strict_builtin_errors = strict;
  auto t1 = Clock::now();
  std::vector<QueryRow> rows = pq->eval(input, snap.data, eo);
  t.query_eval_ns = elapsed_ns(t1);
  if (rows.empty() || rows[0].expressions.empty()) return {};
  return rows[0].expressions[0].value;
}

namespace {

std::string outcome_of(const Value& result, const std::string& error) {
  if (!error.empty()) return "error";
  if (!result.defined()) return "undefined";
  const Value* v = &result;
  if (result.is_object()) {
    if (const Value* a = result.find("allowed")) v = a;
    else if (const Value* a2 = result.find("allow")) v = a2;
  }
  return v->is_false() ? "deny" : "allow";
}

std::string revision_text(const Snapshot& snap) {
  if (snap.revisions.size() == 1) return snap.revisions.begin()->second;
  std::string s;
  for (const auto& [name, rev] : snap.revisions) {
    if (!s.empty()) s += ',';
    s += name + ":" + rev;
  }
  return s;
}

}  // namespace

std::string record_decision(const Ctx& c, const Request& req, const Snapshot& snap, const std::vector<std::string>& path,
                            const Value& input, const Value& result, const std::string& error, double eval_seconds) {
  if (c.metrics) {
    c.metrics->count_decision("data", outcome_of(result, error));
    c.metrics->observe_eval(eval_seconds);
  }
  if (!c.log) return {};
  std::string id = new_decision_id();
  DecisionRecord r;
  r.decision_id = id;
  for (const auto& [name, rev] : snap.revisions) r.bundles.emplace_back(name, rev);
  r.path = join_slash(path);
  r.input = input;
  r.result = result;
  r.error = error;
  r.remote_addr = req.remote_addr;
  r.revision = revision_text(snap);
  r.eval_seconds = eval_seconds;
  c.log->log(std::move(r));
  return id;
}

Value metrics_value(const Timings& t, int64_t handler_ns) {
  ObjectBuilder b;
  if (t.input_parse_ns > 0) b.add("timer_rego_input_parse_ns", Value::integer(t.input_parse_ns));
  b.add("timer_rego_query_compile_ns", Value::integer(t.query_compile_ns));
  b.add("timer_rego_query_eval_ns", Value::integer(t.query_eval_ns));
  b.add("timer_server_handler_ns", Value::integer(handler_ns));
  return b.build();
}

namespace {

Response handle_health(const Ctx& c, const Request& req, std::string_view rest) {
  if (req.method != "GET") return method_not_allowed("GET");
  bool ready = !c.opts.bundles_ready || c.opts.bundles_ready();
  bool check = rest == "/ready" || req.flag("bundles") || req.flag("bundle") || req.flag("plugins");
  if (rest == "/live") check = false;
  else if (!rest.empty() && rest != "/ready") return Response::error(404, "resource_not_found", "unknown path");
  if (check && !ready) {
    ObjectBuilder b;
    b.add("error", Value::string("not all configured bundles have been activated"));
    return json_value(500, b.build(), false);
  }
  if (req.flag("plugins") && c.opts.plugin_status) {
    // {"plugins": {name: {"state": ..., "message": ..., details...}}}; 500 with
    // OPA's error text when one is in state ERROR.
    ObjectBuilder plugins;
    bool down = false;
    for (const auto& p : c.opts.plugin_status()) {
      ObjectBuilder one;
      one.add("state", Value::string(p.state));
      if (!p.message.empty()) one.add("message", Value::string(p.message));
      if (p.details.is_object()) {
        for (const auto& [k, v] : p.details.entries()) one.add(k.is_string() ? k.str() : to_json(k), v);
      }
      plugins.add(p.name, one.build());
      if (p.state == "ERROR") down = true;
    }
    ObjectBuilder b;
    if (down) b.add("error", Value::string("one or more plugins are not up"));
    b.add("plugins", plugins.build());
    return json_value(down ? 500 : 200, b.build(), false);
  }
  if (req.flag("bundles") || req.flag("bundle")) {
    // the active bundle revisions, so a rollout can be checked: {"bundles": {name: {"revision": ...}}}
    auto snap = c.store.current();
    if (!snap->revisions.empty()) {
      ObjectBuilder bundles;
      for (const auto& [name, revision] : snap->revisions) {
        ObjectBuilder one;
        one.add("revision", Value::string(revision));
        bundles.add(name, one.build());
      }
      ObjectBuilder b;
      b.add("bundles", bundles.build());
      return json_value(200, b.build(), false);
    }
  }
  return Response::json(200, "{}");
}

Response handle_metrics(const Ctx& c, const Request& req) {
  if (req.method != "GET") return method_not_allowed("GET");
  std::string body = c.metrics ? c.metrics->render() : std::string();
  return Response::text(200, std::move(body), "text/plain; version=0.0.4; charset=utf-8");
}

// "/v1/data/a/b" with prefix "/v1/data" -> true and rest "/a/b"; false for "/v1/database".
bool route(std::string_view path, std::string_view prefix, std::string_view& rest) {
  if (path.substr(0, prefix.size()) != prefix) return false;
  std::string_view r = path.substr(prefix.size());
  if (!r.empty() && r[0] != '/') return false;
  rest = r;
  return true;
}

Response dispatch(const Ctx& c, const Request& req, std::string& route_name) {
  std::string_view path = req.path, rest;
  if (path == "/") {
    route_name = "/";
    if (req.method != "POST") return method_not_allowed("POST");
    return handle_default_decision(c, req);
  }
  if (route(path, "/v1/data", rest)) {
    route_name = "/v1/data";
    return handle_data(c, req, rest);
  }
  if (route(path, "/v0/data", rest)) {
    route_name = "/v0/data";
    return handle_v0_data(c, req, rest);
  }
  if (route(path, "/v1/policies", rest)) {
    route_name = "/v1/policies";
    return handle_policies(c, req, rest);
  }
  if (path == "/v1/query") {
    route_name = "/v1/query";
    return handle_query(c, req);
  }
  if (route(path, "/health", rest)) {
    route_name = "/health";
    return handle_health(c, req, rest);
  }
  if (path == "/metrics") {
    route_name = "/metrics";
    return handle_metrics(c, req);
  }
  route_name = "other";
  return Response::error(404, "resource_not_found", "unknown path: " + std::string(path));
}

}  // namespace
}  // namespace rest

Handler make_rest_api(PolicyStore& store, Metrics* metrics, DecisionLog* log, RestApiOptions opts) {
  auto ctx = std::make_shared<const rest::Ctx>(rest::Ctx{store, metrics, log, std::move(opts)});
  return [ctx](const Request& req) -> Response {
    auto t0 = rest::Clock::now();
    std::string route_name;
    Response r;
    try {
      r = rest::dispatch(*ctx, req, route_name);
    } catch (const BodyTooLarge& e) {
      r = body_too_large_response(e);
    } catch (const Error& e) {
      r = rest::engine_error(e);
    } catch (const std::exception& e) {
      r = Response::error(500, "internal_error", e.what());
    }
    if (ctx->metrics) {
      ctx->metrics->observe_request(route_name, r.status, rest::elapsed_ns(t0) / 1e9);
    }
    return r;
  };
}

}  // namespace wartburg::sidecar
