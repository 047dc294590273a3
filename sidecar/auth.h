// API authentication and authorization, as OPA's --authentication and
// --authorization flags: with `token`, requests need "Authorization: Bearer
// <token>"; with `tls`, a verified client certificate; with authorization
// `basic`, the policy data.system.authz.allow decides for every request
// (input: method, path segments, headers, params, identity). Rejections are
// 401 with OPA's error shape.
#pragma once

#include <string>

#include "sidecar/http.h"
#include "sidecar/store.h"

namespace wartburg::sidecar {

struct AuthOptions {
  std::string authentication = "off";  // off | token | tls
  std::string authorization = "off";   // off | basic
};

Handler with_api_auth(Handler inner, PolicyStore& store, AuthOptions opts);

}  // namespace wartburg::sidecar
