// API authentication/authorization wrapper (see auth.h), following OPA's
// server/identifier and server/authorizer: identify, build the input, ask
// data.system.authz.allow, and only then run the route.
#include "sidecar/auth.h"

#include <cctype>
#include <exception>
#include <map>
#include <vector>

#include "policy/engine.h"
#include "policy/error.h"
#include "policy/json.h"
#include "sidecar/body.h"

namespace wartburg::sidecar {

namespace {

constexpr size_t kMaxAuthorizationHeader = 8192;  // OPA ignores longer values

Response unauthorized(const std::string& message) { return Response::error(401, "unauthorized", message); }

// Go's \s (RE2 Perl class): [\t\n\f\r ].
bool go_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

// Go's textproto.CanonicalMIMEHeaderKey for a lower-case name: "x-role" -> "X-Role".
std::string canonical_header(const std::string& name) {
  for (char c : name) {
    if (c == ' ' || static_cast<unsigned char>(c) >= 0x80) return name;  // Go leaves such keys alone
  }
  std::string out = name;
  bool upper = true;
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    else if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    upper = c == '-';
  }
  return out;
}

// OPA's input.path: the path split at "/" after the leading one, empty segments kept.
Value path_segments(const std::string& path) {
  std::vector<Value> segs;
  if (!path.empty()) {
    size_t start = 1;
    while (true) {
      size_t slash = path.find('/', start);
      segs.push_back(Value::string(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start)));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
  }
  return Value::array(std::move(segs));
}

// Name -> every value, in arrival order (Go's map[string][]string).
Value multi_map(const std::vector<std::pair<std::string, std::string>>& pairs, bool canonical) {
  std::map<std::string, std::vector<Value>> m;
  for (const auto& [k, v] : pairs) m[canonical ? canonical_header(k) : k].push_back(Value::string(v));
  ObjectBuilder b;
  for (auto& [k, vs] : m) b.add(k, Value::array(std::move(vs)));
  return b.build();
}

// OPA's authorizer offers the body only for POSTs to "/" and the Data API.
bool expects_body(const Request& r) {
  if (r.method != "POST") return false;
  if (r.path == "/") return true;
  return r.path.rfind("/v1/data", 0) == 0 || r.path.rfind("/v0/data", 0) == 0
             ? (r.path.size() == 8 || r.path[8] == '/')
             : false;
}

std::optional<std::string> identity_of(const Request& r, const AuthOptions& o) {
  if (o.authentication == "token") {
    const std::string* h = r.header("authorization");
    if (!h) return std::nullopt;
    return bearer_token(*h);
  }
  if (o.authentication == "tls" && !r.client_subject.empty()) return r.client_subject;
  return std::nullopt;
}

std::string error_text(const Error& e) {
  if (e.errors.empty()) return e.what();
  return e.errors.front().code + ": " + e.errors.front().message;
}

}  // namespace

std::optional<std::string> bearer_token(const std::string& v) {
  if (v.empty() || v.size() > kMaxAuthorizationHeader) return std::nullopt;
  constexpr std::string_view kScheme = "Bearer";
  if (v.compare(0, kScheme.size(), kScheme) != 0) return std::nullopt;
  size_t i = kScheme.size();
  size_t spaces = i;
  while (i < v.size() && go_space(v[i])) ++i;
  if (i == spaces || i == v.size()) return std::nullopt;  // no separator, or no token
  std::string token = v.substr(i);
  for (char c : token) {
    if (go_space(c)) return std::nullopt;  // \S+ up to the end
  }
  return token;
}

Value api_authz_input(const Request& r, const AuthOptions& o) {
  ObjectBuilder in;
  std::string method = r.method;
  for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  in.add("path", path_segments(r.path));
  in.add("method", Value::string(method));
  in.add("params", multi_map(r.query, false));
  in.add("headers", multi_map(r.headers, true));
  if (expects_body(r)) {
    // Parsed only now, after authentication, with the route's limits.
    std::string text = decoded_body(r, o.max_decoded_body_bytes);
    bool blank = true;
    for (char c : text) {
      if (!std::isspace(static_cast<unsigned char>(c))) {
        blank = false;
        break;
      }
    }
    if (!blank) {
      const std::string* ct = r.header("content-type");
      bool yaml = ct && ct->find("yaml") != std::string::npos;
      in.add("body", yaml ? parse_yaml(text) : parse_json(text));
    }
  }
  if (auto id = identity_of(r, o)) in.add("identity", Value::string(*id));
  return in.build();
}

Handler with_api_auth(Handler inner, PolicyStore& store, AuthOptions opts) {
  // Authentication alone only identifies (OPA does the same): nothing to enforce.
  if (opts.authorization != "basic") return inner;
  return [inner = std::move(inner), &store, opts](const Request& r) -> Response {
    Value input;
    try {
      input = api_authz_input(r, opts);
    } catch (const BodyTooLarge& e) {
      return body_too_large_response(e);
    } catch (const std::exception& e) {
      return Response::error(400, "invalid_parameter", std::string("body contains malformed input document: ") + e.what());
    }
    Value decision;
    try {
      auto snap = store.current();
      auto q = snap->prepare(opts.decision);
      EvalOptions eo = eval_options(opts.limits);
      auto rows = q->eval(input, snap->data, eo);
      if (!rows.empty() && !rows[0].expressions.empty()) decision = rows[0].expressions[0].value;
    } catch (const Error& e) {
      return Response::error(500, "internal_error", "authorization policy failed: " + error_text(e));
    } catch (const std::exception& e) {
      return Response::error(500, "internal_error", std::string("authorization policy failed: ") + e.what());
    }
    if (!decision.defined()) return Response::error(500, "internal_error", "authorization policy missing or undefined");
    if (decision.is_true()) return inner(r);
    if (decision.is_object()) {
      const Value* allowed = decision.find("allowed");
      if (!allowed) return Response::error(500, "internal_error", "document missing or undefined");
      if (allowed->is_true()) return inner(r);
      if (const Value* reason = decision.find("reason"); reason && reason->is_string()) {
        return unauthorized(reason->str());
      }
    }
    return unauthorized("request rejected by administrative policy");
  };
}

}  // namespace wartburg::sidecar
