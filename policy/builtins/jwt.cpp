// Builtins: io.jwt — decode, decode_verify (signature plus iss/aud/exp/nbf
// constraints), verify_hs/rs/ps/es{256,384,512}, verify_eddsa, encode_sign and
// encode_sign_raw. Keys come as PEM (certificate or public key), a JWK or a
// JWKS; the cryptography is OpenSSL 3 (EVP). Semantics and error messages
// follow OPA's topdown/tokens.go: malformed tokens and keys are errors, a
// signature or constraint that does not hold is `false` / [false, {}, {}].
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"
#include "policy/limits.h"
#include "policy/json.h"

namespace wartburg::builtins {
namespace {

// ---------------------------------------------------------------- utilities

struct PKeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PKey = std::shared_ptr<EVP_PKEY>;

PKey wrap(EVP_PKEY* p) { return PKey(p, PKeyFree{}); }

// base64url.decode as OPA calls it (padding optional), through the registry so
// the accepted forms and error texts are exactly those of the builtin.
std::string b64url_decode(const std::string& s) {
  static const Builtin* b = registry().find("base64url.decode");
  Context ctx;
  Value arg = Value::string(s);
  return b->fn(ctx, &arg).str();
}


// Standard base64 (PEM bodies): whitespace skipped; false on bad data.
bool b64_std_decode(std::string_view s, std::string& out) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  uint32_t acc = 0;
  int bits = 0;
  bool pad = false;
  for (char c : s) {
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
    if (c == '=') {
      pad = true;
      continue;
    }
    if (pad) return false;
    int v = val(c);
    if (v < 0) return false;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((acc >> bits) & 0xff);
    }
  }
  return true;
}

std::string hex(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    out += "0123456789abcdef"[c >> 4];
    out += "0123456789abcdef"[c & 15];
  }
  return out;
}

// A JSON text (as json.unmarshal would parse it) that must be an object.
Value json_object(const std::string& s) {
  Value v;
  try {
    v = parse_json(s);
  } catch (const ParseError& e) {
    throw BuiltinError(std::string("invalid JSON: ") + e.what());
  }
  if (!v.is_object()) throw BuiltinError("decoded JSON type was not an Object");
  return v;
}

const std::string* str_field(const Value& obj, std::string_view key) {
  const Value* v = obj.find(key);
  return v && v->is_string() ? &v->str() : nullptr;
}

bool known_alg(std::string_view a) {
  static const char* const algs[] = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
                                     "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA"};
  for (const char* k : algs) {
    if (a == k) return true;
  }
  return false;
}

const EVP_MD* md_for(std::string_view alg) {
  if (alg.size() != 5) return nullptr;
  std::string_view bits = alg.substr(2);
  if (bits == "256") return EVP_sha256();
  if (bits == "384") return EVP_sha384();
  if (bits == "512") return EVP_sha512();
  return nullptr;
}

// ---------------------------------------------------------------- tokens

struct Token {
  std::string header, payload, signature;  // the three encoded sections
  Value decoded_header;                     // after decode_header()
};

Token split_token(const Value& v) {
  if (!v.is_string()) operand_error(1, "string", v);
  const std::string& s = v.str();
  if (s.find('.') == std::string::npos) throw BuiltinError("encoded JWT had no period separators");
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t dot = s.find('.', start);
    parts.push_back(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 3) {
    throw BuiltinError("encoded JWT must have 3 sections, found " + std::to_string(parts.size()));
  }
  return Token{parts[0], parts[1], parts[2], Value()};
}

void decode_header(Token& t) {
  std::string h;
  try {
    h = b64url_decode(t.header);
  } catch (const BuiltinError& e) {
    throw BuiltinError(std::string("JWT header had invalid encoding: ") + e.what());
  }
  Value obj;
  try {
    obj = json_object(h);
  } catch (const BuiltinError& e) {
    throw BuiltinError(std::string("bad JWT header: ") + e.what());
  }
  if (obj.find("enc")) throw BuiltinError("JWT is a JWE object, which is not supported");
  t.decoded_header = obj;
}

