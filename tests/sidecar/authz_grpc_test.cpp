// Tests for the ext_authz gRPC check without a network: OPA-Envoy's input
// mapping of a CheckRequest (JSON field names, populated fields only,
// parsed_path / parsed_query / parsed_body / truncated_body as Go parses
// them), its reading of decisions into a CheckResponse, its errors, dry-run,
// and the conversion of OPA-Envoy's `path` setting. The server itself is
// tested end to end (tests/e2e/grpc_authz_test.py).
#include <gtest/gtest.h>

#include <string>

#include "envoy/service/auth/v3/external_auth.pb.h"
#include "policy/json.h"
#include "sidecar/authz_grpc.h"
#include "sidecar/config.h"
#include "sidecar/store.h"

namespace {

using namespace wartburg;
using namespace wartburg::sidecar;
namespace auth = envoy::service::auth::v3;

auth::CheckRequest make(const std::string& path, const std::string& body = "", const std::string& type = "") {
  auth::CheckRequest r;
  auto* http = r.mutable_attributes()->mutable_request()->mutable_http();
  http->set_method("POST");
  http->set_path(path);
  http->set_size(static_cast<int64_t>(body.size()));
  if (!body.empty()) http->set_body(body);
  if (!type.empty()) (*http->mutable_headers())["content-type"] = type;
  auto* sa = r.mutable_attributes()->mutable_source()->mutable_address()->mutable_socket_address();
  sa->set_address("10.1.2.3");
  sa->set_port_value(4567);
  r.mutable_attributes()->mutable_request()->mutable_time()->set_seconds(1700000000);
  (*r.mutable_attributes()->mutable_context_extensions())["ns"] = "shop";
  return r;
}

TEST(GrpcAuthzInput, OpaEnvoyShape) {
  Value in = grpc_authz_input(make("/a%2Fb/c?x=1&x=2&y=a+b&flag", R"({"n": 1})", "application/json"));
  EXPECT_EQ(to_json(*in.find("parsed_path")), R"(["a","b","c"])");  // %2F decoded before the split, as Go
  EXPECT_EQ(to_json(*in.find("parsed_query")), R"({"flag":[""],"x":["1","2"],"y":["a b"]})");
  EXPECT_EQ(to_json(*in.find("parsed_body")), R"({"n":1})");
  EXPECT_EQ(to_json(*in.find("truncated_body")), "false");
  EXPECT_EQ(to_json(*in.find("version")), R"({"encoding":"protojson","ext_authz":"v3"})");
  const Value& attrs = *in.find("attributes");
  // JSON names, numbers as numbers, only populated fields (no "query", "fragment", "host")
  EXPECT_EQ(to_json(*attrs.find("source")), R"({"address":{"socketAddress":{"address":"10.1.2.3","portValue":4567}}})");
  EXPECT_EQ(to_json(*attrs.find("contextExtensions")), R"({"ns":"shop"})");
  const Value& http = *attrs.find("request")->find("http");
  EXPECT_EQ(to_json(*http.find("size")), "8");
  EXPECT_EQ(http.find("host"), nullptr);
  EXPECT_EQ(to_json(*attrs.find("request")->find("time")), R"({"seconds":1700000000})");
  EXPECT_EQ(in.find("source_principal"), nullptr);
  // the fast mapping equals the reflection-based reference
  auth::CheckRequest full = make("/x");
  full.mutable_attributes()->mutable_source()->set_principal("spiffe://a");
  (*full.mutable_attributes()->mutable_destination()->mutable_labels())["app"] = "x";
  full.mutable_attributes()->mutable_request()->mutable_http()->set_raw_body(std::string("\x00\xff", 2));
  auto* md = full.mutable_attributes()->mutable_metadata_context()->mutable_filter_metadata();
  (*(*md)["f"].mutable_fields())["k"].set_number_value(1.5);
  full.mutable_attributes()->mutable_tls_session()->set_sni("a.b");
  EXPECT_EQ(to_json(*grpc_authz_input(full).find("attributes")), to_json(grpc_authz_attributes_reference(full)));
}

TEST(GrpcAuthzInput, Bodies) {
  EXPECT_EQ(to_json(*grpc_authz_input(make("/", "a=1&a=2&b=x%20y", "application/x-www-form-urlencoded"))
                         .find("parsed_body")),
            R"({"a":["1","2"],"b":["x y"]})");
  std::string mp = "--XX\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nhello\r\n"
                   "--XX\r\nContent-Disposition: form-data; name=\"j\"\r\nContent-Type: application/json\r\n\r\n"
                   "{\"k\": true}\r\n--XX--\r\n";
  EXPECT_EQ(to_json(*grpc_authz_input(make("/", mp, "multipart/form-data; boundary=XX")).find("parsed_body")),
            R"({"f":["hello"],"j":[{"k":true}]})");
  // unknown types are not parsed; an empty path is [""]
  Value plain = grpc_authz_input(make("", "x", "text/plain"));
  EXPECT_TRUE(plain.find("parsed_body")->is_null());
  EXPECT_EQ(to_json(*plain.find("parsed_path")), R"([""])");
  // content-length above the body received: truncated, not parsed
  auth::CheckRequest t = make("/", R"({"a":)", "application/json");
  (*t.mutable_attributes()->mutable_request()->mutable_http()->mutable_headers())["content-length"] = "100";
  Value tin = grpc_authz_input(t);
  EXPECT_EQ(to_json(*tin.find("truncated_body")), "true");
  EXPECT_TRUE(tin.find("parsed_body")->is_null());
  // skip-request-body-parse: neither key
  Value skipped = grpc_authz_input(make("/", "{}", "application/json"), true);
  EXPECT_EQ(skipped.find("parsed_body"), nullptr);
  EXPECT_EQ(skipped.find("truncated_body"), nullptr);
}

TEST(GrpcAuthzInput, ParseErrors) {
  EXPECT_THROW(grpc_authz_input(make("/", "{", "application/json")), GrpcRequestParseError);
  EXPECT_THROW(grpc_authz_input(make("/x%zz")), GrpcRequestParseError);
  EXPECT_THROW(grpc_authz_input(make("/x?a=1;b=2")), GrpcRequestParseError);
  EXPECT_THROW(grpc_authz_input(make("/", "a=%", "application/x-www-form-urlencoded")), GrpcRequestParseError);
}

constexpr const char* kPolicy = R"(package envoy.authz
import rego.v1
default allow := false
allow if input.parsed_path == ["ok"]
allow := {"allowed": false, "http_status": 418, "body": "tea"} if input.parsed_path == ["teapot"]
allow := {"allowed": false, "http_status": 299} if input.parsed_path == ["odd"]
allow := {"allowed": true, "headers": {"x": 1}} if input.parsed_path == ["badheader"]
allow := {"allowed": "yes"} if input.parsed_path == ["badallowed"]
)";

