// Tests for the io.jwt builtins: HS/RS/ES/EdDSA sign-verify round trips with
// keys generated at test time (OpenSSL API), decode_verify's constraints
// (expiry, nbf, iss, aud, alg, JWKS with kid) and the error cases.
#include <gtest/gtest.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"
#include "tests/policy/builtins/limits_util.h"

namespace {

using wartburg::Value;
using namespace wartburg::builtins::test_util::plain;

std::string b64url(const std::string& s) {
  return call("base64url.encode_no_pad", {Value::string(s)}).str();
}

std::string bn_b64url(EVP_PKEY* k, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(k, name, &bn) <= 0) return "";
  std::string raw(size_t(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(raw.data()));
  BN_free(bn);
  return b64url(raw);
}

std::string pem_public(EVP_PKEY* k) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, k);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, size_t(n));
  BIO_free(bio);
  return out;
}

struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyDeleter>;

Value rsa_jwk(EVP_PKEY* k) {
  std::string j = "{\"kty\":\"RSA\",\"n\":\"" + bn_b64url(k, OSSL_PKEY_PARAM_RSA_N) + "\",\"e\":\"" +
                  bn_b64url(k, OSSL_PKEY_PARAM_RSA_E) + "\",\"d\":\"" + bn_b64url(k, OSSL_PKEY_PARAM_RSA_D) +
                  "\",\"p\":\"" + bn_b64url(k, OSSL_PKEY_PARAM_RSA_FACTOR1) + "\",\"q\":\"" +
                  bn_b64url(k, OSSL_PKEY_PARAM_RSA_FACTOR2) + "\",\"dp\":\"" +
                  bn_b64url(k, OSSL_PKEY_PARAM_RSA_EXPONENT1) + "\",\"dq\":\"" +
                  bn_b64url(k, OSSL_PKEY_PARAM_RSA_EXPONENT2) + "\",\"qi\":\"" +
                  bn_b64url(k, OSSL_PKEY_PARAM_RSA_COEFFICIENT1) + "\"}";
  return J(j);
}

Value ec_jwk(EVP_PKEY* k) {
  unsigned char pub[200];
  size_t len = 0;
  EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub, &len);
  size_t n = (len - 1) / 2;
  std::string x(reinterpret_cast<char*>(pub + 1), n), y(reinterpret_cast<char*>(pub + 1 + n), n);
  BIGNUM* d = nullptr;
  EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &d);
  std::string draw(n, '\0');
  BN_bn2binpad(d, reinterpret_cast<unsigned char*>(draw.data()), int(n));
  BN_free(d);
  return J("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + b64url(x) + "\",\"y\":\"" + b64url(y) + "\",\"d\":\"" +
           b64url(draw) + "\"}");
}

Value hs_key(const std::string& secret) { return J("{\"kty\":\"oct\",\"k\":\"" + b64url(secret) + "\"}"); }

Value sign(const char* header, const char* payload, const Value& jwk) {
  return call("io.jwt.encode_sign", {J(header), J(payload), jwk});
}

Value unverified() { return J("[false, {}, {}]"); }

TEST(Jwt, Hs256RoundTrip) {
  Value tok = sign(R"({"alg":"HS256","typ":"JWT"})", R"({"sub":"alice","n":1})", hs_key("secret"));
  EXPECT_EQ(call("io.jwt.verify_hs256", {tok, Value::string("secret")}), Value::boolean(true));
  EXPECT_EQ(call("io.jwt.verify_hs256", {tok, Value::string("wrong")}), Value::boolean(false));
  EXPECT_EQ(call("io.jwt.verify_hs512", {tok, Value::string("secret")}), Value::boolean(false));
  Value dec = call("io.jwt.decode", {tok});
  ASSERT_TRUE(dec.is_array());
  EXPECT_EQ(dec.items()[0], J(R"({"alg":"HS256","typ":"JWT"})"));
  EXPECT_EQ(dec.items()[1], J(R"({"sub":"alice","n":1})"));
  EXPECT_EQ(dec.items()[2].size(), 64u);  // hex of 32 bytes
  Value ok = call("io.jwt.decode_verify", {tok, J(R"({"secret":"secret"})")});
  EXPECT_EQ(ok, J(R"([true, {"alg":"HS256","typ":"JWT"}, {"sub":"alice","n":1}])"));
  EXPECT_EQ(call("io.jwt.decode_verify", {tok, J(R"({"secret":"nope"})")}), unverified());
}

