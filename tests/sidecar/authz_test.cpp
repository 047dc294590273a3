// Tests for the authorization endpoint: OPA-Envoy's input shape built from
// Envoy ext_authz HTTP, nginx auth_request and Traefik ForwardAuth requests,
// boolean and object decisions (headers, body, http_status), undefined and
// erroneous decisions (403).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "policy/json.h"
#include "sidecar/authz.h"
#include "sidecar/decision_log.h"
#include "sidecar/metrics.h"
#include "sidecar/store.h"

namespace {

using namespace wartburg;
using namespace wartburg::sidecar;

Request make(const std::string& method, const std::string& target,
             std::vector<std::pair<std::string, std::string>> headers = {}, std::string body = "") {
  Request r;
  r.method = method;
  r.target = target;
  size_t q = target.find('?');
  r.path = percent_decode(target.substr(0, q), false);
  if (q != std::string::npos) r.query = parse_query_string(target.substr(q + 1));
  r.headers = std::move(headers);
  r.body = std::move(body);
  r.remote_addr = "192.0.2.7:51234";
  return r;
}

const std::string* header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

TEST(AuthzInput, EnvoyShape) {
  Request r = make("POST", "/api/v1/items%20x/42?limit=10&tag=a&tag=b",
                   {{"host", "shop.example.com"}, {"content-type", "application/json"},
                    {"authorization", "Bearer t"}, {"x-request-id", "rid-1"}, {"accept", "a"}, {"accept", "b"}},
                   R"({"name":"x"})");
  Value in = authz_input(r);
  const Value& http = *in.find("attributes")->find("request")->find("http");
  EXPECT_EQ(http.find("method")->str(), "POST");
  EXPECT_EQ(http.find("path")->str(), "/api/v1/items%20x/42?limit=10&tag=a&tag=b");
  EXPECT_EQ(http.find("host")->str(), "shop.example.com");
  EXPECT_EQ(http.find("scheme")->str(), "http");
  EXPECT_EQ(http.find("protocol")->str(), "HTTP/1.1");
  EXPECT_EQ(http.find("id")->str(), "rid-1");
  EXPECT_EQ(http.find("body")->str(), R"({"name":"x"})");
  EXPECT_EQ(http.find("headers")->find("authorization")->str(), "Bearer t");
  EXPECT_EQ(http.find("headers")->find("accept")->str(), "a,b");
  EXPECT_EQ(to_json(*in.find("parsed_path")), R"(["api","v1","items x","42"])");
  EXPECT_EQ(to_json(*in.find("parsed_query")), R"({"limit":["10"],"tag":["a","b"]})");
  EXPECT_EQ(to_json(*in.find("parsed_body")), R"({"name":"x"})");
  const Value& sa = *in.find("attributes")->find("source")->find("address")->find("socketAddress");
  EXPECT_EQ(sa.find("address")->str(), "192.0.2.7");
  EXPECT_EQ(sa.find("portValue")->as_int(), 51234);
}

AuthzOptions mode(const char* m) {
  AuthzOptions o;
  o.forwarded_headers = m;
  return o;
}

TEST(AuthzInput, NginxAndTraefikHeaders) {
  Request nginx = make("GET", "/auth", {{"x-original-method", "DELETE"}, {"x-original-uri", "/users/7?force=1"},
                                        {"host", "app.local"}, {"x-forwarded-for", "10.9.9.9, 203.0.113.5"}});
  Value in = authz_input(nginx, mode("nginx"));
  const Value& http = *in.find("attributes")->find("request")->find("http");
  EXPECT_EQ(http.find("method")->str(), "DELETE");
  EXPECT_EQ(http.find("path")->str(), "/users/7?force=1");
  EXPECT_EQ(to_json(*in.find("parsed_path")), R"(["users","7"])");
  EXPECT_EQ(to_json(*in.find("parsed_query")), R"({"force":["1"]})");
  // the address nginx appended, not the one the client put first
  EXPECT_EQ(in.find("attributes")->find("source")->find("address")->find("socketAddress")->find("address")->str(),
            "203.0.113.5");
  EXPECT_TRUE(in.find("parsed_body")->is_null());

  Request traefik = make("GET", "/", {{"x-forwarded-method", "PUT"}, {"x-forwarded-uri", "/a/b"},
                                      {"x-forwarded-host", "web.example"}, {"x-forwarded-proto", "https"},
                                      {"x-forwarded-for", "198.51.100.1"}});
  Value tin = authz_input(traefik, mode("traefik"));
  const Value& th = *tin.find("attributes")->find("request")->find("http");
  EXPECT_EQ(th.find("method")->str(), "PUT");
  EXPECT_EQ(th.find("path")->str(), "/a/b");
  EXPECT_EQ(th.find("host")->str(), "web.example");
  EXPECT_EQ(th.find("scheme")->str(), "https");
  EXPECT_EQ(tin.find("attributes")->find("source")->find("address")->find("socketAddress")->find("address")->str(),
            "198.51.100.1");

  AuthzOptions o;
  o.path_prefix = "/authz";
  Value pin = authz_input(make("GET", "/authz/x/y"), o);
  EXPECT_EQ(pin.find("attributes")->find("request")->find("http")->find("path")->str(), "/x/y");
  EXPECT_EQ(to_json(*authz_input(make("GET", "/")).find("parsed_path")), R"([""])");
}

// The issue's bypass: a client adds the other proxy's headers (Traefik
// forwards client headers); only the configured proxy's headers count.
TEST(AuthzInput, ForwardedHeadersComeOnlyFromTheConfiguredProxy) {
  std::vector<std::pair<std::string, std::string>> spoof = {
      {"x-original-method", "GET"}, {"x-original-uri", "/health"},  // added by the client
      {"x-forwarded-method", "DELETE"}, {"x-forwarded-uri", "/api/orders/1"}};  // set by Traefik
  auto method_path = [](const Value& in) {
    const Value& h = *in.find("attributes")->find("request")->find("http");
    return h.find("method")->str() + " " + h.find("path")->str();
  };
  EXPECT_EQ(method_path(authz_input(make("GET", "/", spoof), mode("traefik"))), "DELETE /api/orders/1");
  EXPECT_EQ(method_path(authz_input(make("GET", "/authz", spoof), mode("none"))), "GET /authz");
  EXPECT_EQ(method_path(authz_input(make("DELETE", "/api/orders/1", spoof), mode("envoy"))), "DELETE /api/orders/1");
  // nginx mode reads X-Original-*: what nginx's proxy_set_header puts there
  EXPECT_EQ(method_path(authz_input(make("GET", "/auth", spoof), mode("nginx"))), "GET /health");

  // the default reads no forwarding header at all, and the TCP peer is the source
  Request plain = make("POST", "/orders", {{"x-original-uri", "/health"}, {"x-forwarded-for", "1.2.3.4"},
                                           {"x-forwarded-proto", "https"}, {"x-real-ip", "5.6.7.8"}});
  Value in = authz_input(plain);
  EXPECT_EQ(method_path(in), "POST /orders");
  EXPECT_EQ(in.find("attributes")->find("request")->find("http")->find("scheme")->str(), "http");
  EXPECT_EQ(in.find("attributes")->find("source")->find("address")->find("socketAddress")->find("address")->str(),
            "192.0.2.7");

  // a proxy's header sent twice (a client copy next to the proxy's) is refused
  EXPECT_THROW(authz_input(make("GET", "/", {{"x-forwarded-method", "GET"}, {"x-forwarded-method", "DELETE"},
                                             {"x-forwarded-uri", "/a"}}),
                           mode("traefik")),
               AuthzInputError);
  EXPECT_THROW(authz_input(make("GET", "/", {{"x-original-uri", "/a"}, {"x-original-uri", "/b"},
                                             {"x-original-method", "GET"}}),
                           mode("nginx")),
               AuthzInputError);
  // required headers missing or malformed
  EXPECT_THROW(authz_input(make("GET", "/health"), mode("nginx")), AuthzInputError);
  EXPECT_THROW(authz_input(make("GET", "/", {{"x-forwarded-uri", "/a"}}), mode("traefik")), AuthzInputError);
  EXPECT_THROW(authz_input(make("GET", "/", {{"x-original-method", "GET /x"}, {"x-original-uri", "/a"}}), mode("nginx")),
               AuthzInputError);
  EXPECT_THROW(authz_input(make("GET", "/", {{"x-original-method", "GET"}, {"x-original-uri", "http://h/a"}}),
                           mode("nginx")),
               AuthzInputError);
  EXPECT_THROW(authz_input(make("GET", "/"), mode("haproxy")), AuthzInputError);
  EXPECT_TRUE(valid_forwarded_headers("envoy"));
  EXPECT_FALSE(valid_forwarded_headers(""));
}

const char* kBoolPolicy = R"(package envoy.authz

default allow := false

allow if {
  input.attributes.request.http.method == "GET"
  input.parsed_path[0] == "public"
}

allow if {
  input.attributes.request.http.headers.authorization == "Bearer admin"
}
)";

