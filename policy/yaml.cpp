// YAML text <-> Value. Parsing uses yaml-cpp and resolves plain scalars the
// way Go's sigs.k8s.io/yaml (go-yaml v2) does: booleans (true/yes/on/y ...),
// nulls, integers (0x/0o/0b/octal, underscores), floats, otherwise strings;
// quoted scalars are always strings and map keys become strings. to_yaml
// prints block YAML like go-yaml v2's Marshal of the JSON value.
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <regex>

#include "policy/json.h"
#include "policy/number.h"

namespace wartburg {
namespace {

bool one_of(const std::string& s, std::initializer_list<const char*> words) {
  for (const char* w : words) {
    if (s == w) return true;
  }
  return false;
}

// Go's strconv.ParseInt/ParseUint with base 0 (sign, 0x, 0o, 0b, leading 0 = octal).
Value parse_go_int(std::string s) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.erase(0, 1);
  }
  if (s.empty()) return {};
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    char p = static_cast<char>(std::tolower(static_cast<unsigned char>(s[1])));
    if (p == 'x') base = 16, s.erase(0, 2);
    else if (p == 'o') base = 8, s.erase(0, 2);
    else if (p == 'b') base = 2, s.erase(0, 2);
    else base = 8, s.erase(0, 1);
  }
  if (s.empty()) return {};
  uint64_t u = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), u, base);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return {};
  if (!neg) return Value::number_from_text(std::to_string(u));
  if (u > static_cast<uint64_t>(INT64_MAX) + 1) return {};
  return Value::number_from_text("-" + std::to_string(u));
}

