// Builtins: crypto.* — digests (md5, sha1, sha256), HMACs and their
// constant-time comparison, X.509 certificate / CSR / key parsing and
// certificate chain verification. The cryptography is OpenSSL 3.
//
// OPA implements these with Go's crypto/x509 and returns Go structs through
// encoding/json, so the documents built here have the shape Go's JSON gives:
// field names as in x509.Certificate (Subject.CommonName, NotAfter, DNSNames,
// ...), []byte as standard base64, big integers as JSON numbers, nil slices as
// null, times as RFC 3339. Input handling (PEM, or base64 of PEM/DER) and the
// error texts follow OPA's topdown/crypto.go and Go's encoding/pem.
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"
#include "policy/limits.h"

namespace wartburg::builtins {
namespace {

// ---------------------------------------------------------------- ownership

// unique_ptr deleter calling an OpenSSL free function.
template <auto F>
struct Free {
  template <class T>
  void operator()(T* p) const {
    F(p);
  }
};
using X509Ptr = std::unique_ptr<X509, Free<X509_free>>;
using ReqPtr = std::unique_ptr<X509_REQ, Free<X509_REQ_free>>;
using PKeyPtr = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY_free>>;
using BNPtr = std::unique_ptr<BIGNUM, Free<BN_free>>;

void free_ext_stack(STACK_OF(X509_EXTENSION) * s) { sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free); }
void free_x509_stack(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
void free_obj_stack(STACK_OF(ASN1_OBJECT) * s) { sk_ASN1_OBJECT_pop_free(s, ASN1_OBJECT_free); }
void free_policy_mappings(POLICY_MAPPINGS* s) { sk_POLICY_MAPPING_pop_free(s, POLICY_MAPPING_free); }

// X509V3_get_d2i for one extension NID of an extension list, owned.
template <class T, auto F>
std::unique_ptr<T, Free<F>> ext_d2i(const STACK_OF(X509_EXTENSION) * exts, int nid, int* crit = nullptr) {
  return std::unique_ptr<T, Free<F>>(static_cast<T*>(X509V3_get_d2i(exts, nid, crit, nullptr)));
}

// ---------------------------------------------------------------- encodings

const unsigned char* uc(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string hex(const unsigned char* p, size_t n) {
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; i++) {
    out += "0123456789abcdef"[p[i] >> 4];
    out += "0123456789abcdef"[p[i] & 15];
  }
  return out;
}

// Go's base64.StdEncoding.DecodeString: the base64.decode builtin implements
// exactly that (including "illegal base64 data at input byte N").
std::string go_b64_decode(const std::string& s) {
  static const Builtin* b = registry().find("base64.decode");
  Context ctx;
  Value arg = Value::string(s);
  return b->fn(ctx, &arg).str();
}

bool try_b64_decode(const std::string& s, std::string& out) {
  try {
    out = go_b64_decode(s);
    return true;
  } catch (const BuiltinError&) {
    return false;
  }
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// ---------------------------------------------------------------- PEM (Go's encoding/pem.Decode)

struct PemBlock {
  std::string type;
  std::string bytes;
};

// Go's getLine: the line up to '\n' (without "\r" and trailing blanks) and the rest.
std::pair<std::string_view, std::string_view> get_line(std::string_view data) {
  size_t i = data.find('\n');
  size_t j;
  if (i == std::string_view::npos) {
    i = data.size();
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] == '\r') i--;
  }
  std::string_view line = data.substr(0, i);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return {line, data.substr(j)};
}

// Finds the next PEM block in `data`; on success sets `rest` to what follows
// it. Malformed blocks are skipped, as Go does.
bool pem_decode(std::string_view data, PemBlock& block, std::string_view& rest) {
  static constexpr std::string_view kBegin = "-----BEGIN ";
  static constexpr std::string_view kEnd = "\n-----END ";
  static constexpr std::string_view kDashes = "-----";
  std::string_view r = data;
  // Where the next "\n-----END " is: blocks that fail after finding it would
  // otherwise each search the rest of the input again (quadratic in the
  // number of bogus BEGIN lines). Without one, no later block can end.
  const char* next_end = nullptr;
  for (;;) {
    if (starts_with(r, kBegin)) {
      r.remove_prefix(kBegin.size());
    } else {
      size_t at = r.find("\n-----BEGIN ");
      if (at == std::string_view::npos) return false;
      r.remove_prefix(at + 1 + kBegin.size());
    }
    auto [type_line, after_type] = get_line(r);
    r = after_type;
    if (type_line.size() < kDashes.size() || type_line.substr(type_line.size() - kDashes.size()) != kDashes) continue;
    type_line.remove_suffix(kDashes.size());
    // Headers ("Key: value" lines) up to the first line without a colon.
    bool headers = false;
    bool truncated = false;
    for (;;) {
      if (r.empty()) {
        truncated = true;
        break;
      }
      auto [line, next] = get_line(r);
      if (line.find(':') == std::string_view::npos) break;
      headers = true;
      r = next;
    }
    if (truncated) return false;
    size_t end_index, trailer_index;
    if (!headers && starts_with(r, kEnd.substr(1))) {
      end_index = 0;
      trailer_index = kEnd.size() - 1;
    } else {
      if (next_end && next_end >= r.data()) {
        end_index = static_cast<size_t>(next_end - r.data());
      } else {
        end_index = r.find(kEnd);
        if (end_index == std::string_view::npos) return false;
        next_end = r.data() + end_index;
      }
      trailer_index = end_index + kEnd.size();
    }
    std::string_view trailer = r.substr(trailer_index);
    size_t trailer_len = type_line.size() + kDashes.size();
    if (trailer.size() < trailer_len) continue;
    std::string_view rest_of_end_line = trailer.substr(trailer_len);
    trailer = trailer.substr(0, trailer_len);
    if (!starts_with(trailer, type_line) || trailer.substr(type_line.size()) != kDashes) continue;
    if (!get_line(rest_of_end_line).first.empty()) continue;
    std::string body;
    for (char c : r.substr(0, end_index)) {
      if (c != ' ' && c != '\t') body += c;
    }
    std::string der;
    if (!try_b64_decode(body, der)) continue;
    block.type = std::string(type_line);
    block.bytes = std::move(der);
    rest = get_line(r.substr(end_index + kEnd.size() - 1)).second;
    return true;
  }
}

std::vector<PemBlock> pem_blocks(std::string_view data) {
  std::vector<PemBlock> out;
  PemBlock b;
  std::string_view rest;
  while (!data.empty() && pem_decode(data, b, rest)) {
    limits::poll();  // each block is parsed and converted by the caller
    out.push_back(std::move(b));
    data = rest;
  }
  return out;
}

// ---------------------------------------------------------------- DER walking (for Raw* fields)

struct Tlv {
  unsigned char tag = 0;
  std::string_view full;     // tag, length and content
  std::string_view content;  // content only
};

// Reads one DER element at the start of `s`; false when malformed.
bool read_tlv(std::string_view s, Tlv& t) {
  if (s.size() < 2) return false;
  t.tag = static_cast<unsigned char>(s[0]);
  if ((t.tag & 0x1f) == 0x1f) return false;  // high tag numbers: not used by the structures read here
  size_t len = static_cast<unsigned char>(s[1]);
  size_t hdr = 2;
  if (len & 0x80) {
    size_t n = len & 0x7f;
    if (n == 0 || n > 4 || s.size() < 2 + n) return false;
    len = 0;
    for (size_t i = 0; i < n; i++) len = (len << 8) | static_cast<unsigned char>(s[2 + i]);
    hdr += n;
  }
  if (s.size() - hdr < len) return false;
  t.full = s.substr(0, hdr + len);
  t.content = s.substr(hdr, len);
  return true;
}

// The elements of a constructed element's content, in order.
std::vector<Tlv> children(std::string_view content) {
  std::vector<Tlv> out;
  Tlv t;
  while (!content.empty() && read_tlv(content, t)) {
    out.push_back(t);
    content.remove_prefix(t.full.size());
  }
  return out;
}

// Raw pieces of a signed structure SEQUENCE { tbs, sigAlg, BIT STRING }.
struct RawParts {
  std::string_view tbs, issuer, subject, spki, signature;
};

// For a certificate TBS the elements are [version] serial sigalg issuer
// validity subject spki; for a CSR info they are version subject spki.
bool raw_parts(std::string_view der, bool is_csr, RawParts& out) {
  Tlv outer;
  if (!read_tlv(der, outer) || outer.tag != 0x30) return false;
  std::vector<Tlv> top = children(outer.content);
  if (top.size() != 3 || top[2].tag != 0x03 || top[2].content.empty()) return false;
  out.tbs = top[0].full;
  out.signature = top[2].content.substr(1);
  std::vector<Tlv> tbs = children(top[0].content);
  size_t i = 0;
  if (is_csr) {
    if (tbs.size() < 3) return false;
    out.subject = tbs[1].full;
    out.spki = tbs[2].full;
    return true;
  }
  if (!tbs.empty() && tbs[0].tag == 0xa0) i = 1;
  if (tbs.size() < i + 6) return false;
  out.issuer = tbs[i + 2].full;
  out.subject = tbs[i + 4].full;
  out.spki = tbs[i + 5].full;
  return true;
}

// Splits concatenated DER elements (x509.ParseCertificates takes a
// concatenation); false when the data does not split cleanly.
bool split_der(std::string_view data, std::vector<std::string_view>& out) {
  Tlv t;
  while (!data.empty()) {
    if (!read_tlv(data, t)) return false;
    out.push_back(t.full);
    data.remove_prefix(t.full.size());
  }
  return true;
}

// ---------------------------------------------------------------- Go JSON values

Value str(std::string s) { return Value::string(std::move(s)); }

Value b64(std::string_view bytes) { return Value::string(encode_base64(bytes, false, true)); }

Value b64(const ASN1_STRING* s) {
  return b64(std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), size_t(ASN1_STRING_length(s))));
}

