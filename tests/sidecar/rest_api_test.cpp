// Tests of the OPA REST API handler (make_rest_api) called directly with
// constructed Requests: Data, Policy, Query, Health and metrics routes, with
// OPA's bodies, status codes and error shapes.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>
#include <zlib.h>

#include "policy/json.h"
#include "tests/sidecar/request_util.h"
#include "sidecar/rest_api.h"

namespace wartburg::sidecar {
namespace {

using test_util::make;

const std::string* header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

using test_util::gzip;

class RestApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store.put_policy("authz", R"(package authz
default allow := false
allow if input.user == "alice"
users := data.users
)").empty());
    store.put_data({"users"}, parse_json(R"(["alice","bob"])"));
    api = make_rest_api(store, nullptr, nullptr, opts);
  }
  Response call(std::string method, std::string target, std::string body = "",
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    return api(make(std::move(method), std::move(target), std::move(body), std::move(headers)));
  }
  Value body_of(const Response& r) { return parse_json(r.body); }

  PolicyStore store;
  RestApiOptions opts;
  Handler api;
};

TEST_F(RestApiTest, DataPostWithInput) {
  auto r = call("POST", "/v1/data/authz/allow", R"({"input":{"user":"alice"}})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"result":true})");
  EXPECT_EQ(*header(r, "Content-Type"), "application/json");
  r = call("POST", "/v1/data/authz/allow", R"({"input":{"user":"eve"}})");
  EXPECT_EQ(r.body, R"({"result":false})");
}

TEST_F(RestApiTest, DataGet) {
  auto r = call("GET", "/v1/data/authz/users");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"result":["alice","bob"]})");
  r = call("GET", "/v1/data/users/1");
  EXPECT_EQ(r.body, R"({"result":"bob"})");
  r = call("GET", "/v1/data/authz/allow?input=%7B%22user%22%3A%22alice%22%7D");
  EXPECT_EQ(r.body, R"({"result":true})");
}

TEST_F(RestApiTest, DataRootIncludesRulesAndBaseDocuments) {
  auto r = call("GET", "/v1/data");
  ASSERT_EQ(r.status, 200);
  Value v = body_of(r);
  const Value* res = v.find("result");
  ASSERT_TRUE(res);
  EXPECT_TRUE(res->find("users"));
  ASSERT_TRUE(res->find("authz"));
  EXPECT_EQ(to_json(*res->find("authz")->find("allow")), "false");
}

TEST_F(RestApiTest, UndefinedResultOmitsResult) {
  auto r = call("POST", "/v1/data/nothing/here", R"({"input":{}})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{}");
  r = call("GET", "/v1/data/authz/nope");
  EXPECT_EQ(r.body, "{}");
}

TEST_F(RestApiTest, MissingInputKeyWarns) {
  auto r = call("POST", "/v1/data/authz/allow", R"({"user":"alice"})");
  EXPECT_EQ(r.status, 200);
  Value v = body_of(r);
  EXPECT_EQ(to_json(*v.find("result")), "false");
  ASSERT_TRUE(v.find("warning"));
  EXPECT_EQ(v.find("warning")->find("code")->str(), "api_usage_warning");
  r = call("POST", "/v1/data/authz/allow", "");
  EXPECT_TRUE(body_of(r).find("warning"));
}

TEST_F(RestApiTest, GzipAndYamlBodies) {
  auto r = call("POST", "/v1/data/authz/allow", gzip(R"({"input":{"user":"alice"}})"), {{"content-encoding", "gzip"}});
  EXPECT_EQ(r.body, R"({"result":true})");
  r = call("POST", "/v1/data/authz/allow", "input:\n  user: alice\n", {{"content-type", "application/x-yaml"}});
  EXPECT_EQ(r.body, R"({"result":true})");
  r = call("POST", "/v1/data/authz/allow", "not gzip", {{"content-encoding", "gzip"}});
  EXPECT_EQ(r.status, 400);
}

