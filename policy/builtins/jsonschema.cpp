// Builtins: json.verify_schema and json.match_schema — a JSON Schema validator
// that behaves like the one OPA embeds (a fork of gojsonschema): the same
// keyword coverage (drafts 4, 6, 7; 2019-09 and 2020-12 schemas run in its
// "hybrid" mode, which accepts the keywords of every draft), the same schema
// errors, and the same validation errors (type, field, description). Keywords
// gojsonschema does not know (2019-09/2020-12 additions such as `prefixItems`
// or `dependentRequired`) are ignored, as in OPA. `$ref` resolves inside the
// schema (JSON pointers such as "#/definitions/x" or "#/$defs/x", and
// `$id`/`id` scopes); references to other documents fail with "remote
// reference loading disabled" / "file reference loading disabled", since no
// network or file access is allowed here. Compiled schemas are cached per thread.
#include <arpa/inet.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "policy/limits.h"
#include "policy/number.h"

namespace wartburg::builtins {
namespace {

using boost::multiprecision::cpp_int;

// A schema that cannot be compiled; the message is OPA's.
struct SchemaError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Nesting bounds (schema parse and validation recursion), so that a deep or
// self-referencing schema gives an error instead of exhausting the stack.
constexpr int kMaxCompileDepth = 256;
constexpr int kMaxValidateDepth = 384;

// ------------------------------------------------------------------ helpers

size_t rune_count(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

int hex_val(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// ------------------------------------------------------------------ numbers

// An exact decimal m * 10^e (JSON numbers are decimals; gojsonschema works
// on big.Rat, so 0.3 is a multiple of 0.1 here too).
struct Dec {
  cpp_int m;
  int64_t e = 0;
};

Dec to_dec(const Value& v) {
  Dec d;
  if (v.is_int()) {
    d.m = v.as_int();
    return d;
  }
  if (v.is_bigint()) {
    d.m = v.as_big().v;
    return d;
  }
  std::string t = number_text(v);
  bool neg = false;
  size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) neg = t[i++] == '-';
  std::string digits;
  int64_t exp = 0;
  bool frac = false;
  for (; i < t.size(); ++i) {
    char c = t[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      if (frac) --exp;
    } else if (c == '.') {
      frac = true;
    } else if (c == 'e' || c == 'E') {
      exp += std::strtoll(t.c_str() + i + 1, nullptr, 10);
      break;
    }
  }
  size_t nz = digits.find_first_not_of('0');
  d.m = nz == std::string::npos ? cpp_int(0) : cpp_int(digits.substr(nz));
  if (neg) d.m = -d.m;
  d.e = exp;
  return d;
}

cpp_int pow10(int64_t n) {
  cpp_int r = 1;
  cpp_int base = 10;
  while (n > 0) {
    if (n & 1) r *= base;
    base *= base;
    n >>= 1;
  }
  return r;
}

// Brings both decimals to the same exponent (bounded: absurd exponents fall
// back to a double comparison in dec_cmp).
bool align(const Dec& a, const Dec& b, cpp_int& x, cpp_int& y) {
  int64_t lo = std::min(a.e, b.e);
  if (a.e - lo > 4000 || b.e - lo > 4000) return false;
  x = a.m * pow10(a.e - lo);
  y = b.m * pow10(b.e - lo);
  return true;
}

double dec_double(const Dec& d) {
  return std::strtod((d.m.str() + "e" + std::to_string(d.e)).c_str(), nullptr);
}

int dec_cmp(const Dec& a, const Dec& b) {
  cpp_int x, y;
  if (!align(a, b, x, y)) {
    double p = dec_double(a), q = dec_double(b);
    return p < q ? -1 : p > q ? 1 : 0;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

bool dec_multiple(const Dec& a, const Dec& b) {
  cpp_int x, y;
  if (b.m == 0) return false;
  if (!align(a, b, x, y)) return std::fmod(dec_double(a), dec_double(b)) == 0;
  return x % y == 0;
}

// A schema bound as gojsonschema prints it: the bound is a *big.Float and the
// error template prints it with %v, which big.Float formats like %g with the
// shortest precision: exponent form when the decimal exponent is < -4 or >= 6
// ("1e+06", "1.5e-05"), plain digits otherwise ("100", "0.25").
std::string bound_text(const Dec& d) {
  std::string digits = d.m < 0 ? cpp_int(-d.m).str() : d.m.str();
  if (digits == "0") return "0";
  int64_t e = d.e;
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++e;
  }
  const int64_t nd = static_cast<int64_t>(digits.size());
  const int64_t dp = nd + e;  // value = 0.<digits> * 10^dp
  const int64_t exp = dp - 1;
  std::string out = d.m < 0 ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits[0];
    if (nd > 1) out += "." + digits.substr(1);
    out += exp < 0 ? "e-" : "e+";
    std::string x = std::to_string(exp < 0 ? -exp : exp);
    if (x.size() < 2) x = "0" + x;
    return out + x;
  }
  if (dp <= 0) return out + "0." + std::string(static_cast<size_t>(-dp), '0') + digits;
  if (dp >= nd) return out + digits + std::string(static_cast<size_t>(dp - nd), '0');
  return out + digits.substr(0, static_cast<size_t>(dp)) + "." + digits.substr(static_cast<size_t>(dp));
}

// ------------------------------------------------ canonical JSON (Go style)

// Go's json.Marshal of a float64.
void append_go_float(std::string& out, double f) {
  char buf[64];
  double a = std::fabs(f);
  bool exp_form = a != 0 && (a < 1e-6 || a >= 1e21);
  auto r = std::to_chars(buf, buf + sizeof buf, f,
                         exp_form ? std::chars_format::scientific : std::chars_format::fixed);
  std::string s(buf, r.ptr);
  if (exp_form) {
    size_t n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s.erase(n - 2, 1);
  }
  out += s;
}

// Go's json string encoding (HTML-safe escapes, invalid UTF-8 as U+FFFD).
void append_go_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out += "\\u00";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    bool ok = len != 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (!ok) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (len == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  out.push_back('"');
}

// gojsonschema's marshalWithoutNumber: JSON text after a float64 round trip,
// used for const, enum and uniqueItems comparisons and in their messages.
void append_canon(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::Null: out += "null"; break;
    case Kind::Bool: out += v.as_bool() ? "true" : "false"; break;
    case Kind::Number: append_go_float(out, v.as_double()); break;
    case Kind::String: append_go_string(out, v.str()); break;
    case Kind::Array:
    case Kind::Set: {
      out.push_back('[');
      bool first = true;
      for (const Value& x : v.items()) {
        if (!first) out.push_back(',');
        first = false;
        append_canon(out, x);
      }
      out.push_back(']');
      break;
    }
    case Kind::Object: {
      std::vector<std::pair<std::string, const Value*>> kv;
      for (const auto& [k, x] : v.entries()) kv.emplace_back(k.is_string() ? k.str() : to_json(k), &x);
      std::sort(kv.begin(), kv.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out.push_back('{');
      bool first = true;
      for (const auto& [k, x] : kv) {
        if (!first) out.push_back(',');
        first = false;
        append_go_string(out, k);
        out.push_back(':');
        append_canon(out, *x);
      }
      out.push_back('}');
      break;
    }
    default: out += "null";
  }
}

std::string canon(const Value& v) {
  std::string s;
  append_canon(s, v);
  return s;
}

// ------------------------------------------------------------ URLs (Go-like)

// A parsed URL reference, as Go's net/url keeps it (path and fragment in
// their raw, escaped form; `frag` is the unescaped fragment).
struct Url {
  std::string scheme, opaque, user, host, path, query, frag_raw, frag;
  bool has_user = false, force_query = false;
};

bool should_escape_host(unsigned char c) {
  if (std::isalnum(c)) return false;
  switch (c) {
    case '-': case '_': case '.': case '~': case '!': case '$': case '&': case '\'':
    case '(': case ')': case '*': case '+': case ',': case ';': case '=': case ':':
    case '[': case ']': case '<': case '>': case '"':
      return false;
    default:
      return true;
  }
}

// Validates %-escapes (and, for hosts, the allowed characters); returns the
// unescaped text or an error message.
std::optional<std::string> url_unescape(std::string_view s, bool host, std::string& err) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) {
        err = "invalid URL escape " + go_quote(s.substr(i, std::min<size_t>(3, s.size() - i)));
        return std::nullopt;
      }
      out.push_back(static_cast<char>(hex_val(s[i + 1]) * 16 + hex_val(s[i + 2])));
      i += 2;
    } else {
      if (host && c < 0x80 && should_escape_host(c)) {
        err = "invalid character " + go_quote(std::string(1, static_cast<char>(c))) + " in host name";
        return std::nullopt;
      }
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

bool valid_optional_port(std::string_view p) {
  if (p.empty()) return true;
  if (p[0] != ':') return false;
  for (char c : p.substr(1))
    if (c < '0' || c > '9') return false;
  return true;
}

// Go's url.Parse; returns an error message ("" on success).
std::string parse_url_inner(std::string_view raw, Url& u) {
  std::string err;
  for (unsigned char c : raw)
    if (c < 0x20 || c == 0x7f) return "net/url: invalid control character in URL";
  std::string_view rest = raw;
  if (rest.empty()) return "";
  if (rest == "*") {
    u.path = "*";
    return "";
  }
  // scheme
  for (size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (std::isalpha(static_cast<unsigned char>(c))) continue;
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return "missing protocol scheme";
      u.scheme = std::string(rest.substr(0, i));
      for (char& ch : u.scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      rest = rest.substr(i + 1);
    }
    break;
  }
  if (!rest.empty() && rest.back() == '?' && std::count(rest.begin(), rest.end(), '?') == 1) {
    u.force_query = true;
    rest.remove_suffix(1);
  } else if (size_t q = rest.find('?'); q != std::string_view::npos) {
    u.query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  if (rest.empty() || rest[0] != '/') {
    if (!u.scheme.empty()) {
      u.opaque = std::string(rest);
      return "";
    }
    std::string_view seg = rest.substr(0, rest.find('/'));
    if (seg.find(':') != std::string_view::npos) return "first path segment in URL cannot contain colon";
  }
  if ((!u.scheme.empty() || rest.substr(0, 3) != "///") && rest.substr(0, 2) == "//") {
    std::string_view authority = rest.substr(2);
    size_t slash = authority.find('/');
    rest = slash == std::string_view::npos ? std::string_view() : authority.substr(slash);
    authority = authority.substr(0, slash);
    std::string_view host = authority;
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
      u.has_user = true;
      u.user = std::string(authority.substr(0, at));
      for (unsigned char c : u.user) {
        if (std::isalnum(c) || std::string_view("-._:~!$&'()*+,;=%@").find(static_cast<char>(c)) != std::string_view::npos)
          continue;
        return "net/url: invalid userinfo";
      }
      host = authority.substr(at + 1);
    }
    if (!host.empty() && host[0] == '[') {
      size_t close = host.rfind(']');
      if (close == std::string_view::npos) return "missing ']' in host";
      if (!valid_optional_port(host.substr(close + 1)))
        return "invalid port " + go_quote(host.substr(close + 1)) + " after host";
    } else if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
      if (!valid_optional_port(host.substr(colon)))
        return "invalid port " + go_quote(host.substr(colon)) + " after host";
    }
    if (!url_unescape(host, true, err)) return err;
    u.host = std::string(host);
  }
  if (!url_unescape(rest, false, err)) return err;
  u.path = std::string(rest);
  return "";
}

// url.Parse with Go's error wrapping: `parse "<raw>": <what>`.
std::optional<Url> parse_url(std::string_view raw, std::string& err) {
  Url u;
  size_t hash = raw.find('#');
  std::string_view main = raw.substr(0, hash);
  std::string e = parse_url_inner(main, u);
  if (e.empty() && hash != std::string_view::npos) {
    u.frag_raw = std::string(raw.substr(hash + 1));
    if (auto f = url_unescape(u.frag_raw, false, e)) u.frag = *f;
  }
  if (!e.empty()) {
    err = "parse " + go_quote(raw) + ": " + e;
    return std::nullopt;
  }
  return u;
}

std::string url_string(const Url& u) {
  std::string s;
  if (!u.opaque.empty()) {
    s = u.scheme + ":" + u.opaque;
  } else {
    if (!u.scheme.empty()) s = u.scheme + ":";
    if (!u.scheme.empty() || !u.host.empty() || u.has_user) {
      if (!u.host.empty() || !u.path.empty() || u.has_user) s += "//";
      if (u.has_user) s += u.user + "@";
      s += u.host;
    }
    if (!u.path.empty() && u.path[0] != '/' && !u.host.empty()) s += "/";
    if (s.empty()) {
      std::string_view seg = std::string_view(u.path).substr(0, u.path.find('/'));
      if (seg.find(':') != std::string_view::npos) s += "./";
    }
    s += u.path;
  }
  if (u.force_query || !u.query.empty()) s += "?" + u.query;
  if (!u.frag_raw.empty()) s += "#" + u.frag_raw;
  return s;
}

// RFC 3986 dot-segment removal as Go's resolvePath.
std::string resolve_path(const std::string& base, const std::string& ref) {
  std::string full;
  if (ref.empty()) {
    full = base;
  } else if (ref[0] != '/') {
    size_t i = base.rfind('/');
    full = (i == std::string::npos ? std::string() : base.substr(0, i + 1)) + ref;
  } else {
    full = ref;
  }
  if (full.empty()) return "";
  std::string dst = "/";
  bool first = true;
  std::string elem;
  size_t pos = 0;
  bool found = true;
  while (found) {
    size_t slash = full.find('/', pos);
    found = slash != std::string::npos;
    elem = full.substr(pos, found ? slash - pos : std::string::npos);
    pos = found ? slash + 1 : full.size();
    if (elem == ".") {
      first = false;
      continue;
    }
    if (elem == "..") {
      std::string str = dst.substr(1);
      size_t idx = str.rfind('/');
      dst = "/";
      if (idx == std::string::npos) {
        first = true;
      } else {
        dst += str.substr(0, idx);
      }
    } else {
      if (!first) dst += "/";
      dst += elem;
      first = false;
    }
  }
  if (elem == "." || elem == "..") dst += "/";
  if (dst.size() > 1 && dst[1] == '/') dst.erase(0, 1);
  return dst;
}

Url resolve_url(Url base, const Url& ref) {
  base.frag_raw.clear();
  base.frag.clear();
  Url u = ref;
  if (ref.scheme.empty()) u.scheme = base.scheme;
  if (!ref.scheme.empty() || !ref.host.empty() || ref.has_user) {
    u.path = resolve_path(ref.path, "");
    return u;
  }
  if (!ref.opaque.empty()) {
    u.has_user = false;
    u.user.clear();
    u.host.clear();
    u.path.clear();
    return u;
  }
  if (ref.path.empty() && !ref.force_query && ref.query.empty()) {
    u.query = base.query;
    if (ref.frag_raw.empty()) {
      u.frag_raw = base.frag_raw;
      u.frag = base.frag;
    }
  }
  if (ref.path.empty() && !base.opaque.empty()) {
    u.opaque = base.opaque;
    u.has_user = false;
    u.user.clear();
    u.host.clear();
    u.path.clear();
    return u;
  }
  u.host = base.host;
  u.has_user = base.has_user;
  u.user = base.user;
  u.path = resolve_path(base.path, ref.path);
  return u;
}

// A JSON reference (gojsonreference): a URL whose fragment may be a JSON pointer.
struct JRef {
  Url url;
  std::string str() const { return url_string(url); }
  bool canonical() const {
    if (url.scheme == "file") return !url.path.empty() && url.path[0] == '/';
    return !url.scheme.empty() && !url.host.empty();
  }
};

JRef make_ref(std::string_view text) {
  std::string err;
  auto u = parse_url(text, err);
  if (!u) throw SchemaError(err);
  return JRef{*u};
}

std::optional<JRef> inherit(const JRef& parent, const JRef& child) {
  std::string err;
  auto u = parse_url(url_string(resolve_url(parent.url, child.url)), err);
  if (!u) return std::nullopt;
  return JRef{*u};
}

// Resolves the reference's fragment (when it is a JSON pointer) in doc.
Value pointer_get(const Value& doc, const std::string& fragment) {
  if (fragment.empty() || fragment[0] != '/') return doc;
  Value node = doc;
  size_t pos = 1;
  while (true) {
    size_t slash = fragment.find('/', pos);
    std::string tok = fragment.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    for (size_t i; (i = tok.find("~1")) != std::string::npos;) tok.replace(i, 2, "/");
    for (size_t i; (i = tok.find("~0")) != std::string::npos;) tok.replace(i, 2, "~");
    if (node.is_object()) {
      const Value* next = node.find(tok);
      if (!next) throw SchemaError("Object has no key '" + tok + "'");
      node = *next;
    } else if (node.is_array()) {
      int64_t idx = 0;
      auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), idx);
      if (ec != std::errc() || p != tok.data() + tok.size() || tok.empty())
        throw SchemaError("Invalid array index '" + tok + "'");
      if (idx < 0 || idx >= static_cast<int64_t>(node.size()))
        throw SchemaError("Out of bound array[0," + std::to_string(node.size()) + "] index '" +
                          std::to_string(idx) + "'");
      node = node.items()[static_cast<size_t>(idx)];
    } else {
      throw SchemaError("Invalid token reference '" + tok + "'");
    }
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  return node;
}