// A Go []string: null when empty (nil slice).
Value string_list(const std::vector<std::string>& v) {
  if (v.empty()) return Value::null();
  std::vector<Value> items;
  for (const auto& s : v) items.push_back(Value::string(s));
  return Value::array(std::move(items));
}

Value list_or_null(std::vector<Value> v) { return v.empty() ? Value::null() : Value::array(std::move(v)); }

std::string oid_text(const ASN1_OBJECT* o) {
  char buf[256];
  int n = OBJ_obj2txt(buf, sizeof buf, o, 1);
  if (n <= 0) return "";
  return std::string(buf, size_t(n) < sizeof buf ? size_t(n) : sizeof buf - 1);
}

// An asn1.ObjectIdentifier: array of integers.
Value oid_value(const ASN1_OBJECT* o) {
  std::string t = oid_text(o);
  std::vector<Value> arcs;
  size_t start = 0;
  while (start <= t.size() && !t.empty()) {
    size_t dot = t.find('.', start);
    std::string part = t.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    Value n = Value::number_from_text(part);
    arcs.push_back(n.defined() ? n : Value::integer(0));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return Value::array(std::move(arcs));
}

// A big.Int: a JSON number (decimal conversion takes time quadratic in the
// size: numbers beyond the integers arithmetic builds are refused; no real
// certificate or key has one).
Value bn_value(const BIGNUM* bn) {
  if (!bn) return Value::null();
  if (static_cast<uint64_t>(BN_num_bits(bn)) > kMaxIntegerBits) {
    throw BuiltinError("x509: integer of " + std::to_string(BN_num_bits(bn)) + " bits is too large");
  }
  char* dec = BN_bn2dec(bn);
  if (!dec) return Value::null();
  Value v = Value::number_from_text(dec);
  OPENSSL_free(dec);
  return v;
}

Value asn1_int_value(const ASN1_INTEGER* i) {
  BNPtr bn(ASN1_INTEGER_to_BN(i, nullptr));
  return bn_value(bn.get());
}

int64_t asn1_int64(const ASN1_INTEGER* i) {
  int64_t v = 0;
  if (!i || ASN1_INTEGER_get_int64(&v, i) != 1) return 0;
  return v;
}

BNPtr pkey_bn(const EVP_PKEY* k, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(k, name, &bn) <= 0) return nullptr;
  return BNPtr(bn);
}

Value pkey_bn_value(const EVP_PKEY* k, const char* name) {
  BNPtr bn = pkey_bn(k, name);
  return bn_value(bn.get());
}

// Go's net.IP.String().
std::string ip_text(const unsigned char* p, size_t n) {
  char buf[64];
  if (n == 16) {
    bool mapped = true;
    for (int i = 0; i < 10; i++) mapped = mapped && p[i] == 0;
    mapped = mapped && p[10] == 0xff && p[11] == 0xff;
    if (mapped) return ip_text(p + 12, 4);
  }
  if (n == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
    return buf;
  }
  if (n != 16) return n == 0 ? "<nil>" : "?" + hex(p, n);
  unsigned g[8];
  for (int i = 0; i < 8; i++) g[i] = (unsigned(p[2 * i]) << 8) | p[2 * i + 1];
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      i++;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) j++;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; i++) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

std::string ip_text(const ASN1_OCTET_STRING* s) {
  return ip_text(ASN1_STRING_get0_data(s), size_t(ASN1_STRING_length(s)));
}

std::string asn1_utf8(const ASN1_STRING* s) {
  unsigned char* out = nullptr;
  int n = ASN1_STRING_to_UTF8(&out, s);
  if (n < 0) return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), size_t(ASN1_STRING_length(s)));
  std::string r(reinterpret_cast<char*>(out), size_t(n));
  OPENSSL_free(out);
  return r;
}

std::string ia5(const ASN1_IA5STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), size_t(ASN1_STRING_length(s)));
}

// Seconds since the epoch of an ASN.1 time; false when invalid.
bool asn1_time_seconds(const ASN1_TIME* t, int64_t& secs, std::tm& tm) {
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return false;
  secs = int64_t(timegm(&tm));
  return true;
}

// A time.Time in JSON: RFC 3339 in UTC (certificate times are whole seconds).
Value time_value(const ASN1_TIME* t) {
  std::tm tm{};
  int64_t secs;
  if (!asn1_time_seconds(t, secs, tm)) return Value::string("0001-01-01T00:00:00Z");
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return Value::string(buf);
}

// A *url.URL in JSON (Go's url.Parse, simplified: no unescaping of the path).
Value url_value(const std::string& raw) {
  std::string rest = raw, scheme, opaque, host, path, query, fragment;
  bool has_user = false, force_query = false, omit_host = false;
  size_t hash = rest.find('#');
  if (hash != std::string::npos) {
    fragment = rest.substr(hash + 1);
    rest.resize(hash);
  }
  size_t colon = rest.find(':');
  if (colon != std::string::npos && colon > 0 && std::isalpha(static_cast<unsigned char>(rest[0]))) {
    bool ok = true;
    for (size_t i = 1; i < colon; i++) {
      char c = rest[i];
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.');
    }
    if (ok) {
      for (size_t i = 0; i < colon; i++) scheme += char(std::tolower(static_cast<unsigned char>(rest[i])));
      rest = rest.substr(colon + 1);
    }
  }
  size_t q = rest.find('?');
  if (q != std::string::npos) {
    if (q + 1 == rest.size()) {
      force_query = true;
    } else {
      query = rest.substr(q + 1);
    }
    rest.resize(q);
  }
  if (!scheme.empty() && (rest.empty() || rest[0] != '/')) {
    opaque = rest;
  } else if (starts_with(rest, "//")) {
    std::string authority = rest.substr(2);
    size_t slash = authority.find('/');
    if (slash != std::string::npos) {
      path = authority.substr(slash);
      authority.resize(slash);
    }
    size_t at = authority.rfind('@');
    if (at != std::string::npos) {
      has_user = true;
      authority = authority.substr(at + 1);
    }
    host = authority;
  } else {
    omit_host = !scheme.empty() && !rest.empty() && rest[0] == '/';
    path = rest;
  }
  ObjectBuilder o;
  o.add("Scheme", str(scheme));
  o.add("Opaque", str(opaque));
  o.add("User", has_user ? Value::empty_object() : Value::null());
  o.add("Host", str(host));
  o.add("Path", str(path));
  o.add("RawPath", str(""));
  o.add("OmitHost", Value::boolean(omit_host));
  o.add("ForceQuery", Value::boolean(force_query));
  o.add("RawQuery", str(query));
  o.add("Fragment", str(fragment));
  o.add("RawFragment", str(""));
  return o.build();
}

// A pkix.Name.
Value name_value(const X509_NAME* n) {
  std::vector<Value> names;
  std::vector<std::string> country, org, ou, locality, province, street, postal;
  std::string cn, serial;
  for (int i = 0; n && i < X509_NAME_entry_count(n); i++) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(n, i);
    const ASN1_OBJECT* obj = X509_NAME_ENTRY_get_object(e);
    std::string v = asn1_utf8(X509_NAME_ENTRY_get_data(e));
    ObjectBuilder atv;
    atv.add("Type", oid_value(obj));
    atv.add("Value", Value::string(v));
    names.push_back(atv.build());
    switch (OBJ_obj2nid(obj)) {
      case NID_commonName: cn = v; break;
      case NID_serialNumber: serial = v; break;
      case NID_countryName: country.push_back(v); break;
      case NID_organizationName: org.push_back(v); break;
      case NID_organizationalUnitName: ou.push_back(v); break;
      case NID_localityName: locality.push_back(v); break;
      case NID_stateOrProvinceName: province.push_back(v); break;
      case NID_streetAddress: street.push_back(v); break;
      case NID_postalCode: postal.push_back(v); break;
      default: break;
    }
  }
  ObjectBuilder o;
  o.add("Country", string_list(country));
  o.add("Organization", string_list(org));
  o.add("OrganizationalUnit", string_list(ou));
  o.add("Locality", string_list(locality));
  o.add("Province", string_list(province));
  o.add("StreetAddress", string_list(street));
  o.add("PostalCode", string_list(postal));
  o.add("SerialNumber", str(serial));
  o.add("CommonName", str(cn));
  o.add("Names", list_or_null(std::move(names)));
  o.add("ExtraNames", Value::null());
  return o.build();
}

