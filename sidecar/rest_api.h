// OPA's REST API over a PolicyStore: the Data API (/v1/data, /v0/data and the
// default decision at POST /), the Policy API (/v1/policies), the Query API
// (/v1/query), the Health API (/health) and Prometheus metrics (/metrics),
// with OPA's paths, bodies, status codes and error shapes.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "policy/value.h"

#include "sidecar/decision_log.h"
#include "sidecar/http.h"
#include "sidecar/metrics.h"
#include "sidecar/store.h"

namespace wartburg::sidecar {

// One component's state as GET /health?plugins reports it (OPA's plugin
// states OK, WARN, ERROR), with details shown under "plugins".
struct PluginStatus {
  std::string name;     // "decision_logs"
  std::string state;    // "OK" | "WARN" | "ERROR"
  std::string message;  // why it is not OK
  Value details;        // an object (counters), or Undefined
};

struct RestApiOptions {
  // The document POST / evaluates (OPA's --set=default_decision), slash-separated below data.
  std::string default_decision = "/system/main";
  // Reported in ?provenance responses.
  std::string version = "wartburg";
  // Bundle activation for GET /health?bundles and /health/ready; unset: no
  // bundles are configured, which counts as activated.
  std::function<bool()> bundles_ready;
  EvalLimits eval_limits;  // per evaluation: deadline (0: none), memory budget, value size
  // Largest request body after Content-Encoding (gzip) is undone; larger: 413.
  size_t max_decoded_body_bytes = 4 << 20;
  // Plugin states for GET /health?plugins (e.g. the decision log); may be unset.
  std::function<std::vector<PluginStatus>()> plugin_status;
};

// The handler serving every route above. `metrics` and `log` may be null.
// The store, metrics and log must outlive the handler.
Handler make_rest_api(PolicyStore& store, Metrics* metrics, DecisionLog* log, RestApiOptions opts = {});

}  // namespace wartburg::sidecar
