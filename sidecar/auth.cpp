// API authentication/authorization wrapper (see auth.h).
#include "sidecar/auth.h"

#include "policy/json.h"

namespace wartburg::sidecar {

namespace {

Response unauthorized(const std::string& message) { return Response::error(401, "unauthorized", message); }

// The identity a request proves, or nullopt-like empty with `ok` false.
bool identity_of(const Request& r, const AuthOptions& o, std::string& identity) {
  if (o.authentication == "token") {
    const std::string* h = r.header("authorization");
    const std::string prefix = "Bearer ";
    if (!h || h->size() <= prefix.size() || h->compare(0, prefix.size(), prefix) != 0) return false;
    identity = h->substr(prefix.size());
    return true;
  }
  if (o.authentication == "tls") {
    identity = r.client_subject;
    return !identity.empty();
  }
  return true;
}

Value authz_input(const Request& r, const std::string& identity, const AuthOptions& o) {
  ObjectBuilder in;
  in.add("method", Value::string(r.method));
  std::vector<Value> segments;
  size_t start = 1;
  while (start <= r.path.size()) {
    size_t slash = r.path.find('/', start);
    std::string seg = r.path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!seg.empty()) segments.push_back(Value::string(seg));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  in.add("path", Value::array(std::move(segments)));
  ObjectBuilder headers;
  for (const auto& [k, v] : r.headers) headers.add(k, Value::array({Value::string(v)}));
  in.add("headers", headers.build());
  ObjectBuilder params;
  for (const auto& [k, v] : r.query) params.add(k, Value::array({Value::string(v)}));
  in.add("params", params.build());
  if (o.authentication != "off") in.add("identity", Value::string(identity));
  if (!r.body.empty()) {
    try {
      in.add("body", parse_json(r.body));
    } catch (const ParseError&) {
      // a body that is not JSON is not offered to the policy
    }
  }
  return in.build();
}

bool policy_allows(PolicyStore& store, const Value& input, std::string& error) {
  auto snap = store.current();
  try {
    auto q = snap->prepare("data.system.authz.allow");
    auto rows = q->eval(input, snap->data);
    return !rows.empty() && !rows[0].expressions.empty() && rows[0].expressions[0].value.is_true();
  } catch (const Error& e) {
    error = e.what();
    return false;
  }
}

}  // namespace

Handler with_api_auth(Handler inner, PolicyStore& store, AuthOptions opts) {
  if (opts.authentication == "off" && opts.authorization == "off") return inner;
  return [inner = std::move(inner), &store, opts](const Request& r) -> Response {
    std::string identity;
    if (!identity_of(r, opts, identity)) {
      return unauthorized(opts.authentication == "token" ? "missing or malformed bearer token"
                                                         : "missing client certificate");
    }
    if (opts.authorization == "basic") {
      std::string error;
      if (!policy_allows(store, authz_input(r, identity, opts), error)) {
        return unauthorized("request rejected by administrative policy");
      }
    }
    return inner(r);
  };
}

}  // namespace wartburg::sidecar