// x509.PublicKeyAlgorithm from the SubjectPublicKeyInfo algorithm.
int64_t public_key_algorithm(X509_PUBKEY* pub) {
  ASN1_OBJECT* alg = nullptr;
  if (!pub || X509_PUBKEY_get0_param(&alg, nullptr, nullptr, nullptr, pub) != 1) return 0;
  switch (OBJ_obj2nid(alg)) {
    case NID_rsaEncryption: return 1;
    case NID_dsa: return 2;
    case NID_X9_62_id_ecPublicKey: return 3;
    case NID_ED25519: return 4;
    default: return 0;
  }
}

// The public key as Go marshals *rsa.PublicKey, *ecdsa.PublicKey,
// ed25519.PublicKey or *dsa.PublicKey.
Value public_key_value(EVP_PKEY* k, int64_t algo) {
  if (!k) return Value::null();
  ObjectBuilder o;
  switch (algo) {
    case 1:
      o.add("N", pkey_bn_value(k, OSSL_PKEY_PARAM_RSA_N));
      o.add("E", pkey_bn_value(k, OSSL_PKEY_PARAM_RSA_E));
      return o.build();
    case 2: {
      ObjectBuilder params;
      params.add("P", pkey_bn_value(k, OSSL_PKEY_PARAM_FFC_P));
      params.add("Q", pkey_bn_value(k, OSSL_PKEY_PARAM_FFC_Q));
      params.add("G", pkey_bn_value(k, OSSL_PKEY_PARAM_FFC_G));
      o.add("Parameters", params.build());
      o.add("Y", pkey_bn_value(k, OSSL_PKEY_PARAM_PUB_KEY));
      return o.build();
    }
    case 3:
      o.add("Curve", Value::empty_object());  // Go's curve values have no exported fields
      o.add("X", pkey_bn_value(k, OSSL_PKEY_PARAM_EC_PUB_X));
      o.add("Y", pkey_bn_value(k, OSSL_PKEY_PARAM_EC_PUB_Y));
      return o.build();
    case 4: {
      unsigned char raw[64];
      size_t n = sizeof raw;
      if (EVP_PKEY_get_raw_public_key(k, raw, &n) != 1) return Value::null();
      return b64(std::string_view(reinterpret_cast<char*>(raw), n));
    }
    default: return Value::null();
  }
}

// x509.SignatureAlgorithm from the signature algorithm (digest for RSA-PSS).
template <class GetInfo>
int64_t signature_algorithm(int nid, GetInfo md_nid) {
  switch (nid) {
    case NID_md2WithRSAEncryption: return 1;
    case NID_md5WithRSAEncryption: return 2;
    case NID_sha1WithRSAEncryption:
    case NID_sha1WithRSA: return 3;
    case NID_sha256WithRSAEncryption: return 4;
    case NID_sha384WithRSAEncryption: return 5;
    case NID_sha512WithRSAEncryption: return 6;
    case NID_dsaWithSHA1: return 7;
    case NID_dsa_with_SHA256: return 8;
    case NID_ecdsa_with_SHA1: return 9;
    case NID_ecdsa_with_SHA256: return 10;
    case NID_ecdsa_with_SHA384: return 11;
    case NID_ecdsa_with_SHA512: return 12;
    case NID_rsassaPss:
      switch (md_nid()) {
        case NID_sha256: return 13;
        case NID_sha384: return 14;
        case NID_sha512: return 15;
        default: return 0;
      }
    case NID_ED25519: return 16;
    default: return 0;
  }
}

bool insecure_signature(int64_t sigalg) {
  return sigalg == 1 || sigalg == 2 || sigalg == 3 || sigalg == 7 || sigalg == 9;
}

// []pkix.Extension.
Value extensions_value(const STACK_OF(X509_EXTENSION) * exts) {
  std::vector<Value> out;
  for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
    X509_EXTENSION* e = sk_X509_EXTENSION_value(exts, i);
    ObjectBuilder o;
    o.add("Id", oid_value(X509_EXTENSION_get_object(e)));
    o.add("Critical", Value::boolean(X509_EXTENSION_get_critical(e) > 0));
    o.add("Value", b64(X509_EXTENSION_get_data(e)));
    out.push_back(o.build());
  }
  return list_or_null(std::move(out));
}

// Subject alternative names, split by kind as Go does.
struct Sans {
  std::vector<std::string> dns, email, uris;
  std::vector<Value> ips;
  bool any() const { return !dns.empty() || !email.empty() || !uris.empty() || !ips.empty(); }
};

Sans read_sans(const STACK_OF(X509_EXTENSION) * exts) {
  Sans s;
  auto names = ext_d2i<GENERAL_NAMES, GENERAL_NAMES_free>(exts, NID_subject_alt_name);
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); i++) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(names.get(), i);
    switch (g->type) {
      case GEN_DNS: s.dns.push_back(ia5(g->d.dNSName)); break;
      case GEN_EMAIL: s.email.push_back(ia5(g->d.rfc822Name)); break;
      case GEN_URI: s.uris.push_back(ia5(g->d.uniformResourceIdentifier)); break;
      case GEN_IPADD: s.ips.push_back(Value::string(ip_text(g->d.iPAddress))); break;
      default: break;
    }
  }
  return s;
}

void add_sans(ObjectBuilder& o, const Sans& s, bool uri_strings) {
  o.add("DNSNames", string_list(s.dns));
  o.add("EmailAddresses", string_list(s.email));
  o.add("IPAddresses", list_or_null(s.ips));
  std::vector<Value> urls;
  for (const auto& u : s.uris) urls.push_back(url_value(u));
  o.add("URIs", list_or_null(std::move(urls)));
  if (uri_strings) o.add("URIStrings", string_list(s.uris));
}

// x509.ExtKeyUsage values; -1 for OIDs Go does not name.
int64_t ext_key_usage(const ASN1_OBJECT* o) {
  switch (OBJ_obj2nid(o)) {
    case NID_anyExtendedKeyUsage: return 0;
    case NID_server_auth: return 1;
    case NID_client_auth: return 2;
    case NID_code_sign: return 3;
    case NID_email_protect: return 4;
    case NID_ipsecEndSystem: return 5;
    case NID_ipsecTunnel: return 6;
    case NID_ipsecUser: return 7;
    case NID_time_stamp: return 8;
    case NID_OCSP_sign: return 9;
    case NID_ms_sgc: return 10;
    case NID_ns_sgc: return 11;
    case NID_ms_code_com: return 12;
    default: break;
  }
  if (oid_text(o) == "1.3.6.1.4.1.311.61.1.1") return 13;  // Microsoft kernel code signing
  return -1;
}

// Extension NIDs Go's parser understands (others, when critical, are listed
// in UnhandledCriticalExtensions).
bool handled_extension(int nid) {
  switch (nid) {
    case NID_key_usage:
    case NID_basic_constraints:
    case NID_subject_alt_name:
    case NID_name_constraints:
    case NID_crl_distribution_points:
    case NID_authority_key_identifier:
    case NID_ext_key_usage:
    case NID_subject_key_identifier:
    case NID_certificate_policies:
    case NID_policy_mappings:
    case NID_policy_constraints:
    case NID_inhibit_any_policy:
    case NID_info_access: return true;
    default: return false;
  }
}