// ---------------------------------------------------------------- formats

bool go_digits(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int num_at(std::string_view s, size_t at, size_t n) {
  int v = 0;
  for (size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// Go's time.Parse pieces for "2006-01-02", "15:04:05" and "Z07:00".
bool take_date(std::string_view& s) {
  if (!go_digits(s, 0, 4) || s.size() < 10 || s[4] != '-' || !go_digits(s, 5, 2) || s[7] != '-' ||
      !go_digits(s, 8, 2))
    return false;
  int y = num_at(s, 0, 4), m = num_at(s, 5, 2), d = num_at(s, 8, 2);
  if (m < 1 || m > 12) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int dim = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 1 : 0);
  if (d < 1 || d > dim) return false;
  s.remove_prefix(10);
  return true;
}

bool take_clock(std::string_view& s) {
  size_t h = go_digits(s, 0, 2) ? 2 : go_digits(s, 0, 1) ? 1 : 0;
  if (h == 0 || num_at(s, 0, h) > 23) return false;
  if (s.size() < h + 6 || s[h] != ':' || !go_digits(s, h + 1, 2) || s[h + 3] != ':' || !go_digits(s, h + 4, 2))
    return false;
  if (num_at(s, h + 1, 2) > 59 || num_at(s, h + 4, 2) > 59) return false;
  s.remove_prefix(h + 6);
  if (s.size() >= 2 && (s[0] == '.' || s[0] == ',') && s[1] >= '0' && s[1] <= '9') {
    size_t n = 1;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
    s.remove_prefix(n);
  }
  return true;
}

bool take_zone(std::string_view& s) {
  if (!s.empty() && s[0] == 'Z') {
    s.remove_prefix(1);
    return true;
  }
  if (s.size() < 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' || !go_digits(s, 1, 2) || !go_digits(s, 4, 2))
    return false;
  if (num_at(s, 1, 2) > 24 || num_at(s, 4, 2) > 60) return false;
  s.remove_prefix(6);
  return true;
}

bool is_date(std::string_view s) { return take_date(s) && s.empty(); }
bool is_time(std::string_view s) {
  if (!take_clock(s)) return false;
  if (s.empty()) return true;
  return take_zone(s) && s.empty();
}
bool is_date_time(std::string_view s) {
  if (is_time(s) || is_date(s)) return true;
  return take_date(s) && !s.empty() && s[0] == 'T' && (s.remove_prefix(1), take_clock(s)) && take_zone(s) &&
         s.empty();
}

bool is_atext(unsigned char c) {
  return std::isalnum(c) || c >= 0x80 || std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) !=
                                             std::string_view::npos;
}

// dot-atom: atext+ ("." atext+)*
bool take_dot_atom(std::string_view& s) {
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && is_atext(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      continue;
    }
    break;
  }
  s.remove_prefix(i);
  return true;
}

bool take_quoted(std::string_view& s) {
  if (s.empty() || s[0] != '"') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      s.remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

bool take_addr_spec(std::string_view& s) {
  if (!(s.size() && s[0] == '"' ? take_quoted(s) : take_dot_atom(s))) return false;
  if (s.empty() || s[0] != '@') return false;
  s.remove_prefix(1);
  if (!s.empty() && s[0] == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos) return false;
    s.remove_prefix(close + 1);
    return true;
  }
  return take_dot_atom(s);
}

std::string_view trim_ws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Go's net/mail.ParseAddress, without comments: "a@b" or "Name <a@b>".
bool is_email(std::string_view s) {
  s = trim_ws(s);
  if (size_t lt = s.find('<'); lt != std::string_view::npos && s.back() == '>') {
    std::string_view name = trim_ws(s.substr(0, lt));
    while (!name.empty()) {
      if (name[0] == '"') {
        if (!take_quoted(name)) return false;
      } else {
        size_t i = 0;
        while (i < name.size() && (is_atext(static_cast<unsigned char>(name[i])) || name[i] == '.')) ++i;
        if (i == 0) return false;
        name.remove_prefix(i);
      }
      name = trim_ws(name);
    }
    std::string_view addr = s.substr(lt + 1, s.size() - lt - 2);
    return take_addr_spec(addr) && addr.empty();
  }
  return take_addr_spec(s) && s.empty();
}

bool is_ip(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

const RE2& static_re(const char* pattern) {
  // the patterns are constants; each call site keeps its own compiled copy
  return *new RE2(pattern);
}

bool check_format(const std::string& format, const Value& v) {
  if (!v.is_string()) return true;
  const std::string& s = v.str();
  std::string err;
  if (format == "date") return is_date(s);
  if (format == "time") return is_time(s);
  if (format == "date-time") return is_date_time(s);
  if (format == "email" || format == "idn-email") return is_email(s);
  if (format == "ipv4") return is_ip(s) && s.find('.') != std::string::npos;
  if (format == "ipv6") return is_ip(s) && s.find(':') != std::string::npos;
  if (format == "uri" || format == "iri") {
    auto u = parse_url(s, err);
    return u && !u->scheme.empty() && s.find('\\') == std::string::npos;
  }
  if (format == "uri-reference" || format == "iri-reference") {
    return parse_url(s, err) && s.find('\\') == std::string::npos;
  }
  if (format == "uri-template") {
    static const RE2& re = static_re("^([^{]*({[^}]*})?)*$");
    auto u = parse_url(s, err);
    if (!u || s.find('\\') != std::string::npos) return false;
    auto path = url_unescape(u->path, false, err);
    return path && RE2::PartialMatch(*path, re);
  }
  if (format == "hostname") {
    static const RE2& re = static_re(
        "^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}"
        "[a-zA-Z0-9]))*$");
    return s.size() < 256 && RE2::PartialMatch(s, re);
  }
  if (format == "uuid") {
    static const RE2& re = static_re("^(?i)[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$");
    return RE2::PartialMatch(s, re);
  }
  if (format == "regex") {
    if (s.empty()) return true;
    RE2::Options o;
    o.set_log_errors(false);
    return RE2(s, o).ok();
  }
  if (format == "json-pointer") {
    static const RE2& re = static_re("^(?:/(?:[^~/]|~0|~1)*)*$");
    return RE2::PartialMatch(s, re);
  }
  if (format == "relative-json-pointer") {
    static const RE2& re = static_re("^(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~0|~1)*)*)$");
    return RE2::PartialMatch(s, re);
  }
  return true;  // unknown formats pass, as in gojsonschema
}

// ---------------------------------------------------------------- schema

enum class Draft { D4 = 4, D6 = 6, D7 = 7, Hybrid = 1 << 20 };

const char* const kJsonTypes[] = {"array", "boolean", "integer", "number", "null", "object", "string"};

struct Node;

struct Dependency {
  std::vector<std::string> keys;  // array form
  Node* schema = nullptr;         // schema form
};

struct Bound {
  Dec value;
};

struct Node {
  std::optional<bool> pass;  // boolean schema
  Node* ref = nullptr;       // $ref target: validation uses it alone
  std::vector<std::string> types;

  std::vector<std::pair<std::string, Node*>> properties;  // sorted by name
  bool additional_allowed = true;
  Node* additional = nullptr;
  std::vector<std::pair<std::string, std::pair<std::shared_ptr<RE2>, Node*>>> pattern_properties;
  Node* property_names = nullptr;
  std::vector<std::pair<std::string, Dependency>> dependencies;  // sorted by key
  bool has_dependencies = false;

  std::vector<Node*> items;
  bool items_single = false;
  int additional_items = -1;  // -1 absent, 0 false, 1 true
  Node* additional_items_schema = nullptr;

  std::optional<Dec> multiple_of, maximum, exclusive_maximum, minimum, exclusive_minimum;
  std::optional<int64_t> min_length, max_length, min_properties, max_properties, min_items, max_items;
  std::shared_ptr<RE2> pattern;
  std::string pattern_src;
  std::string format;
  std::vector<std::string> required;
  bool unique_items = false;
  Node* contains = nullptr;
  std::optional<std::string> const_value;
  bool enum_present = false;
  std::vector<std::string> enum_values;
  std::vector<Node*> one_of, any_of, all_of;
  Node* not_ = nullptr;
  Node* if_ = nullptr;
  Node* then_ = nullptr;
  Node* else_ = nullptr;
};

struct Schema {
  std::vector<std::unique_ptr<Node>> nodes;
  Node* root = nullptr;
};

std::string invalid_type(std::string_view expected, std::string_view given) {
  return "Invalid type. Expected: " + std::string(expected) + ", given: " + std::string(given);
}

bool is_schema_value(const Value& v) { return v.is_object() || v.is_bool(); }

// Compiles a schema document into Nodes, mirroring gojsonschema's loader:
// first a pass that registers `$id` scopes and makes every `$ref` absolute,
// then a recursive parse that checks each keyword.
class Compiler {
 public:
  explicit Compiler(Schema& out) : out_(out) {}

  void compile(const Value& doc) {
    Draft detected = Draft::Hybrid;
    bool has_draft = detect_draft(doc, detected);
    draft_ = has_draft ? detected : Draft::Hybrid;
    JRef root = make_ref("#");
    Value rewritten = rewrite_refs(doc, root, 0, true);
    pool_[root.str()] = rewritten;
    Node* n = new_node();
    out_.root = n;
    parse(rewritten, n, 0);
  }

 private:
  Node* new_node() {
    out_.nodes.push_back(std::make_unique<Node>());
    return out_.nodes.back().get();
  }

  // gojsonschema's parseSchemaURL: the draft named by "$schema", if known.
  static bool detect_draft(const Value& doc, Draft& d) {
    if (doc.is_bool()) return false;
    if (!doc.is_object()) throw SchemaError("schema is invalid");
    const Value* s = doc.find("$schema");
    if (!s) return false;
    if (!s->is_string()) throw SchemaError("$schema must be of type string");
    std::string url = make_ref(s->str()).str();
    if (url == "http://json-schema.org/draft-04/schema") d = Draft::D4;
    else if (url == "http://json-schema.org/draft-06/schema") d = Draft::D6;
    else if (url == "http://json-schema.org/draft-07/schema") d = Draft::D7;
    else return false;
    return true;
  }

  // Registers `$id`/`id` scopes in the pool and rewrites `$ref`s as absolute
  // references (const and enum values are data and left alone).
  // The scope an object's `id`/`$id` opens, resolved against the enclosing
  // one; null when there is none (or it does not parse, which the keyword
  // pass reports). Out of line, like absolute_ref, to keep the recursive
  // rewrite_refs frame small.
  [[gnu::noinline]] static std::unique_ptr<JRef> id_scope(const Value& v, const JRef& base) {
    const Value* id = v.find("id");
    if (!id) id = v.find("$id");
    if (!id || !id->is_string()) return nullptr;
    std::string err;
    auto u = parse_url(id->str(), err);
    if (!u) return nullptr;
    auto r = inherit(base, JRef{*u});
    return r ? std::make_unique<JRef>(std::move(*r)) : nullptr;
  }

  // A `$ref` string made absolute against the scope; Undefined to keep it as is.
  [[gnu::noinline]] static Value absolute_ref(const std::string& ref, const JRef& scope) {
    std::string err;
    if (auto u = parse_url(ref, err)) {
      if (auto r = inherit(scope, JRef{*u})) return Value::string(r->str());
    }
    return Value();
  }

  Value rewrite_refs(const Value& v, const JRef& base, int depth, bool top = false) {
    if (depth > 2 * kMaxCompileDepth) throw SchemaError("schema is nested too deeply");
    if (v.is_array()) {
      std::vector<Value> items;
      items.reserve(v.size());
      for (const Value& x : v.items()) items.push_back(rewrite_refs(x, base, depth + 1));
      return Value::array(std::move(items));
    }
    if (!v.is_object()) return v;
    std::unique_ptr<JRef> scope = id_scope(v, base);
    const JRef& local = scope ? *scope : base;
    if (scope && pool_.count(local.str())) {
      if (top) throw SchemaError("Reference already exists: \"" + local.str() + "\"");
      return v;
    }
    std::vector<std::pair<Value, Value>> entries;
    entries.reserve(v.size());
    for (const auto& [k, x] : v.entries()) {
      const std::string* key = k.is_string() ? &k.str() : nullptr;
      if (key && *key == "$ref" && x.is_string()) {
        Value abs = absolute_ref(x.str(), local);
        entries.emplace_back(k, abs.defined() ? abs : x);
      } else if (key && (*key == "const" || *key == "enum")) {
        entries.emplace_back(k, x);
      } else if (key && (*key == "properties" || *key == "dependencies" || *key == "patternProperties") &&
                 x.is_object()) {
        std::vector<std::pair<Value, Value>> sub;
        for (const auto& [sk, sx] : x.entries()) sub.emplace_back(sk, rewrite_refs(sx, local, depth + 1));
        entries.emplace_back(k, Value::object(std::move(sub)));
      } else {
        entries.emplace_back(k, rewrite_refs(x, local, depth + 1));
      }
    }
    Value out = Value::object(std::move(entries));
    if (scope) pool_.emplace(local.str(), out);
    return out;
  }

  // The document a reference points at (gojsonschema's schemaPool.GetDocument).
  Value get_document(const JRef& ref) {
    std::string key = ref.str();
    if (auto it = pool_.find(key); it != pool_.end()) return it->second;
    Url base = ref.url;
    base.frag.clear();
    base.frag_raw.clear();
    if (auto it = pool_.find(url_string(base)); it != pool_.end()) {
      Value doc = pointer_get(it->second, ref.url.frag);
      pool_.emplace(key, doc);
      return doc;
    }
    if (!ref.canonical()) throw SchemaError("Reference " + key + " must be canonical");
    if (ref.url.scheme == "file") throw SchemaError("file reference loading disabled: " + key);
    throw SchemaError("remote reference loading disabled: " + key);
  }

  static std::optional<std::string> get_string(const Value& m, const char* key) {
    const Value* v = m.find(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) throw SchemaError(invalid_type("string", key));
    return v->str();
  }

  static const std::vector<Value>* get_slice(const Value& m, const char* key) {
    const Value* v = m.find(key);
    if (!v) return nullptr;
    if (!v->is_array()) throw SchemaError(std::string(key) + " must be of an array");
    return &v->items();
  }

  static std::optional<Dec> get_number(const Value* v) {
    if (!v || !v->is_number()) return std::nullopt;
    return to_dec(*v);
  }

  // mustBeInteger: an integral number that fits.
  static std::optional<int64_t> must_int(const Value& m, const char* key) {
    const Value* v = m.find(key);
    if (!v) return std::nullopt;
    int64_t i = 0;
    if (!v->is_number() || !v->to_int64(i)) throw SchemaError(std::string(key) + " must be of an integer");
    if (i < 0) throw SchemaError(std::string(key) + " must be greater than or equal to 0");
    return i;
  }

  Node* child(const Value& v, int depth) {
    Node* n = new_node();
    parse(v, n, depth + 1);
    return n;
  }

  void parse_types(const Value& t, Node* n) {
    auto add = [&](const std::string& s) {
      if (std::find(std::begin(kJsonTypes), std::end(kJsonTypes), s) == std::end(kJsonTypes))
        throw SchemaError("has a primitive type that is NOT VALID -- given: /" + s +
                          "/ Expected valid values are:[array boolean integer number null object string]");
      if (std::find(n->types.begin(), n->types.end(), s) != n->types.end())
        throw SchemaError(s + " type is duplicated");
      n->types.push_back(s);
    };
    if (t.is_string()) {
      add(t.str());
    } else if (t.is_array()) {
      for (const Value& x : t.items()) {
        if (!x.is_string()) throw SchemaError(invalid_type("type", "string/array of strings"));
        add(x.str());
      }
    } else {
      throw SchemaError(invalid_type("type", "string/array of strings"));
    }
  }

  void parse_exclusive(const Value& m, const char* key, const char* base_key, std::optional<Dec>& bound,
                       std::optional<Dec>& exclusive) {
    const Value* v = m.find(key);
    if (!v) return;
    auto without = [&] { return SchemaError(std::string(key) + " cannot be used without " + base_key); };
    switch (draft_) {
      case Draft::D4:
        if (!v->is_bool()) throw SchemaError(invalid_type("boolean", key));
        if (!bound) throw without();
        if (v->as_bool()) {
          exclusive = bound;
          bound.reset();
        }
        break;
      case Draft::Hybrid:
        if (v->is_bool()) {
          if (!bound) throw without();
          if (v->as_bool()) {
            exclusive = bound;
            bound.reset();
          }
        } else if (v->is_number()) {
          exclusive = to_dec(*v);
        } else {
          throw SchemaError(invalid_type("boolean/number", key));
        }
        break;
      default:
        if (!v->is_number()) throw SchemaError(invalid_type("number", key));
        exclusive = to_dec(*v);
    }
  }

  void parse_dependencies(const Value& d, Node* n, int depth) {
    if (!d.is_object()) throw SchemaError("dependencies must be of type object");
    n->has_dependencies = true;
    for (const auto& [k, v] : d.entries()) {
      Dependency dep;
      if (v.is_array()) {
        for (const Value& x : v.items()) {
          if (!x.is_string()) throw SchemaError("dependency must be of type schema or array of strings");
          dep.keys.push_back(x.str());
        }
      } else if (is_schema_value(v)) {
        dep.schema = child(v, depth);
      } else {
        throw SchemaError("dependency must be of type schema or array of strings");
      }
      n->dependencies.emplace_back(k.is_string() ? k.str() : to_json(k), std::move(dep));
    }
  }

  void parse_reference(const JRef& ref, Node* n, int depth) {
    Node* target = new_node();
    refs_.emplace(ref.str(), target);
    Value doc = get_document(ref);
    if (!is_schema_value(doc)) throw SchemaError("valid schema must be of type object");
    parse(doc, target, depth + 1);
    n->ref = target;
  }

  // gojsonschema's parseSchema, keyword by keyword in its order.
  void parse(const Value& v, Node* n, int depth) {
    if (depth > kMaxCompileDepth) throw SchemaError("schema is nested too deeply");
    if (draft_ >= Draft::D6 && v.is_bool()) {
      n->pass = v.as_bool();
      return;
    }
    if (!v.is_object()) throw SchemaError("Expected: valid schema, given: Invalid JSON");
    const char* id_key = draft_ == Draft::D4                        ? "id"
                         : draft_ == Draft::Hybrid && v.find("id") ? "id"
                                                                    : "$id";
    if (auto id = get_string(v, id_key)) make_ref(*id);

    if (const Value* defs = v.find("definitions")) {
      if (!defs->is_object()) throw SchemaError(invalid_type("array of schemas", "definitions"));
      for (const auto& [k, d] : defs->entries()) {
        if (!is_schema_value(d)) throw SchemaError(invalid_type("array of schemas", "definitions"));
        child(d, depth);
      }
    }
    get_string(v, "title");
    get_string(v, "description");

    if (auto ref = get_string(v, "$ref")) {
      JRef r = make_ref(*ref);
      if (auto it = refs_.find(r.str()); it != refs_.end()) {
        n->ref = it->second;
      } else {
        parse_reference(r, n, depth);
        return;
      }
    }

    if (const Value* t = v.find("type")) parse_types(*t, n);

    if (const Value* props = v.find("properties")) {
      if (!props->is_object()) throw SchemaError("properties must be of type object");
      for (const auto& [k, p] : props->entries())
        n->properties.emplace_back(k.is_string() ? k.str() : to_json(k), child(p, depth));
      std::sort(n->properties.begin(), n->properties.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
    }

    if (const Value* ap = v.find("additionalProperties")) {
      if (ap->is_bool()) {
        n->additional_allowed = ap->as_bool();
      } else if (ap->is_object()) {
        n->additional = child(*ap, depth);
      } else {
        throw SchemaError(invalid_type("boolean/valid schema", "additionalProperties"));
      }
    }

    if (const Value* pp = v.find("patternProperties")) {
      if (!pp->is_object()) throw SchemaError(invalid_type("valid schema", "patternProperties"));
      for (const auto& [k, p] : pp->entries()) {
        std::string pat = k.is_string() ? k.str() : to_json(k);
        RE2::Options o;
        o.set_log_errors(false);
        auto re = std::make_shared<RE2>(pat, o);
        if (!re->ok()) throw SchemaError("Invalid regex pattern '" + pat + "'");
        n->pattern_properties.emplace_back(pat, std::make_pair(re, child(p, depth)));
      }
    }

    if (const Value* pn = v.find("propertyNames"); pn && draft_ >= Draft::D6) {
      if (!is_schema_value(*pn)) throw SchemaError(invalid_type("valid schema", "patternProperties"));
      n->property_names = child(*pn, depth);
    }

    if (const Value* deps = v.find("dependencies")) parse_dependencies(*deps, n, depth);

    if (const Value* items = v.find("items")) {
      if (items->is_array()) {
        for (const Value& x : items->items()) {
          if (!is_schema_value(x)) throw SchemaError(invalid_type("valid schema/array of schemas", "items"));
          n->items.push_back(child(x, depth));
        }
        n->items_single = false;
      } else if (is_schema_value(*items)) {
        n->items.push_back(child(*items, depth));
        n->items_single = true;
      } else {
        throw SchemaError(invalid_type("valid schema/array of schemas", "items"));
      }
    }

    if (const Value* ai = v.find("additionalItems")) {
      if (ai->is_bool()) {
        n->additional_items = ai->as_bool() ? 1 : 0;
      } else if (ai->is_object()) {
        n->additional_items_schema = child(*ai, depth);
      } else {
        throw SchemaError(invalid_type("boolean/valid schema", "additionalItems"));
      }
    }

    if (const Value* mo = v.find("multipleOf")) {
      auto d = get_number(mo);
      if (!d) throw SchemaError(invalid_type("number", "multipleOf"));
      if (d->m <= 0) throw SchemaError("multipleOf must be strictly greater than 0");
      n->multiple_of = d;
    }
    if (const Value* mn = v.find("minimum")) {
      n->minimum = get_number(mn);
      if (!n->minimum) throw SchemaError("minimum must be of a number");
    }
    parse_exclusive(v, "exclusiveMinimum", "minimum", n->minimum, n->exclusive_minimum);
    if (const Value* mx = v.find("maximum")) {
      n->maximum = get_number(mx);
      if (!n->maximum) throw SchemaError("maximum must be of a number");
    }
    parse_exclusive(v, "exclusiveMaximum", "maximum", n->maximum, n->exclusive_maximum);

    n->min_length = must_int(v, "minLength");
    n->max_length = must_int(v, "maxLength");
    if (n->min_length && n->max_length && *n->min_length > *n->max_length)
      throw SchemaError("minLength cannot be greater than maxLength");

    if (auto pattern = get_string(v, "pattern")) {
      RE2::Options o;
      o.set_log_errors(false);
      n->pattern = std::make_shared<RE2>(*pattern, o);
      if (!n->pattern->ok()) throw SchemaError("pattern must be a valid regex");
      n->pattern_src = *pattern;
    }
    if (auto format = get_string(v, "format")) n->format = *format;

    n->min_properties = must_int(v, "minProperties");
    n->max_properties = must_int(v, "maxProperties");
    if (n->min_properties && n->max_properties && *n->min_properties > *n->max_properties)
      throw SchemaError("minProperties cannot be greater than maxProperties");

    if (const auto* req = get_slice(v, "required")) {
      for (const Value& r : *req) {
        if (!r.is_string()) throw SchemaError(invalid_type("string", "required"));
        if (std::find(n->required.begin(), n->required.end(), r.str()) != n->required.end())
          throw SchemaError("required items must be unique");
        n->required.push_back(r.str());
      }
    }

    n->min_items = must_int(v, "minItems");
    n->max_items = must_int(v, "maxItems");

    if (const Value* u = v.find("uniqueItems")) {
      if (!u->is_bool()) throw SchemaError("uniqueItems must be of a boolean");
      n->unique_items = u->as_bool();
    }

    if (const Value* c = v.find("contains"); c && draft_ >= Draft::D6) n->contains = child(*c, depth);

    if (const Value* c = v.find("const"); c && draft_ >= Draft::D6) n->const_value = canon(*c);

    if (const auto* en = get_slice(v, "enum")) {
      n->enum_present = true;
      for (const Value& e : *en) {
        std::string s = canon(e);
        if (std::find(n->enum_values.begin(), n->enum_values.end(), s) != n->enum_values.end())
          throw SchemaError("enum items must be unique");
        n->enum_values.push_back(std::move(s));
      }
    }

    for (auto [key, list] : {std::pair{"oneOf", &n->one_of}, std::pair{"anyOf", &n->any_of},
                             std::pair{"allOf", &n->all_of}}) {
      if (const auto* xs = get_slice(v, key))
        for (const Value& x : *xs) list->push_back(child(x, depth));
    }

    if (const Value* x = v.find("not")) {
      if (!is_schema_value(*x)) throw SchemaError("not must be of an object");
      n->not_ = child(*x, depth);
    }

    if (draft_ >= Draft::D7) {
      for (auto [key, slot] : {std::pair{"if", &n->if_}, std::pair{"then", &n->then_}, std::pair{"else", &n->else_}}) {
        if (const Value* x = v.find(key)) {
          if (!is_schema_value(*x)) throw SchemaError(std::string(key) + " must be of an object");
          *slot = child(*x, depth);
        }
      }
    }
  }

  Schema& out_;
  Draft draft_ = Draft::Hybrid;
  std::map<std::string, Value> pool_;  // documents by reference (with fragment)
  std::map<std::string, Node*> refs_;  // parsed reference targets
};

// ---------------------------------------------------------------- validation

// Where in the document an error is (gojsonschema's JsonContext).
struct Ctx {
  const Ctx* parent;
  std::string_view head;
  std::string str() const { return parent ? parent->str() + "." + std::string(head) : std::string(head); }
};

struct VError {
  std::string type, context, desc;
  std::string field() const {
    return context.rfind("(root).", 0) == 0 ? context.substr(7) : context;
  }
};

struct Result {
  std::vector<VError> errors;
  int score = 0;
  bool valid() const { return errors.empty(); }
  void merge(Result&& o) {
    for (auto& e : o.errors) errors.push_back(std::move(e));
    score += o.score;
  }
};

class Validator {
 public:
  void validate(const Node* n, const Value& v, Result& r, const Ctx& ctx) {
    // anyOf/allOf/oneOf over shared definitions fan out: n levels of two
    // references to the next validate a value 2^n times
    limits::poll();
    if (++depth_ > kMaxValidateDepth) {
      throw BuiltinError("jsonschema: validation exceeded the maximum depth (a $ref loop, or a document nested too deeply)");
    }
    recurse(n, v, r, ctx);
    --depth_;
  }

 private:
  // Adds an error; `desc` is built by the caller from the error's details.
  // (the errors found, including those of anyOf branches that are thrown
  // away, are counted against the limits as they are made)
  void add(Result& r, const Ctx& ctx, const char* type, std::string desc) {
    r.errors.push_back(VError{type, ctx.str(), std::move(desc)});
    const VError& e = r.errors.back();
    error_bytes_ += limits::kValueOverhead * 4 + 2 * (e.type.size() + e.context.size() + e.desc.size());
    growth_.check(error_bytes_);
    r.score -= 2;
  }

  static std::string field_of(const Ctx& ctx) { return VError{"", ctx.str(), ""}.field(); }

  Result sub(const Node* n, const Value& v, const Ctx& ctx) {
    Result r;
    validate(n, v, r, ctx);
    return r;
  }

  static std::string types_string(const Node* n) {
    if (n->types.size() == 1) return n->types[0];
    std::string s = "[";
    for (size_t i = 0; i < n->types.size(); ++i) s += (i ? "," : "") + n->types[i];
    return s + "]";
  }

  static bool has_type(const Node* n, const char* t) {
    return std::find(n->types.begin(), n->types.end(), t) != n->types.end();
  }

  void recurse(const Node* n, const Value& v, Result& r, const Ctx& ctx) {
    if (n->pass) {
      if (!*n->pass) add(r, ctx, "false", "False always fails validation");
      return;
    }
    if (n->ref) {
      validate(n->ref, v, r, ctx);
      return;
    }
    bool typed = !n->types.empty();
    auto type_error = [&](const char* given) {
      add(r, ctx, "invalid_type", "Invalid type. Expected: " + types_string(n) + ", given: " + given);
    };
    switch (v.kind()) {
      case Kind::Null:
        if (typed && !has_type(n, "null")) return type_error("null");
        validate_schema(n, v, r, ctx);
        validate_common(n, v, r, ctx);
        break;
      case Kind::Number: {
        bool is_int = v.is_integral();
        if (typed && !(has_type(n, "number") || (is_int && has_type(n, "integer"))))
          return type_error(is_int ? "integer" : "number");
        validate_schema(n, v, r, ctx);
        validate_number(n, v, r, ctx);
        validate_common(n, v, r, ctx);
        break;
      }
      case Kind::Array:
      case Kind::Set:
        if (typed && !has_type(n, "array")) return type_error("array");
        validate_schema(n, v, r, ctx);
        validate_array(n, v, r, ctx);
        validate_common(n, v, r, ctx);
        break;
      case Kind::Object:
        if (typed && !has_type(n, "object")) return type_error("object");
        validate_schema(n, v, r, ctx);
        validate_object(n, v, r, ctx);
        validate_common(n, v, r, ctx);
        for (const auto& [name, p] : n->properties) {
          if (const Value* x = v.find(name)) validate(p, *x, r, Ctx{&ctx, name});
        }
        break;
      case Kind::Bool:
        if (typed && !has_type(n, "boolean")) return type_error("boolean");
        validate_schema(n, v, r, ctx);
        validate_common(n, v, r, ctx);
        break;
      case Kind::String:
        if (typed && !has_type(n, "string")) return type_error("string");
        validate_schema(n, v, r, ctx);
        validate_common(n, v, r, ctx);
        validate_string(n, v, r, ctx);
        break;
      default:
        break;
    }
    r.score++;
  }

  void validate_schema(const Node* n, const Value& v, Result& r, const Ctx& ctx) {
    if (!n->any_of.empty()) {
      bool ok = false;
      std::optional<Result> best;
      for (const Node* s : n->any_of) {
        if (ok) break;
        Result res = sub(s, v, ctx);
        ok = res.valid();
        if (!ok && (!best || res.score > best->score)) best = std::move(res);
      }
      if (!ok) {
        add(r, ctx, "number_any_of", "Must validate at least one schema (anyOf)");
        if (best) r.merge(std::move(*best));
      }
    }
    if (!n->one_of.empty()) {
      int validated = 0;
      std::optional<Result> best;
      for (const Node* s : n->one_of) {
        Result res = sub(s, v, ctx);
        if (res.valid()) {
          ++validated;
        } else if (validated == 0 && (!best || res.score > best->score)) {
          best = std::move(res);
        }
      }
      if (validated != 1) {
        add(r, ctx, "number_one_of", "Must validate one and only one schema (oneOf)");
        if (validated == 0 && best) r.merge(std::move(*best));
      }
    }
    if (!n->all_of.empty()) {
      size_t validated = 0;
      for (const Node* s : n->all_of) {
        Result res = sub(s, v, ctx);
        if (res.valid()) ++validated;
        r.merge(std::move(res));
      }
      if (validated != n->all_of.size()) add(r, ctx, "number_all_of", "Must validate all the schemas (allOf)");
    }
    if (n->not_ && sub(n->not_, v, ctx).valid()) add(r, ctx, "number_not", "Must not validate the schema (not)");
    if (n->has_dependencies && v.is_object()) {
      for (const auto& [k, x] : v.entries()) {
        if (!k.is_string()) continue;
        for (const auto& [name, dep] : n->dependencies) {
          if (name != k.str()) continue;
          if (dep.schema) {
            validate(dep.schema, v, r, ctx);
          } else {
            for (const std::string& want : dep.keys)
              if (!v.find(want)) add(r, ctx, "missing_dependency", "Has a dependency on " + want);
          }
        }
      }
    }
    if (n->if_) {
      bool if_ok = sub(n->if_, v, ctx).valid();
      if (n->then_ && if_ok) {
        Result res = sub(n->then_, v, ctx);
        if (!res.valid()) {
          add(r, ctx, "condition_then", "Must validate \"then\" as \"if\" was valid");
          r.merge(std::move(res));
        }
      }
      if (n->else_ && !if_ok) {
        Result res = sub(n->else_, v, ctx);
        if (!res.valid()) {
          add(r, ctx, "condition_else", "Must validate \"else\" as \"if\" was not valid");
          r.merge(std::move(res));
        }
      }
    }
    r.score++;
  }

  void validate_common(const Node* n, const Value& v, Result& r, const Ctx& ctx) {
    if (n->const_value && canon(v) != *n->const_value)
      add(r, ctx, "const", field_of(ctx) + " does not match: " + *n->const_value);
    if (n->enum_present) {
      std::string s = canon(v);
      if (std::find(n->enum_values.begin(), n->enum_values.end(), s) == n->enum_values.end()) {
        std::string allowed;
        for (size_t i = 0; i < n->enum_values.size(); ++i) allowed += (i ? ", " : "") + n->enum_values[i];
        if (n->enum_values.empty()) allowed = "(none)";
        add(r, ctx, "enum", field_of(ctx) + " must be one of the following: " + allowed);
      }
    }
    if (!n->format.empty() && !check_format(n->format, v))
      add(r, ctx, "format", "Does not match format '" + n->format + "'");
    r.score++;
  }

  void validate_array(const Node* n, const Value& v, Result& r, const Ctx& ctx) {
    const auto& items = v.items();
    size_t count = items.size();
    std::vector<std::string> index_names(count);
    auto index_ctx = [&](size_t i) {
      index_names[i] = std::to_string(i);
      return Ctx{&ctx, index_names[i]};
    };
    if (n->items_single) {
      for (size_t i = 0; i < count; ++i) r.merge(sub(n->items[0], items[i], index_ctx(i)));
    } else if (!n->items.empty()) {
      size_t fixed = n->items.size();
      for (size_t i = 0; i < count && i < fixed; ++i) r.merge(sub(n->items[i], items[i], index_ctx(i)));
      if (fixed < count) {
        if (n->additional_items == 0) {
          add(r, ctx, "array_no_additional_items", "No additional items allowed on array");
        } else if (n->additional_items_schema) {
          for (size_t i = fixed; i < count; ++i) r.merge(sub(n->additional_items_schema, items[i], index_ctx(i)));
        }
      }
    }
    if (n->min_items && static_cast<int64_t>(count) < *n->min_items)
      add(r, ctx, "array_min_items", "Array must have at least " + std::to_string(*n->min_items) + " items");
    if (n->max_items && static_cast<int64_t>(count) > *n->max_items)
      add(r, ctx, "array_max_items", "Array must have at most " + std::to_string(*n->max_items) + " items");
    if (n->unique_items) {
      std::map<std::string, size_t> seen;
      for (size_t j = 0; j < count; ++j) {
        std::string s = canon(items[j]);
        if (auto it = seen.find(s); it != seen.end()) {
          add(r, ctx, "unique",
              "array items[" + std::to_string(it->second) + "," + std::to_string(j) + "] must be unique");
        }
        seen[s] = j;
      }
    }
    if (n->contains) {
      bool found = false;
      std::optional<Result> best;
      for (size_t i = 0; i < count; ++i) {
        Result res = sub(n->contains, items[i], index_ctx(i));
        if (res.valid()) {
          found = true;
          break;
        }
        if (!best || res.score > best->score) best = std::move(res);
      }
      if (!found) {
        add(r, ctx, "contains", "At least one of the items must match");
        if (best) r.merge(std::move(*best));
      }
    }
    r.score++;
  }

  void validate_object(const Node* n, const Value& v, Result& r, const Ctx& ctx) {
    int64_t size = static_cast<int64_t>(v.size());
    if (n->min_properties && size < *n->min_properties)
      add(r, ctx, "array_min_properties", "Must have at least " + std::to_string(*n->min_properties) + " properties");
    if (n->max_properties && size > *n->max_properties)
      add(r, ctx, "array_max_properties", "Must have at most " + std::to_string(*n->max_properties) + " properties");
    for (const std::string& req : n->required) {
      if (v.find(req)) {
        r.score++;
      } else {
        add(r, ctx, "required", req + " is required");
      }
    }
    for (const auto& [k, x] : v.entries()) {
      std::string key = k.is_string() ? k.str() : to_json(k);
      bool declared = std::any_of(n->properties.begin(), n->properties.end(),
                                  [&](const auto& p) { return p.first == key; });
      bool matched = false;
      for (const auto& [pat, entry] : n->pattern_properties) {
        if (RE2::PartialMatch(key, *entry.first)) {
          matched = true;
          r.merge(sub(entry.second, x, Ctx{&ctx, key}));
        }
      }
      if (matched) r.score++;
      if (declared || matched) continue;
      if (n->additional) {
        r.merge(sub(n->additional, x, Ctx{&ctx, key}));
      } else if (!n->additional_allowed) {
        add(r, ctx, "additional_property_not_allowed", "Additional property " + key + " is not allowed");
      }
    }
    if (n->property_names) {
      for (const auto& [k, x] : v.entries()) {
        std::string key = k.is_string() ? k.str() : to_json(k);
        Result res = sub(n->property_names, Value::string(key), ctx);
        if (!res.valid()) {
          add(r, ctx, "invalid_property_name", "Property name of \"" + key + "\" does not match");
          r.merge(std::move(res));
        }
      }
    }
    r.score++;
  }

  void validate_string(const Node* n, const Value& v, Result& r, const Ctx& ctx) {
    const std::string& s = v.str();
    if (n->min_length || n->max_length) {
      int64_t len = static_cast<int64_t>(rune_count(s));
      if (n->min_length && len < *n->min_length)
        add(r, ctx, "string_gte", "String length must be greater than or equal to " + std::to_string(*n->min_length));
      if (n->max_length && len > *n->max_length)
        add(r, ctx, "string_lte", "String length must be less than or equal to " + std::to_string(*n->max_length));
    }
    if (n->pattern && !RE2::PartialMatch(s, *n->pattern))
      add(r, ctx, "pattern", "Does not match pattern '" + n->pattern_src + "'");
    r.score++;
  }

  void validate_number(const Node* n, const Value& v, Result& r, const Ctx& ctx) {
    Dec d = to_dec(v);
    if (n->multiple_of && !dec_multiple(d, *n->multiple_of))
      add(r, ctx, "multiple_of", "Must be a multiple of " + bound_text(*n->multiple_of));
    if (n->maximum && dec_cmp(d, *n->maximum) > 0)
      add(r, ctx, "number_lte", "Must be less than or equal to " + bound_text(*n->maximum));
    if (n->exclusive_maximum && dec_cmp(d, *n->exclusive_maximum) >= 0)
      add(r, ctx, "number_lt", "Must be less than " + bound_text(*n->exclusive_maximum));
    if (n->minimum && dec_cmp(d, *n->minimum) < 0)
      add(r, ctx, "number_gte", "Must be greater than or equal to " + bound_text(*n->minimum));
    if (n->exclusive_minimum && dec_cmp(d, *n->exclusive_minimum) <= 0)
      add(r, ctx, "number_gt", "Must be greater than " + bound_text(*n->exclusive_minimum));
    r.score++;
  }

  int depth_ = 0;
  uint64_t error_bytes_ = 0;
  limits::Growth growth_;
};

// ---------------------------------------------------------------- builtins

// The operand as a JSON document: a string holds JSON text; objects and arrays
// are taken as they are (sets become arrays, as OPA's JSON conversion does).
Value load_json(const Value& v) {
  if (v.is_string()) {
    try {
      return parse_json(v.str());
    } catch (const ParseError&) {
      throw SchemaError("invalid JSON string");
    }
  }
  if (v.is_object() || v.is_array()) {
    check_expanded_size(v);
    return parse_json(to_json(v));
  }
  throw SchemaError("wrong type, expected string or object");
}

// A small per-thread cache: policies usually match many documents against
// one schema. Schemas may come from input: the cache is bounded in entries and
// in bytes (the operand kept as key and the compiled schema, estimated at a
// few times the operand), and a large schema is not cached.
constexpr size_t kSchemaCacheEntries = 64;
constexpr uint64_t kSchemaCacheBytes = uint64_t{32} << 20;
constexpr uint64_t kMaxCachedSchemaBytes = uint64_t{4} << 20;

std::shared_ptr<const Schema> compile_schema(const Value& operand) {
  thread_local std::map<Value, std::shared_ptr<const Schema>> cache;
  thread_local uint64_t cache_bytes = 0;
  if (auto it = cache.find(operand); it != cache.end()) return it->second;
  Value doc = load_json(operand);
  auto schema = std::make_shared<Schema>();
  Compiler(*schema).compile(doc);
  const uint64_t cost = 4 * tree_bytes(operand, kMaxCachedSchemaBytes + 1);
  if (cost > kMaxCachedSchemaBytes) return schema;
  if (cache.size() >= kSchemaCacheEntries || cache_bytes + cost > kSchemaCacheBytes) {
    cache.clear();
    cache_bytes = 0;
  }
  cache.emplace(operand, schema);
  cache_bytes += cost;
  return schema;
}

Value verify_schema(Context&, const Value* args) {
  try {
    compile_schema(args[0]);
  } catch (const SchemaError& e) {
    return Value::array({Value::boolean(false), Value::string(std::string("jsonschema: ") + e.what())});
  }
  return Value::array({Value::boolean(true), Value::null()});
}

Value match_schema(Context&, const Value* args) {
  Value doc;
  std::shared_ptr<const Schema> schema;
  try {
    doc = load_json(args[0]);
    schema = compile_schema(args[1]);
  } catch (const SchemaError& e) {
    throw BuiltinError(e.what());
  }
  Result result;
  Ctx root{nullptr, "(root)"};
  Validator().validate(schema->root, doc, result, root);
  std::vector<Value> errors;
  errors.reserve(result.errors.size());
  for (const VError& e : result.errors) {
    std::string field = e.field();
    ObjectBuilder o;
    o.add("error", Value::string(field + ": " + e.desc));
    o.add("type", Value::string(e.type));
    o.add("field", Value::string(field));
    o.add("desc", Value::string(e.desc));
    errors.push_back(o.build());
  }
  bool valid = errors.empty();
  return Value::array({Value::boolean(valid), Value::array(std::move(errors))});
}

}  // namespace

void register_jsonschema(Registry& r) {
  r.add({"json.verify_schema", 1, verify_schema, "(string|object) => array"});
  r.add({"json.match_schema", 2, match_schema, "(string|object, string|object) => array"});
}

}  // namespace wartburg::builtins
