// OPA's Policy API (GET/PUT/DELETE /v1/policies[/{id}]) and Query API
// (GET /v1/query?q=..., POST /v1/query {"query", "input"}).
#include <algorithm>
#include <cctype>

#include "sidecar/rest_api_internal.h"

namespace wartburg::sidecar::rest {

namespace {

Value policy_value(const std::string& id, const SourceFile& src) {
  ObjectBuilder b;
  b.add("id", Value::string(id));
  b.add("raw", Value::string(src.text));
  return b.build();
}

Response with_metrics(const Request& req, Clock::time_point t0, Timings t = {}) {
  if (!req.flag("metrics")) return Response::json(200, "{}");
  ObjectBuilder b;
  b.add("metrics", metrics_value(t, elapsed_ns(t0)));
  return json_value(200, b.build(), req.flag("pretty"));
}

Response policy_not_found(const std::string& id) {
  return Response::error(404, "resource_not_found", "storage_not_found_error: policy id " + to_json(Value::string(id)));
}

}  // namespace

Response handle_policies(const Ctx& c, const Request& req, std::string_view rest) {
  auto t0 = Clock::now();
  bool pretty = req.flag("pretty");
  std::string id(rest.empty() ? rest : rest.substr(1));
  if (id.empty()) {
    if (req.method != "GET") return method_not_allowed("GET");
    auto snap = c.store.current();
    std::vector<Value> items;
    for (const auto& [pid, src] : snap->modules) items.push_back(policy_value(pid, src));
    ObjectBuilder b;
    b.add("result", Value::array(std::move(items)));
    return json_value(200, b.build(), pretty);
  }
  if (req.method == "GET") {
    auto snap = c.store.current();
    auto it = snap->modules.find(id);
    if (it == snap->modules.end()) return policy_not_found(id);
    ObjectBuilder b;
    b.add("result", policy_value(id, it->second));
    return json_value(200, b.build(), pretty);
  }
  if (req.method == "PUT") {
    std::string text;
    try {
      text = body_text(c, req);
    } catch (const ParseError& e) {
      return bad_body("could not decompress the body", e);
    }
    if (std::all_of(text.begin(), text.end(), [](unsigned char ch) { return std::isspace(ch); })) {
      return Response::error(400, "invalid_parameter", "empty module");
    }
    std::vector<ErrorInfo> errors = c.store.put_policy(id, text);
    if (!errors.empty()) return Response::error(400, "invalid_parameter", kMsgCompileModule, errors_json(errors));
    if (c.metrics) c.metrics->count_reload(true);
    return with_metrics(req, t0);
  }
  if (req.method == "DELETE") {
    bool found = false;
    std::vector<ErrorInfo> errors = c.store.remove_policy(id, found);
    if (!found) return policy_not_found(id);
    if (!errors.empty()) return Response::error(400, "invalid_parameter", kMsgCompileModule, errors_json(errors));
    return with_metrics(req, t0);
  }
  return method_not_allowed("GET, PUT, DELETE");
}

Response handle_query(const Ctx& c, const Request& req) {
  auto t0 = Clock::now();
  std::string query;
  Value input;
  Timings t;
  if (req.method == "GET") {
    const std::string* q = req.param("q");
    if (!q) return Response::error(400, "invalid_parameter", "missing parameter 'q'");
    query = *q;
    if (const std::string* in = req.param("input")) {
      try {
        input = parse_json(*in);
      } catch (const ParseError& e) {
        return bad_body("parameter 'input' is not a valid JSON document", e);
      }
    }
  } else if (req.method == "POST") {
    Value body;
    auto tp = Clock::now();
    try {
      body = parse_body(c, req);
    } catch (const ParseError& e) {
      return bad_body("body contains malformed query request", e);
    }
    const Value* q = body.is_object() ? body.find("query") : nullptr;
    if (!q || !q->is_string()) return Response::error(400, "invalid_parameter", "missing parameter 'query'");
    query = q->str();
    if (const Value* in = body.find("input")) {
      input = *in;
      t.input_parse_ns = elapsed_ns(tp);
    }
  } else {
    return method_not_allowed("GET, POST");
  }

  auto snap = c.store.current();
  auto tc = Clock::now();
  auto pq = snap->prepare(query);  // Error -> 400 via the router
  t.query_compile_ns = elapsed_ns(tc);
  EvalOptions eo = eval_options(c.opts.eval_limits);
  eo.strict_builtin_errors = req.flag("strict-builtin-errors");
  auto te = Clock::now();
  std::vector<QueryRow> rows = pq->eval(input, snap->data, eo);
  t.query_eval_ns = elapsed_ns(te);

  ObjectBuilder out;
  if (!rows.empty()) {
    std::vector<Value> results;
    results.reserve(rows.size());
    for (const auto& row : rows) {
      ObjectBuilder b;
      for (const auto& [name, v] : row.bindings) b.add(name, v);
      results.push_back(b.build());
    }
    out.add("result", Value::array(std::move(results)));
  }
  if (req.flag("metrics")) out.add("metrics", metrics_value(t, elapsed_ns(t0)));
  return json_value(200, out.build(), req.flag("pretty"));
}

}  // namespace wartburg::sidecar::rest
