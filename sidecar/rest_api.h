// OPA's REST API over a PolicyStore: the Data API (/v1/data, /v0/data and the
// default decision at POST /), the Policy API (/v1/policies), the Query API
// (/v1/query), the Health API (/health) and Prometheus metrics (/metrics),
// with OPA's paths, bodies, status codes and error shapes.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "sidecar/decision_log.h"
#include "sidecar/http.h"
#include "sidecar/metrics.h"
#include "sidecar/store.h"

namespace wartburg::sidecar {

struct RestApiOptions {
  // The document POST / evaluates (OPA's --set=default_decision), slash-separated below data.
  std::string default_decision = "/system/main";
  // Reported in ?provenance responses.
  std::string version = "wartburg";
  // Bundle activation for GET /health?bundles and /health/ready; unset: no
  // bundles are configured, which counts as activated.
  std::function<bool()> bundles_ready;
  std::chrono::nanoseconds eval_timeout{0};  // 0: no deadline
};

// The handler serving every route above. `metrics` and `log` may be null.
// The store, metrics and log must outlive the handler.
Handler make_rest_api(PolicyStore& store, Metrics* metrics, DecisionLog* log, RestApiOptions opts = {});

}  // namespace wartburg::sidecar
