// Builtins: encoding — base64/base64url, hex, urlquery, json.* (marshal,
// marshal_with_options, unmarshal, is_valid) and yaml.* (marshal, unmarshal,
// is_valid). Decoders follow Go's encoding packages (strict padding, the same
// error wording) because OPA uses them.
#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "policy/limits.h"

namespace wartburg::builtins {
namespace {

const char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}  // namespace

std::string encode_base64(std::string_view s, bool url, bool pad) {
  const char* alpha = url ? kUrl : kStd;
  std::string out;
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    uint32_t v = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8) | uint8_t(s[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += alpha[(v >> k) & 63];
  }
  size_t rest = s.size() - i;
  if (rest > 0) {
    uint32_t v = uint8_t(s[i]) << 16;
    if (rest == 2) v |= uint8_t(s[i + 1]) << 8;
    out += alpha[(v >> 18) & 63];
    out += alpha[(v >> 12) & 63];
    if (rest == 2) out += alpha[(v >> 6) & 63];
    if (pad) out += rest == 2 ? "=" : "==";
  }
  return out;
}

namespace {


[[noreturn]] void corrupt(size_t at) { throw BuiltinError("illegal base64 data at input byte " + std::to_string(at)); }

// Go's base64 decoder: newlines ignored, padding required when `pad`.
std::string b64_decode(std::string_view src, const char* alpha, bool pad) {
  int8_t map[256];
  std::fill(std::begin(map), std::end(map), int8_t(-1));
  for (int k = 0; k < 64; k++) map[uint8_t(alpha[k])] = int8_t(k);
  auto skip_nl = [&](size_t& i) {
    while (i < src.size() && (src[i] == '\n' || src[i] == '\r')) i++;
  };
  std::string out;
  size_t i = 0;
  while (i < src.size()) {
    uint32_t buf[4] = {0, 0, 0, 0};
    size_t dlen = 4;
    for (size_t j = 0; j < 4; j++) {
      if (i == src.size()) {
        if (j == 0) return out;
        if (j == 1 || pad) corrupt(i - j);
        dlen = j;
        break;
      }
      char c = src[i++];
      if (map[uint8_t(c)] >= 0) {
        buf[j] = static_cast<uint32_t>(map[uint8_t(c)]);
        continue;
      }
      if (c == '\n' || c == '\r') {
        j--;
        continue;
      }
      if (c != '=' || !pad || j < 2) corrupt(i - 1);
      if (j == 2) {
        skip_nl(i);
        if (i == src.size()) corrupt(src.size());
        if (src[i] != '=') corrupt(i - 1);
        i++;
      }
      skip_nl(i);
      if (i < src.size()) corrupt(i);
      dlen = j;
      break;
    }
    uint32_t v = (buf[0] << 18) | (buf[1] << 12) | (buf[2] << 6) | buf[3];
    out += char(v >> 16);
    if (dlen >= 3) out += char((v >> 8) & 0xFF);
    if (dlen == 4) out += char(v & 0xFF);
    if (dlen < 4) return out;
  }
  return out;
}

Value str(std::string s) { return Value::string(std::move(s)); }

// Encoders grow their input (base64 by 4/3, hex by 2, URL escaping up to 3):
// large results are reserved first, against the evaluation's value size.
void reserve_text(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 16)) limits::reserve(limits::kValueOverhead + bytes);
}