// One certificate as Go's encoding/json renders an x509.Certificate
// (plus OPA's URIStrings when `uri_strings`).
Value certificate_value(X509* x, std::string_view der, bool uri_strings) {
  ObjectBuilder o;
  RawParts raw;
  if (!raw_parts(der, false, raw)) raw = RawParts{};
  o.add("Raw", b64(der));
  o.add("RawTBSCertificate", b64(raw.tbs));
  o.add("RawSubjectPublicKeyInfo", b64(raw.spki));
  o.add("RawSubject", b64(raw.subject));
  o.add("RawIssuer", b64(raw.issuer));
  o.add("Signature", b64(raw.signature));
  o.add("SignatureAlgorithm", Value::integer(signature_algorithm(X509_get_signature_nid(x), [x] {
          int md = NID_undef;
          X509_get_signature_info(x, &md, nullptr, nullptr, nullptr);
          return md;
        })));
  int64_t algo = public_key_algorithm(X509_get_X509_PUBKEY(x));
  o.add("PublicKeyAlgorithm", Value::integer(algo));
  o.add("PublicKey", public_key_value(X509_get0_pubkey(x), algo));
  o.add("Version", Value::integer(X509_get_version(x) + 1));
  o.add("SerialNumber", asn1_int_value(X509_get0_serialNumber(x)));
  o.add("Issuer", name_value(X509_get_issuer_name(x)));
  o.add("Subject", name_value(X509_get_subject_name(x)));
  o.add("NotBefore", time_value(X509_get0_notBefore(x)));
  o.add("NotAfter", time_value(X509_get0_notAfter(x)));

  const STACK_OF(X509_EXTENSION)* exts = X509_get0_extensions(x);
  o.add("Extensions", extensions_value(exts));
  o.add("ExtraExtensions", Value::null());

  // KeyUsage: bit i of the BIT STRING is Go's 1 << i.
  int64_t ku = 0;
  if (auto bits = ext_d2i<ASN1_BIT_STRING, ASN1_BIT_STRING_free>(exts, NID_key_usage)) {
    for (int i = 0; i < 9; i++) {
      if (ASN1_BIT_STRING_get_bit(bits.get(), i)) ku |= int64_t(1) << i;
    }
  }
  o.add("KeyUsage", Value::integer(ku));

  std::vector<Value> eku, unknown_eku;
  if (auto list = ext_d2i<STACK_OF(ASN1_OBJECT), free_obj_stack>(exts, NID_ext_key_usage)) {
    for (int i = 0; i < sk_ASN1_OBJECT_num(list.get()); i++) {
      const ASN1_OBJECT* obj = sk_ASN1_OBJECT_value(list.get(), i);
      int64_t u = ext_key_usage(obj);
      if (u >= 0) {
        eku.push_back(Value::integer(u));
      } else {
        unknown_eku.push_back(oid_value(obj));
      }
    }
  }
  o.add("ExtKeyUsage", list_or_null(std::move(eku)));
  o.add("UnknownExtKeyUsage", list_or_null(std::move(unknown_eku)));

  bool bc_valid = false, is_ca = false;
  int64_t max_path = 0;
  if (auto bc = ext_d2i<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>(exts, NID_basic_constraints)) {
    bc_valid = true;
    is_ca = bc->ca != 0;
    max_path = bc->pathlen ? asn1_int64(bc->pathlen) : -1;
  }
  o.add("BasicConstraintsValid", Value::boolean(bc_valid));
  o.add("IsCA", Value::boolean(is_ca));
  o.add("MaxPathLen", Value::integer(max_path));
  o.add("MaxPathLenZero", Value::boolean(bc_valid && max_path == 0));

  auto ski = ext_d2i<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>(exts, NID_subject_key_identifier);
  o.add("SubjectKeyId", ski ? b64(ski.get()) : Value::null());
  auto aki = ext_d2i<AUTHORITY_KEYID, AUTHORITY_KEYID_free>(exts, NID_authority_key_identifier);
  o.add("AuthorityKeyId", aki && aki->keyid ? b64(aki->keyid) : Value::null());

  std::vector<std::string> ocsp, issuers;
  if (auto aia = ext_d2i<AUTHORITY_INFO_ACCESS, AUTHORITY_INFO_ACCESS_free>(exts, NID_info_access)) {
    for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia.get()); i++) {
      const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia.get(), i);
      if (ad->location->type != GEN_URI) continue;
      int m = OBJ_obj2nid(ad->method);
      if (m == NID_ad_OCSP) ocsp.push_back(ia5(ad->location->d.uniformResourceIdentifier));
      if (m == NID_ad_ca_issuers) issuers.push_back(ia5(ad->location->d.uniformResourceIdentifier));
    }
  }
  o.add("OCSPServer", string_list(ocsp));
  o.add("IssuingCertificateURL", string_list(issuers));

  Sans sans = read_sans(exts);
  add_sans(o, sans, uri_strings);

  // Name constraints.
  int nc_crit = 0;
  std::vector<std::string> dns_ok, dns_no, email_ok, email_no, uri_ok, uri_no;
  std::vector<Value> ip_ok, ip_no;
  if (auto nc = ext_d2i<NAME_CONSTRAINTS, NAME_CONSTRAINTS_free>(exts, NID_name_constraints, &nc_crit)) {
    using Subtrees = STACK_OF(GENERAL_SUBTREE);
    using Strings = std::vector<std::string>;
    auto collect = [](Subtrees* trees, Strings& dns, Strings& email, Strings& uri, std::vector<Value>& ips) {
      for (int i = 0; trees && i < sk_GENERAL_SUBTREE_num(trees); i++) {
        const GENERAL_NAME* g = sk_GENERAL_SUBTREE_value(trees, i)->base;
        switch (g->type) {
          case GEN_DNS: dns.push_back(ia5(g->d.dNSName)); break;
          case GEN_EMAIL: email.push_back(ia5(g->d.rfc822Name)); break;
          case GEN_URI: uri.push_back(ia5(g->d.uniformResourceIdentifier)); break;
          case GEN_IPADD: {
            const unsigned char* p = ASN1_STRING_get0_data(g->d.iPAddress);
            size_t n = size_t(ASN1_STRING_length(g->d.iPAddress));
            if (n != 8 && n != 32) break;
            ObjectBuilder net;
            net.add("IP", Value::string(ip_text(p, n / 2)));
            net.add("Mask", b64(std::string_view(reinterpret_cast<const char*>(p + n / 2), n / 2)));
            ips.push_back(net.build());
            break;
          }
          default: break;
        }
      }
    };
    collect(nc->permittedSubtrees, dns_ok, email_ok, uri_ok, ip_ok);
    collect(nc->excludedSubtrees, dns_no, email_no, uri_no, ip_no);
  }
  o.add("PermittedDNSDomainsCritical", Value::boolean(nc_crit > 0));
  o.add("PermittedDNSDomains", string_list(dns_ok));
  o.add("ExcludedDNSDomains", string_list(dns_no));
  o.add("PermittedIPRanges", list_or_null(std::move(ip_ok)));
  o.add("ExcludedIPRanges", list_or_null(std::move(ip_no)));
  o.add("PermittedEmailAddresses", string_list(email_ok));
  o.add("ExcludedEmailAddresses", string_list(email_no));
  o.add("PermittedURIDomains", string_list(uri_ok));
  o.add("ExcludedURIDomains", string_list(uri_no));

  std::vector<std::string> crl;
  if (auto dps = ext_d2i<CRL_DIST_POINTS, CRL_DIST_POINTS_free>(exts, NID_crl_distribution_points)) {
    for (int i = 0; i < sk_DIST_POINT_num(dps.get()); i++) {
      const DIST_POINT* dp = sk_DIST_POINT_value(dps.get(), i);
      if (!dp->distpoint || dp->distpoint->type != 0) continue;
      GENERAL_NAMES* full = dp->distpoint->name.fullname;
      for (int j = 0; j < sk_GENERAL_NAME_num(full); j++) {
        const GENERAL_NAME* g = sk_GENERAL_NAME_value(full, j);
        if (g->type == GEN_URI) crl.push_back(ia5(g->d.uniformResourceIdentifier));
      }
    }
  }
  o.add("CRLDistributionPoints", string_list(crl));

  std::vector<Value> policy_ids, policies;
  if (auto cp = ext_d2i<CERTIFICATEPOLICIES, CERTIFICATEPOLICIES_free>(exts, NID_certificate_policies)) {
    for (int i = 0; i < sk_POLICYINFO_num(cp.get()); i++) {
      const ASN1_OBJECT* id = sk_POLICYINFO_value(cp.get(), i)->policyid;
      policy_ids.push_back(oid_value(id));
      policies.push_back(Value::string(oid_text(id)));
    }
  }
  o.add("PolicyIdentifiers", list_or_null(std::move(policy_ids)));
  o.add("Policies", list_or_null(std::move(policies)));

  std::vector<Value> mappings;
  if (auto pm = ext_d2i<POLICY_MAPPINGS, free_policy_mappings>(exts, NID_policy_mappings)) {
    for (int i = 0; i < sk_POLICY_MAPPING_num(pm.get()); i++) {
      const POLICY_MAPPING* m = sk_POLICY_MAPPING_value(pm.get(), i);
      ObjectBuilder mo;
      mo.add("IssuerDomainPolicy", Value::string(oid_text(m->issuerDomainPolicy)));
      mo.add("SubjectDomainPolicy", Value::string(oid_text(m->subjectDomainPolicy)));
      mappings.push_back(mo.build());
    }
  }
  o.add("PolicyMappings", list_or_null(std::move(mappings)));

  int64_t require_explicit = 0, inhibit_mapping = 0, inhibit_any = 0;
  bool require_explicit_zero = false, inhibit_mapping_zero = false, inhibit_any_zero = false;
  if (auto pc = ext_d2i<POLICY_CONSTRAINTS, POLICY_CONSTRAINTS_free>(exts, NID_policy_constraints)) {
    if (pc->requireExplicitPolicy) {
      require_explicit = asn1_int64(pc->requireExplicitPolicy);
      require_explicit_zero = require_explicit == 0;
    }
    if (pc->inhibitPolicyMapping) {
      inhibit_mapping = asn1_int64(pc->inhibitPolicyMapping);
      inhibit_mapping_zero = inhibit_mapping == 0;
    }
  }
  if (auto ia = ext_d2i<ASN1_INTEGER, ASN1_INTEGER_free>(exts, NID_inhibit_any_policy)) {
    inhibit_any = asn1_int64(ia.get());
    inhibit_any_zero = inhibit_any == 0;
  }
  o.add("InhibitAnyPolicy", Value::integer(inhibit_any));
  o.add("InhibitAnyPolicyZero", Value::boolean(inhibit_any_zero));
  o.add("InhibitPolicyMapping", Value::integer(inhibit_mapping));
  o.add("InhibitPolicyMappingZero", Value::boolean(inhibit_mapping_zero));
  o.add("RequireExplicitPolicy", Value::integer(require_explicit));
  o.add("RequireExplicitPolicyZero", Value::boolean(require_explicit_zero));

  std::vector<Value> unhandled;
  for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
    X509_EXTENSION* e = sk_X509_EXTENSION_value(exts, i);
    if (X509_EXTENSION_get_critical(e) <= 0) continue;
    int nid = OBJ_obj2nid(X509_EXTENSION_get_object(e));
    bool handled = handled_extension(nid) && !(nid == NID_subject_alt_name && !sans.any());
    if (!handled) unhandled.push_back(oid_value(X509_EXTENSION_get_object(e)));
  }
  o.add("UnhandledCriticalExtensions", list_or_null(std::move(unhandled)));
  return o.build();
}

