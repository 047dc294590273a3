// OPA's Data API: GET/POST /v1/data/{path} (decisions), PUT/PATCH/DELETE
// /v1/data/{path} (base documents), POST /v0/data/{path} and the default
// decision at POST / (bare input in, bare result out).
#include <algorithm>
#include <cctype>

#include "sidecar/rest_api_internal.h"

namespace wartburg::sidecar::rest {

namespace {

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isspace(ch); });
}

Value provenance_value(const Ctx& c, const Snapshot& snap) {
  ObjectBuilder b;
  b.add("version", Value::string(c.opts.version));
  if (!snap.revisions.empty()) {
    ObjectBuilder bundles;
    for (const auto& [name, rev] : snap.revisions) {
      ObjectBuilder one;
      one.add("revision", Value::string(rev));
      bundles.add(name, one.build());
    }
    b.add("bundles", bundles.build());
  }
  return b.build();
}

Value input_missing_warning() {
  ObjectBuilder b;
  b.add("code", Value::string("api_usage_warning"));
  b.add("message", Value::string("'input' key missing from the request"));
  return b.build();
}

// GET/POST /v1/data/{path}.
Response eval_data(const Ctx& c, const Request& req, const std::vector<std::string>& path) {
  auto t0 = Clock::now();
  bool pretty = req.flag("pretty");
  Timings t;
  Value input;
  bool warn_missing_input = false;
  auto tp = Clock::now();
  if (req.method == "POST") {
    if (blank(req.body)) {
      warn_missing_input = true;
    } else {
      Value body;
      try {
        body = parse_body(c, req);
      } catch (const ParseError& e) {
        return bad_body("body contains malformed input document", e);
      }
      if (!body.is_object()) {
        return Response::error(400, "invalid_parameter",
                               "body contains malformed input document: request body must be an object");
      }
      if (const Value* in = body.find("input")) input = *in;
      else warn_missing_input = true;
    }
  } else if (const std::string* q = req.param("input")) {
    try {
      input = parse_json(*q);
    } catch (const ParseError& e) {
      return bad_body("parameter 'input' is not a valid JSON document", e);
    }
  }
  if (input.defined()) t.input_parse_ns = elapsed_ns(tp);

  auto snap = c.store.current();
  Value result;
  std::string error;
  try {
    result = eval_document(c, *snap, path, input, req.flag("strict-builtin-errors"), t);
  } catch (const Error& e) {
    bool eval_error = std::none_of(e.errors.begin(), e.errors.end(),
                                   [](const ErrorInfo& i) { return i.code.rfind("rego_", 0) == 0; });
    if (eval_error) record_decision(c, req, *snap, path, input, {}, e.what(), t.query_eval_ns / 1e9);
    return engine_error(e);
  }
  std::string decision_id = record_decision(c, req, *snap, path, input, result, "", t.query_eval_ns / 1e9);

  ObjectBuilder out;
  if (!decision_id.empty()) out.add("decision_id", Value::string(decision_id));
  if (req.flag("provenance")) out.add("provenance", provenance_value(c, *snap));
  if (result.defined()) out.add("result", result);
  if (warn_missing_input) out.add("warning", input_missing_warning());
  if (req.flag("metrics")) out.add("metrics", metrics_value(t, elapsed_ns(t0)));
  return json_value(200, out.build(), pretty);
}

Response put_data(const Ctx& c, const Request& req, const std::vector<std::string>& path) {
  Value doc;
  try {
    doc = parse_body(c, req);
  } catch (const ParseError& e) {
    return bad_body("body contains malformed document", e);
  }
  if (const std::string* inm = req.header("if-none-match"); inm && *inm == "*") {
    if (c.store.current()->base_document(path)) {
      Response r;
      r.status = 304;
      return r;
    }
  }
  try {
    c.store.put_data(path, doc);
  } catch (const StoreError& e) {
    if (e.kind == StoreError::NotFound) return Response::error(404, "resource_not_found", e.what());
    return Response::error(400, "resource_conflict", e.what());
  }
  return no_content();
}

Response patch_data(const Ctx& c, const Request& req, const std::vector<std::string>& path) {
  Value ops;
  try {
    ops = parse_body(c, req);
  } catch (const ParseError& e) {
    return bad_body("body contains malformed patch", e);
  }
  try {
    c.store.patch_data_checked(path, ops);
  } catch (const StoreError& e) {
    switch (e.kind) {
      case StoreError::NotFound:
        return Response::error(404, "resource_not_found", e.what());
      case StoreError::BadPatch:
        return Response::error(400, "invalid_parameter", e.what());
      case StoreError::Conflict:
        break;
    }
    return Response::error(400, "resource_conflict", e.what());
  }
  return no_content();
}

Response delete_data(const Ctx& c, const std::vector<std::string>& path) {
  if (!c.store.delete_data(path)) {
    return Response::error(404, "resource_not_found",
                           "storage_not_found_error: /" + join_slash(path) + ": document does not exist");
  }
  return no_content();
}

// Bare input in, bare result out; undefined is 404 undefined_document.
Response bare_decision(const Ctx& c, const Request& req, const std::vector<std::string>& path,
                       std::string_view undefined_message) {
  Value input;
  if (!blank(req.body)) {
    try {
      input = parse_body(c, req);
    } catch (const ParseError& e) {
      return bad_body("body contains malformed input document", e);
    }
  }
  auto snap = c.store.current();
  Timings t;
  Value result;
  try {
    result = eval_document(c, *snap, path, input, req.flag("strict-builtin-errors"), t);
  } catch (const Error& e) {
    record_decision(c, req, *snap, path, input, {}, e.what(), t.query_eval_ns / 1e9);
    return engine_error(e);
  }
  record_decision(c, req, *snap, path, input, result, "", t.query_eval_ns / 1e9);
  if (!result.defined()) {
    return Response::error(404, "undefined_document", std::string(undefined_message) + ": " + data_ref_text(path));
  }
  return json_value(200, result, req.flag("pretty"));
}

}  // namespace

Response handle_data(const Ctx& c, const Request& req, std::string_view rest) {
  std::vector<std::string> path = split_path(rest);
  const std::string& m = req.method;
  if (m == "GET" || m == "POST") return eval_data(c, req, path);
  if (m == "PUT") return put_data(c, req, path);
  if (m == "PATCH") return patch_data(c, req, path);
  if (m == "DELETE") return delete_data(c, path);
  return method_not_allowed("GET, POST, PUT, PATCH, DELETE");
}

Response handle_v0_data(const Ctx& c, const Request& req, std::string_view rest) {
  if (req.method != "POST") return method_not_allowed("POST");
  return bare_decision(c, req, split_path(rest), "document undefined");
}

Response handle_default_decision(const Ctx& c, const Request& req) {
  // "/system/main", "system/main" or "data.system.main".
  std::string spec = c.opts.default_decision;
  if (spec.find('/') == std::string::npos && spec.find('.') != std::string::npos) {
    std::replace(spec.begin(), spec.end(), '.', '/');
    if (spec.rfind("data/", 0) == 0) spec.erase(0, 5);
  }
  return bare_decision(c, req, split_path(spec), "document missing");
}

}  // namespace wartburg::sidecar::rest