TEST(AuthzHandler, BooleanDecision) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("authz.rego", kBoolPolicy).empty());
  Metrics metrics;
  Handler h = make_authz_handler(store, &metrics, nullptr);
  EXPECT_EQ(h(make("GET", "/public/index.html")).status, 200);
  EXPECT_EQ(h(make("POST", "/public/index.html")).status, 403);
  EXPECT_EQ(h(make("POST", "/private", {{"authorization", "Bearer admin"}})).status, 200);
  // without a configured proxy, forwarding headers are ignored
  EXPECT_EQ(h(make("POST", "/auth", {{"x-original-method", "GET"}, {"x-original-uri", "/public/a"}})).status, 403);
  std::string m = metrics.render();
  EXPECT_NE(m.find("authz"), std::string::npos);

  Handler nginx = make_authz_handler(store, &metrics, nullptr, mode("nginx"));
  EXPECT_EQ(nginx(make("GET", "/auth", {{"x-original-method", "GET"}, {"x-original-uri", "/public/a"}})).status, 200);
  EXPECT_EQ(nginx(make("GET", "/auth", {{"x-original-method", "GET"}, {"x-original-uri", "/secret"}})).status, 403);
  // nginx named but its headers missing: denied, counted as an error
  EXPECT_EQ(nginx(make("GET", "/public/a")).status, 403);
  EXPECT_NE(metrics.render().find(R"(wartburg_decisions_total{kind="authz",outcome="error"} 1)"), std::string::npos);
}

