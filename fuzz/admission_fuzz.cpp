// Fuzz target "admission": the Kubernetes admission webhook handler
// (sidecar/admission.h) over a PolicyStore holding the sample admission policy
// (policies/kubernetes/admission.rego), fed the fuzz bytes as the body of
// POST /v1/admit. The answer must be an AdmissionReview or an error response;
// an exception escaping the handler counts as a failure (the server would
// answer 500 instead of the failure policy).
#include <exception>
#include <memory>
#include <string>

#include "fuzz/fuzz_util.h"
#include "sidecar/admission.h"
#include "sidecar/metrics.h"
#include "sidecar/store.h"

namespace {

using namespace wartburg;
using namespace wartburg::sidecar;

struct Fixture {
  PolicyStore store;
  Metrics metrics;
  Handler handler;
  Fixture() {
    auto errors = store.put_policy("policies/kubernetes/admission.rego",
                                   fuzz::source_file("policies/kubernetes/admission.rego"));
    if (!errors.empty()) fuzz::fail("admission", "the sample policy does not compile: " + errors[0].to_string());
    AdmissionOptions opts;
    opts.limits = fuzz::eval_limits();
    handler = make_admission_handler(store, &metrics, nullptr, opts);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* f = new Fixture;  // never destroyed: the handler must outlive every call
  Request req;
  req.method = "POST";
  req.target = req.path = "/v1/admit";
  req.headers.emplace_back("content-type", "application/json");
  req.body = std::string(fuzz::bytes(data, size));
  req.remote_addr = "10.0.0.1:4444";
  try {
    Response res = f->handler(req);
    fuzz::trace("admission", std::to_string(res.status) + " " + res.body.substr(0, 300));
    if (res.status < 100 || res.status > 599) fuzz::fail("admission", "status " + std::to_string(res.status));
  } catch (const std::exception& e) {
    if (fuzz::check_invariants()) fuzz::fail("admission", std::string("exception escaped the handler: ") + e.what());
  }
  return 0;
}