Value base64_encode(Context&, const Value* a) {
  reserve_text(need_string(a, 1).size() / 3 * 4 + 4);
  return str(encode_base64(need_string(a, 1), false, true));
}
Value base64_decode(Context&, const Value* a) { return str(b64_decode(need_string(a, 1), kStd, true)); }
Value base64_is_valid(Context&, const Value* a) {
  try {
    b64_decode(need_string(a, 1), kStd, true);
    return Value::boolean(true);
  } catch (const TypeError&) {
    throw;
  } catch (const BuiltinError&) {
    return Value::boolean(false);
  }
}
Value base64url_encode(Context&, const Value* a) {
  reserve_text(need_string(a, 1).size() / 3 * 4 + 4);
  return str(encode_base64(need_string(a, 1), true, true));
}
Value base64url_encode_no_pad(Context&, const Value* a) {
  reserve_text(need_string(a, 1).size() / 3 * 4 + 4);
  return str(encode_base64(need_string(a, 1), true, false));
}
Value base64url_decode(Context&, const Value* a) {
  std::string s = need_string(a, 1);
  if (s.empty() || s.back() != '=') {
    switch (s.size() % 4) {
      case 0: break;
      case 2: s += "=="; break;
      case 3: s += "="; break;
      default: throw BuiltinError("illegal base64url string: " + s);
    }
  }
  return str(b64_decode(s, kUrl, true));
}

Value hex_encode(Context&, const Value* a) {
  reserve_text(2 * need_string(a, 1).size());
  std::string out;
  out.reserve(2 * need_string(a, 1).size());
  for (unsigned char c : need_string(a, 1)) {
    out += "0123456789abcdef"[c >> 4];
    out += "0123456789abcdef"[c & 15];
  }
  return str(std::move(out));
}

int hex_val(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

[[noreturn]] void invalid_hex(unsigned char c) {
  char buf[64];
  if (c >= 0x20 && c < 0x7f) {
    std::snprintf(buf, sizeof buf, "encoding/hex: invalid byte: U+%04X '%c'", c, c);
  } else {
    std::snprintf(buf, sizeof buf, "encoding/hex: invalid byte: U+%04X", c);
  }
  throw BuiltinError(buf);
}

Value hex_decode(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  std::string out;
  size_t i = 1;
  for (; i < s.size(); i += 2) {
    int hi = hex_val(s[i - 1]), lo = hex_val(s[i]);
    if (hi < 0) invalid_hex(static_cast<unsigned char>(s[i - 1]));
    if (lo < 0) invalid_hex(static_cast<unsigned char>(s[i]));
    out += static_cast<char>(hi * 16 + lo);
  }
  if (s.size() % 2 == 1) {
    if (hex_val(s[i - 1]) < 0) invalid_hex(static_cast<unsigned char>(s[i - 1]));
    throw BuiltinError("encoding/hex: odd length hex string");
  }
  return str(std::move(out));
}

// ---- urlquery (Go's net/url QueryEscape / QueryUnescape / Values)

std::string query_escape(std::string_view s) {
  if (s.size() >= (uint64_t{1} << 16) / 3) {
    uint64_t n = 0;
    for (unsigned char c : s) n += std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ' ' ? 1 : 3;
    reserve_text(n);
  }
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += "0123456789ABCDEF"[c >> 4];
      out += "0123456789ABCDEF"[c & 15];
    }
  }
  return out;
}