const char* kObjectPolicy = R"(package envoy.authz

default allow := {"allowed": false, "http_status": 401, "body": "login first",
                  "response_headers_to_add": {"www-authenticate": "Bearer"}}

allow := {"allowed": true, "headers": {"x-user": user, "x-roles": ["a", "b"]}} if {
  startswith(input.attributes.request.http.headers.authorization, "Bearer ")
  user := substring(input.attributes.request.http.headers.authorization, 7, -1)
  user != "banned"
}

allow := {"allowed": false, "http_status": 418, "body": "go away", "headers": [{"x-reason": "banned"}]} if {
  input.attributes.request.http.headers.authorization == "Bearer banned"
}
)";

TEST(AuthzHandler, ObjectDecision) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("authz.rego", kObjectPolicy).empty());
  Handler h = make_authz_handler(store, nullptr, nullptr);

  Response ok = h(make("GET", "/x", {{"authorization", "Bearer alice"}}));
  EXPECT_EQ(ok.status, 200);
  ASSERT_NE(header(ok, "x-user"), nullptr);
  EXPECT_EQ(*header(ok, "x-user"), "alice");
  int roles = 0;
  for (const auto& [k, v] : ok.headers) roles += k == "x-roles";
  EXPECT_EQ(roles, 2);
  EXPECT_TRUE(ok.body.empty());

  Response anon = h(make("GET", "/x"));
  EXPECT_EQ(anon.status, 401);
  EXPECT_EQ(anon.body, "login first");
  ASSERT_NE(header(anon, "www-authenticate"), nullptr);

  Response banned = h(make("GET", "/x", {{"authorization", "Bearer banned"}}));
  EXPECT_EQ(banned.status, 418);
  EXPECT_EQ(banned.body, "go away");
  ASSERT_NE(header(banned, "x-reason"), nullptr);
}

TEST(AuthzHandler, UndefinedErrorsAndIllegalResultsDeny) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("p.rego", R"(package envoy.authz

allow if input.attributes.request.http.method == "GET"

conflict = 1 if input.attributes.request.http.method
conflict = 2 if input.attributes.request.http.method

text := "yes"
missing := {"headers": {}}
)").empty());
  AuthzOptions o;
  Handler h = make_authz_handler(store, nullptr, nullptr, o);
  EXPECT_EQ(h(make("POST", "/")).status, 403);  // undefined
  EXPECT_EQ(h(make("GET", "/")).status, 200);
  for (const char* d : {"data.envoy.authz.conflict", "data.envoy.authz.text", "data.envoy.authz.missing",
                        "data.nowhere.allow"}) {
    o.decision = d;
    EXPECT_EQ(make_authz_handler(store, nullptr, nullptr, o)(make("GET", "/")).status, 403) << d;
  }
}

TEST(AuthzHandler, DecisionLogged) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("authz.rego", kBoolPolicy).empty());
  std::string file = ::testing::TempDir() + "authz_decisions.log";
  std::remove(file.c_str());
  {
    DecisionLogConfig cfg;
    cfg.destination = file;
    DecisionLog log(cfg);
    Handler h = make_authz_handler(store, nullptr, &log);
    EXPECT_EQ(h(make("GET", "/public/x")).status, 200);
    log.flush();
  }
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  EXPECT_NE(text.find("envoy/authz/allow"), std::string::npos) << text;
  EXPECT_NE(text.find("\"result\":true"), std::string::npos) << text;
  EXPECT_NE(text.find("parsed_path"), std::string::npos) << text;
  std::remove(file.c_str());
}

}  // namespace