TEST(Jwt, Rfc7515AppendixA1) {
  Value tok = call("io.jwt.encode_sign_raw",
                   {Value::string("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}"),
                    Value::string("{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"),
                    Value::string(R"({"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"})")});
  EXPECT_EQ(tok.str(),
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtc"
            "GxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
}

TEST(Jwt, Rs256WithGeneratedKey) {
  Key k(EVP_RSA_gen(2048));
  ASSERT_TRUE(k);
  Value tok = sign(R"({"alg":"RS256"})", R"({"iss":"me","aud":["a","b"]})", rsa_jwk(k.get()));
  Value pem = Value::string(pem_public(k.get()));
  EXPECT_EQ(call("io.jwt.verify_rs256", {tok, pem}), Value::boolean(true));
  EXPECT_EQ(call("io.jwt.verify_ps256", {tok, pem}), Value::boolean(false));
  EXPECT_EQ(call("io.jwt.decode_verify", {tok, Value::object({{Value::string("cert"), pem},
                                                               {Value::string("aud"), Value::string("b")},
                                                               {Value::string("iss"), Value::string("me")}})})
                .items()[0],
            Value::boolean(true));
  // wrong issuer, missing audience constraint, wrong alg constraint
  EXPECT_EQ(call("io.jwt.decode_verify", {tok, Value::object({{Value::string("cert"), pem},
                                                               {Value::string("aud"), Value::string("a")},
                                                               {Value::string("iss"), Value::string("you")}})}),
            unverified());
  EXPECT_EQ(call("io.jwt.decode_verify", {tok, Value::object({{Value::string("cert"), pem}})}), unverified());
  EXPECT_EQ(call("io.jwt.decode_verify", {tok, Value::object({{Value::string("cert"), pem},
                                                               {Value::string("aud"), Value::string("a")},
                                                               {Value::string("alg"), Value::string("RS512")}})}),
            unverified());
  // tampered payload
  std::string t = tok.str();
  size_t dot = t.find('.');
  std::string forged = t.substr(0, dot + 1) + b64url(R"({"iss":"me","aud":["a","b"],"admin":true})") +
                       t.substr(t.find('.', dot + 1));
  EXPECT_EQ(call("io.jwt.verify_rs256", {Value::string(forged), pem}), Value::boolean(false));
  // another key does not verify
  Key other(EVP_RSA_gen(2048));
  EXPECT_EQ(call("io.jwt.verify_rs256", {tok, Value::string(pem_public(other.get()))}), Value::boolean(false));
}

TEST(Jwt, Ps256AndJwksWithKid) {
  Key k(EVP_RSA_gen(2048));
  Value jwk = rsa_jwk(k.get());
  Value tok = sign(R"({"alg":"PS256","kid":"k2"})", R"({"x":1})", jwk);
  Value pem = Value::string(pem_public(k.get()));
  EXPECT_EQ(call("io.jwt.verify_ps256", {tok, pem}), Value::boolean(true));
  // a JWKS of public keys: the kid selects the right one
  Key other(EVP_RSA_gen(2048));
  auto pub = [](EVP_PKEY* key, const char* kid) {
    return "{\"kty\":\"RSA\",\"kid\":\"" + std::string(kid) + "\",\"n\":\"" + bn_b64url(key, OSSL_PKEY_PARAM_RSA_N) +
           "\",\"e\":\"" + bn_b64url(key, OSSL_PKEY_PARAM_RSA_E) + "\"}";
  };
  std::string jwks = "{\"keys\":[" + pub(other.get(), "k1") + "," + pub(k.get(), "k2") + "]}";
  Value c = Value::object({{Value::string("cert"), Value::string(jwks)}});
  EXPECT_EQ(call("io.jwt.decode_verify", {tok, c}).items()[0], Value::boolean(true));
  EXPECT_EQ(call("io.jwt.verify_ps256", {tok, Value::string(jwks)}), Value::boolean(true));
  std::string only_other = "{\"keys\":[" + pub(other.get(), "k2") + "]}";
  EXPECT_EQ(call("io.jwt.verify_ps256", {tok, Value::string(only_other)}), Value::boolean(false));
}

TEST(Jwt, Es256AndEdDsaRoundTrip) {
  Key ec(EVP_EC_gen("P-256"));
  ASSERT_TRUE(ec);
  Value tok = sign(R"({"alg":"ES256"})", R"({"a":"b"})", ec_jwk(ec.get()));
  EXPECT_EQ(call("io.jwt.verify_es256", {tok, Value::string(pem_public(ec.get()))}), Value::boolean(true));
  Key ec2(EVP_EC_gen("P-256"));
  EXPECT_EQ(call("io.jwt.verify_es256", {tok, Value::string(pem_public(ec2.get()))}), Value::boolean(false));

  Key ed(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  ASSERT_TRUE(ed);
  unsigned char raw[32];
  size_t len = sizeof raw;
  EVP_PKEY_get_raw_private_key(ed.get(), raw, &len);
  std::string d(reinterpret_cast<char*>(raw), len);
  len = sizeof raw;
  EVP_PKEY_get_raw_public_key(ed.get(), raw, &len);
  std::string x(reinterpret_cast<char*>(raw), len);
  Value jwk = J("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + b64url(x) + "\",\"d\":\"" + b64url(d) + "\"}");
  Value etok = sign(R"({"alg":"EdDSA"})", R"({"a":"b"})", jwk);
  Value pem = Value::string(pem_public(ed.get()));
  EXPECT_EQ(call("io.jwt.verify_eddsa", {etok, pem}), Value::boolean(true));
  EXPECT_EQ(call("io.jwt.verify_eddsa", {tok, pem}), Value::boolean(false));
  EXPECT_EQ(call("io.jwt.decode_verify", {etok, Value::object({{Value::string("cert"), pem}})}).items()[0],
            Value::boolean(true));
}

TEST(Jwt, TimeConstraints) {
  Value tok = sign(R"({"alg":"HS256"})", R"({"exp":1000,"nbf":500})", hs_key("k"));
  // the evaluation's clock (now) is far past exp
  EXPECT_EQ(call("io.jwt.decode_verify", {tok, J(R"({"secret":"k"})")}), unverified());
  EXPECT_EQ(call("io.jwt.decode_verify", {tok, J(R"({"secret":"k","time":999000000000})")}).items()[0],
            Value::boolean(true));
  EXPECT_EQ(call("io.jwt.decode_verify", {tok, J(R"({"secret":"k","time":1000000000000})")}), unverified());
  EXPECT_EQ(call("io.jwt.decode_verify", {tok, J(R"({"secret":"k","time":499000000000})")}), unverified());
}

TEST(Jwt, Errors) {
  EXPECT_EQ(error_of("io.jwt.decode", {Value::string("abc")}), "encoded JWT had no period separators");
  EXPECT_EQ(error_of("io.jwt.decode", {Value::string("a.b")}), "encoded JWT must have 3 sections, found 2");
  Value tok = sign(R"({"alg":"HS256"})", R"({})", hs_key("k"));
  EXPECT_EQ(error_of("io.jwt.decode_verify", {tok, J("{}")}), "no key constraint");
  EXPECT_EQ(error_of("io.jwt.decode_verify", {tok, J(R"({"secret":"a","cert":"{\"kty\":\"oct\",\"k\":\"YQ\"}"})")}),
            "duplicate key constraints");
  EXPECT_EQ(error_of("io.jwt.decode_verify", {tok, J(R"({"secret":"a","foo":1})")}),
            "unknown token validation constraint: foo");
  EXPECT_EQ(error_of("io.jwt.verify_rs256", {tok, Value::string("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n")}),
            "failed to extract a Key from the PEM certificate");
  EXPECT_EQ(error_of("io.jwt.encode_sign_raw", {Value::string(R"({"alg":"none"})"), Value::string("{}"),
                                                Value::string(R"({"kty":"oct","k":"YQ"})")}),
            "unknown JWS algorithm: none");
}

}  // namespace

// ---- hostile operands ----

// A JWK from input may carry a modulus and private exponent of any size:
// signing with a 100,000-bit key took minutes (modular exponentiation is
// cubic). Keys past 16384 bits, or with parameters larger than the modulus,
// are refused when parsed.
TEST(JwtHostile, HugeRsaKeysAreRefused) {
  std::string n(12500, '\xC5'), d(12500, '\x3B');
  Value jwk = J("{\"kty\":\"RSA\",\"n\":\"" + b64url(n) + "\",\"e\":\"AQAB\",\"d\":\"" + b64url(d) + "\"}");
  std::string err;
  double t = wartburg::builtins::test_util::seconds_of(
      [&] { err = error_of("io.jwt.encode_sign", {J(R"({"alg":"RS256"})"), J("{}"), jwk}); });
  EXPECT_EQ(err, "failed to parse a JWK key (set): RSA modulus too large");
  EXPECT_LT(t, 1.0);
  std::string n2(256, '\xC5'), d2(1000, '\x3B');
  Value jwk2 = J("{\"kty\":\"RSA\",\"n\":\"" + b64url(n2) + "\",\"e\":\"AQAB\",\"d\":\"" + b64url(d2) + "\"}");
  EXPECT_EQ(error_of("io.jwt.encode_sign", {J(R"({"alg":"RS256"})"), J("{}"), jwk2}),
            "failed to parse a JWK key (set): RSA key parameter larger than the modulus");
  // an ordinary key still signs
  Key k(EVP_RSA_gen(2048));
  Value tok = sign(R"({"alg":"RS256"})", R"({"a":1})", rsa_jwk(k.get()));
  EXPECT_EQ(call("io.jwt.verify_rs256", {tok, Value::string(pem_public(k.get()))}), Value::boolean(true));
}