std::string query_unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size() + 0 || hex_val(s[i + 1]) < 0 || hex_val(s[i + 2]) < 0) {
        std::string bad(s.substr(i, 3));
        throw BuiltinError("invalid URL escape \"" + bad + "\"");
      }
      out += static_cast<char>(hex_val(s[i + 1]) * 16 + hex_val(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

Value urlquery_encode(Context&, const Value* a) { return str(query_escape(need_string(a, 1))); }
Value urlquery_decode(Context&, const Value* a) { return str(query_unescape(need_string(a, 1))); }

Value urlquery_encode_object(Context&, const Value* a) {
  const Value& obj = need_object(a, 1);
  std::string out;
  // a key is repeated for each of its values: {"<1 MB key>": [100,000 values]}
  // is 100 GB of output, so it is checked as it grows (and escaped once)
  limits::Growth growth;
  std::string key;
  auto add = [&](const Value& v) {
    if (!v.is_string()) throw TypeError("operand 1 must be object[string: string|array[string]|set[string]]");
    std::string val = query_escape(v.str());
    growth.check(out.size() + key.size() + val.size() + 2);
    if (!out.empty()) out += '&';
    out += key;
    out += '=';
    out += val;
  };
  for (const auto& [k, v] : obj.entries()) {
    if (!k.is_string()) throw TypeError("operand 1 must be object[string: string|array[string]|set[string]]");
    key = query_escape(k.str());
    if (v.is_array() || v.is_set()) {
      for (const auto& e : v.items()) add(e);
    } else {
      add(v);
    }
  }
  return str(std::move(out));
}

Value urlquery_decode_object(Context&, const Value* a) {
  const std::string& q = need_string(a, 1);
  std::vector<std::pair<std::string, std::vector<Value>>> groups;
  std::unordered_map<std::string, size_t> index;
  size_t start = 0;
  while (start <= q.size()) {
    size_t amp = q.find('&', start);
    if (amp == std::string::npos) amp = q.size();
    std::string part = q.substr(start, amp - start);
    start = amp + 1;
    if (part.empty()) continue;
    if (part.find(';') != std::string::npos) throw BuiltinError("invalid semicolon separator in query");
    size_t eq = part.find('=');
    std::string k = query_unescape(part.substr(0, eq));
    std::string v = eq == std::string::npos ? "" : query_unescape(part.substr(eq + 1));
    // (an index by key: searching the groups for each parameter was quadratic)
    auto [at, fresh] = index.emplace(k, groups.size());
    if (fresh) groups.push_back({k, {}});
    groups[at->second].second.push_back(str(v));
  }
  ObjectBuilder b;
  for (auto& [k, vs] : groups) b.add(k, Value::array(std::move(vs)));
  return b.build();
}

// ---- json / yaml

}  // namespace

// Go's json.Marshal escapes <, >, & and U+2028/U+2029.
std::string go_json(const Value& v) {
  check_expanded_size(v);
  std::string s = to_json(v), out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); i++) {
    char c = s[i];
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else if (c == '\xE2' && i + 2 < s.size() && s[i + 1] == '\x80' && (s[i + 2] == '\xA8' || s[i + 2] == '\xA9')) {
      out += s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// Go's json.MarshalIndent layout. Every line repeats the indent once per
// level: a deep document or a long indent string makes output quadratic in
// the input, so it is checked as it grows.
void indent_json(std::string& out, const Value& v, const std::string& prefix, const std::string& indent, int depth,
                 limits::Growth& growth) {
  auto newline = [&](int d) {
    growth.check(out.size() + 1 + prefix.size() + static_cast<uint64_t>(d) * indent.size());
    out += '\n';
    out += prefix;
    for (int k = 0; k < d; k++) out += indent;
  };
  if ((v.is_array() || v.is_set()) && v.size() > 0) {
    out += '[';
    bool first = true;
    for (const auto& e : v.items()) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      indent_json(out, e, prefix, indent, depth + 1, growth);
    }
    newline(depth);
    out += ']';
  } else if (v.is_object() && v.size() > 0) {
    out += '{';
    bool first = true;
    for (const auto& [k, e] : v.entries()) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      out += go_json(k.is_string() ? k : Value::string(to_json(k)));
      out += ": ";
      indent_json(out, e, prefix, indent, depth + 1, growth);
    }
    newline(depth);
    out += '}';
  } else {
    out += go_json(v);
  }
}

Value json_marshal(Context&, const Value* a) { return str(go_json(a[0])); }