// ---------------------------------------------------------------- certificate input

struct Cert {
  X509Ptr x;
  std::string der;
};

// x509.ParseCertificates on a concatenation of DER certificates.
std::vector<Cert> parse_der_certificates(std::string_view data) {
  std::vector<std::string_view> parts;
  if (!split_der(data, parts)) throw BuiltinError("x509: malformed certificate");
  std::vector<Cert> out;
  for (std::string_view part : parts) {
    const unsigned char* p = uc(part);
    X509* x = d2i_X509(nullptr, &p, long(part.size()));
    if (!x || p != uc(part) + part.size()) {
      X509_free(x);
      throw BuiltinError("x509: malformed certificate");
    }
    Cert c{X509Ptr(x), std::string(part)};
    const ASN1_INTEGER* serial = X509_get0_serialNumber(x);
    if (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER) throw BuiltinError("x509: negative serial number");
    out.push_back(std::move(c));
  }
  return out;
}

// OPA's getX509CertsFromPem: every block must be a CERTIFICATE.
std::vector<Cert> certs_from_pem(std::string_view text) {
  std::string der;
  for (auto& b : pem_blocks(text)) {
    if (b.type != "CERTIFICATE") {
      throw BuiltinError("PEM block type is '" + b.type + "', expected CERTIFICATE");
    }
    der += b.bytes;
  }
  return parse_der_certificates(der);
}

// OPA's getX509CertsFromString: PEM, or base64 of PEM or DER.
std::vector<Cert> certs_from_string(const std::string& s) {
  if (starts_with(s, "-----BEGIN")) return certs_from_pem(s);
  std::string raw = go_b64_decode(s);
  if (starts_with(raw, "-----BEGIN")) return certs_from_pem(raw);
  return parse_der_certificates(raw);
}

Value certificates_value(const std::vector<Cert>& certs, bool uri_strings) {
  std::vector<Value> out;
  for (const auto& c : certs) out.push_back(certificate_value(c.x.get(), c.der, uri_strings));
  return Value::array(std::move(out));
}

// ---------------------------------------------------------------- chain verification

struct VerifyOptions {
  std::string dns_name;
  bool has_time = false;
  int64_t time_ns = 0;
  std::vector<int64_t> key_usages;  // x509.ExtKeyUsage values; empty: server auth
};

// OPA's extractVerifyOpts.
VerifyOptions verify_options(const Value& opts) {
  static const std::pair<const char*, int64_t> kUsages[] = {
      {"KeyUsageAny", 0},
      {"KeyUsageServerAuth", 1},
      {"KeyUsageClientAuth", 2},
      {"KeyUsageCodeSigning", 3},
      {"KeyUsageEmailProtection", 4},
      {"KeyUsageIPSECEndSystem", 5},
      {"KeyUsageIPSECTunnel", 6},
      {"KeyUsageIPSECUser", 7},
      {"KeyUsageTimeStamping", 8},
      {"KeyUsageOCSPSigning", 9},
      {"KeyUsageMicrosoftServerGatedCrypto", 10},
      {"KeyUsageNetscapeServerGatedCrypto", 11},
      {"KeyUsageMicrosoftCommercialCodeSigning", 12},
      {"KeyUsageMicrosoftKernelCodeSigning", 13},
  };
  VerifyOptions vo;
  for (const auto& [k, v] : opts.entries()) {
    if (!k.is_string()) continue;
    const std::string& key = k.str();
    if (key == "DNSName") {
      if (!v.is_string()) throw BuiltinError("'DNSName' should be a string");
      vo.dns_name = v.str();
    } else if (key == "CurrentTime") {
      if (!v.is_number()) throw BuiltinError("'CurrentTime' should be a number");
      if (!v.to_int64(vo.time_ns)) throw BuiltinError("'CurrentTime' should be a valid int64 number");
      vo.has_time = true;
    } else if (key == "MaxConstraintComparisons") {
      int64_t n;
      if (!v.is_number()) throw BuiltinError("'MaxConstraintComparisons' should be a number");
      if (!v.to_int64(n)) throw BuiltinError("'MaxConstraintComparisons' should be a valid number");
    } else if (key == "KeyUsages") {
      if (!v.is_array() && !v.is_set()) throw BuiltinError("'KeyUsages' should be an Array or Set");
      std::vector<std::string> invalid;
      for (const Value& u : v.items()) {
        if (!u.is_string()) continue;
        bool found = false;
        for (const auto& [name, code] : kUsages) {
          if (u.str() == name) {
            vo.key_usages.push_back(code);
            found = true;
          }
        }
        if (!found) invalid.push_back(u.str());
      }
      if (!invalid.empty()) {
        std::string list;
        for (const auto& s : invalid) list += (list.empty() ? "" : " ") + s;
        throw BuiltinError("invalid entries for 'KeyUsages' found: [" + list + "]");
      }
    } else {
      throw BuiltinError("invalid key option");
    }
  }
  return vo;
}

std::vector<int64_t> cert_ekus(X509* x, bool& unknown) {
  std::vector<int64_t> out;
  unknown = false;
  auto list = ext_d2i<STACK_OF(ASN1_OBJECT), free_obj_stack>(X509_get0_extensions(x), NID_ext_key_usage);
  for (int i = 0; list && i < sk_ASN1_OBJECT_num(list.get()); i++) {
    int64_t u = ext_key_usage(sk_ASN1_OBJECT_value(list.get(), i));
    if (u >= 0) {
      out.push_back(u);
    } else {
      unknown = true;
    }
  }
  return out;
}

// Go's checkChainForKeyUsage: walking from the root down, each certificate
// that restricts extended key usage crosses out the requested usages it does
// not allow; the chain fails when none is left.
bool chain_allows_usages(const std::vector<X509*>& chain, std::vector<int64_t> wanted) {
  if (wanted.empty()) wanted.push_back(1);  // Go's default: server authentication
  for (int64_t u : wanted) {
    if (u == 0) return true;
  }
  size_t remaining = wanted.size();
  for (size_t i = chain.size(); i-- > 0;) {
    bool unknown;
    std::vector<int64_t> ekus = cert_ekus(chain[i], unknown);
    if (ekus.empty() && !unknown) continue;
    bool any = false;
    for (int64_t e : ekus) any = any || e == 0;
    if (any) continue;
    for (auto& w : wanted) {
      if (w < 0) continue;
      bool ok = false;
      for (int64_t e : ekus) {
        ok = ok || e == w || (w == 1 && (e == 10 || e == 11));
      }
      if (ok) continue;
      w = -1;
      if (--remaining == 0) return false;
    }
  }
  return true;
}

