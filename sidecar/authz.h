// The authorization endpoint (a listener of its own): every request that
// arrives is the request to authorize. It serves Envoy's ext_authz HTTP
// service, nginx `auth_request` and Traefik ForwardAuth. Where the ORIGINAL
// method, URI, host, scheme and client address come from is configured
// (AuthzOptions::forwarded_headers): only the headers that the named proxy
// itself sets are read, never a header a client could add on its own. The
// policy sees OPA-Envoy's input shape (input.attributes.request.http...,
// parsed_path, parsed_query, parsed_body) and answers a boolean or an object
// {allowed, headers, response_headers_to_add, body, http_status}. Allowed:
// 200 with the policy's headers (for the upstream); denied, undefined, an
// evaluation error or a request without the proxy's headers: 403 (or the
// policy's http_status and body).
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

#include "policy/value.h"
#include "sidecar/decision_log.h"
#include "sidecar/http.h"
#include "sidecar/metrics.h"
#include "sidecar/store.h"

namespace wartburg::sidecar {

struct AuthzOptions {
  std::string decision = "data.envoy.authz.allow";  // a Rego reference
  EvalLimits limits;  // per decision: deadline (0: none), memory budget, value size
  // Envoy's http_service.path_prefix: removed from the path before it becomes
  // input.attributes.request.http.path (empty: nothing removed).
  std::string path_prefix;
  std::string route = "authz";  // the metrics label of the endpoint
  // Whose headers name the original request:
  //   "none"    the request itself: request line, Host, the TCP peer (default)
  //   "envoy"   ext_authz HTTP service: request line and Host as Envoy sends
  //             them; scheme from X-Forwarded-Proto, client from the last
  //             X-Forwarded-For entry (Envoy with use_remote_address: true)
  //   "nginx"   auth_request: X-Original-Method and X-Original-URI (required),
  //             Host, X-Forwarded-Proto, last X-Forwarded-For entry
  //   "traefik" ForwardAuth: X-Forwarded-Method, X-Forwarded-Uri (required),
  //             X-Forwarded-Host, X-Forwarded-Proto, last X-Forwarded-For entry
  // A required header that is missing, or any of the proxy's headers sent
  // twice, makes the request an error (denied).
  std::string forwarded_headers = "none";
};

// The values accepted for AuthzOptions::forwarded_headers.
bool valid_forwarded_headers(const std::string& mode);

// The request cannot be authorized as configured (a proxy header missing,
// repeated or malformed); what() says which.
struct AuthzInputError : std::runtime_error {
  explicit AuthzInputError(const std::string& what) : std::runtime_error(what) {}
};

// Builds OPA-Envoy's input document for `req` (exposed for tests and tools).
// Throws AuthzInputError.
Value authz_input(const Request& req, const AuthzOptions& opts = {});

// One authorization decision on the store's current snapshot: its result
// (undefined when the decision is) or the error text, the bundle revision(s)
// and the evaluation time. Shared by the HTTP and gRPC endpoints.
struct AuthzEval {
  Value result;
  std::string error;
  std::string revision;
  double seconds = 0;
};
AuthzEval eval_authz(PolicyStore& store, const std::string& decision, const EvalLimits& limits, const Value& input);

// The bundle revision(s) of the current snapshot, as decision logs show them.
std::string authz_revision(PolicyStore& store);

// The handler for the authorization listener. `metrics` and `log` may be null;
// the store, metrics and log must outlive the handler. Thread-safe.
Handler make_authz_handler(PolicyStore& store, Metrics* metrics, DecisionLog* log, AuthzOptions opts = {});

}  // namespace wartburg::sidecar