Value json_marshal_with_options(Context&, const Value* a) {
  const Value& opts = need_object(a, 2);
  std::string indent = "\t", prefix;
  bool implicit = false, explicit_set = false, pretty = false;
  for (const auto& [k, v] : opts.entries()) {
    std::string key = k.is_string() ? k.str() : to_json(k);
    if (key == "prefix" || key == "indent") {
      if (!v.is_string()) throw TypeError("operand 2 \"" + key + "\" must be string but got " + type_name_for_error(v));
      (key == "prefix" ? prefix : indent) = v.str();
      implicit = true;
    } else if (key == "pretty") {
      if (!v.is_bool()) throw TypeError("operand 2 \"pretty\" must be boolean but got " + type_name_for_error(v));
      explicit_set = true;
      pretty = v.as_bool();
    } else {
      throw TypeError("operand 2 object contained unknown key " + key);
    }
  }
  if (!explicit_set) pretty = implicit;
  if (!pretty) return str(go_json(a[0]));
  check_expanded_size(a[0]);
  std::string out;
  limits::Growth growth;
  indent_json(out, a[0], prefix, indent, 0, growth);
  return str(std::move(out));
}

Value json_unmarshal(Context&, const Value* a) {
  try {
    return parse_json(need_string(a, 1));
  } catch (const ParseError& e) {
    throw BuiltinError(e.what());
  }
}

Value json_is_valid(Context&, const Value* a) {
  if (!a[0].is_string()) return Value::boolean(false);
  try {
    parse_json(a[0].str());
    return Value::boolean(true);
  } catch (const ParseError&) {
    return Value::boolean(false);
  }
}

// YAML indents nested mappings on every line: a value 10,000 levels deep
// (60 KB of JSON) wrote 100 MB in a minute. Values are checked with that
// indentation counted, and may nest at most as deep as yaml.unmarshal reads.
constexpr size_t kMaxYamlDepth = 2000;

Value yaml_marshal(Context&, const Value* a) {
  check_expanded_size(a[0], 2, kMaxYamlDepth, "yaml");
  return str(to_yaml(a[0]));
}

Value yaml_unmarshal(Context&, const Value* a) {
  try {
    return parse_yaml(need_string(a, 1));
  } catch (const ParseError& e) {
    throw BuiltinError(e.what());
  }
}

Value yaml_is_valid(Context&, const Value* a) {
  if (!a[0].is_string()) return Value::boolean(false);
  try {
    parse_yaml(a[0].str());
    return Value::boolean(true);
  } catch (const ParseError&) {
    return Value::boolean(false);
  }
}

}  // namespace

void register_encoding(Registry& r) {
  r.add({"base64.encode", 1, base64_encode, "(string) => string"});
  r.add({"base64.decode", 1, base64_decode, "(string) => string"});
  r.add({"base64.is_valid", 1, base64_is_valid, "(string) => boolean"});
  r.add({"base64url.encode", 1, base64url_encode, "(string) => string"});
  r.add({"base64url.encode_no_pad", 1, base64url_encode_no_pad, "(string) => string"});
  r.add({"base64url.decode", 1, base64url_decode, "(string) => string"});
  r.add({"hex.encode", 1, hex_encode, "(string) => string"});
  r.add({"hex.decode", 1, hex_decode, "(string) => string"});
  r.add({"urlquery.encode", 1, urlquery_encode, "(string) => string"});
  r.add({"urlquery.decode", 1, urlquery_decode, "(string) => string"});
  r.add({"urlquery.encode_object", 1, urlquery_encode_object, "(object) => string"});
  r.add({"urlquery.decode_object", 1, urlquery_decode_object, "(string) => object"});
  r.add({"json.marshal", 1, json_marshal, "(any) => string"});
  r.add({"json.marshal_with_options", 2, json_marshal_with_options, "(any, object) => string"});
  r.add({"json.unmarshal", 1, json_unmarshal, "(string) => any"});
  r.add({"json.is_valid", 1, json_is_valid, "(any) => boolean"});
  r.add({"yaml.marshal", 1, yaml_marshal, "(any) => string"});
  r.add({"yaml.unmarshal", 1, yaml_unmarshal, "(string) => any"});
  r.add({"yaml.is_valid", 1, yaml_is_valid, "(any) => boolean"});
}

}  // namespace wartburg::builtins
