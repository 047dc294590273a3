// Tests for providers.aws.sign_req (AWS Signature Version 4): AWS's published
// "get-vanilla" example, OPA's conformance vectors (headers, session token,
// bodies, payload signing) and the errors with OPA's wording.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"

namespace {

using wartburg::Value;
using namespace wartburg::builtins::test_util::tagged;

constexpr int64_t kTime = 1451311705000000000;  // 2015-12-28T14:08:25Z

Value config(const std::string& extra = "") {
  return J(R"({"aws_access_key": "MYAWSACCESSKEYGOESHERE", "aws_secret_access_key": "MYAWSSECRETACCESSKEYGOESHERE",
               "aws_service": "s3", "aws_region": "us-east-1")" +
           extra + "}");
}

Value sign(const std::string& req, const Value& cfg, int64_t t = kTime) {
  return call("providers.aws.sign_req", {J(req), cfg, I(t)});
}

std::string sign_error(const Value& req, const Value& cfg, const Value& t) {
  return error_of("providers.aws.sign_req", {req, cfg, t});
}

const Value& header(const Value& signed_req, const char* name) {
  static const Value undefined;
  const Value* h = signed_req.find("headers");
  const Value* v = h ? h->find(name) : nullptr;
  return v ? *v : undefined;
}

}  // namespace

