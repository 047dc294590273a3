// Tests for the admission webhook handler: AdmissionReview in, AdmissionReview
// out — allow, deny with sorted messages, warnings, base64 JSONPatch, bad
// input (400) and the failure policy for evaluation errors and timeouts.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "policy/json.h"
#include "sidecar/admission.h"
#include "sidecar/metrics.h"
#include "sidecar/store.h"

namespace {

using namespace wartburg;
using namespace wartburg::sidecar;

const char* kPolicy = R"(package kubernetes.admission

deny contains msg if {
  input.kind.kind == "Pod"
  some c in input.object.spec.containers
  not startswith(c.image, "registry.example.com/")
  msg := sprintf("image %s comes from an untrusted registry", [c.image])
}

deny contains "pods need an owner label" if {
  input.kind.kind == "Pod"
  not input.object.metadata.labels.owner
}

warn contains "no resource limits" if {
  input.kind.kind == "Pod"
  some c in input.object.spec.containers
  not c.resources.limits
}

patch contains {"op": "add", "path": "/metadata/labels/admitted-by", "value": "wartburg"} if {
  input.kind.kind == "Pod"
}
)";

std::string review(const std::string& labels, const std::string& image, bool limits = true) {
  return R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002",)"
         R"("kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","object":{"metadata":{"name":"p","labels":)" +
         labels + R"(},"spec":{"containers":[{"name":"c","image":")" + image + "\"" +
         (limits ? R"(,"resources":{"limits":{"cpu":"1"}})" : "") + "}]}}}}";
}

Request post(std::string body) {
  Request r;
  r.method = "POST";
  r.target = r.path = "/v1/admit";
  r.headers.emplace_back("content-type", "application/json");
  r.body = std::move(body);
  r.remote_addr = "10.0.0.1:4444";
  return r;
}

Value response_of(const Response& r) {
  Value v = parse_json(r.body);
  EXPECT_EQ(v.find("apiVersion")->str(), "admission.k8s.io/v1");
  EXPECT_EQ(v.find("kind")->str(), "AdmissionReview");
  return *v.find("response");
}

std::string b64decode(const std::string& s) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
  };
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = val(c);
    if (v < 0) break;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((acc >> bits) & 0xff);
    }
  }
  return out;
}

class AdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto errs = store.put_policy("admission.rego", kPolicy);
    ASSERT_TRUE(errs.empty()) << errs.front().to_string();
  }
  PolicyStore store;
  Metrics metrics;
};

TEST_F(AdmissionTest, AllowedWithPatch) {
  Handler h = make_admission_handler(store, &metrics, nullptr);
  Response r = h(post(review(R"({"owner":"me"})", "registry.example.com/app:1")));
  ASSERT_EQ(r.status, 200) << r.body;
  Value resp = response_of(r);
  EXPECT_EQ(resp.find("uid")->str(), "705ab4f5-6393-11e8-b7cc-42010a800002");
  EXPECT_TRUE(resp.find("allowed")->is_true());
  EXPECT_EQ(resp.find("status"), nullptr);
  EXPECT_EQ(resp.find("warnings"), nullptr);
  EXPECT_EQ(resp.find("patchType")->str(), "JSONPatch");
  EXPECT_EQ(parse_json(b64decode(resp.find("patch")->str())),
            parse_json(R"([{"op":"add","path":"/metadata/labels/admitted-by","value":"wartburg"}])"));
  EXPECT_NE(metrics.render().find("admission"), std::string::npos);
}

TEST_F(AdmissionTest, NoPatchOnTheValidatingPathOrForDelete) {
  AdmissionOptions v;
  v.validating = true;
  Response r = make_admission_handler(store, &metrics, nullptr, v)(post(review(R"({"owner":"me"})", "registry.example.com/app:1")));
  Value resp = response_of(r);
  EXPECT_TRUE(resp.find("allowed")->is_true());
  EXPECT_EQ(resp.find("patch"), nullptr);
  EXPECT_EQ(resp.find("patchType"), nullptr);
  // DELETE: the request has oldObject, no object; a patch rule that still fires is not answered
  std::string del = R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-del",)"
                    R"("kind":{"group":"","version":"v1","kind":"Pod"},"operation":"DELETE","object":null,)"
                    R"("oldObject":{"metadata":{"name":"p"}}}})";
  resp = response_of(make_admission_handler(store, &metrics, nullptr)(post(del)));
  EXPECT_EQ(resp.find("patch"), nullptr);
}

TEST_F(AdmissionTest, OverloadAnswerFollowsTheFailurePolicy) {
  AdmissionOptions o;
  Response r = admission_overload_response(post(review(R"({"owner":"me"})", "x")), o);
  ASSERT_EQ(r.status, 200) << r.body;
  Value resp = response_of(r);
  EXPECT_EQ(resp.find("uid")->str(), "705ab4f5-6393-11e8-b7cc-42010a800002");
  EXPECT_TRUE(resp.find("allowed")->is_false());
  EXPECT_EQ(resp.find("status")->find("code")->as_int(), 503);
  o.failure_policy = "ignore";
  resp = response_of(admission_overload_response(post(review(R"({"owner":"me"})", "x")), o));
  EXPECT_TRUE(resp.find("allowed")->is_true());
  EXPECT_NE(resp.find("warnings")->items()[0].str().find("overloaded"), std::string::npos);
  // not a review: plain 503
  EXPECT_EQ(admission_overload_response(post("{}"), o).status, 503);
}