std::string decode_payload(const Token& t) {
  try {
    return b64url_decode(t.payload);
  } catch (const BuiltinError& e) {
    throw BuiltinError(std::string("JWT payload had invalid encoding: ") + e.what());
  }
}

std::string decode_signature(const Token& t) { return b64url_decode(t.signature); }

struct Header {
  std::string alg, kid, typ, cty;
  std::vector<std::string> crit, unknown;
  bool valid() const {
    if (alg.empty()) return false;
    for (const auto& u : unknown) {
      for (const auto& c : crit) {
        if (u == c) return false;
      }
    }
    return true;
  }
};

Header parse_header(const Value& h) {
  Header out;
  for (const auto& [k, v] : h.entries()) {
    const std::string& name = k.str();
    std::string* where = name == "alg" ? &out.alg : name == "kid" ? &out.kid
                       : name == "typ" ? &out.typ : name == "cty" ? &out.cty : nullptr;
    if (where) {
      if (!v.is_string()) throw BuiltinError(name + ": must be a string");
      *where = v.str();
    } else if (name == "crit") {
      if (!v.is_array()) throw BuiltinError("crit: must be a list");
      for (const Value& e : v.items()) {
        if (e.is_string()) out.crit.push_back(e.str());
      }
      if (out.crit.empty()) throw BuiltinError("crit: must be a nonempty list");
    } else {
      out.unknown.push_back(name);
    }
  }
  return out;
}

// ---------------------------------------------------------------- keys

struct Key {
  PKey pkey;           // asymmetric key (public, or private for signing)
  std::string secret;  // "oct" JWK: HMAC secret
  bool symmetric = false;
  std::string alg, kid;
};

BIGNUM* bn_field(const Value& jwk, const char* name, bool required) {
  const std::string* s = str_field(jwk, name);
  if (!s) {
    if (required) throw BuiltinError(std::string("failed to parse a JWK key (set): required field ") + name + " is missing");
    return nullptr;
  }
  std::string raw = b64url_decode(*s);
  return BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), int(raw.size()), nullptr);
}

constexpr int kMaxRsaBits = 16384;

PKey pkey_from_params(const char* type, OSSL_PARAM_BLD* bld, bool priv) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* pk = nullptr;
  bool ok = params && ctx && EVP_PKEY_fromdata_init(ctx) > 0 &&
            EVP_PKEY_fromdata(ctx, &pk, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) > 0;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  if (!ok) {
    EVP_PKEY_free(pk);
    throw BuiltinError(std::string("failed to build ") + type + " key from JWK");
  }
  return wrap(pk);
}

