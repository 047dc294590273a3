// The authorization endpoint (a listener of its own): every request that
// arrives is the request to authorize. It serves Envoy's ext_authz HTTP
// service, nginx `auth_request` (X-Original-Method / X-Original-URI) and
// Traefik ForwardAuth (X-Forwarded-Method / -Uri / -Host / -Proto). The
// policy sees OPA-Envoy's input shape (input.attributes.request.http...,
// parsed_path, parsed_query, parsed_body) and answers a boolean or an object
// {allowed, headers, response_headers_to_add, body, http_status}. Allowed:
// 200 with the policy's headers (for the upstream); denied, undefined or an
// evaluation error: 403 (or the policy's http_status and body).
#pragma once

#include <chrono>
#include <string>

#include "policy/value.h"
#include "sidecar/decision_log.h"
#include "sidecar/http.h"
#include "sidecar/metrics.h"
#include "sidecar/store.h"

namespace wartburg::sidecar {

struct AuthzOptions {
  std::string decision = "data.envoy.authz.allow";  // a Rego reference
  std::chrono::nanoseconds timeout{0};              // per decision; 0: no deadline
  // Envoy's http_service.path_prefix: removed from the path before it becomes
  // input.attributes.request.http.path (empty: nothing removed).
  std::string path_prefix;
  std::string route = "authz";  // the metrics label of the endpoint
};

// Builds OPA-Envoy's input document for `req` (exposed for tests and tools).
Value authz_input(const Request& req, const AuthzOptions& opts = {});

// The handler for the authorization listener. `metrics` and `log` may be null;
// the store, metrics and log must outlive the handler. Thread-safe.
Handler make_authz_handler(PolicyStore& store, Metrics* metrics, DecisionLog* log, AuthzOptions opts = {});

}  // namespace wartburg::sidecar