// Go's validity check: now must not be before NotBefore nor after NotAfter.
bool valid_at(X509* x, int64_t now_ns) {
  std::tm tm{};
  int64_t nb, na;
  if (!asn1_time_seconds(X509_get0_notBefore(x), nb, tm) || !asn1_time_seconds(X509_get0_notAfter(x), na, tm)) {
    return false;
  }
  int64_t now_s = now_ns / 1000000000;
  int64_t frac = now_ns % 1000000000;
  if (frac < 0) {
    now_s--;
    frac += 1000000000;
  }
  if (now_s < nb) return false;
  if (now_s > na || (now_s == na && frac > 0)) return false;
  return true;
}

bool is_ip_literal(std::string host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  ASN1_OCTET_STRING* ip = a2i_IPADDRESS(host.c_str());
  ASN1_OCTET_STRING_free(ip);
  return ip != nullptr;
}

// OPA's verifyX509CertificateChain: certs[0] is the trusted root, the last
// certificate is the leaf, the rest are intermediates. Returns the verified
// chain leaf first, or an empty vector when it does not verify.
std::vector<const Cert*> verify_chain(const std::vector<Cert>& certs, const VerifyOptions& vo) {
  if (certs.size() < 2) return {};
  std::unique_ptr<X509_STORE, Free<X509_STORE_free>> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), Free<free_x509_stack>> untrusted(sk_X509_new_null());
  std::unique_ptr<X509_STORE_CTX, Free<X509_STORE_CTX_free>> ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx) return {};
  if (X509_STORE_add_cert(store.get(), certs[0].x.get()) != 1) return {};
  for (size_t i = 1; i + 1 < certs.size(); i++) {
    X509_up_ref(certs[i].x.get());
    sk_X509_push(untrusted.get(), certs[i].x.get());
  }
  X509* leaf = certs.back().x.get();
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get()) != 1) return {};
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  // Any certificate given as root is a trust anchor (Go's CertPool); validity
  // periods are checked below with nanosecond precision, as Go does.
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
  if (!vo.dns_name.empty()) {
    std::string host = vo.dns_name;
    if (is_ip_literal(host)) {
      if (host.front() == '[') host = host.substr(1, host.size() - 2);
      if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) return {};
    } else {
      X509_VERIFY_PARAM_set_hostflags(param,
                                      X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
      if (X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) != 1) return {};
    }
  }
  if (X509_verify_cert(ctx.get()) != 1) return {};
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  std::vector<X509*> path;
  for (int i = 0; i < sk_X509_num(chain); i++) path.push_back(sk_X509_value(chain, i));

  int64_t now = vo.has_time ? vo.time_ns
                            : int64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  for (size_t i = 0; i < path.size(); i++) {
    if (!valid_at(path[i], now)) return {};
    // Go refuses MD2, MD5 and SHA-1 signatures (the anchor's own is not checked).
    if (i + 1 < path.size()) {
      int64_t alg = signature_algorithm(X509_get_signature_nid(path[i]), [] { return NID_undef; });
      if (insecure_signature(alg)) return {};
    }
  }
  if (!chain_allows_usages(path, vo.key_usages)) return {};

  std::vector<const Cert*> out;
  for (X509* x : path) {
    for (const auto& c : certs) {
      if (c.x.get() == x) {
        out.push_back(&c);
        break;
      }
    }
  }
  if (out.size() != path.size()) return {};
  return out;
}

Value verify_result(const std::vector<const Cert*>& chain, bool uri_strings) {
  if (chain.empty()) return Value::array({Value::boolean(false), Value::empty_array()});
  std::vector<Value> certs;
  for (const Cert* c : chain) certs.push_back(certificate_value(c->x.get(), c->der, uri_strings));
  return Value::array({Value::boolean(true), Value::array(std::move(certs))});
}

// ---------------------------------------------------------------- private keys

// The shape of a DER private key structure, told apart as Go's parsers do.
enum class KeyShape { Unknown, Pkcs1, Pkcs8, Sec1 };

KeyShape key_shape(std::string_view der) {
  Tlv outer;
  if (!read_tlv(der, outer) || outer.tag != 0x30) return KeyShape::Unknown;
  std::vector<Tlv> kids = children(outer.content);
  if (kids.size() < 2 || kids[0].tag != 0x02) return KeyShape::Unknown;
  if (kids[1].tag == 0x02) return KeyShape::Pkcs1;
  if (kids[1].tag == 0x30) return KeyShape::Pkcs8;
  if (kids[1].tag == 0x04) return KeyShape::Sec1;
  return KeyShape::Unknown;
}

std::string group_name(const EVP_PKEY* k) {
  char buf[64];
  size_t n = 0;
  if (EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, buf, sizeof buf, &n) != 1) return "";
  return std::string(buf, n);
}

// JWK / Go name of a NIST curve; empty for curves Go does not support.
std::string nist_curve(const EVP_PKEY* k) {
  std::string g = group_name(k);
  if (g == "prime256v1" || g == "P-256") return "P-256";
  if (g == "secp384r1" || g == "P-384") return "P-384";
  if (g == "secp521r1" || g == "P-521") return "P-521";
  if (g == "secp224r1" || g == "P-224") return "P-224";
  return "";
}

PKeyPtr d2i_typed(int type, std::string_view der) {
  const unsigned char* p = uc(der);
  EVP_PKEY* k = d2i_PrivateKey(type, nullptr, &p, long(der.size()));
  return PKeyPtr(k);
}

[[noreturn]] void asn1_error(const char* what) { throw BuiltinError(std::string("asn1: structure error: ") + what); }

// x509.ParsePKCS1PrivateKey.
PKeyPtr parse_pkcs1(std::string_view der) {
  KeyShape s = key_shape(der);
  if (s == KeyShape::Pkcs8) {
    throw BuiltinError("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)");
  }
  if (s == KeyShape::Sec1) {
    throw BuiltinError("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)");
  }
  PKeyPtr k = s == KeyShape::Pkcs1 ? d2i_typed(EVP_PKEY_RSA, der) : nullptr;
  if (!k) asn1_error("malformed PKCS #1 RSA private key");
  return k;
}

// x509.ParseECPrivateKey.
PKeyPtr parse_sec1(std::string_view der) {
  KeyShape s = key_shape(der);
  if (s == KeyShape::Pkcs8) {
    throw BuiltinError("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)");
  }
  if (s == KeyShape::Pkcs1) {
    throw BuiltinError("x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)");
  }
  PKeyPtr k = s == KeyShape::Sec1 ? d2i_typed(EVP_PKEY_EC, der) : nullptr;
  if (!k) throw BuiltinError("x509: failed to parse EC private key");
  if (nist_curve(k.get()).empty()) throw BuiltinError("x509: unknown elliptic curve");
  return k;
}

// x509.ParsePKCS8PrivateKey: RSA, ECDSA (NIST curves), Ed25519, X25519.
PKeyPtr parse_pkcs8(std::string_view der) {
  KeyShape s = key_shape(der);
  if (s == KeyShape::Sec1) {
    throw BuiltinError("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)");
  }
  if (s == KeyShape::Pkcs1) {
    throw BuiltinError("x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)");
  }
  if (s != KeyShape::Pkcs8) asn1_error("malformed PKCS #8 private key");
  const unsigned char* p = uc(der);
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, Free<PKCS8_PRIV_KEY_INFO_free>> info(
      d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, long(der.size())));
  if (!info) asn1_error("malformed PKCS #8 private key");
  const ASN1_OBJECT* alg = nullptr;
  PKCS8_pkey_get0(&alg, nullptr, nullptr, nullptr, info.get());
  int nid = alg ? OBJ_obj2nid(alg) : NID_undef;
  if (nid != NID_rsaEncryption && nid != NID_X9_62_id_ecPublicKey && nid != NID_ED25519 && nid != NID_X25519) {
    throw BuiltinError("x509: PKCS#8 wrapping contained private key with unknown algorithm: " +
                       (alg ? oid_text(alg) : std::string("?")));
  }
  PKeyPtr k(EVP_PKCS82PKEY(info.get()));
  if (!k) {
    throw BuiltinError(std::string("x509: failed to parse ") +
                       (nid == NID_rsaEncryption          ? "RSA"
                        : nid == NID_X9_62_id_ecPublicKey ? "EC"
                                                          : "Ed25519") +
                       " private key embedded in PKCS#8");
  }
  if (nid == NID_X9_62_id_ecPublicKey && nist_curve(k.get()).empty())
    throw BuiltinError("x509: unknown elliptic curve");
  return k;
}