PKey rsa_from_jwk(const Value& jwk) {
  struct Bns {
    std::vector<BIGNUM*> v;
    ~Bns() {
      for (BIGNUM* b : v) BN_free(b);
    }
  } bns;
  BIGNUM* n = bn_field(jwk, "n", true);
  bns.v.push_back(n);
  BIGNUM* e = bn_field(jwk, "e", true);
  bns.v.push_back(e);
  BIGNUM* d = bn_field(jwk, "d", false);
  bns.v.push_back(d);
  // A key from input may be of any size: modular exponentiation costs the
  // cube of the modulus size (a 100,000-bit private key signs in minutes).
  // OpenSSL's public-key operations stop at 16384 bits; so do we, for all.
  if (n && BN_num_bits(n) > kMaxRsaBits) throw BuiltinError("failed to parse a JWK key (set): RSA modulus too large");
  for (BIGNUM* part : {e, d}) {
    if (n && part && BN_num_bits(part) > BN_num_bits(n)) {
      throw BuiltinError("failed to parse a JWK key (set): RSA key parameter larger than the modulus");
    }
  }
  // freed on every path: reading a CRT field below may throw (found by fuzzing: a leak)
  std::unique_ptr<OSSL_PARAM_BLD, void (*)(OSSL_PARAM_BLD*)> guard(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  OSSL_PARAM_BLD* bld = guard.get();
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
  if (d) {
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d);
    static const std::pair<const char*, const char*> crt[] = {
        {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},      {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
        {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},   {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
        {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
    std::vector<BIGNUM*> parts;
    for (const auto& [field, param] : crt) {
      BIGNUM* b = bn_field(jwk, field, false);
      bns.v.push_back(b);
      parts.push_back(b);
    }
    bool all = true;
    for (BIGNUM* b : parts) all = all && b;
    for (BIGNUM* b : parts) {
      if (n && b && BN_num_bits(b) > BN_num_bits(n)) {
        throw BuiltinError("failed to parse a JWK key (set): RSA key parameter larger than the modulus");
      }
    }
    if (all) {
      for (size_t i = 0; i < parts.size(); i++) OSSL_PARAM_BLD_push_BN(bld, crt[i].second, parts[i]);
    }
  }
  return pkey_from_params("RSA", bld, d != nullptr);
}

PKey ec_from_jwk(const Value& jwk) {
  const std::string* crv = str_field(jwk, "crv");
  const char* group = nullptr;
  size_t size = 0;
  if (crv && *crv == "P-256") group = "prime256v1", size = 32;
  if (crv && *crv == "P-384") group = "secp384r1", size = 48;
  if (crv && *crv == "P-521") group = "secp521r1", size = 66;
  if (!group) throw BuiltinError("failed to parse a JWK key (set): unsupported EC curve");
  const std::string* xs = str_field(jwk, "x");
  const std::string* ys = str_field(jwk, "y");
  if (!xs || !ys) throw BuiltinError("failed to parse a JWK key (set): EC key needs x and y");
  std::string x = b64url_decode(*xs), y = b64url_decode(*ys);
  if (x.size() > size || y.size() > size) throw BuiltinError("failed to parse a JWK key (set): invalid EC point");
  std::string point(1, '\x04');
  point += std::string(size - x.size(), '\0') + x + std::string(size - y.size(), '\0') + y;
  BIGNUM* d = bn_field(jwk, "d", false);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  if (d) OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d);
  try {
    PKey k = pkey_from_params("EC", bld, d != nullptr);
    OSSL_PARAM_BLD_free(bld);
    BN_free(d);
    return k;
  } catch (...) {
    OSSL_PARAM_BLD_free(bld);
    BN_free(d);
    throw;
  }
}

PKey okp_from_jwk(const Value& jwk) {
  const std::string* crv = str_field(jwk, "crv");
  if (!crv || *crv != "Ed25519") throw BuiltinError("failed to parse a JWK key (set): unsupported OKP curve");
  EVP_PKEY* pk = nullptr;
  if (const std::string* ds = str_field(jwk, "d")) {
    std::string d = b64url_decode(*ds);
    pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                      reinterpret_cast<const unsigned char*>(d.data()), d.size());
  } else if (const std::string* xs = str_field(jwk, "x")) {
    std::string x = b64url_decode(*xs);
    pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                     reinterpret_cast<const unsigned char*>(x.data()), x.size());
  }
  if (!pk) throw BuiltinError("failed to parse a JWK key (set): invalid Ed25519 key");
  return wrap(pk);
}

Key key_from_jwk(const Value& jwk) {
  if (!jwk.is_object()) throw BuiltinError("failed to parse a JWK key (set): key is not an object");
  const std::string* kty = str_field(jwk, "kty");
  if (!kty) throw BuiltinError("failed to parse a JWK key (set): missing \"kty\"");
  Key k;
  if (*kty == "RSA") {
    k.pkey = rsa_from_jwk(jwk);
  } else if (*kty == "EC") {
    k.pkey = ec_from_jwk(jwk);
  } else if (*kty == "OKP") {
    k.pkey = okp_from_jwk(jwk);
  } else if (*kty == "oct") {
    const std::string* ks = str_field(jwk, "k");
    if (!ks) throw BuiltinError("failed to parse a JWK key (set): oct key needs k");
    k.secret = b64url_decode(*ks);
    k.symmetric = true;
  } else {
    throw BuiltinError("failed to parse a JWK key (set): unsupported key type " + *kty);
  }
  if (const std::string* a = str_field(jwk, "alg")) k.alg = *a;
  if (const std::string* id = str_field(jwk, "kid")) k.kid = *id;
  return k;
}

// A JWK or a JWK set (an object with "keys").
std::vector<Key> keys_from_jwk_text(const std::string& text) {
  Value v;
  try {
    v = parse_json(text);
  } catch (const ParseError& e) {
    throw BuiltinError(std::string("failed to parse a JWK key (set): ") + e.what());
  }
  std::vector<Key> out;
  if (const Value* ks = v.is_object() ? v.find("keys") : nullptr) {
    if (!ks->is_array()) throw BuiltinError("failed to parse a JWK key (set): keys must be an array");
    for (const Value& k : ks->items()) {
      limits::poll();
      out.push_back(key_from_jwk(k));
    }
  } else {
    out.push_back(key_from_jwk(v));
  }
  return out;
}

// The first PEM block of `text` (as Go's pem.Decode): false when there is none.
bool pem_block(const std::string& text, std::string& type, std::string& der, std::string& rest) {
  size_t pos = 0;
  while ((pos = text.find("-----BEGIN ", pos)) != std::string::npos) {
    if (pos != 0 && text[pos - 1] != '\n') {
      pos++;
      continue;
    }
    size_t tstart = pos + 11;
    size_t tend = text.find("-----", tstart);
    size_t eol = text.find('\n', tstart);
    if (tend == std::string::npos || (eol != std::string::npos && eol < tend)) return false;
    type = text.substr(tstart, tend - tstart);
    std::string end_line = "-----END " + type + "-----";
    size_t body = eol == std::string::npos ? text.size() : eol + 1;
    size_t endpos = text.find(end_line, body);
    if (endpos == std::string::npos) return false;
    der.clear();
    if (!b64_std_decode(std::string_view(text).substr(body, endpos - body), der)) {
      pos++;
      continue;
    }
    size_t after = endpos + end_line.size();
    size_t nl = text.find('\n', after);
    rest = nl == std::string::npos ? "" : text.substr(nl + 1);
    return true;
  }
  return false;
}

// OPA's getKeysFromCertOrJWK: a PEM certificate or public key, else a JWK (set).
std::vector<Key> keys_from_cert_or_jwk(const std::string& text) {
  std::string type, der, rest;
  if (pem_block(text, type, der, rest)) {
    if (!rest.empty()) throw BuiltinError("extra data after a PEM certificate block");
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    Key k;
    if (type == "CERTIFICATE") {
      X509* cert = d2i_X509(nullptr, &p, long(der.size()));
      if (!cert) throw BuiltinError("failed to parse a PEM certificate: x509: malformed certificate");
      EVP_PKEY* pk = X509_get_pubkey(cert);
      X509_free(cert);
      if (!pk) throw BuiltinError("failed to parse a PEM certificate: x509: unsupported public key");
      k.pkey = wrap(pk);
      return {k};
    }
    if (type == "PUBLIC KEY") {
      EVP_PKEY* pk = d2i_PUBKEY(nullptr, &p, long(der.size()));
      if (!pk) throw BuiltinError("failed to parse a PEM public key: x509: malformed public key");
      k.pkey = wrap(pk);
      return {k};
    }
    throw BuiltinError("failed to extract a Key from the PEM certificate");
  }
  std::vector<Key> keys = keys_from_jwk_text(text);
  std::vector<Key> out;
  for (auto& k : keys) {
    if (!k.alg.empty() && !known_alg(k.alg)) continue;  // unsupported algorithms are skipped
    out.push_back(std::move(k));
  }
  return out;
}

// ---------------------------------------------------------------- sign/verify

bool digest_verify(EVP_PKEY* pk, const EVP_MD* md, std::string_view msg, std::string_view sig, bool pss) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = EVP_DigestVerifyInit(ctx, &pctx, md, nullptr, pk) > 0;
  if (ok && pss) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) > 0 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) > 0;
  }
  ok = ok && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                              reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

