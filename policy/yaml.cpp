// YAML text <-> Value. Parsing uses yaml-cpp and resolves plain scalars the
// way Go's sigs.k8s.io/yaml (go-yaml v2) does: booleans (true/yes/on/y ...),
// nulls, integers (0x/0o/0b/octal, underscores), floats, otherwise strings;
// quoted scalars are always strings and map keys become strings. to_yaml
// prints block YAML like go-yaml v2's Marshal of the JSON value.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <unordered_map>

#include "policy/json.h"
#include "policy/limits.h"
#include "policy/number.h"
#include "policy/utf8.h"

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

size_t skip_digits(const std::string& s, size_t i, bool underscores = false) {
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || (underscores && s[i] == '_'))) ++i;
  return i;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? -- scanned, not a std::regex:
// std::regex matches recursively and overflows the stack on long input.
bool yaml_style_float(const std::string& s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    size_t j = skip_digits(s, i + 1);
    if (j == i + 1) return false;
    i = j;
  } else {
    size_t j = skip_digits(s, i);
    if (j == i) return false;
    i = j;
    if (i < s.size() && s[i] == '.') i = skip_digits(s, i + 1);
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t j = skip_digits(s, i);
    if (j == i) return false;
    i = j;
  }
  return i == s.size();
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
      if (plain.size() > static_cast<size_t>(num::kMaxDigits)) {
        throw ParseError("number has more than " + std::to_string(num::kMaxDigits) + " digits", 0, 0);
      }
      double d = std::strtod(plain.c_str(), nullptr);
      if (!std::isfinite(d)) {  // as go-yaml reads it (a float64) and JSON cannot hold it
        throw ParseError(std::string("json: unsupported value: ") + (d > 0 ? "+Inf" : "-Inf"), 0, 0);
      }
      return Value::number(d);
    }
  }
  return Value::string(s);
}

// Builds Values from yaml-cpp's parser events, without yaml-cpp's node graph:
// an alias shares the anchored Value (no copy), an alias to a node that is
// still open ("&a [*a]") is an error instead of a cycle, and the size that
// aliases add is bounded as go-yaml bounds it, so a few hundred bytes of
// nested aliases ("billion laughs") cannot expand into billions of nodes.
// Nesting is bounded by yaml-cpp's parser (DeepRecursion, 2000 levels).
class Reader : public YAML::EventHandler {
 public:
  // Every document is read (errors anywhere are reported, as go-yaml does);
  // the first one is the result.
  Value result() { return std::move(first_); }
  const std::vector<YAML::Mark>& document_marks() const { return doc_marks_; }