TEST_F(RestApiTest, PrettyAndMetrics) {
  auto r = call("GET", "/v1/data/authz/users?pretty");
  EXPECT_EQ(r.body, "{\n  \"result\": [\n    \"alice\",\n    \"bob\"\n  ]\n}");
  r = call("POST", "/v1/data/authz/allow?metrics=true", R"({"input":{"user":"alice"}})");
  Value v = body_of(r);
  ASSERT_TRUE(v.find("metrics"));
  EXPECT_TRUE(v.find("metrics")->find("timer_rego_query_eval_ns"));
  EXPECT_TRUE(v.find("metrics")->find("timer_server_handler_ns"));
  EXPECT_EQ(to_json(*v.find("result")), "true");
}

TEST_F(RestApiTest, Provenance) {
  Value v = body_of(call("GET", "/v1/data/authz/allow?provenance"));
  ASSERT_TRUE(v.find("provenance"));
  EXPECT_TRUE(v.find("provenance")->find("version"));
}

TEST_F(RestApiTest, MalformedJsonIs400) {
  auto r = call("POST", "/v1/data/authz/allow", R"({"input": {)");
  EXPECT_EQ(r.status, 400);
  Value v = body_of(r);
  EXPECT_EQ(v.find("code")->str(), "invalid_parameter");
  EXPECT_NE(v.find("message")->str().find("line 1"), std::string::npos) << r.body;
  r = call("PUT", "/v1/data/x", "{nope");
  EXPECT_EQ(r.status, 400);
  r = call("POST", "/v1/data/authz/allow", "[1]");
  EXPECT_EQ(r.status, 400);
}

TEST_F(RestApiTest, EvaluationErrorIs500) {
  ASSERT_EQ(call("PUT", "/v1/policies/conflict", "package c\nx := 1 if true\nx := 2 if true\n").status, 200);
  auto r = call("GET", "/v1/data/c/x");
  EXPECT_EQ(r.status, 500);
  Value v = body_of(r);
  EXPECT_EQ(v.find("code")->str(), "internal_error");
  EXPECT_EQ(v.find("message")->str(), "error(s) occurred while evaluating query");
  ASSERT_TRUE(v.find("errors"));
  EXPECT_EQ(v.find("errors")->items()[0].find("code")->str(), "eval_conflict_error");
}

TEST_F(RestApiTest, StrictBuiltinErrors) {
  ASSERT_EQ(call("PUT", "/v1/policies/div", "package d\nx := 1 / input.n\n").status, 200);
  EXPECT_EQ(call("POST", "/v1/data/d/x", R"({"input":{"n":0}})").body, "{}");
  auto r = call("POST", "/v1/data/d/x?strict-builtin-errors", R"({"input":{"n":0}})");
  EXPECT_EQ(r.status, 500) << r.body;
}

TEST_F(RestApiTest, PutPolicyThenDecide) {
  auto r = call("PUT", "/v1/policies/extra", "package extra\ngreeting := sprintf(\"hi %s\", [input.name])\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{}");
  r = call("POST", "/v1/data/extra/greeting", R"({"input":{"name":"bob"}})");
  EXPECT_EQ(r.body, R"({"result":"hi bob"})");
}