// JWS ECDSA signatures are r || s; OpenSSL wants DER.
bool ecdsa_verify(EVP_PKEY* pk, const EVP_MD* md, std::string_view msg, std::string_view sig) {
  if (sig.empty() || sig.size() % 2 != 0) return false;
  size_t n = sig.size() / 2;
  ECDSA_SIG* es = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.data()), int(n), nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.data() + n), int(n), nullptr);
  ECDSA_SIG_set0(es, r, s);
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(es, &der);
  ECDSA_SIG_free(es);
  if (len <= 0) return false;
  bool ok = digest_verify(pk, md, msg, std::string_view(reinterpret_cast<char*>(der), size_t(len)), false);
  OPENSSL_free(der);
  return ok;
}

std::string hmac(const EVP_MD* md, std::string_view key, std::string_view msg) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

// Verifies `sig` over `msg` with `key` for JWS algorithm `alg`.
bool verify_with(const Key& key, std::string_view alg, std::string_view msg, std::string_view sig) {
  if (alg.size() < 2) return false;
  std::string_view fam = alg.substr(0, 2);
  if (fam == "HS") {
    const EVP_MD* md = md_for(alg);
    if (!key.symmetric || !md) return false;
    std::string mac = hmac(md, key.secret, msg);
    return mac.size() == sig.size() && CRYPTO_memcmp(mac.data(), sig.data(), mac.size()) == 0;
  }
  if (key.symmetric || !key.pkey) return false;
  int id = EVP_PKEY_get_base_id(key.pkey.get());
  if (alg == "EdDSA") return id == EVP_PKEY_ED25519 && digest_verify(key.pkey.get(), nullptr, msg, sig, false);
  const EVP_MD* md = md_for(alg);
  if (!md) return false;
  if (fam == "RS") return id == EVP_PKEY_RSA && digest_verify(key.pkey.get(), md, msg, sig, false);
  if (fam == "PS") {
    return (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) && digest_verify(key.pkey.get(), md, msg, sig, true);
  }
  if (fam == "ES") return id == EVP_PKEY_EC && ecdsa_verify(key.pkey.get(), md, msg, sig);
  return false;
}