bool yaml_style_float(const std::string& s) {
  static const std::regex re(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
  return std::regex_match(s, re);
}

// Resolves a plain scalar as go-yaml v2 does.
Value resolve_plain(const std::string& s) {
  if (one_of(s, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) {
    return Value::boolean(true);
  }
  if (one_of(s, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) {
    return Value::boolean(false);
  }
  if (one_of(s, {"", "~", "null", "Null", "NULL"})) return Value::null();
  if (one_of(s, {".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
                 "-.INF"})) {
    throw ParseError("json: unsupported value: " + s, 0, 0);
  }
  char c = s[0];
  if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
    std::string plain;
    for (char ch : s) {
      if (ch != '_') plain += ch;
    }
    Value i = parse_go_int(plain);
    if (i.defined()) return i;
    if (yaml_style_float(plain)) {
      Value f = Value::number_from_text(plain[0] == '+' ? plain.substr(1) : plain);
      if (f.defined()) return f;
      return Value::number(std::strtod(plain.c_str(), nullptr));
    }
  }
  return Value::string(s);
}

Value convert(const YAML::Node& n);

std::string key_text(const YAML::Node& k) {
  Value kv = convert(k);
  if (kv.is_string()) return kv.str();
  if (kv.is_array() || kv.is_object()) {
    throw ParseError("error converting YAML to JSON: unsupported map key", k.Mark().line + 1,
                     k.Mark().column + 1);
  }
  return to_json(kv);
}

Value convert(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
      if (n.Tag() == "!" || n.Tag() == "tag:yaml.org,2002:str") return Value::string("");
      return Value::null();
    case YAML::NodeType::Scalar:
      if (n.Tag() == "?") return resolve_plain(n.Scalar());
      if (n.Tag() == "!" || n.Tag() == "tag:yaml.org,2002:str") return Value::string(n.Scalar());
      return resolve_plain(n.Scalar());
    case YAML::NodeType::Sequence: {
      std::vector<Value> items;
      items.reserve(n.size());
      for (const auto& e : n) items.push_back(convert(e));
      return Value::array(std::move(items));
    }
    case YAML::NodeType::Map: {
      std::vector<std::pair<Value, Value>> entries;
      for (const auto& kv : n) entries.emplace_back(Value::string(key_text(kv.first)), convert(kv.second));
      return Value::object(std::move(entries));
    }
    case YAML::NodeType::Undefined:
      break;
  }
  return Value::null();
}

[[noreturn]] void rethrow(const YAML::Exception& e) {
  int line = e.mark.is_null() ? 0 : e.mark.line + 1;
  int col = e.mark.is_null() ? 0 : e.mark.column + 1;
  std::string prefix = line > 0 ? "line " + std::to_string(line) + ", column " + std::to_string(col) + ": " : "";
  throw ParseError(prefix + e.msg, line, col);
}

// ---------------------------------------------------------------- emitting

bool is_blankz(const std::string& s, size_t i) {
  return i >= s.size() || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
}

bool is_special(unsigned char c) { return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f; }

// libyaml's analysis: may the string be written as a plain scalar in block context?
bool block_plain_allowed(const std::string& s) {
  if (s.empty()) return false;
  if (s.rfind("---", 0) == 0 || s.rfind("...", 0) == 0) return false;
  if (s.front() == ' ' || s.back() == ' ' || s.front() == '\t' || s.back() == '\t') return false;
  for (size_t i = 0; i < s.size(); i++) {
    char c = s[i];
    if (is_special(static_cast<unsigned char>(c)) || c == '\n') return false;
    bool next_blank = is_blankz(s, i + 1);
    if (i == 0) {
      if (std::string_view("#,[]{}&*!|>'\"%@`").find(c) != std::string_view::npos) return false;
      if ((c == '?' || c == ':' || c == '-') && next_blank) return false;
    } else {
      if (c == ':' && next_blank) return false;
      if (c == '#' && (s[i - 1] == ' ' || s[i - 1] == '\t')) return false;
    }
  }
  return true;
}

bool is_base60_float(const std::string& s) {
  static const std::regex re(R"(^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$)");
  return std::regex_match(s, re);
}

bool resolves_to_string(const std::string& s) {
  try {
    return resolve_plain(s).is_string() && !is_base60_float(s);
  } catch (const ParseError&) {
    return false;
  }
}

std::string double_quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case 0: out += "\\0"; break;
      default:
        if (is_special(c)) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02X", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string single_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

bool has_special(const std::string& s) {
  for (unsigned char c : s) {
    if (is_special(c)) return true;
  }
  return false;
}

// A string on one line (keys, or values without line breaks).
std::string inline_string(const std::string& s) {
  if (!resolves_to_string(s) || has_special(s) || s.find('\n') != std::string::npos) return double_quoted(s);
  if (block_plain_allowed(s)) return s;
  return single_quoted(s);
}

// Go's strconv.FormatFloat(f, 'g', -1, 64).
std::string go_float_g(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? "+.inf" : "-.inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  size_t e = sci.find('e');
  int exp = std::atoi(sci.c_str() + e + 1);
  if (exp < -4 || exp >= 21) {
    std::string mant = sci.substr(0, e);
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return mant + eb;
  }
  r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

std::string number_yaml(const Value& v) {
  if (v.is_int()) return std::to_string(v.as_int());
  if (v.is_bigint() && v.as_big().exp != 0) return num::to_text(v.as_big());
  if (v.is_bigint()) {
    const auto& b = v.as_big().v;
    if (b >= 0 && b <= std::numeric_limits<uint64_t>::max()) return b.str();
    return go_float_g(v.as_double());
  }
  return go_float_g(v.as_double());
}

using Lines = std::vector<std::string>;

Lines literal_block(const std::string& s) {
  size_t trailing = 0;
  while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') trailing++;
  std::string header = "|";
  if (s[0] == ' ' || s[0] == '\n') header += "2";
  header += trailing == 0 ? "-" : (trailing == 1 ? "" : "+");
  Lines out{header};
  std::string body = s.substr(0, s.size() - (trailing > 0 ? 1 : 0));
  size_t start = 0;
  while (true) {
    size_t nl = body.find('\n', start);
    std::string line = body.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    out.push_back(line.empty() ? "" : line);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

bool block_literal_ok(const std::string& s) {
  if (has_special(s)) return false;
  for (size_t i = 0; i + 1 < s.size(); i++) {
    if (s[i] == ' ' && s[i + 1] == '\n') return false;  // space before break
  }
  return s.back() != ' ';
}

Lines emit(const Value& v);

std::string scalar_text(const Value& v) {
  switch (v.kind()) {
    case Kind::Null: return "null";
    case Kind::Bool: return v.as_bool() ? "true" : "false";
    case Kind::Number: return number_yaml(v);
    case Kind::String: return inline_string(v.str());
    case Kind::Array:
    case Kind::Set: return "[]";
    case Kind::Object: return "{}";
    case Kind::Undefined: break;
  }
  return "null";
}

bool is_block_collection(const Value& v) { return (v.is_array() || v.is_set() || v.is_object()) && v.size() > 0; }

Lines emit_scalar(const Value& v) {
  if (v.is_string() && v.str().find('\n') != std::string::npos && block_literal_ok(v.str())) {
    return literal_block(v.str());
  }
  return {scalar_text(v)};
}

void indent_rest(Lines& out, const Lines& sub, const std::string& first_prefix, const std::string& rest_prefix,
                 std::string head) {
  for (size_t i = 0; i < sub.size(); i++) {
    if (i == 0) {
      out.push_back(head + first_prefix + sub[i]);
    } else {
      out.push_back(sub[i].empty() ? "" : rest_prefix + sub[i]);
    }
  }
}

Lines emit_map(const Value& v) {
  Lines out;
  for (const auto& [k, val] : v.entries()) {
    std::string key = k.is_string() ? inline_string(k.str()) : inline_string(to_json(k));
    if (val.is_object() && val.size() > 0) {
      out.push_back(key + ":");
      for (auto& l : emit_map(val)) out.push_back(l.empty() ? l : "  " + l);
    } else if ((val.is_array() || val.is_set()) && val.size() > 0) {
      out.push_back(key + ":");
      for (auto& l : emit(val)) out.push_back(l);
    } else {
      indent_rest(out, emit_scalar(val), "", "  ", key + ": ");
    }
  }
  return out;
}

Lines emit_seq(const Value& v) {
  Lines out;
  for (const auto& item : v.items()) {
    Lines sub = is_block_collection(item) ? emit(item) : emit_scalar(item);
    indent_rest(out, sub, "", "  ", "- ");
  }
  return out;
}

Lines emit(const Value& v) {
  if (v.is_object() && v.size() > 0) return emit_map(v);
  if ((v.is_array() || v.is_set()) && v.size() > 0) return emit_seq(v);
  return emit_scalar(v);
}

// yaml-cpp starts a new document implicitly where go-yaml requires "---" (or
// "..."): reject a later document whose start is not preceded by a marker.
void check_document_starts(std::string_view text, const std::vector<YAML::Node>& docs) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  for (size_t i = 1; i < docs.size(); i++) {
    const YAML::Mark a = docs[i - 1].Mark(), b = docs[i].Mark();
    if (a.is_null() || b.is_null()) continue;
    bool marked = false;
    for (int l = a.line + 1; l <= b.line && l < static_cast<int>(lines.size()); l++) {
      if (lines[l].substr(0, 3) == "---" || lines[l].substr(0, 3) == "...") marked = true;
    }
    if (!marked) {
      throw ParseError("line " + std::to_string(b.line + 1) + ", column " + std::to_string(b.column + 1) +
                           ": did not find expected <document start>",
                       b.line + 1, b.column + 1);
    }
  }
}

}  // namespace

Value parse_yaml(std::string_view text) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    rethrow(e);
  }
  if (docs.empty()) return Value::null();
  check_document_starts(text, docs);
  try {
    return convert(docs.front());
  } catch (const YAML::Exception& e) {
    rethrow(e);
  }
}

std::string to_yaml(const Value& v) {
  Lines lines = emit(v);
  std::string out;
  bool top_block = !is_block_collection(v) && lines.size() > 1;  // top-level literal scalar
  for (size_t i = 0; i < lines.size(); i++) {
    if (top_block && i > 0 && !lines[i].empty()) out += "  ";
    out += lines[i];
    out += '\n';
  }
  return out;
}

}  // namespace wartburg