TEST_F(RestApiTest, BrokenPolicyIs400AndOldPolicyStays) {
  auto r = call("PUT", "/v1/policies/authz", "package authz\nallow if { input.user == unknown_var }\n");
  EXPECT_EQ(r.status, 400);
  Value v = body_of(r);
  EXPECT_EQ(v.find("code")->str(), "invalid_parameter");
  EXPECT_EQ(v.find("message")->str(), "error(s) occurred while compiling module(s)");
  ASSERT_TRUE(v.find("errors") && v.find("errors")->size() > 0);
  const Value& e = v.find("errors")->items()[0];
  EXPECT_TRUE(e.find("code"));
  ASSERT_TRUE(e.find("location"));
  EXPECT_EQ(e.find("location")->find("file")->str(), "authz");
  EXPECT_EQ(to_json(*e.find("location")->find("row")), "2");
  // Parse errors have the same shape.
  r = call("PUT", "/v1/policies/authz", "package authz\nallow if {{{\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body_of(r).find("errors")->items()[0].find("code")->str(), "rego_parse_error");
  // The old policy still answers.
  EXPECT_EQ(call("POST", "/v1/data/authz/allow", R"({"input":{"user":"alice"}})").body, R"({"result":true})");
}

TEST_F(RestApiTest, ListGetDeletePolicies) {
  Value v = body_of(call("GET", "/v1/policies"));
  ASSERT_EQ(v.find("result")->size(), 1u);
  EXPECT_EQ(v.find("result")->items()[0].find("id")->str(), "authz");
  EXPECT_TRUE(v.find("result")->items()[0].find("raw"));

  auto r = call("GET", "/v1/policies/authz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(body_of(r).find("result")->find("id")->str(), "authz");

  r = call("GET", "/v1/policies/none");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(body_of(r).find("code")->str(), "resource_not_found");

  // Ids may hold slashes.
  EXPECT_EQ(call("PUT", "/v1/policies/dir/file.rego", "package q\nx := 1\n").status, 200);
  EXPECT_EQ(call("GET", "/v1/policies/dir/file.rego").status, 200);

  r = call("DELETE", "/v1/policies/authz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(call("DELETE", "/v1/policies/authz").status, 404);
  EXPECT_EQ(call("POST", "/v1/data/authz/allow", R"({"input":{"user":"alice"}})").body, "{}");
  EXPECT_EQ(call("POST", "/v1/policies").status, 405);
}

TEST_F(RestApiTest, PutPatchDeleteData) {
  auto r = call("PUT", "/v1/data/config/limits", R"({"max":3})");
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(call("GET", "/v1/data/config").body, R"({"result":{"limits":{"max":3}}})");

  r = call("PUT", "/v1/data/config/limits", R"({"max":4})", {{"if-none-match", "*"}});
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(call("GET", "/v1/data/config/limits/max").body, R"({"result":3})");
  EXPECT_EQ(call("PUT", "/v1/data/config/other", "1", {{"if-none-match", "*"}}).status, 204);

  r = call("PATCH", "/v1/data/config/limits", R"([{"op":"replace","path":"/max","value":5},{"op":"add","path":"/min","value":1}])");
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(call("GET", "/v1/data/config/limits").body, R"({"result":{"max":5,"min":1}})");
  r = call("PATCH", "/v1/data/config/limits", R"([{"op":"remove","path":"/nope"}])");
  EXPECT_EQ(r.status, 404);
  r = call("PATCH", "/v1/data/config/limits", R"([{"op":"bogus","path":"/max"}])");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body_of(r).find("code")->str(), "invalid_parameter");

  EXPECT_EQ(call("DELETE", "/v1/data/config/limits").status, 204);
  r = call("DELETE", "/v1/data/config/limits");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(body_of(r).find("code")->str(), "resource_not_found");
  EXPECT_EQ(call("GET", "/v1/data/config").body, R"({"result":{"other":1}})");

  // Writing through a scalar is a conflict.
  r = call("PUT", "/v1/data/config/other/deeper", "1");
  EXPECT_EQ(r.status, 400);
}

TEST_F(RestApiTest, DataWritesAreSeenByRules) {
  EXPECT_EQ(call("PUT", "/v1/data/users", R"(["carol"])").status, 204);
  EXPECT_EQ(call("GET", "/v1/data/authz/users").body, R"({"result":["carol"]})");
}

TEST_F(RestApiTest, QueryApi) {
  auto r = call("GET", "/v1/query?q=data.users%5Bi%5D%20%3D%3D%20%22bob%22");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"result":[{"i":1}]})");
  r = call("POST", "/v1/query", R"({"query":"x := input.a + 1","input":{"a":41}})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"result":[{"x":42}]})");
  r = call("GET", "/v1/query?q=x%20%3A%3D%201%3B%20x%20%3D%3D%202");  // x := 1; x == 2
  EXPECT_EQ(r.body, "{}");
  r = call("GET", "/v1/query?q=data.users%5B");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body_of(r).find("message")->str(), "error(s) occurred while parsing query");
  EXPECT_EQ(call("GET", "/v1/query").status, 400);
  EXPECT_EQ(call("DELETE", "/v1/query").status, 405);
}