TEST_F(AdmissionTest, GzipReviewsAreLimitedAfterDecoding) {
  AdmissionOptions o;
  o.max_decoded_body_bytes = 64;
  Request big = post(review(R"({"owner":"me"})", "registry.example.com/app:1"));
  EXPECT_EQ(make_admission_handler(store, &metrics, nullptr, o)(big).status, 413);
}

TEST_F(AdmissionTest, DeniedWithSortedMessagesAndWarnings) {
  Handler h = make_admission_handler(store, nullptr, nullptr);
  Response r = h(post(review("{}", "docker.io/evil", false)));
  ASSERT_EQ(r.status, 200) << r.body;
  Value resp = response_of(r);
  EXPECT_TRUE(resp.find("allowed")->is_false());
  const Value* st = resp.find("status");
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(st->find("code")->as_int(), 403);
  EXPECT_EQ(st->find("message")->str(),
            "image docker.io/evil comes from an untrusted registry; pods need an owner label");
  EXPECT_EQ(to_json(*resp.find("warnings")), R"(["no resource limits"])");
  EXPECT_EQ(resp.find("patch"), nullptr);  // no patches on a denied object
}

TEST_F(AdmissionTest, OtherKindsAreAllowedWithoutPatch) {
  Handler h = make_admission_handler(store, nullptr, nullptr);
  std::string body = R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1",)"
                     R"("kind":{"kind":"ConfigMap"},"object":{}}})";
  Value resp = response_of(h(post(body)));
  EXPECT_TRUE(resp.find("allowed")->is_true());
  EXPECT_EQ(resp.find("patch"), nullptr);
}

TEST_F(AdmissionTest, MissingPackageAllows) {
  AdmissionOptions o;
  o.package = "data.nothing.here";
  Handler h = make_admission_handler(store, nullptr, nullptr, o);
  Value resp = response_of(h(post(review("{}", "docker.io/evil"))));
  EXPECT_TRUE(resp.find("allowed")->is_true());
}

TEST_F(AdmissionTest, BadInput) {
  Handler h = make_admission_handler(store, nullptr, nullptr);
  for (std::string body : {std::string("{not json"), std::string(R"({"kind":"Pod"})"),
                           std::string(R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"})"),
                           std::string(R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{}})")}) {
    Response r = h(post(body));
    EXPECT_EQ(r.status, 400) << body;
    Value err = parse_json(r.body);
    EXPECT_EQ(err.find("code")->str(), "invalid_parameter");
    EXPECT_TRUE(err.find("message")->is_string());
  }
  Request get = post("");
  get.method = "GET";
  EXPECT_EQ(h(get).status, 405);
}

// warn is a complete rule with two different values: an eval_conflict_error.
const char* kFailing = R"(package broken

deny contains "never" if input.object.c

warn = "one" if input.object.a
warn = "two" if input.object.b
)";

TEST_F(AdmissionTest, FailurePolicyFailClosed) {
  ASSERT_TRUE(store.put_policy("broken.rego", kFailing).empty());
  AdmissionOptions o;
  o.package = "data.broken";
  Handler h = make_admission_handler(store, &metrics, nullptr, o);
  std::string body = R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u2",)"
                     R"("object":{"a":1,"b":2}}})";
  Value resp = response_of(h(post(body)));
  EXPECT_TRUE(resp.find("allowed")->is_false());
  EXPECT_EQ(resp.find("status")->find("code")->as_int(), 500);
  EXPECT_NE(resp.find("status")->find("message")->str().find("evaluation failed"), std::string::npos);
  EXPECT_NE(resp.find("status")->find("message")->str().find("eval_conflict_error"), std::string::npos);
  EXPECT_NE(metrics.render().find("fail"), std::string::npos);
}

TEST_F(AdmissionTest, FailurePolicyIgnoreAllowsWithWarning) {
  ASSERT_TRUE(store.put_policy("broken.rego", kFailing).empty());
  AdmissionOptions o;
  o.package = "data.broken";
  o.failure_policy = "Ignore";
  Handler h = make_admission_handler(store, nullptr, nullptr, o);
  std::string body = R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u3",)"
                     R"("object":{"a":1,"b":2}}})";
  Value resp = response_of(h(post(body)));
  EXPECT_TRUE(resp.find("allowed")->is_true());
  ASSERT_NE(resp.find("warnings"), nullptr);
  EXPECT_NE(resp.find("warnings")->items()[0].str().find("evaluation failed"), std::string::npos);
}

TEST_F(AdmissionTest, TimeoutUsesFailurePolicy) {
  ASSERT_TRUE(store.put_policy("slow.rego", R"(package slow

deny contains "slow" if {
  count([x | some i in numbers.range(1, 3000); some j in numbers.range(1, 3000); x := i * j]) > 0
}
)").empty());
  AdmissionOptions o;
  o.package = "data.slow";
  o.limits.timeout = std::chrono::milliseconds(20);
  Handler h = make_admission_handler(store, nullptr, nullptr, o);
  auto t0 = std::chrono::steady_clock::now();
  Value resp = response_of(h(post(review("{}", "x"))));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_TRUE(resp.find("allowed")->is_false());
  EXPECT_EQ(resp.find("status")->find("code")->as_int(), 500);
  EXPECT_NE(resp.find("status")->find("message")->str().find("eval_cancel_error"), std::string::npos);
}

}  // namespace