TEST(AwsSignReq, AwsGetVanillaExample) {
  // AWS's SigV4 test suite, get-vanilla: GET / on example.amazonaws.com at 20150830T123600Z.
  Value cfg = J(R"({"aws_access_key": "AKIDEXAMPLE", "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                    "aws_service": "service", "aws_region": "us-east-1"})");
  Value r = sign(R"({"method": "GET", "url": "https://example.amazonaws.com/"})", cfg, 1440938160000000000);
  EXPECT_EQ(header(r, "Authorization"),
            Str("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                "SignedHeaders=host;x-amz-date,"
                "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
  EXPECT_EQ(header(r, "x-amz-date"), Str("20150830T123600Z"));
  EXPECT_EQ(header(r, "host"), Str("example.amazonaws.com"));
  EXPECT_FALSE(header(r, "x-amz-content-sha256").defined());  // only s3 and glacier
}

TEST(AwsSignReq, SimpleNoBody) {
  Value r = sign(R"({"method": "get", "url": "http://example.com"})", config());
  EXPECT_EQ(r, J(R"({"method": "get", "url": "http://example.com", "headers": {
      "Authorization": "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3",
      "host": "example.com",
      "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "x-amz-date": "20151228T140825Z"}})"));
}

TEST(AwsSignReq, RequestHeadersAreKeptAndSigned) {
  Value r = sign(R"({"method": "get", "url": "http://example.com", "headers": {"foo": "bar", "User-Agent": "x"}})", config());
  EXPECT_EQ(header(r, "foo"), Str("bar"));
  EXPECT_EQ(header(r, "User-Agent"), Str("x"));  // kept, but not signed
  std::string auth = header(r, "Authorization").str();
  EXPECT_NE(auth.find("SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,"), std::string::npos) << auth;
  EXPECT_NE(auth.find("Signature=8f1dc7c9b9978356a0d0989fd26a95307f4f8a4aa264d8220647b7097d839952"), std::string::npos);
}

TEST(AwsSignReq, SessionToken) {
  Value r = sign(R"({"method": "get", "url": "http://example.com"})",
                 config(R"(, "aws_session_token": "MYAWSSECURITYTOKENGOESHERE")"));
  EXPECT_EQ(header(r, "x-amz-security-token"), Str("MYAWSSECURITYTOKENGOESHERE"));
  EXPECT_EQ(header(r, "Authorization"),
            Str("AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
                "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"
                "Signature=23c31bda8a74630c0a94f6b82a3511e7e74728df98e6f54ed0840488dbbdc8d1"));
}

TEST(AwsSignReq, Bodies) {
  // body as JSON (sets become arrays), raw_body verbatim and preferred
  Value body = call("providers.aws.sign_req",
                    {Value::object({{Str("method"), Str("get")},
                                    {Str("url"), Str("http://example.com")},
                                    {Str("body"), Value::object({{Str("example"), S({I(1), I(2), I(3), I(4)})}})}}),
                     config(), I(kTime)});
  EXPECT_EQ(header(body, "x-amz-content-sha256"), Str("bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07"));
  Value raw = sign(R"({"method": "get", "url": "http://example.com", "body": {"a": 1}, "raw_body": "{\"example\": {1, 2, 3, 4}}"})",
                   config());
  EXPECT_EQ(header(raw, "x-amz-content-sha256"), Str("22906461e2a98a3e780d0fd260e341bed5e544661e97c5936fc7f3af11aaad8b"));
  // the request's other fields are kept as they were
  ASSERT_NE(raw.find("body"), nullptr);
  EXPECT_EQ(*raw.find("body"), J(R"({"a": 1})"));
  EXPECT_EQ(*raw.find("raw_body"), Str("{\"example\": {1, 2, 3, 4}}"));
}

TEST(AwsSignReq, PayloadSigningSwitch) {
  std::string req = R"({"method": "get", "url": "https://example.com", "headers": {"foo": "bar"}})";
  Value off = sign(req, config(R"(, "disable_payload_signing": true)"));
  EXPECT_EQ(header(off, "x-amz-content-sha256"), Str("UNSIGNED-PAYLOAD"));
  EXPECT_NE(header(off, "Authorization").str().find("c6e6db654e92172f71e18c714c123711de069ac6fd7df1348e5b28fd05532028"),
            std::string::npos);
  Value on = sign(req, config(R"(, "disable_payload_signing": false)"));
  EXPECT_EQ(on, sign(req, config()));
}

TEST(AwsSignReq, ExistingContentHashHeaderIsSignedButReplaced) {
  Value r = sign(R"({"method": "get", "url": "https://example.com", "headers": {"foo": "bar", "x-amz-content-sha256": "existing-value"},
                     "body": {"example": [1, 2, 3, 4]}})",
                 config());
  EXPECT_EQ(header(r, "x-amz-content-sha256"), Str("bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07"));
  EXPECT_NE(header(r, "Authorization").str().find("42bcac7fc6d170e09be72fdf38b62e59361265bc59d5f9156f0d6faf889e98ba"),
            std::string::npos);
}

TEST(AwsSignReq, PathAndQueryAreSigned) {
  Value a = sign(R"({"method": "GET", "url": "https://bucket.s3.amazonaws.com/key?list-type=2"})", config());
  Value b = sign(R"({"method": "GET", "url": "https://bucket.s3.amazonaws.com/key?list-type=1"})", config());
  Value c = sign(R"({"method": "GET", "url": "https://bucket.s3.amazonaws.com/other?list-type=2"})", config());
  EXPECT_NE(header(a, "Authorization"), header(b, "Authorization"));
  EXPECT_NE(header(a, "Authorization"), header(c, "Authorization"));
  EXPECT_EQ(header(a, "host"), Str("bucket.s3.amazonaws.com"));
}

TEST(AwsSignReq, ConfigErrors) {
  Value req = J(R"({"method": "get", "url": "http://example.com"})");
  EXPECT_EQ(sign_error(req, J(R"({"aws_access_key": "a", "aws_service": "s3"})"), I(kTime)),
            R"(type: operand 2 missing required AWS config parameters(s): {"aws_region", "aws_secret_access_key"})");
  EXPECT_EQ(sign_error(req, J(R"({"aws_access_key": 1, "aws_secret_access_key": "s", "aws_service": "s3", "aws_region": false})"),
                       I(kTime)),
            R"(type: operand 2 invalid values for required AWS config parameters(s): {"aws_access_key", "aws_region"})");
  EXPECT_EQ(sign_error(req, config(R"(, "disable_payload_signing": "yes")"), I(kTime)),
            "type: operand 2 invalid value for 'disable_payload_signing' in AWS config");
  // OPA reports the second and third operands' types as operand 1
  EXPECT_EQ(sign_error(req, Str("cfg"), I(kTime)), "type: operand 1 must be object but got string");
  EXPECT_EQ(sign_error(req, config(), Str("now")), "type: operand 1 must be number but got string");
  EXPECT_EQ(sign_error(req, config(), Value::number(1.5)),
            "type: operand 3 could not convert time_ns value into a unix timestamp");
}

TEST(AwsSignReq, RequestErrors) {
  EXPECT_EQ(sign_error(Str("req"), config(), I(kTime)), "type: operand 1 must be object but got string");
  EXPECT_EQ(sign_error(J(R"({"method": "get"})"), config(), I(kTime)),
            R"(type: operand 1 missing required request parameters(s): {"url"})");
  EXPECT_EQ(sign_error(J(R"({"method": "get", "url": "u", "nope": 1})"), config(), I(kTime)),
            R"(type: operand 1 invalid request parameters(s): {"nope"})");
  EXPECT_EQ(sign_error(J(R"({"method": 1, "url": 2})"), config(), I(kTime)),
            R"(type: operand 1 invalid values for required request parameters(s): {"method", "url"})");
  EXPECT_EQ(sign_error(J(R"({"method": "get", "url": "http://x", "headers": "h"})"), config(), I(kTime)),
            "type: operand 0 must be object but got string");
  EXPECT_EQ(sign_error(J(R"({"method": "get", "url": "http://[x"})"), config(), I(kTime)),
            R"(builtin: parse "http://[x": missing ']' in host)");
}