TEST_F(RestApiTest, DefaultDecision) {
  ASSERT_EQ(call("PUT", "/v1/policies/main", "package system\nmain := {\"hello\": input.name}\n").status, 200);
  auto r = call("POST", "/", R"({"name":"w"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"hello":"w"})");
  ASSERT_EQ(call("DELETE", "/v1/policies/main").status, 200);
  r = call("POST", "/", "{}");
  EXPECT_EQ(r.status, 404);
  Value v = body_of(r);
  EXPECT_EQ(v.find("code")->str(), "undefined_document");
  EXPECT_EQ(v.find("message")->str(), "document missing: data.system.main");
  EXPECT_EQ(call("GET", "/").status, 405);
}

TEST_F(RestApiTest, V0Data) {
  auto r = call("POST", "/v0/data/authz/allow", R"({"user":"alice"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "true");
  EXPECT_EQ(call("POST", "/v0/data/missing", "{}").status, 404);
}

TEST_F(RestApiTest, Health) {
  auto r = call("GET", "/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(call("GET", "/health?bundles").status, 200);

  bool ready = false;
  RestApiOptions o;
  o.bundles_ready = [&] { return ready; };
  Handler h = make_rest_api(store, nullptr, nullptr, o);
  EXPECT_EQ(h(make("GET", "/health")).status, 200);
  r = h(make("GET", "/health?bundles"));
  EXPECT_EQ(r.status, 500);
  EXPECT_TRUE(body_of(r).find("error"));
  EXPECT_EQ(h(make("GET", "/health/ready")).status, 500);
  EXPECT_EQ(h(make("GET", "/health/live")).status, 200);
  ready = true;
  EXPECT_EQ(h(make("GET", "/health?bundles")).status, 200);
  EXPECT_EQ(h(make("POST", "/health")).status, 405);
}

TEST_F(RestApiTest, HealthBundlesShowsActiveRevisions) {
  std::map<std::string, SourceFile> modules{{"b/p.rego", SourceFile{"b/p.rego", "package app\nx := 1\n"}}};
  ASSERT_TRUE(store.replace_all(modules, wartburg::Value::empty_object(), {{"app-bundle", "rev-7"}}).empty());
  auto r = call("GET", "/health?bundles");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"bundles":{"app-bundle":{"revision":"rev-7"}}})");
  EXPECT_EQ(call("GET", "/health").body, "{}");
}

TEST_F(RestApiTest, NotFoundAndMethodNotAllowed) {
  auto r = call("GET", "/v2/whatever");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(body_of(r).find("code")->str(), "resource_not_found");
  EXPECT_EQ(call("GET", "/v1/database").status, 404);
  EXPECT_EQ(call("OPTIONS", "/v1/data/x").status, 405);
}

TEST_F(RestApiTest, MetricsEndpointAndDecisionLog) {
  Metrics metrics;
  auto path = std::filesystem::temp_directory_path() / ("wartburg_rest_api_test_" + std::to_string(::getpid()) + ".log");
  std::filesystem::remove(path);
  {
    DecisionLogConfig cfg;
    cfg.destination = path.string();
    DecisionLog log(cfg);
    Handler h = make_rest_api(store, &metrics, &log, opts);
    auto r = h(make("POST", "/v1/data/authz/allow", R"({"input":{"user":"alice"}})"));
    ASSERT_EQ(r.status, 200);
    Value v = parse_json(r.body);
    ASSERT_TRUE(v.find("decision_id"));
    std::string id = v.find("decision_id")->str();
    EXPECT_EQ(id.size(), 36u);
    log.flush();
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_NE(ss.str().find(id), std::string::npos) << ss.str();

    r = h(make("GET", "/metrics"));
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(header(r, "Content-Type")->find("version=0.0.4"), std::string::npos);
    EXPECT_NE(r.body.find("/v1/data"), std::string::npos) << r.body;
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace wartburg::sidecar