std::string sign_with(const Key& key, const std::string& alg, std::string_view msg) {
  std::string_view fam = std::string_view(alg).substr(0, 2);
  if (fam == "HS") {
    if (!key.symmetric) throw BuiltinError("failed to sign: " + alg + " requires a symmetric (oct) key");
    return hmac(md_for(alg), key.secret, msg);
  }
  if (key.symmetric || !key.pkey) throw BuiltinError("failed to sign: " + alg + " requires an asymmetric key");
  int id = EVP_PKEY_get_base_id(key.pkey.get());
  const EVP_MD* md = alg == "EdDSA" ? nullptr : md_for(alg);
  bool type_ok = alg == "EdDSA" ? id == EVP_PKEY_ED25519
               : fam == "ES"    ? id == EVP_PKEY_EC
                                : (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS);
  if (!type_ok) throw BuiltinError("failed to sign: invalid key type for algorithm " + alg);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = EVP_DigestSignInit(ctx, &pctx, md, nullptr, key.pkey.get()) > 0;
  if (ok && fam == "PS") {
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) > 0;
  }
  size_t len = 0;
  const auto* m = reinterpret_cast<const unsigned char*>(msg.data());
  ok = ok && EVP_DigestSign(ctx, nullptr, &len, m, msg.size()) > 0;
  std::string sig(len, '\0');
  ok = ok && EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, m, msg.size()) > 0;
  EVP_MD_CTX_free(ctx);
  if (!ok) throw BuiltinError("failed to sign payload using " + alg + " (is the key private?)");
  sig.resize(len);
  if (fam != "ES") return sig;
  // DER -> fixed-size r || s
  const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
  ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, long(sig.size()));
  if (!es) throw BuiltinError("failed to sign payload using " + alg);
  size_t size = size_t(EVP_PKEY_get_bits(key.pkey.get()) + 7) / 8;
  std::string out(2 * size, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(out.data()), int(size));
  BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(out.data() + size), int(size));
  ECDSA_SIG_free(es);
  return out;
}

// ---------------------------------------------------------------- builtins