// OPA's getPrivateKeysFromPEMData: the whole input may be base64; blocks of
// type RSA PRIVATE KEY, PRIVATE KEY and EC PRIVATE KEY are parsed, others skipped.
std::vector<PKeyPtr> private_keys_from_pem(const std::string& input) {
  std::string decoded;
  const std::string& text = try_b64_decode(input, decoded) ? decoded : input;
  std::vector<PKeyPtr> keys;
  for (auto& b : pem_blocks(text)) {
    if (b.type == "RSA PRIVATE KEY") {
      keys.push_back(parse_pkcs1(b.bytes));
    } else if (b.type == "PRIVATE KEY") {
      keys.push_back(parse_pkcs8(b.bytes));
    } else if (b.type == "EC PRIVATE KEY") {
      keys.push_back(parse_sec1(b.bytes));
    }
  }
  return keys;
}

std::string bn_b64url(const EVP_PKEY* k, const char* name) {
  BNPtr bn = pkey_bn(k, name);
  if (!bn) return "";
  std::string raw(size_t(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(raw.data()));
  return encode_base64(raw, true, false);
}

// A private key as OPA's jwk.New renders it (RSA and ECDSA keys only).
Value private_key_jwk(const EVP_PKEY* k) {
  ObjectBuilder o;
  switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA:
      o.add("kty", str("RSA"));
      o.add("n", str(bn_b64url(k, OSSL_PKEY_PARAM_RSA_N)));
      o.add("e", str(bn_b64url(k, OSSL_PKEY_PARAM_RSA_E)));
      o.add("d", str(bn_b64url(k, OSSL_PKEY_PARAM_RSA_D)));
      o.add("p", str(bn_b64url(k, OSSL_PKEY_PARAM_RSA_FACTOR1)));
      o.add("q", str(bn_b64url(k, OSSL_PKEY_PARAM_RSA_FACTOR2)));
      o.add("dp", str(bn_b64url(k, OSSL_PKEY_PARAM_RSA_EXPONENT1)));
      o.add("dq", str(bn_b64url(k, OSSL_PKEY_PARAM_RSA_EXPONENT2)));
      o.add("qi", str(bn_b64url(k, OSSL_PKEY_PARAM_RSA_COEFFICIENT1)));
      return o.build();
    case EVP_PKEY_EC:
      o.add("kty", str("EC"));
      o.add("crv", str(nist_curve(k)));
      o.add("x", str(bn_b64url(k, OSSL_PKEY_PARAM_EC_PUB_X)));
      o.add("y", str(bn_b64url(k, OSSL_PKEY_PARAM_EC_PUB_Y)));
      o.add("d", str(bn_b64url(k, OSSL_PKEY_PARAM_PRIV_KEY)));
      return o.build();
    case EVP_PKEY_ED25519: throw BuiltinError("invalid key type ed25519.PrivateKey");
    default: throw BuiltinError("invalid key type *ecdh.PrivateKey");
  }
}

// A private key as Go's encoding/json renders *rsa.PrivateKey,
// *ecdsa.PrivateKey, ed25519.PrivateKey or *ecdh.PrivateKey.
Value private_key_go(const EVP_PKEY* k) {
  ObjectBuilder o;
  switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA: {
      o.add("N", pkey_bn_value(k, OSSL_PKEY_PARAM_RSA_N));
      o.add("E", pkey_bn_value(k, OSSL_PKEY_PARAM_RSA_E));
      o.add("D", pkey_bn_value(k, OSSL_PKEY_PARAM_RSA_D));
      o.add("Primes", Value::array({pkey_bn_value(k, OSSL_PKEY_PARAM_RSA_FACTOR1),
                                    pkey_bn_value(k, OSSL_PKEY_PARAM_RSA_FACTOR2)}));
      ObjectBuilder pre;
      pre.add("Dp", pkey_bn_value(k, OSSL_PKEY_PARAM_RSA_EXPONENT1));
      pre.add("Dq", pkey_bn_value(k, OSSL_PKEY_PARAM_RSA_EXPONENT2));
      pre.add("Qinv", pkey_bn_value(k, OSSL_PKEY_PARAM_RSA_COEFFICIENT1));
      pre.add("CRTValues", Value::empty_array());
      o.add("Precomputed", pre.build());
      return o.build();
    }
    case EVP_PKEY_EC:
      o.add("Curve", Value::empty_object());
      o.add("X", pkey_bn_value(k, OSSL_PKEY_PARAM_EC_PUB_X));
      o.add("Y", pkey_bn_value(k, OSSL_PKEY_PARAM_EC_PUB_Y));
      o.add("D", pkey_bn_value(k, OSSL_PKEY_PARAM_PRIV_KEY));
      return o.build();
    case EVP_PKEY_ED25519: {
      // Go's ed25519.PrivateKey is seed || public key.
      unsigned char priv[32], pub[32];
      size_t np = sizeof priv, nq = sizeof pub;
      if (EVP_PKEY_get_raw_private_key(k, priv, &np) != 1 || EVP_PKEY_get_raw_public_key(k, pub, &nq) != 1) {
        return Value::null();
      }
      std::string raw(reinterpret_cast<char*>(priv), np);
      raw.append(reinterpret_cast<char*>(pub), nq);
      return b64(raw);
    }
    default: return Value::empty_object();
  }
}

// ---------------------------------------------------------------- TLS key pair (Go's tls.X509KeyPair)

std::string go_list(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); i++) s += (i ? " " : "") + v[i];
  return s + "]";
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Value tls_key_pair(const std::vector<PemBlock>& cert_blocks, const std::vector<PemBlock>& key_blocks) {
  std::vector<std::string> certs, skipped;
  for (const auto& b : cert_blocks) {
    if (b.type == "CERTIFICATE") {
      certs.push_back(b.bytes);
    } else {
      skipped.push_back(b.type);
    }
  }
  if (certs.empty()) {
    if (skipped.empty()) throw BuiltinError("tls: failed to find any PEM data in certificate input");
    if (skipped.size() == 1 && ends_with(skipped[0], "PRIVATE KEY")) {
      throw BuiltinError(
          "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may "
          "have been switched");
    }
    throw BuiltinError(
        "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of "
        "the following types: " +
        go_list(skipped));
  }
  skipped.clear();
  const PemBlock* key_block = nullptr;
  for (const auto& b : key_blocks) {
    if (b.type == "PRIVATE KEY" || ends_with(b.type, " PRIVATE KEY")) {
      key_block = &b;
      break;
    }
    skipped.push_back(b.type);
  }
  if (!key_block) {
    if (skipped.empty()) throw BuiltinError("tls: failed to find any PEM data in key input");
    if (skipped.size() == 1 && skipped[0] == "CERTIFICATE") {
      throw BuiltinError("tls: found a certificate rather than a key in the PEM for the private key");
    }
    throw BuiltinError(
        "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of "
        "the following types: " +
        go_list(skipped));
  }

  std::vector<Cert> leaf = parse_der_certificates(certs[0]);
  if (leaf.size() != 1) throw BuiltinError("x509: trailing data");

  // tls.parsePrivateKey: PKCS #1, then PKCS #8 (RSA, ECDSA, Ed25519), then SEC 1.
  const std::string& der = key_block->bytes;
  PKeyPtr key;
  try {
    key = parse_pkcs1(der);
  } catch (const BuiltinError&) {
  }
  if (!key) {
    try {
      key = parse_pkcs8(der);
    } catch (const BuiltinError&) {
    }
    if (key && EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_X25519) {
      throw BuiltinError("tls: found unknown private key type in PKCS#8 wrapping");
    }
  }
  if (!key) {
    try {
      key = parse_sec1(der);
    } catch (const BuiltinError&) {
    }
  }
  if (!key) throw BuiltinError("tls: failed to parse private key");

  EVP_PKEY* pub = X509_get0_pubkey(leaf[0].x.get());
  int pub_type = pub ? EVP_PKEY_get_base_id(pub) : EVP_PKEY_NONE;
  if (pub_type != EVP_PKEY_RSA && pub_type != EVP_PKEY_EC && pub_type != EVP_PKEY_ED25519) {
    throw BuiltinError("tls: unknown public key algorithm");
  }
  if (EVP_PKEY_get_base_id(key.get()) != pub_type) {
    throw BuiltinError("tls: private key type does not match public key type");
  }
  if (EVP_PKEY_eq(pub, key.get()) != 1) throw BuiltinError("tls: private key does not match public key");

  std::vector<Value> chain;
  for (const auto& c : certs) chain.push_back(b64(c));
  ObjectBuilder o;
  o.add("Certificate", Value::array(std::move(chain)));
  o.add("PrivateKey", private_key_go(key.get()));
  o.add("SupportedSignatureAlgorithms", Value::null());
  o.add("OCSPStaple", Value::null());
  o.add("SignedCertificateTimestamps", Value::null());
  o.add("Leaf", certificate_value(leaf[0].x.get(), leaf[0].der, false));
  return o.build();
}

