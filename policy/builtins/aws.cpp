// Builtins: providers.aws.sign_req(request, aws_config, time_ns) => request,
// AWS Signature Version 4 as OPA computes it: the request (an http.send request
// object) comes back with its headers plus Authorization, host, x-amz-date,
// x-amz-content-sha256 (s3 and glacier only; UNSIGNED-PAYLOAD when
// aws_config.disable_payload_signing) and x-amz-security-token (with
// aws_session_token). The canonical request signs every request header except
// authorization, user-agent and x-amzn-trace-id (a header given in the request
// overrides the value signed for the same lower-cased name, as in OPA). The
// payload is raw_body, else body as JSON, else empty. Errors and their operand
// numbers follow OPA exactly.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <ctime>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "policy/builtins/registry.h"

namespace wartburg::builtins {

// Defined in http.cpp: Go's url.Parse(raw) reduced to the parts SigV4 signs.
// Returns "" or Go's error text.
std::string http_url_parts(const std::string& raw, std::string& host, std::string& escaped_path,
                           std::string& raw_query);
// Defined in http.cpp: http.send's request-key checks (unknown keys, missing method/url).
void http_validate_request(const Value& req);

namespace {

std::string hex(const unsigned char* p, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return hex(md, len);
}

std::string hmac_sha256(std::string_view key, std::string_view msg) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
       msg.size(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}

// A string field's text, "" for a missing or non-string one (OPA's stringFromTerm).
std::string string_of(const Value* v) { return v && v->is_string() ? v->str() : ""; }


// The keys of `required` missing from obj (or, with check_type, present but
// not strings), as a set.
Value key_set(const Value& obj, const std::vector<const char*>& required, bool check_type) {
  SetBuilder out;
  for (const char* k : required) {
    const Value* v = obj.find(k);
    if (check_type ? (v && !v->is_string()) : !v) out.add(Value::string(k));
  }
  return out.build();
}

std::string utc_format(int64_t ns, const char* fmt) {
  int64_t secs = ns / 1'000'000'000;
  if (ns % 1'000'000'000 < 0) --secs;  // floor for times before 1970
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, fmt, &tm);
  return std::string(buf, n);
}

Value sign_req(Context&, const Value* args) {
  // OPA checks both objects and the number as "operand 1" (sic).
  const Value& req = args[0];
  if (!req.is_object()) operand_error(1, "object", req);
  const Value& config = args[1];
  if (!config.is_object()) operand_error(1, "object", config);
  static const std::vector<const char*> required_config = {"aws_access_key", "aws_region", "aws_secret_access_key",
                                                           "aws_service"};
  Value missing = key_set(config, required_config, false);
  if (missing.size() != 0) throw TypeError("operand 2 missing required AWS config parameters(s): " + to_rego(missing));
  Value wrong = key_set(config, required_config, true);
  if (wrong.size() != 0) {
    throw TypeError("operand 2 invalid values for required AWS config parameters(s): " + to_rego(wrong));
  }
  std::string service = config.find("aws_service")->str();
  std::string access_key = config.find("aws_access_key")->str();
  std::string secret_key = config.find("aws_secret_access_key")->str();
  std::string region = config.find("aws_region")->str();
  std::string session_token = string_of(config.find("aws_session_token"));

  const Value& ts = args[2];
  if (!ts.is_number()) operand_error(1, "number", ts);
  int64_t time_ns;
  if (!ts.is_integral() || !ts.to_int64(time_ns)) {
    throw TypeError("operand 3 could not convert time_ns value into a unix timestamp");
  }

  http_validate_request(req);
  const Value* url = req.find("url");
  const Value* method = req.find("method");
  Value headers = Value::empty_object();
  if (const Value* h = req.find("headers")) {
    if (!h->is_object()) operand_error(0, "object", *h);
    headers = *h;
  }
  SetBuilder bad_params;
  if (!url->is_string()) bad_params.add(Value::string("url"));
  if (!method->is_string()) bad_params.add(Value::string("method"));
  Value bad = bad_params.build();
  if (bad.size() != 0) throw TypeError("operand 1 invalid values for required request parameters(s): " + to_rego(bad));

  std::string host, path, query;
  std::string err = http_url_parts(url->str(), host, path, query);
  if (!err.empty()) throw BuiltinError(err);

  bool unsigned_payload = false;
  if (const Value* d = config.find("disable_payload_signing")) {
    if (!d->is_bool()) throw TypeError("operand 2 invalid value for 'disable_payload_signing' in AWS config");
    unsigned_payload = d->as_bool();
  }
  std::string body;
  if (const Value* raw = req.find("raw_body")) {
    body = string_of(raw);
  } else if (const Value* b = req.find("body")) {
    body = go_json(*b);
  }
  std::string content_hash = unsigned_payload ? "UNSIGNED-PAYLOAD" : sha256_hex(body);

  std::string date = utc_format(time_ns, "%Y%m%d");
  std::string amz_date = utc_format(time_ns, "%Y%m%dT%H%M%SZ");

  std::map<std::string, std::string> aws_headers = {{"host", host}, {"x-amz-date", amz_date}};
  if (service == "s3" || service == "glacier") aws_headers["x-amz-content-sha256"] = content_hash;
  if (!session_token.empty()) aws_headers["x-amz-security-token"] = session_token;

  // Headers to sign: the aws ones, overridden by the request's (lower-cased).
  std::map<std::string, std::string> to_sign = aws_headers;
  for (const auto& [k, v] : headers.entries()) {
    std::string name = string_of(&k);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "authorization" || name == "user-agent" || name == "x-amzn-trace-id") continue;
    to_sign[name] = string_of(&v);
  }

  std::string canonical = method->str() + "\n" + path + "\n" + query + "\n";
  std::string signed_list;
  for (const auto& [k, v] : to_sign) {
    canonical += k + ":" + v + "\n";
    if (!signed_list.empty()) signed_list += ";";
    signed_list += k;
  }
  canonical += "\n" + signed_list + "\n" + content_hash;

  std::string scope = date + "/" + region + "/" + service + "/aws4_request";
  std::string to_sign_text = "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + sha256_hex(canonical);
  std::string key = hmac_sha256("AWS4" + secret_key, date);
  key = hmac_sha256(key, region);
  key = hmac_sha256(key, service);
  key = hmac_sha256(key, "aws4_request");
  std::string sig = hmac_sha256(key, to_sign_text);
  std::string authorization = "AWS4-HMAC-SHA256 Credential=" + access_key + "/" + scope +
                              ",SignedHeaders=" + signed_list +
                              ",Signature=" + hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());

  // The result's headers: the request's (string values only, with string
  // keys as given), then Authorization and the aws headers.
  std::map<std::string, Value> out_headers;
  for (const auto& [k, v] : headers.entries()) out_headers[string_of(&k)] = Value::string(string_of(&v));
  out_headers["Authorization"] = Value::string(authorization);
  for (const auto& [k, v] : aws_headers) out_headers[k] = Value::string(v);
  ObjectBuilder hb;
  for (auto& [k, v] : out_headers) hb.add(k, std::move(v));

  ObjectBuilder out;
  for (const auto& [k, v] : req.entries()) {
    if (k.is_string() && k.str() == "headers") continue;
    out.add(k, v);
  }
  out.add("headers", hb.build());
  return out.build();
}

}  // namespace

void register_aws(Registry& r) {
  r.add({"providers.aws.sign_req", 3, sign_req, "(object, object, number) => object"});
}

}  // namespace wartburg::builtins