  void OnDocumentStart(const YAML::Mark&) override {
    root_mark_set_ = false;
    decoded_ = aliased_ = 0;
    anchors_.clear();
  }
  void OnDocumentEnd() override {
    if (doc_marks_.size() == 1 && !have_first_) {
      first_ = std::move(doc_value_);
      have_first_ = true;
    }
    doc_value_ = Value();
  }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    put(mark, Value::null(), anchor, 1);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& raw) override {
    const std::string& value = escapes_as_utf8(raw);
    Value v;
    if (tag == "!" || tag == "tag:yaml.org,2002:str") {
      v = Value::string(value);
    } else {
      try {
        v = resolve_plain(value);
      } catch (const ParseError& e) {
        throw ParseError(at(mark) + e.what(), mark.line + 1, mark.column + 1);
      }
    }
    put(mark, std::move(v), anchor, 1);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      // registered but not finished: the alias is inside its own anchor
      throw ParseError(at(mark) + "anchor value contains itself", mark.line + 1, mark.column + 1);
    }
    uint64_t nodes = it->second.nodes;
    aliased_ += nodes;
    decoded_ += nodes;
    if (excessive_aliasing()) {
      throw ParseError(at(mark) + "document contains excessive aliasing", mark.line + 1, mark.column + 1);
    }
    Value v = it->second.value;
    put(mark, std::move(v), 0, 0);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, false, anchor);
  }
  void OnSequenceEnd() override {
    Open o = close();
    std::vector<Value> items(std::make_move_iterator(items_.begin() + static_cast<std::ptrdiff_t>(o.start)),
                             std::make_move_iterator(items_.end()));
    shrink(o.start);
    finish(o, Value::array(std::move(items)));
  }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, true, anchor);
  }
  void OnMapEnd() override {
    Open o = close();
    std::vector<std::pair<Value, Value>> entries;
    entries.reserve((items_.size() - o.start) / 2);
    for (size_t i = o.start; i + 1 < items_.size(); i += 2) {
      entries.emplace_back(key_value(items_[i], marks_[i]), std::move(items_[i + 1]));
    }
    shrink(o.start);
    finish(o, Value::object(std::move(entries)));
  }

 private:
  struct Open {
    size_t start;        // first item of this collection in items_
    YAML::anchor_t anchor;
    uint64_t decoded_at;  // decoded_ when the collection opened
  };
  struct Anchored {
    Value value;
    uint64_t nodes;  // nodes the value stands for, aliases expanded
  };

  // yaml-cpp turns the escapes "\N" and "\_" of double-quoted scalars into
  // the single bytes 0x85 and 0xA0, not UTF-8. The text was checked to be
  // UTF-8 before parsing, so every invalid byte of a scalar is one of those
  // and stands for the code point of its value.
  const std::string& escapes_as_utf8(const std::string& value) {
    size_t i = 0;
    while (i < value.size()) {
      size_t n = utf8::sequence_length(value, i);
      if (n == 0) break;
      i += n;
    }
    if (i == value.size()) return value;
    repaired_.assign(value, 0, i);
    while (i < value.size()) {
      size_t n = utf8::sequence_length(value, i);
      if (n == 0) {
        utf8::append(repaired_, static_cast<unsigned char>(value[i]));
        i += 1;
      } else {
        repaired_.append(value, i, n);
        i += n;
      }
    }
    return repaired_;
  }
  std::string repaired_;

  static std::string at(const YAML::Mark& m) {
    if (m.is_null()) return {};
    return "line " + std::to_string(m.line + 1) + ", column " + std::to_string(m.column + 1) + ": ";
  }

  // go-yaml v3's rule: aliases may make up almost all of a small document
  // but only a tenth of one with millions of nodes.
  bool excessive_aliasing() const {
    if (aliased_ <= 100 || decoded_ <= 1000) return false;
    double allowed;
    if (decoded_ <= 400000) {
      allowed = 0.99;
    } else if (decoded_ >= 4000000) {
      allowed = 0.10;
    } else {
      allowed = 0.99 - 0.89 * (static_cast<double>(decoded_ - 400000) / 3600000.0);
    }
    return static_cast<double>(aliased_) / static_cast<double>(decoded_) > allowed;
  }

  void note_root(const YAML::Mark& mark) {
    if (root_mark_set_) return;
    root_mark_set_ = true;
    // yaml-cpp 0.7 does not consume a stray ',' and reports the same empty
    // document at the same place forever: a document that does not start
    // after the previous one is that bug, and go-yaml's error.
    if (!doc_marks_.empty() && !mark.is_null() && !doc_marks_.back().is_null() && mark.pos <= doc_marks_.back().pos) {
      throw ParseError(at(mark) + "did not find expected node content", mark.line + 1, mark.column + 1);
    }
    doc_marks_.push_back(mark);
  }

  void open(const YAML::Mark& mark, bool, YAML::anchor_t anchor) {
    note_root(mark);
    decoded_ += 1;
    stack_.push_back(Open{items_.size(), anchor, decoded_});
  }
  Open close() {
    Open o = stack_.back();
    stack_.pop_back();
    return o;
  }
  void shrink(size_t n) {
    items_.resize(n);
    marks_.resize(n);
  }
  void finish(const Open& o, Value v) {
    uint64_t nodes = decoded_ - o.decoded_at + 1;
    if (o.anchor != 0) anchors_[o.anchor] = Anchored{v, nodes};
    place(YAML::Mark::null_mark(), std::move(v));
  }
  void put(const YAML::Mark& mark, Value v, YAML::anchor_t anchor, uint64_t nodes) {
    note_root(mark);
    decoded_ += nodes;
    if (anchor != 0) anchors_[anchor] = Anchored{v, 1};
    place(mark, std::move(v));
  }
  void place(const YAML::Mark& mark, Value v) {
    if (stack_.empty()) {
      doc_value_ = std::move(v);
      return;
    }
    items_.push_back(std::move(v));
    marks_.push_back(mark);
  }

  // Map keys become strings, as sigs.k8s.io/yaml converts YAML to JSON.
  static Value key_value(const Value& k, const YAML::Mark& mark) {
    if (k.is_string()) return k;
    if (k.is_array() || k.is_object() || k.is_set()) {
      throw ParseError(at(mark) + "error converting YAML to JSON: unsupported map key", mark.line + 1,
                       mark.column + 1);
    }
    return Value::string(to_json(k));
  }

  std::vector<Open> stack_;
  std::vector<Value> items_;  // members of the open collections (maps: key, value, key, ...)
  std::vector<YAML::Mark> marks_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  uint64_t decoded_ = 0;  // nodes of the current document, aliases expanded
  uint64_t aliased_ = 0;  // of which through aliases
  Value doc_value_;
  Value first_;
  bool have_first_ = false;
  bool root_mark_set_ = false;
  std::vector<YAML::Mark> doc_marks_;
};

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