Value decode_impl(const Value& tok) {
  Token t = split_token(tok);
  decode_header(t);
  std::string p = decode_payload(t);
  if (const std::string* cty = str_field(t.decoded_header, "cty"); cty && *cty == "JWT") {
    // A nested token; jwt.io quotes it, so surrounding quotes are trimmed.
    size_t b = p.find_first_not_of("\"'"), e = p.find_last_not_of("\"'");
    return decode_impl(Value::string(b == std::string::npos ? std::string() : p.substr(b, e - b + 1)));
  }
  Value payload = json_object(p);
  std::string sig;
  try {
    sig = decode_signature(t);
  } catch (const BuiltinError& e) {
    throw BuiltinError(std::string("JWT signature had invalid encoding: ") + e.what());
  }
  return Value::array({t.decoded_header, payload, Value::string(hex(sig))});
}

Value jwt_decode(Context&, const Value* a) { return decode_impl(a[0]); }

// io.jwt.verify_<alg>(token, cert-or-jwks): the algorithm is fixed by the builtin.
Value verify_asym(const Value* a, const char* alg) {
  Token t = split_token(a[0]);
  const std::string& keytext = need_string(a, 2);
  std::vector<Key> keys = keys_from_cert_or_jwk(keytext);
  std::string sig = decode_signature(t);
  decode_header(t);
  Header h = parse_header(t.decoded_header);
  std::string msg = t.header + "." + t.payload;
  if (!h.kid.empty()) {
    for (const Key& k : keys) {
      if (k.kid == h.kid) return Value::boolean(verify_with(k, alg, msg, sig));
    }
  }
  for (const Key& k : keys) {
    if (!k.alg.empty() && k.alg != h.alg) continue;
    limits::poll();  // a key set may hold thousands of keys
    if (verify_with(k, alg, msg, sig)) return Value::boolean(true);
  }
  return Value::boolean(false);
}

Value verify_hs(const Value* a, const char* alg) {
  need_string(a, 1);
  const std::string& secret = need_string(a, 2);
  Token t = split_token(a[0]);
  std::string mac = hmac(md_for(alg), secret, t.header + "." + t.payload);
  std::string sig = decode_signature(t);
  return Value::boolean(mac.size() == sig.size() && CRYPTO_memcmp(mac.data(), sig.data(), mac.size()) == 0);
}

#define JWT_VERIFY(fn, impl, alg) \
  Value fn(Context&, const Value* a) { return impl(a, alg); }
JWT_VERIFY(verify_rs256, verify_asym, "RS256")
JWT_VERIFY(verify_rs384, verify_asym, "RS384")
JWT_VERIFY(verify_rs512, verify_asym, "RS512")
JWT_VERIFY(verify_ps256, verify_asym, "PS256")
JWT_VERIFY(verify_ps384, verify_asym, "PS384")
JWT_VERIFY(verify_ps512, verify_asym, "PS512")
JWT_VERIFY(verify_es256, verify_asym, "ES256")
JWT_VERIFY(verify_es384, verify_asym, "ES384")
JWT_VERIFY(verify_es512, verify_asym, "ES512")
JWT_VERIFY(verify_eddsa, verify_asym, "EdDSA")
JWT_VERIFY(verify_hs256, verify_hs, "HS256")
JWT_VERIFY(verify_hs384, verify_hs, "HS384")
JWT_VERIFY(verify_hs512, verify_hs, "HS512")
#undef JWT_VERIFY

struct Constraints {
  std::string secret, alg, iss, aud;
  std::vector<Key> keys;
  bool have_keys = false;
  double time = -1;  // nanoseconds
};

double time_from(const Value& v) {
  if (!v.is_number()) throw BuiltinError("token time constraint: must be a number");
  double t = v.as_double();
  if (t < 0) throw BuiltinError("token time constraint: must not be negative");
  return t;
}

