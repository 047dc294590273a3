// API authentication and authorization, as OPA's --authentication and
// --authorization flags. Authentication only establishes an identity:
// `token` takes it from "Authorization: Bearer <token>" (parsed exactly as
// OPA's server/identifier does), `tls` from the verified client certificate's
// subject. With authorization `basic`, the policy data.system.authz.allow
// decides for EVERY request, with or without an identity (input.identity is
// then undefined, so a policy can let anonymous clients reach /health); its
// input is OPA's: method, path segments, headers, params, identity, and for
// POSTs to the Data API the parsed body. Rejections are 401 with OPA's error
// shape. Authentication without authorization restricts nothing (as in OPA).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "policy/value.h"
#include "sidecar/http.h"
#include "sidecar/store.h"

namespace wartburg::sidecar {

struct AuthOptions {
  std::string authentication = "off";  // off | token | tls
  std::string authorization = "off";   // off | basic
  std::string decision = "data.system.authz.allow";
  EvalLimits limits;  // for data.system.authz: deadline (0: none), memory budget, value size
  size_t max_decoded_body_bytes = 4 << 20;   // for the body offered as input.body
};

// The token of an "Authorization: Bearer <token>" header value, as OPA's
// `^Bearer\s+(\S+)$` (several spaces or a tab after "Bearer" are fine); nullopt
// when the value does not match or is longer than 8192 bytes.
std::optional<std::string> bearer_token(const std::string& header_value);

// The input document of data.system.authz.allow for `req` (exposed for tests).
// Throws BodyTooLarge, BodyDecodeError or ParseError for a body that cannot be offered.
Value api_authz_input(const Request& req, const AuthOptions& opts);

Handler with_api_auth(Handler inner, PolicyStore& store, AuthOptions opts);

}  // namespace wartburg::sidecar
