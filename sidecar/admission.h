// Kubernetes validating/mutating admission webhook: POST an
// admission.k8s.io/v1 AdmissionReview, get one back. The configured package
// (default data.kubernetes.admission) is evaluated with the review's
// `request` as input; its `deny` messages reject the object, its `warn`
// messages become warnings and its `patch` JSONPatch operations mutate an
// allowed object. A validating handler never answers a patch (Kubernetes
// rejects one from a validating webhook), nor does any handler for DELETE and
// CONNECT (there is no object to patch). Evaluation errors, timeouts and an
// overloaded server are answered by the failure policy: "fail" (deny, the
// default) or "ignore" (allow with a warning).
#pragma once

#include <chrono>
#include <string>

#include "sidecar/decision_log.h"
#include "sidecar/http.h"
#include "sidecar/metrics.h"
#include "sidecar/store.h"

namespace wartburg::sidecar {

struct AdmissionOptions {
  std::string package = "data.kubernetes.admission";  // a Rego reference to the package
  std::string failure_policy = "fail";                // "fail" (deny) | "ignore" (allow)
  EvalLimits limits;  // per review: deadline (0: none), memory budget, value size
  std::string route = "/v1/admit";                    // the metrics label of the endpoint
  bool validating = false;                            // true: the policy's patches are never answered
  size_t max_decoded_body_bytes = 4 << 20;            // review size after gzip decoding; larger: 413
};

// The handler for the admission endpoint. `metrics` and `log` may be null; the
// store, metrics and log must outlive the handler. Thread-safe.
Handler make_admission_handler(PolicyStore& store, Metrics* metrics, DecisionLog* log, AdmissionOptions opts = {});

// The answer when the server is too busy to evaluate `req` (called on an I/O
// thread): an AdmissionReview decided by the failure policy ("fail": denied
// with code 503, "ignore": allowed with a warning); a request that is not a
// review gets 503 with OPA's error shape.
Response admission_overload_response(const Request& req, const AdmissionOptions& opts);

}  // namespace wartburg::sidecar