Constraints parse_constraints(Context& ctx, const Value& obj) {
  Constraints c;
  for (const auto& [k, v] : obj.entries()) {
    std::string name = k.is_string() ? k.str() : to_json(k);
    std::string* where = name == "secret" ? &c.secret : name == "alg" ? &c.alg
                       : name == "iss" ? &c.iss : name == "aud" ? &c.aud : nullptr;
    if (where) {
      if (!v.is_string()) throw BuiltinError(name + " constraint: must be a string");
      *where = v.str();
    } else if (name == "cert") {
      if (!v.is_string()) throw BuiltinError("cert constraint: must be a string");
      c.keys = keys_from_cert_or_jwk(v.str());
      c.have_keys = true;
    } else if (name == "time") {
      c.time = time_from(v);
    } else {
      throw BuiltinError("unknown token validation constraint: " + name);
    }
  }
  if (c.time == -1) {
    if (ctx.now_ns == 0) {
      ctx.now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
    }
    c.time = double(ctx.now_ns);
  }
  int n = int(c.have_keys) + int(!c.secret.empty());
  if (n > 1) throw BuiltinError("duplicate key constraints");
  if (n < 1) throw BuiltinError("no key constraint");
  return c;
}

bool constraints_verify(const Constraints& c, const Header& h, std::string_view msg, std::string_view sig) {
  if (c.have_keys) {
    if (!h.kid.empty()) {
      for (const Key& k : c.keys) {
        if (k.kid == h.kid) return verify_with(k, h.alg, msg, sig);
      }
    }
    for (const Key& k : c.keys) {
      if (!k.alg.empty() && k.alg != h.alg) continue;
      limits::poll();  // a key set may hold thousands of keys
      if (verify_with(k, h.alg, msg, sig)) return true;
    }
    return false;
  }
  Key secret;
  secret.symmetric = true;
  secret.secret = c.secret;
  return verify_with(secret, h.alg, msg, sig);
}

Value jwt_decode_verify(Context& ctx, const Value* a) {
  const Value& cobj = need_object(a, 2);
  Value unverified = Value::array({Value::boolean(false), Value::empty_object(), Value::empty_object()});
  Constraints c = parse_constraints(ctx, cobj);
  Value tok = a[0];
  Token t;
  std::string p;
  for (;;) {
    t = split_token(tok);
    decode_header(t);
    Header h = parse_header(t.decoded_header);
    if (!h.valid()) return unverified;
    if (!c.alg.empty() && c.alg != h.alg) return unverified;
    std::string sig = decode_signature(t);
    if (!constraints_verify(c, h, t.header + "." + t.payload, sig)) return unverified;
    p = decode_payload(t);
    if (h.cty.size() == 3 && (h.cty[0] | 0x20) == 'j' && (h.cty[1] | 0x20) == 'w' && (h.cty[2] | 0x20) == 't') {
      tok = Value::string(p);  // nested token: verify the inner one as well
      continue;
    }
    break;
  }
  Value payload = json_object(p);
  if (!c.iss.empty()) {
    const std::string* iss = str_field(payload, "iss");
    if (!iss || *iss != c.iss) return unverified;
  }
  if (const Value* aud = payload.find("aud")) {
    bool ok = false;
    if (aud->is_string()) {
      ok = aud->str() == c.aud;
    } else if (aud->is_array()) {
      for (const Value& e : aud->items()) ok = ok || (e.is_string() && e.str() == c.aud);
    }
    if (!ok) return unverified;
  } else if (!c.aud.empty()) {
    return unverified;
  }
  Value now = Value::number(c.time / 1e9);
  if (const Value* exp = payload.find("exp")) {
    if (!exp->is_number()) throw BuiltinError("exp value must be a number");
    if (compare(now, *exp) >= 0) return unverified;
  }
  if (const Value* nbf = payload.find("nbf")) {
    if (!nbf->is_number()) throw BuiltinError("nbf value must be a number");
    if (compare(now, *nbf) < 0) return unverified;
  }
  return Value::array({Value::boolean(true), t.decoded_header, payload});
}

// The error text for JSON that did not parse, in the words of Go's decoder
// where the conformance cases look ("invalid character ...").
std::string json_error(const std::string& text, const ParseError& e) {
  if (text.empty()) return "cannot parse empty string";
  size_t off = 0;
  for (int line = 1; line < e.line && off < text.size(); off++) {
    if (text[off] == '\n') line++;
  }
  off += size_t(e.column > 0 ? e.column - 1 : 0);
  if (off < text.size()) {
    return std::string("invalid character '") + text[off] + "' (line " + std::to_string(e.line) + ", column " +
           std::to_string(e.column) + ")";
  }
  return std::string("invalid JSON: ") + e.what();
}

