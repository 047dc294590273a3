// Kubernetes validating/mutating admission webhook: POST an
// admission.k8s.io/v1 AdmissionReview, get one back. The configured package
// (default data.kubernetes.admission) is evaluated with the review's
// `request` as input; its `deny` messages reject the object, its `warn`
// messages become warnings and its `patch` JSONPatch operations mutate an
// allowed object. Evaluation errors and timeouts are answered by the failure
// policy: "fail" (deny, the default) or "ignore" (allow with a warning).
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
  std::chrono::nanoseconds timeout{0};                // per review; 0: no deadline
  std::string route = "/v1/admit";                    // the metrics label of the endpoint
};

// The handler for the admission endpoint. `metrics` and `log` may be null; the
// store, metrics and log must outlive the handler. Thread-safe.
Handler make_admission_handler(PolicyStore& store, Metrics* metrics, DecisionLog* log, AdmissionOptions opts = {});

}  // namespace wartburg::sidecar