// ---------------------------------------------------------------- builtins: digests and HMACs

template <const EVP_MD* (*MD)()>
Value digest(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(s.data(), s.size(), out, &n, MD(), nullptr) != 1) throw BuiltinError("digest failed");
  return Value::string(hex(out, n));
}

template <const EVP_MD* (*MD)()>
Value hmac(Context&, const Value* a) {
  const std::string& msg = need_string(a, 1);
  const std::string& key = need_string(a, 2);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  static const unsigned char kEmpty = 0;
  if (!HMAC(MD(), key.empty() ? &kEmpty : uc(key), int(key.size()), msg.empty() ? &kEmpty : uc(msg), msg.size(), out,
            &n)) {
    throw BuiltinError("hmac failed");
  }
  return Value::string(hex(out, n));
}

Value hmac_equal(Context&, const Value* a) {
  const std::string& m1 = need_string(a, 1);
  const std::string& m2 = need_string(a, 2);
  bool eq = m1.size() == m2.size() && CRYPTO_memcmp(m1.data(), m2.data(), m1.size()) == 0;
  return Value::boolean(eq);
}

// ---------------------------------------------------------------- builtins: x509 and keys

Value x509_parse_certificates(Context&, const Value* a) {
  return certificates_value(certs_from_string(need_string(a, 1)), true);
}

Value x509_parse_and_verify(Context&, const Value* a) {
  const std::string& input = need_string(a, 1);
  std::vector<Cert> certs;
  try {
    certs = certs_from_string(input);
  } catch (const BuiltinError&) {
    return verify_result({}, true);
  }
  return verify_result(verify_chain(certs, VerifyOptions{}), true);
}

Value x509_parse_and_verify_with_options(Context&, const Value* a) {
  const std::string& input = need_string(a, 1);
  const Value& opts = need_object(a, 2);
  std::vector<Cert> certs;
  try {
    certs = certs_from_string(input);
  } catch (const BuiltinError&) {
    return verify_result({}, false);
  }
  VerifyOptions vo = verify_options(opts);
  return verify_result(verify_chain(certs, vo), false);
}

Value x509_parse_certificate_request(Context&, const Value* a) {
  std::string bytes = need_string(a, 1);
  if (!starts_with(bytes, "-----BEGIN CERTIFICATE REQUEST-----")) bytes = go_b64_decode(bytes);
  PemBlock block;
  std::string_view rest;
  if (pem_decode(bytes, block, rest)) {
    if (block.type != "CERTIFICATE REQUEST") throw BuiltinError("invalid PEM-encoded certificate signing request");
    bytes = std::move(block.bytes);
  }
  RawParts raw;
  const unsigned char* p = uc(bytes);
  ReqPtr req(d2i_X509_REQ(nullptr, &p, long(bytes.size())));
  if (!req || !raw_parts(bytes, true, raw)) asn1_error("malformed certificate request");
  if (p != uc(bytes) + bytes.size()) throw BuiltinError("asn1: syntax error: trailing data");

  ObjectBuilder o;
  o.add("Raw", b64(std::string_view(bytes).substr(0, size_t(p - uc(bytes)))));
  o.add("RawTBSCertificateRequest", b64(raw.tbs));
  o.add("RawSubjectPublicKeyInfo", b64(raw.spki));
  o.add("RawSubject", b64(raw.subject));
  o.add("Version", Value::integer(X509_REQ_get_version(req.get())));
  o.add("Signature", b64(raw.signature));
  X509_REQ* r = req.get();
  // (RSA-PSS request signatures are reported as unknown: their digest is not decoded.)
  o.add("SignatureAlgorithm",
        Value::integer(signature_algorithm(X509_REQ_get_signature_nid(r), [] { return int(NID_undef); })));
  int64_t algo = public_key_algorithm(X509_REQ_get_X509_PUBKEY(r));
  o.add("PublicKeyAlgorithm", Value::integer(algo));
  o.add("PublicKey", public_key_value(X509_REQ_get0_pubkey(r), algo));
  o.add("Subject", name_value(X509_REQ_get_subject_name(r)));

  std::unique_ptr<STACK_OF(X509_EXTENSION), Free<free_ext_stack>> exts(X509_REQ_get_extensions(r));
  Value attributes = Value::null();
  if (exts && sk_X509_EXTENSION_num(exts.get()) > 0) {
    // Go's (deprecated) Attributes field holds the extension request as
    // [[{Type: extension OID, Value: extension bytes}]].
    std::vector<Value> inner;
    for (int i = 0; i < sk_X509_EXTENSION_num(exts.get()); i++) {
      X509_EXTENSION* e = sk_X509_EXTENSION_value(exts.get(), i);
      ObjectBuilder atv;
      atv.add("Type", oid_value(X509_EXTENSION_get_object(e)));
      atv.add("Value", b64(X509_EXTENSION_get_data(e)));
      inner.push_back(atv.build());
    }
    ObjectBuilder attr;
    attr.add("Type", oid_value(OBJ_nid2obj(NID_ext_req)));
    attr.add("Value", Value::array({Value::array(std::move(inner))}));
    attributes = Value::array({attr.build()});
  }
  o.add("Attributes", attributes);
  o.add("Extensions", exts ? extensions_value(exts.get()) : Value::null());
  o.add("ExtraExtensions", Value::null());
  add_sans(o, read_sans(exts.get()), false);
  return o.build();
}

Value x509_parse_keypair(Context&, const Value* a) {
  std::string cert = need_string(a, 1);
  // OPA reports a bad second operand as operand 1 (topdown/crypto.go).
  if (!a[1].is_string()) operand_error(1, "string", a[1]);
  std::string key = a[1].str();
  if (!starts_with(cert, "-----BEGIN ")) cert = go_b64_decode(cert);
  if (!starts_with(key, "-----BEGIN ")) key = go_b64_decode(key);
  // DER input stands for one CERTIFICATE / PRIVATE KEY block.
  std::vector<PemBlock> cert_blocks =
      starts_with(cert, "-----BEGIN ") ? pem_blocks(cert) : std::vector<PemBlock>{{"CERTIFICATE", cert}};
  std::vector<PemBlock> key_blocks =
      starts_with(key, "-----BEGIN") ? pem_blocks(key) : std::vector<PemBlock>{{"PRIVATE KEY", key}};
  return tls_key_pair(cert_blocks, key_blocks);
}

Value x509_parse_rsa_private_key(Context&, const Value* a) {
  std::string input = need_string(a, 1);
  if (input.empty()) throw BuiltinError("input PEM data was empty");
  if (!starts_with(input, "-----BEGIN")) input = go_b64_decode(input);
  std::vector<PKeyPtr> keys = private_keys_from_pem(input);
  if (keys.empty()) return Value::null();
  return private_key_jwk(keys[0].get());
}

Value parse_private_keys(Context&, const Value* a) {
  const std::string& input = need_string(a, 1);
  if (input.empty()) return Value::null();
  std::vector<Value> out;
  for (const auto& k : private_keys_from_pem(input)) out.push_back(private_key_go(k.get()));
  return Value::array(std::move(out));
}

}  // namespace

void register_crypto(Registry& r) {
  r.add({"crypto.md5", 1, digest<EVP_md5>, "(string) => string"});
  r.add({"crypto.sha1", 1, digest<EVP_sha1>, "(string) => string"});
  r.add({"crypto.sha256", 1, digest<EVP_sha256>, "(string) => string"});
  r.add({"crypto.hmac.md5", 2, hmac<EVP_md5>, "(string, string) => string"});
  r.add({"crypto.hmac.sha1", 2, hmac<EVP_sha1>, "(string, string) => string"});
  r.add({"crypto.hmac.sha256", 2, hmac<EVP_sha256>, "(string, string) => string"});
  r.add({"crypto.hmac.sha512", 2, hmac<EVP_sha512>, "(string, string) => string"});
  r.add({"crypto.hmac.equal", 2, hmac_equal, "(string, string) => boolean"});
  r.add({"crypto.x509.parse_certificates", 1, x509_parse_certificates, "(string) => array"});
  r.add({"crypto.x509.parse_and_verify_certificates", 1, x509_parse_and_verify, "(string) => array"});
  r.add({"crypto.x509.parse_and_verify_certificates_with_options", 2, x509_parse_and_verify_with_options,
         "(string, object) => array"});
  r.add({"crypto.x509.parse_certificate_request", 1, x509_parse_certificate_request, "(string) => object"});
  r.add({"crypto.x509.parse_keypair", 2, x509_parse_keypair, "(string, string) => object"});
  r.add({"crypto.x509.parse_rsa_private_key", 1, x509_parse_rsa_private_key, "(string) => object"});
  r.add({"crypto.parse_private_keys", 1, parse_private_keys, "(string) => array"});
}

}  // namespace wartburg::builtins