Value encode_sign_common(const std::string& header, const std::string& payload, const std::string& jwk) {
  std::vector<Key> keys = keys_from_jwk_text(jwk);
  if (keys.empty()) throw BuiltinError("no keys found in JWK set");
  Value h;
  try {
    h = parse_json(header);
  } catch (const ParseError& e) {
    throw BuiltinError("missing or invalid 'alg' header: cannot parse JSON: " + json_error(header, e));
  }
  const std::string* alg = h.is_object() ? str_field(h, "alg") : nullptr;
  if (!alg) throw BuiltinError("missing or invalid 'alg' header: unsupported signature algorithm");
  if (!known_alg(*alg)) throw BuiltinError("unknown JWS algorithm: " + *alg);
  const std::string* typ = h.is_object() ? str_field(h, "typ") : nullptr;
  if (!typ || *typ == "JWT") {
    bool valid = true;
    try {
      parse_json(payload);
    } catch (const ParseError&) {
      valid = false;
    }
    if (!valid) throw BuiltinError("type is JWT but payload is not JSON");
  }
  std::string input = encode_base64(header, true, false) + "." + encode_base64(payload, true, false);
  std::string sig = sign_with(keys[0], *alg, input);
  return Value::string(input + "." + encode_base64(sig, true, false));
}

Value jwt_encode_sign(Context&, const Value* a) {
  need_object(a, 1);
  need_object(a, 2);
  need_object(a, 3);
  for (int i = 0; i < 3; ++i) check_expanded_size(a[i]);
  return encode_sign_common(to_json(a[0]), to_json(a[1]), to_json(a[2]));
}

Value jwt_encode_sign_raw(Context&, const Value* a) {
  const std::string& jwk = need_string(a, 3);
  const std::string& header = need_string(a, 1);
  const std::string& payload = need_string(a, 2);
  return encode_sign_common(header, payload, jwk);
}

}  // namespace

void register_jwt(Registry& r) {
  r.add({"io.jwt.decode", 1, jwt_decode, "(string) => array"});
  r.add({"io.jwt.decode_verify", 2, jwt_decode_verify, "(string, object) => array"});
  r.add({"io.jwt.encode_sign", 3, jwt_encode_sign, "(object, object, object) => string"});
  r.add({"io.jwt.encode_sign_raw", 3, jwt_encode_sign_raw, "(string, string, string) => string"});
  r.add({"io.jwt.verify_hs256", 2, verify_hs256, "(string, string) => boolean"});
  r.add({"io.jwt.verify_hs384", 2, verify_hs384, "(string, string) => boolean"});
  r.add({"io.jwt.verify_hs512", 2, verify_hs512, "(string, string) => boolean"});
  r.add({"io.jwt.verify_rs256", 2, verify_rs256, "(string, string) => boolean"});
  r.add({"io.jwt.verify_rs384", 2, verify_rs384, "(string, string) => boolean"});
  r.add({"io.jwt.verify_rs512", 2, verify_rs512, "(string, string) => boolean"});
  r.add({"io.jwt.verify_ps256", 2, verify_ps256, "(string, string) => boolean"});
  r.add({"io.jwt.verify_ps384", 2, verify_ps384, "(string, string) => boolean"});
  r.add({"io.jwt.verify_ps512", 2, verify_ps512, "(string, string) => boolean"});
  r.add({"io.jwt.verify_es256", 2, verify_es256, "(string, string) => boolean"});
  r.add({"io.jwt.verify_es384", 2, verify_es384, "(string, string) => boolean"});
  r.add({"io.jwt.verify_es512", 2, verify_es512, "(string, string) => boolean"});
  r.add({"io.jwt.verify_eddsa", 2, verify_eddsa, "(string, string) => boolean"});
}

}  // namespace wartburg::builtins