TEST(GrpcAuthzCheck, DecisionsAndErrors) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("authz.rego", kPolicy).empty());
  GrpcAuthzOptions o;
  auto run = [&](const std::string& path, auth::CheckResponse& resp) {
    return grpc_authz_check(store, nullptr, nullptr, o, make(path), resp, "ipv4:127.0.0.1:9");
  };
  auth::CheckResponse r;
  EXPECT_TRUE(run("/ok", r).ok);
  EXPECT_EQ(r.status().code(), 0);
  EXPECT_EQ(r.dynamic_metadata().fields().at("decision_id").string_value().size(), 36u);

  r.Clear();
  EXPECT_TRUE(run("/other", r).ok);
  EXPECT_EQ(r.status().code(), 7);  // the default false: PERMISSION_DENIED

  // 418 is not among Envoy's status codes (as OPA-Envoy: an invalid status is an error)
  r.Clear();
  GrpcCheckOutcome out = run("/teapot", r);
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.code, 2);
  EXPECT_EQ(out.message, "failed to get response http status: invalid HTTP status code 418");
  EXPECT_EQ(r.ByteSizeLong(), 0u);

  out = run("/badheader", r);
  EXPECT_EQ(out.message, "failed to get response headers: type assertion error for header 'x'");
  out = run("/badallowed", r);
  EXPECT_EQ(out.message,
            "failed to get response status: type assertion error, expected allowed to be of type 'boolean' but got "
            "'string'");

  // dry-run: the denial is allowed, errors stay errors
  o.dry_run = true;
  r.Clear();
  EXPECT_TRUE(run("/other", r).ok);
  EXPECT_EQ(r.status().code(), 0);
  EXPECT_TRUE(r.has_ok_response());
  EXPECT_FALSE(run("/badallowed", r).ok);

  // an undefined decision is an error, not a denial
  o.dry_run = false;
  o.decision = "data.envoy.authz.missing";
  out = run("/ok", r);
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.message, "undefined decision");

  // a request that cannot be parsed: denied with 400 (OPA-Envoy's request_parse_error)
  o.decision = "data.envoy.authz.allow";
  r.Clear();
  out = run("/x%zz", r);
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(r.status().code(), 7);
  EXPECT_EQ(r.denied_response().status().code(), 400);
  EXPECT_EQ(r.denied_response().body(), "request_parse_error: invalid URL escape \"%zz\"");
}

TEST(GrpcAuthzConfig, OpaEnvoyPath) {
  EXPECT_EQ(opa_envoy_path_to_ref("envoy/authz/allow"), "data.envoy.authz.allow");
  EXPECT_EQ(opa_envoy_path_to_ref("/test/allow/main/"), "data.test.allow.main");
  EXPECT_EQ(opa_envoy_path_to_ref("test/com.foo.envoy.ingress/allow"), R"(data.test["com.foo.envoy.ingress"].allow)");
  EXPECT_EQ(opa_envoy_path_to_ref("x/0/y"), "data.x[0].y");
  EXPECT_EQ(opa_envoy_path_to_ref(""), "data");
}

}  // namespace