// [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)? (YAML 1.1 sexagesimal), scanned.
bool is_base60_float(const std::string& s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
  i = skip_digits(s, i, true);
  int groups = 0;
  while (i < s.size() && s[i] == ':') {
    size_t j = skip_digits(s, i + 1);
    size_t n = j - (i + 1);
    if (n == 0 || n > 2 || (n == 2 && s[i + 1] > '5')) return false;
    i = j;
    ++groups;
  }
  if (groups == 0) return false;
  if (i < s.size() && s[i] == '.') i = skip_digits(s, i + 1, true);
  return i == s.size();
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
  // chomping as go-yaml: strip without a final break, keep with several or
  // when the text is one break ("\n" read back with clip would be "")
  header += trailing == 0 ? "-" : (trailing == 1 && s.size() > 1 ? "" : "+");
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

// Writes block YAML straight into one string (no per-level copies of the
// lines below, so deep values cost linear time), stopping at the size cap.
class YamlWriter {
 public:
  explicit YamlWriter(uint64_t cap) : cap_(cap) {}

  // A value whose lines start at column `indent`; with `inline_first` its
  // first line continues the current one (after "- ").
  void value(const Value& v, size_t indent, bool inline_first) {
    if (v.is_object() && v.size() > 0) return map(v, indent, inline_first);
    if ((v.is_array() || v.is_set()) && v.size() > 0) return seq(v, indent, inline_first);
    scalar(v, indent, inline_first, "", indent + 2);  // top level: a literal block's lines indented by two
  }
  std::string take() { return std::move(out_); }

 private:
  void start(size_t indent, bool& inline_first) {
    if (inline_first) {
      inline_first = false;
    } else {
      out_.append(indent, ' ');
    }
  }
  void end_line() {
    out_ += '\n';
    if (out_.size() > cap_) {
      throw LimitError("eval_builtin_error",
                       "YAML text of the value would exceed the maximum value size of " + limits::bytes_text(cap_));
    }
  }
  // A scalar after `head` ("key: ", "- " or nothing); further lines of a
  // literal block at column rest_indent.
  void scalar(const Value& v, size_t indent, bool inline_first, const std::string& head, size_t rest_indent) {
    Lines sub = emit_scalar(v);
    start(indent, inline_first);
    out_ += head;
    out_ += sub[0];
    end_line();
    for (size_t i = 1; i < sub.size(); i++) {
      if (!sub[i].empty()) {
        out_.append(rest_indent, ' ');
        out_ += sub[i];
      }
      end_line();
    }
  }
  // go-yaml writes a key of more than 128 bytes, or of several lines, as an
  // explicit key ("? key" and ": value" on the next line): an implicit key
  // may not be longer than 1024 characters, nor span lines.
  void explicit_entry(const std::string& raw, const Value& val, size_t indent, bool inline_first) {
    scalar(Value::string(raw), indent, inline_first, "? ", indent + 2);
    out_.append(indent, ' ');
    out_ += ": ";
    if (is_block_collection(val)) return value(val, indent + 2, true);
    scalar(val, indent, true, "", indent + 2);
  }
  void map(const Value& v, size_t indent, bool inline_first) {
    for (const auto& [k, val] : v.entries()) {
      std::string raw = k.is_string() ? k.str() : to_json(k);
      if (raw.size() > 128 || raw.find('\n') != std::string::npos) {
        explicit_entry(raw, val, indent, inline_first);
        inline_first = false;
        continue;
      }
      std::string key = inline_string(raw);
      if (val.is_object() && val.size() > 0) {
        start(indent, inline_first);
        out_ += key + ":";
        end_line();
        map(val, indent + 2, false);
      } else if ((val.is_array() || val.is_set()) && val.size() > 0) {
        start(indent, inline_first);
        out_ += key + ":";
        end_line();
        seq(val, indent, false);
      } else {
        scalar(val, indent, inline_first, key + ": ", indent + 2);
        inline_first = false;
      }
    }
  }
  void seq(const Value& v, size_t indent, bool inline_first) {
    for (const auto& item : v.items()) {
      if (is_block_collection(item)) {
        start(indent, inline_first);
        out_ += "- ";
        value(item, indent + 2, true);
      } else {
        scalar(item, indent, inline_first, "- ", indent + 2);
        inline_first = false;
      }
    }
  }

  std::string out_;
  uint64_t cap_;
};

// yaml-cpp starts a new document implicitly where go-yaml requires "---" (or
// "..."): reject a later document whose start is not preceded by a marker.
void check_document_starts(std::string_view text, const std::vector<YAML::Mark>& docs) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  for (size_t i = 1; i < docs.size(); i++) {
    const YAML::Mark& a = docs[i - 1];
    const YAML::Mark& b = docs[i];
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

// go-yaml's reader refuses invalid UTF-8 and characters YAML does not allow
// in a stream (C0 controls other than tab, LF and CR, DEL, C1 controls other
// than NEL, surrogates, U+FFFE/U+FFFF) before parsing; yaml-cpp would read
// them and a value would not survive yaml.marshal / yaml.unmarshal.
void check_characters(std::string_view text) {
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8::sequence_length(text, i);
    const char* bad = nullptr;
    if (n == 0) {
      bad = "invalid leading UTF-8 octet";
    } else {
      char32_t c = utf8::decode(text, i, n);
      bool allowed = c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0x7E) || c == 0x85 ||
                     (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
      if (!allowed) bad = "control characters are not allowed";
    }
    if (bad) {
      int column = static_cast<int>(i - line_start) + 1;
      throw ParseError("line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + bad, line,
                       column);
    }
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
    i += n;
  }
}

}  // namespace

Value parse_yaml(std::string_view text) {
  check_characters(text);
  Reader reader;
  try {
    std::string copy(text);
    std::istringstream in(copy);
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(reader)) {
    }
  } catch (const YAML::Exception& e) {
    rethrow(e);
  }
  if (reader.document_marks().empty()) return Value::null();
  check_document_starts(text, reader.document_marks());
  return reader.result();
}

std::string to_yaml(const Value& v) {
  YamlWriter w(limits::text_cap());
  w.value(v, 0, false);
  return w.take();
}

}  // namespace wartburg
