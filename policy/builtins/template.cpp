// Builtin strings.render_template(template, vars): Go's text/template as OPA
// runs it — template.New("template").Option("missingkey=error").Parse(tmpl)
// and Execute with the variables decoded the way ast.As decodes them
// (objects become map[string]interface{}, arrays []interface{}, numbers
// json.Number, i.e. strings that print as their literal text).
//
// The file holds a small re-implementation of the Go package, kept close to
// Go's behaviour: the lexer (trim markers, comments, raw strings, numbers in
// all of Go's spellings), the parser (pipelines, variables, if/else if/with/
// else with/range/break/continue, define/template/block), the executor
// (fields, map keys, methods of json.Number, the builtin functions and,
// eq, ne, lt, le, gt, ge, not, len, index, slice, print, printf, println,
// html, js, urlquery, call) and the parts of fmt they need (%v %s %d %q %t
// %x %X %o %b %c %U %e %f %g %T with flags, width and precision; Go's value
// printing: map[k:v], [a b], <nil>, %!d(string=x)). Error messages keep
// Go's shape, e.g.
//   template: template:1:2: executing "template" at <.x>: map has no entry for key "x"
//   template: template:1: unexpected EOF
// Hostile templates are bounded: nesting depth (parse and execution),
// template recursion, evaluation steps, string work and output size all have
// limits (below) that end the call with an error instead of exhausting the
// stack, time or memory.
//
// Known differences from Go: template recursion stops at depth 500 (Go:
// 100000) and parentheses nest at most 100 deep (Go: 10000); complex
// constants (1i) are rejected; unicode.IsLetter/IsPrint are approximated for
// non-ASCII runes. Note that a recent OPA change (PR #8128) dropped
// missingkey=error and render a missing key as "<undefined>"; this file
// follows the documented missingkey=error behaviour (MissingKey::Error below;
// MissingKey::Invalid gives Go's default "<no value>").
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "policy/limits.h"

namespace wartburg::builtins {
namespace {

// ------------------------------------------------------------------ limits

constexpr int kMaxParseNesting = 200;     // nested if/range/with/define bodies
constexpr int kMaxParenDepth = 100;       // nested parenthesized pipelines (Go: 10000)
constexpr int kMaxExecDepth = 500;        // nested control structures + template calls at run time
constexpr int64_t kMaxSteps = 10'000'000;  // walked nodes + evaluated commands + range iterations
constexpr size_t kMaxOutput = 16u << 20;  // bytes of output, and of any intermediate string
constexpr int64_t kMaxWorkBytes = int64_t{1} << 30;  // bytes built or compared by functions, in total

const char* const kTemplateName = "template";

[[noreturn]] void fail(const std::string& msg) { throw BuiltinError(msg); }

[[noreturn]] void output_too_large() {
  fail(std::string("template: ") + kTemplateName + ": output exceeds " + std::to_string(kMaxOutput) + " bytes");
}

// ------------------------------------------------------------------ UTF-8 and Go quoting

constexpr char32_t kRuneError = 0xFFFD;

// Decodes the rune at s[i]; invalid encodings give U+FFFD with width 1.
char32_t decode_rune(std::string_view s, size_t i, size_t& width) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  width = 1;
  if (c < 0x80) return c;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return kRuneError;
  char32_t r = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    unsigned char d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return kRuneError;
    r = (r << 6) | (d & 0x3F);
  }
  if ((n == 2 && r < 0x80) || (n == 3 && r < 0x800) || (n == 4 && (r < 0x10000 || r > 0x10FFFF)) ||
      (r >= 0xD800 && r <= 0xDFFF))
    return kRuneError;
  width = n;
  return r;
}

void append_rune(std::string& out, char32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

size_t rune_count(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0, w = 0; i < s.size(); i += w, ++n) decode_rune(s, i, w);
  return n;
}

// An approximation of unicode.IsPrint: letters, marks, numbers, punctuation,
// symbols and the ASCII space; not controls, format characters, other spaces,
// private use or line/paragraph separators.
bool is_print(char32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  if (r < 0xA0 || r == 0xAD || r > 0x10FFFF) return false;
  if (r == 0x1680 || (r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F) || (r >= 0x205F && r <= 0x206F) ||
      r == 0x3000 || r == 0xFEFF || (r >= 0xFFF9 && r <= 0xFFFB) || (r >= 0xE000 && r <= 0xF8FF) || r >= 0xF0000 ||
      (r >= 0x600 && r <= 0x605) || r == 0x61C || r == 0x6DD || r == 0x70F || r == 0x180E)
    return false;
  return true;
}

// unicode.IsLetter || unicode.IsDigit || '_', approximated for non-ASCII:
// everything except the punctuation and symbol blocks counts as a letter.
bool is_alnum(char32_t r) {
  if (r < 0x80) return r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  if (!is_print(r)) return false;
  if (r <= 0xBF) return r == 0xAA || r == 0xB5 || r == 0xBA || r == 0xB2 || r == 0xB3 || r == 0xB9;
  if (r == 0xD7 || r == 0xF7) return false;
  if ((r >= 0x2000 && r <= 0x2BFF) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFE30 && r <= 0xFE4F) ||
      (r >= 0xFF00 && r <= 0xFF0F) || (r >= 0x1F000 && r <= 0x1FAFF))
    return false;
  return true;
}

const char* const kLowerHex = "0123456789abcdef";
const char* const kUpperHex = "0123456789ABCDEF";

void append_hex(std::string& out, uint32_t v, int digits) {
  for (int i = digits - 1; i >= 0; --i) out.push_back(kLowerHex[(v >> (4 * i)) & 0xF]);
}

// strconv's appendEscapedRune.
void append_escaped_rune(std::string& out, char32_t r, char quote, bool ascii_only) {
  if (r == static_cast<char32_t>(quote) || r == '\\') {
    out.push_back('\\');
    out.push_back(static_cast<char>(r));
    return;
  }
  if (ascii_only ? (r < 0x80 && is_print(r)) : is_print(r)) {
    append_rune(out, r);
    return;
  }
  switch (r) {
    case '\a': out += "\\a"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\v': out += "\\v"; return;
    default: break;
  }
  if (r < ' ' || r == 0x7F) {
    out += "\\x";
    append_hex(out, r, 2);
  } else if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) {
    out += "\\u";
    append_hex(out, kRuneError, 4);
  } else if (r < 0x10000) {
    out += "\\u";
    append_hex(out, r, 4);
  } else {
    out += "\\U";
    append_hex(out, r, 8);
  }
}

// strconv.Quote (or QuoteToASCII).
std::string go_quote(std::string_view s, bool ascii_only = false) {
  std::string out = "\"";
  for (size_t i = 0, w = 0; i < s.size(); i += w) {
    char32_t r = decode_rune(s, i, w);
    if (r == kRuneError && w == 1) {
      out += "\\x";
      append_hex(out, static_cast<unsigned char>(s[i]), 2);
      continue;
    }
    append_escaped_rune(out, r, '"', ascii_only);
  }
  return out + "\"";
}

// strconv.QuoteRune.
std::string go_quote_rune(char32_t r, bool ascii_only = false) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  std::string out = "'";
  append_escaped_rune(out, r, '\'', ascii_only);
  return out + "'";
}

// fmt's %#U: U+0041 'A'.
std::string go_unicode(char32_t r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
  std::string out = buf;
  if (is_print(r)) {
    out += " '";
    append_rune(out, r);
    out += "'";
  }
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// strconv.Unquote for the string and character literals of templates.
// Returns false on a malformed literal.
bool unquote_char(std::string_view s, size_t& i, char quote, std::string& out) {
  if (i >= s.size()) return false;
  char c = s[i];
  if (c == quote && (quote == '\'' || quote == '"')) return false;
  if (static_cast<unsigned char>(c) >= 0x80) {
    size_t w;
    decode_rune(s, i, w);
    out.append(s.substr(i, w));
    i += w;
    return true;
  }
  if (c != '\\') {
    out.push_back(c);
    ++i;
    return true;
  }
  if (++i >= s.size()) return false;
  c = s[i++];
  auto hexval = [](char h) -> int {
    if (h >= '0' && h <= '9') return h - '0';
    if (h >= 'a' && h <= 'f') return h - 'a' + 10;
    if (h >= 'A' && h <= 'F') return h - 'A' + 10;
    return -1;
  };
  switch (c) {
    case 'a': out.push_back('\a'); return true;
    case 'b': out.push_back('\b'); return true;
    case 'f': out.push_back('\f'); return true;
    case 'n': out.push_back('\n'); return true;
    case 'r': out.push_back('\r'); return true;
    case 't': out.push_back('\t'); return true;
    case 'v': out.push_back('\v'); return true;
    case '\\': out.push_back('\\'); return true;
    case '\'':
    case '"':
      if (c != quote) return false;
      out.push_back(c);
      return true;
    case 'x':
    case 'u':
    case 'U': {
      int n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
      if (i + n > s.size()) return false;
      uint32_t v = 0;
      for (int k = 0; k < n; ++k) {
        int h = hexval(s[i + k]);
        if (h < 0) return false;
        v = v * 16 + static_cast<uint32_t>(h);
      }
      i += n;
      if (c == 'x') {
        out.push_back(static_cast<char>(v));
        return true;
      }
      if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
      append_rune(out, v);
      return true;
    }
    default:
      if (c >= '0' && c <= '7') {
        if (i + 2 > s.size()) return false;
        uint32_t v = static_cast<uint32_t>(c - '0');
        for (int k = 0; k < 2; ++k) {
          char o = s[i + k];
          if (o < '0' || o > '7') return false;
          v = v * 8 + static_cast<uint32_t>(o - '0');
        }
        if (v > 255) return false;
        i += 2;
        out.push_back(static_cast<char>(v));
        return true;
      }
      return false;
  }
}

std::optional<std::string> go_unquote(std::string_view lit) {
  if (lit.size() < 2) return std::nullopt;
  char q = lit.front();
  if (q != lit.back()) return std::nullopt;
  std::string_view body = lit.substr(1, lit.size() - 2);
  if (q == '`') {
    if (body.find('`') != std::string_view::npos) return std::nullopt;
    std::string out;
    for (char c : body)
      if (c != '\r') out.push_back(c);
    return out;
  }
  if (q != '"') return std::nullopt;
  std::string out;
  for (size_t i = 0; i < body.size();) {
    if (body[i] == '\n') return std::nullopt;
    if (!unquote_char(body, i, '"', out)) return std::nullopt;
  }
  return out;
}

// ------------------------------------------------------------------ lexer

enum class Tok : uint8_t {
  Error, Bool, Char, CharConstant, Complex, Assign, Declare, Eof, Field, Identifier, LeftDelim, LeftParen,
  Number, Pipe, RawString, RightDelim, RightParen, Space, String, Text, Variable,
  // keywords (printed as <word> in errors)
  Keyword, Block, Break, Continue, Dot, Define, Else, End, If, Nil, Range, Template, With
};

struct Item {
  Tok typ;
  int pos;
  std::string val;
  int line;
};

// item.String() in Go: used in "unexpected X in Y" errors.
std::string item_string(const Item& it) {
  if (it.typ == Tok::Eof) return "EOF";
  if (it.typ == Tok::Error) return it.val;
  if (it.typ > Tok::Keyword) return "<" + it.val + ">";
  if (rune_count(it.val) > 10) {
    std::string head;
    size_t i = 0, w = 0;
    for (int n = 0; n < 10; ++n, i += w) decode_rune(it.val, i, w);
    return go_quote(std::string_view(it.val).substr(0, i)) + "...";
  }
  return go_quote(it.val);
}

class Lexer {
 public:
  explicit Lexer(std::string_view in) : in_(in) {}

  std::vector<Item> run() {
    while (lex_text()) {
    }
    return std::move(items_);
  }

 private:
  static constexpr std::string_view kLeft = "{{", kRight = "}}";

  // Line of a position; positions mostly grow, so the count is incremental.
  int line_at(size_t pos) {
    if (pos < line_pos_) {
      line_pos_ = 0;
      line_ = 1;
    }
    line_ += static_cast<int>(std::count(in_.begin() + static_cast<std::ptrdiff_t>(line_pos_),
                                         in_.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
    line_pos_ = pos;
    return line_;
  }
  void emit(Tok t) {
    items_.push_back(Item{t, static_cast<int>(start_), std::string(in_.substr(start_, pos_ - start_)), line_at(start_)});
    start_ = pos_;
  }
  bool error(std::string msg) {
    items_.push_back(Item{Tok::Error, static_cast<int>(start_), std::move(msg), line_at(pos_)});
    return false;
  }
  char32_t next() {
    if (pos_ >= in_.size()) {
      width_ = 0;
      return static_cast<char32_t>(-1);
    }
    char32_t r = decode_rune(in_, pos_, width_);
    pos_ += width_;
    return r;
  }
  void backup() { pos_ -= width_; }
  char32_t peek() {
    char32_t r = next();
    backup();
    return r;
  }
  static bool is_eof(char32_t r) { return r == static_cast<char32_t>(-1); }
  bool accept(std::string_view valid) {
    char32_t r = next();
    if (!is_eof(r) && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos) return true;
    backup();
    return false;
  }
  void accept_run(std::string_view valid) {
    while (accept(valid)) {
    }
  }
  bool starts(size_t at, std::string_view s) const { return at <= in_.size() && in_.substr(at).substr(0, s.size()) == s; }
  bool has_left_trim(size_t at) const { return at + 2 <= in_.size() && in_[at] == '-' && is_space(in_[at + 1]); }
  bool has_right_trim(size_t at) const { return at + 2 <= in_.size() && is_space(in_[at]) && in_[at + 1] == '-'; }
  // At "}}" or " -}}"; trim is set for the latter.
  bool at_right_delim(bool& trim) const {
    if (has_right_trim(pos_) && starts(pos_ + 2, kRight)) {
      trim = true;
      return true;
    }
    trim = false;
    return starts(pos_, kRight);
  }
  size_t left_trim_length(size_t at) const {
    size_t n = 0;
    while (at + n < in_.size() && is_space(in_[at + n])) ++n;
    return n;
  }

  // Text up to the next "{{", then the action; false when done (EOF or error).
  bool lex_text() {
    size_t x = in_.find(kLeft, pos_);
    if (x == std::string_view::npos) {
      pos_ = in_.size();
      if (pos_ > start_) emit(Tok::Text);
      emit(Tok::Eof);
      return false;
    }
    if (x > pos_) {
      pos_ = x;
      size_t trim = 0;
      if (has_left_trim(x + kLeft.size())) {
        while (trim < pos_ - start_ && is_space(in_[pos_ - trim - 1])) ++trim;
      }
      pos_ -= trim;
      if (pos_ > start_) emit(Tok::Text);
      pos_ += trim;
      start_ = pos_;
    }
    return lex_left_delim();
  }

  bool lex_left_delim() {
    pos_ += kLeft.size();
    bool trim = has_left_trim(pos_);
    size_t after = trim ? 2 : 0;
    if (starts(pos_ + after, "/*")) {
      pos_ += after;
      start_ = pos_;
      return lex_comment();
    }
    emit(Tok::LeftDelim);
    pos_ += after;
    start_ = pos_;
    paren_ = 0;
    return lex_inside_action();
  }

  bool lex_comment() {
    pos_ += 2;
    size_t x = in_.find("*/", pos_);
    if (x == std::string_view::npos) return error("unclosed comment");
    pos_ = x + 2;
    bool trim;
    if (!at_right_delim(trim)) return error("comment ends before closing delimiter");
    if (trim) pos_ += 2;
    pos_ += kRight.size();
    if (trim) pos_ += left_trim_length(pos_);
    start_ = pos_;
    return true;
  }

  void lex_right_delim() {
    bool trim;
    at_right_delim(trim);
    if (trim) {
      pos_ += 2;
      start_ = pos_;
    }
    pos_ += kRight.size();
    emit(Tok::RightDelim);
    if (trim) {
      pos_ += left_trim_length(pos_);
      start_ = pos_;
    }
  }

  // Inside {{ }}: tokens up to the right delimiter; false on error.
  bool lex_inside_action() {
    while (true) {
      bool trim;
      if (at_right_delim(trim)) {
        if (paren_ == 0) {
          lex_right_delim();
          return true;
        }
        return error("unclosed left paren");
      }
      char32_t r = next();
      if (is_eof(r)) return error("unclosed action");
      if (r < 0x80 && is_space(static_cast<char>(r))) {
        backup();
        if (lex_space()) return true;  // went straight to the right delimiter
        continue;
      }
      switch (r) {
        case '=': emit(Tok::Assign); continue;
        case ':':
          if (next() != '=') return error("expected :=");
          emit(Tok::Declare);
          continue;
        case '|': emit(Tok::Pipe); continue;
        case '"':
          if (!lex_quote('"', Tok::String, "unterminated quoted string")) return false;
          continue;
        case '\'':
          if (!lex_quote('\'', Tok::CharConstant, "unterminated character constant")) return false;
          continue;
        case '`':
          if (!lex_raw_quote()) return false;
          continue;
        case '$':
          if (!lex_field_or_variable(Tok::Variable)) return false;
          continue;
        case '(':
          ++paren_;
          emit(Tok::LeftParen);
          continue;
        case ')':
          if (--paren_ < 0) return error("unexpected right paren");
          emit(Tok::RightParen);
          continue;
        default: break;
      }
      if (r == '.') {
        if (pos_ < in_.size() && (in_[pos_] < '0' || in_[pos_] > '9')) {
          if (!lex_field_or_variable(Tok::Field)) return false;
          continue;
        }
      }
      if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
        backup();
        if (!lex_number()) return false;
        continue;
      }
      if (is_alnum(r)) {
        backup();
        if (!lex_identifier()) return false;
        continue;
      }
      if (r < 0x80 && is_print(r)) {
        emit(Tok::Char);
        continue;
      }
      return error("unrecognized character in action: " + go_unicode(r));
    }
  }

  // A run of spaces; true when it ended at a " -}}" and the delimiter was lexed.
  bool lex_space() {
    int n = 0;
    while (pos_ < in_.size() && is_space(in_[pos_])) {
      ++pos_;
      ++n;
    }
    if (has_right_trim(pos_ - 1) && starts(pos_ + 1, kRight)) {
      --pos_;  // before the space of " -}}"
      if (n == 1) {
        lex_right_delim();
        return true;
      }
    }
    emit(Tok::Space);
    return false;
  }

  bool at_terminator() {
    char32_t r = peek();
    if (is_eof(r)) return true;
    if (r < 0x80 && is_space(static_cast<char>(r))) return true;
    switch (r) {
      case '.': case ',': case '|': case ':': case ')': case '(': return true;
      default: break;
    }
    return starts(pos_, kRight);
  }

  bool lex_field_or_variable(Tok typ) {
    if (at_terminator()) {
      emit(typ == Tok::Variable ? Tok::Variable : Tok::Dot);
      return true;
    }
    char32_t r;
    while (true) {
      r = next();
      if (is_eof(r) || !is_alnum(r)) {
        backup();
        break;
      }
    }
    if (!at_terminator()) return error("bad character " + go_unicode(r));
    emit(typ);
    return true;
  }

  bool lex_identifier() {
    char32_t r;
    while (true) {
      r = next();
      if (is_eof(r) || !is_alnum(r)) {
        backup();
        break;
      }
    }
    if (!at_terminator()) return error("bad character " + go_unicode(r));
    std::string_view word = in_.substr(start_, pos_ - start_);
    static const std::pair<std::string_view, Tok> kKeywords[] = {
        {"block", Tok::Block}, {"break", Tok::Break}, {"continue", Tok::Continue}, {"define", Tok::Define},
        {"else", Tok::Else},   {"end", Tok::End},     {"if", Tok::If},             {"nil", Tok::Nil},
        {"range", Tok::Range}, {"template", Tok::Template}, {"with", Tok::With}};
    for (const auto& [k, t] : kKeywords) {
      if (word == k) {
        emit(t);
        return true;
      }
    }
    emit(word == "true" || word == "false" ? Tok::Bool : Tok::Identifier);
    return true;
  }

  bool lex_quote(char quote, Tok typ, const char* unterminated) {
    while (true) {
      char32_t r = next();
      if (r == '\\') {
        r = next();
        if (!is_eof(r) && r != '\n') continue;
        return error(unterminated);
      }
      if (is_eof(r) || r == '\n') return error(unterminated);
      if (r == static_cast<char32_t>(quote)) break;
    }
    emit(typ);
    return true;
  }

  bool lex_raw_quote() {
    while (true) {
      char32_t r = next();
      if (is_eof(r)) return error("unterminated raw quoted string");
      if (r == '`') break;
    }
    emit(Tok::RawString);
    return true;
  }

  bool scan_number() {
    accept("+-");
    std::string_view digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    accept_run(digits);
    if (accept(".")) accept_run(digits);
    if (digits.size() == 11 && accept("eE")) {
      accept("+-");
      accept_run("0123456789_");
    }
    if (digits.size() == 23 && accept("pP")) {
      accept("+-");
      accept_run("0123456789_");
    }
    accept("i");
    char32_t r = peek();
    if (!is_eof(r) && is_alnum(r)) {
      next();
      return false;
    }
    return true;
  }

  bool lex_number() {
    if (!scan_number()) return error("bad number syntax: " + go_quote(in_.substr(start_, pos_ - start_)));
    char32_t sign = peek();
    if (sign == '+' || sign == '-') {
      if (!scan_number() || in_[pos_ - 1] != 'i')
        return error("bad number syntax: " + go_quote(in_.substr(start_, pos_ - start_)));
      emit(Tok::Complex);
    } else {
      emit(Tok::Number);
    }
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0, start_ = 0, width_ = 0, line_pos_ = 0;
  int paren_ = 0, line_ = 1;
  std::vector<Item> items_;
};

// ------------------------------------------------------------------ parse tree

enum class NT : uint8_t {
  Text, Action, If, Range, With, Template, Break, Continue, List, Pipe, Command,
  Field, Variable, Dot, Nil, Bool, Number, String, Identifier, Chain, End, Else
};

struct Node {
  NT type;
  int pos = 0;
  std::string text;                 // Text: the text; String: unquoted value; Identifier: name;
                                    // Number: literal; Template: template name
  std::string quoted;               // String: the literal as written
  std::vector<std::string> idents;  // Field: "a","b" for .a.b; Variable: "$x","a"; Chain: the fields
  bool truth = false;               // Bool
  // Number
  bool is_int = false, is_uint = false, is_float = false;
  int64_t i64 = 0;
  double f64 = 0;
  // Pipe
  bool is_assign = false;
  std::vector<Node*> decl, cmds;
  // Command
  std::vector<Node*> args;
  // Action, If, Range, With, Template: pipe; If/Range/With: list, else_list; Chain: node
  Node* pipe = nullptr;
  Node* list = nullptr;
  Node* else_list = nullptr;
  Node* node = nullptr;
  // List
  std::vector<Node*> nodes;
};

void write_node(std::string& sb, const Node* n);

void write_pipe(std::string& sb, const Node* p) {
  if (!p->decl.empty()) {
    for (size_t i = 0; i < p->decl.size(); ++i) {
      if (i) sb += ", ";
      write_node(sb, p->decl[i]);
    }
    sb += p->is_assign ? " = " : " := ";
  }
  for (size_t i = 0; i < p->cmds.size(); ++i) {
    if (i) sb += " | ";
    write_node(sb, p->cmds[i]);
  }
}

// Node.String() in Go: the context of execution errors ("at <.x>").
void write_node(std::string& sb, const Node* n) {
  switch (n->type) {
    case NT::Text: sb += n->text; break;
    case NT::Action:
      sb += "{{";
      write_pipe(sb, n->pipe);
      sb += "}}";
      break;
    case NT::If:
    case NT::Range:
    case NT::With:
      sb += n->type == NT::If ? "{{if " : n->type == NT::Range ? "{{range " : "{{with ";
      write_pipe(sb, n->pipe);
      sb += "}}";
      write_node(sb, n->list);
      if (n->else_list) {
        sb += "{{else}}";
        write_node(sb, n->else_list);
      }
      sb += "{{end}}";
      break;
    case NT::Template:
      sb += "{{template " + go_quote(n->text);
      if (n->pipe) {
        sb += ' ';
        write_pipe(sb, n->pipe);
      }
      sb += "}}";
      break;
    case NT::Break: sb += "{{break}}"; break;
    case NT::Continue: sb += "{{continue}}"; break;
    case NT::List:
      for (const Node* c : n->nodes) write_node(sb, c);
      break;
    case NT::Pipe: write_pipe(sb, n); break;
    case NT::Command:
      for (size_t i = 0; i < n->args.size(); ++i) {
        if (i) sb += ' ';
        if (n->args[i]->type == NT::Pipe) {
          sb += '(';
          write_pipe(sb, n->args[i]);
          sb += ')';
        } else {
          write_node(sb, n->args[i]);
        }
      }
      break;
    case NT::Field:
      for (const auto& id : n->idents) sb += "." + id;
      break;
    case NT::Variable:
      for (size_t i = 0; i < n->idents.size(); ++i) sb += (i ? "." : "") + n->idents[i];
      break;
    case NT::Chain:
      if (n->node->type == NT::Pipe) {
        sb += '(';
        write_pipe(sb, n->node);
        sb += ')';
      } else {
        write_node(sb, n->node);
      }
      for (const auto& f : n->idents) sb += "." + f;
      break;
    case NT::Dot: sb += "."; break;
    case NT::Nil: sb += "nil"; break;
    case NT::Bool: sb += n->truth ? "true" : "false"; break;
    case NT::Number: sb += n->text; break;
    case NT::String: sb += n->quoted; break;
    case NT::Identifier: sb += n->text; break;
    case NT::End: sb += "{{end}}"; break;
    case NT::Else: sb += "{{else}}"; break;
  }
}

std::string node_string(const Node* n) {
  std::string s;
  write_node(s, n);
  return s;
}

struct Tree {
  std::string name;
  Node* root = nullptr;
};

// The parsed template set: the trees by name, all over one source text.
struct TemplateSet {
  std::string text;
  std::deque<Node> arena;
  std::map<std::string, Tree> trees;
  Node* make(NT t, int pos) {
    arena.emplace_back();
    arena.back().type = t;
    arena.back().pos = pos;
    return &arena.back();
  }
};

bool is_empty_tree(const Node* n) {
  if (!n) return true;
  switch (n->type) {
    case NT::List:
      return std::all_of(n->nodes.begin(), n->nodes.end(), [](const Node* c) { return is_empty_tree(c); });
    case NT::Text:
      return std::all_of(n->text.begin(), n->text.end(),
                         [](char c) { return is_space(c) || c == '\v' || c == '\f'; });
    default: return false;
  }
}

// Known function names (the parser rejects others, as Go does).
bool is_builtin_function(std::string_view name) {
  static const char* const kNames[] = {"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print",
                                       "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne"};
  return std::any_of(std::begin(kNames), std::end(kNames), [&](const char* n) { return name == n; });
}

// strconv.ParseUint(s, 0, 64): an optional base prefix (0x, 0o, 0b, or a
// leading 0 for octal) and digits, with underscores only between digits (or
// after a prefix). No sign.
bool parse_go_uint(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  unsigned base = 10;
  size_t i = 0;
  bool prefix = false;
  if (s[0] == '0' && s.size() > 1) {
    char b = static_cast<char>(s[1] | 0x20);
    if (b == 'x' || b == 'o' || b == 'b') {
      base = b == 'x' ? 16 : b == 'o' ? 8 : 2;
      i = 2;
      prefix = true;
    } else {
      base = 8;
      i = 1;
      prefix = true;  // the leading 0 counts as a digit
    }
  }
  bool any = base == 8 && i == 1;  // "0..." has a digit already
  char saw = prefix ? '0' : '!';
  uint64_t v = 0;
  bool overflow = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = static_cast<unsigned>((c | 0x20) - 'a' + 10);
    else return false;
    if (d >= base) return false;
    if (v > (UINT64_MAX - d) / base) overflow = true;
    v = v * base + d;
    saw = '0';
    any = true;
  }
  if (!any || saw == '_' || overflow) return false;
  out = v;
  return true;
}

// strconv.ParseFloat(s, 64) for a template literal: decimal, or hexadecimal
// with a mandatory p exponent; underscores between digits; out of range fails.
bool parse_go_float(std::string_view text, double& out) {
  std::string clean;
  for (char c : text)
    if (c != '_') clean.push_back(c);
  std::string_view s(clean);
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  auto fmt = std::chars_format::general;
  if (s.size() > 1 && s[0] == '0' && (s[1] | 0x20) == 'x') {
    s.remove_prefix(2);
    if (s.find_first_of("pP") == std::string_view::npos) return false;
    fmt = std::chars_format::hex;
  } else if (s.size() > 1 && s[0] == '0' && ((s[1] | 0x20) == 'o' || (s[1] | 0x20) == 'b')) {
    return false;
  }
  double f = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), f, fmt);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(f)) return false;
  out = neg ? -f : f;
  return true;
}

// Go's text/template/parse, tree by tree.
class Parser {
 public:
  Parser(TemplateSet& set, std::vector<Item> items) : set_(set), items_(std::move(items)) {}

  void parse_top() {
    Tree t{kTemplateName, nullptr};
    vars_ = {"$"};
    t.root = set_.make(NT::List, peek().pos);
    while (peek().typ != Tok::Eof) {
      if (peek().typ == Tok::LeftDelim) {
        size_t delim = i_;
        next();
        if (next_non_space().typ == Tok::Define) {
          parse_definition();
          continue;
        }
        i_ = delim;
      }
      Node* n = text_or_action();
      if (n->type == NT::End || n->type == NT::Else) errorf("unexpected " + node_string(n));
      t.root->nodes.push_back(n);
    }
    add(std::move(t));
  }

 private:
  // ---- tokens
  const Item& next() {
    const Item& it = items_[std::min(i_, items_.size() - 1)];
    ++i_;
    furthest_ = std::max(furthest_, i_);
    return it;
  }
  void backup() { --i_; }
  const Item& peek() {
    const Item& it = next();
    backup();
    return it;
  }
  const Item& next_non_space() {
    while (true) {
      const Item& it = next();
      if (it.typ != Tok::Space) return it;
    }
  }
  const Item& peek_non_space() {
    const Item& it = next_non_space();
    backup();
    return it;
  }

  [[noreturn]] void errorf(const std::string& msg) {
    size_t k = furthest_ == 0 ? 0 : furthest_ - 1;
    int line = items_.empty() ? 1 : items_[std::min(k, items_.size() - 1)].line;
    fail(std::string("template: ") + kTemplateName + ":" + std::to_string(line) + ": " + msg);
  }
  [[noreturn]] void unexpected(const Item& it, const std::string& context) {
    if (it.typ == Tok::Error) {
      std::string extra;
      if (action_line_ != 0 && action_line_ != it.line) {
        extra = std::string(" in action started at ") + kTemplateName + ":" + std::to_string(action_line_);
        if (it.val.size() >= 7 && it.val.compare(it.val.size() - 7, 7, " action") == 0) extra = extra.substr(10);
      }
      errorf(it.val + extra);
    }
    errorf("unexpected " + item_string(it) + " in " + context);
  }
  const Item& expect(Tok t, const std::string& context) {
    const Item& it = next_non_space();
    if (it.typ != t) unexpected(it, context);
    return it;
  }

  void add(Tree t) {
    auto it = set_.trees.find(t.name);
    if (it == set_.trees.end() || is_empty_tree(it->second.root)) {
      set_.trees[t.name] = std::move(t);
      return;
    }
    if (!is_empty_tree(t.root)) errorf("template: multiple definition of template " + go_quote(t.name));
  }

  // A {{define}}, {{block}} body: a tree of its own, with its own variables.
  template <typename F>
  void with_fresh_scope(F&& body) {
    std::vector<std::string> saved_vars = std::move(vars_);
    int saved_range = range_depth_;
    vars_ = {"$"};
    range_depth_ = 0;
    body();
    vars_ = std::move(saved_vars);
    range_depth_ = saved_range;
  }

  void parse_definition() {
    const std::string context = "define clause";
    const Item& name = next_non_space();
    if (name.typ != Tok::String && name.typ != Tok::RawString) unexpected(name, context);
    auto unq = go_unquote(name.val);
    if (!unq) errorf("invalid syntax");
    expect(Tok::RightDelim, context);
    with_fresh_scope([&] {
      Tree t{*unq, nullptr};
      Node* end = nullptr;
      t.root = item_list(end);
      if (end->type != NT::End) errorf("unexpected " + node_string(end) + " in " + context);
      add(std::move(t));
    });
  }

  // textOrAction* up to {{end}} or {{else}}, which is returned in `end`.
  Node* item_list(Node*& end) {
    if (++nesting_ > kMaxParseNesting) errorf("max nesting depth exceeded");
    Node* list = set_.make(NT::List, peek_non_space().pos);
    while (peek_non_space().typ != Tok::Eof) {
      Node* n = text_or_action();
      if (n->type == NT::End || n->type == NT::Else) {
        end = n;
        --nesting_;
        return list;
      }
      list->nodes.push_back(n);
    }
    errorf("unexpected EOF");
  }

  Node* text_or_action() {
    const Item& it = next_non_space();
    switch (it.typ) {
      case Tok::Text: {
        Node* n = set_.make(NT::Text, it.pos);
        n->text = it.val;
        return n;
      }
      case Tok::LeftDelim: {
        action_line_ = it.line;
        Node* n = action();
        action_line_ = 0;  // as Go's deferred clearActionLine
        return n;
      }
      default: unexpected(it, "input");
    }
  }

  Node* action() {
    const Item& it = next_non_space();
    switch (it.typ) {
      case Tok::Block: return block_control();
      case Tok::Break: return break_control(it, NT::Break, "{{break}}");
      case Tok::Continue: return break_control(it, NT::Continue, "{{continue}}");
      case Tok::Else: return else_control();
      case Tok::End: return set_.make(NT::End, expect(Tok::RightDelim, "end").pos);
      case Tok::If: return branch_control(NT::If, "if");
      case Tok::Range: return branch_control(NT::Range, "range");
      case Tok::Template: return template_control();
      case Tok::With: return branch_control(NT::With, "with");
      default: break;
    }
    backup();
    Node* n = set_.make(NT::Action, peek().pos);
    n->pipe = pipeline("command", Tok::RightDelim);
    return n;
  }

  Node* break_control(const Item& kw, NT type, const char* context) {
    int pos = kw.pos;
    const Item& it = next_non_space();
    if (it.typ != Tok::RightDelim) unexpected(it, context);
    if (range_depth_ == 0) errorf(std::string(context) + " outside {{range}}");
    return set_.make(type, pos);
  }

  Node* else_control() {
    const Item& p = peek_non_space();
    if (p.typ == Tok::If || p.typ == Tok::With) return set_.make(NT::Else, p.pos);
    return set_.make(NT::Else, expect(Tok::RightDelim, "else").pos);
  }

  Node* branch_control(NT type, const char* context) {
    size_t mark = vars_.size();
    Node* n = set_.make(type, 0);
    n->pipe = pipeline(context, Tok::RightDelim);
    n->pos = n->pipe->pos;
    if (type == NT::Range) ++range_depth_;
    Node* next_node = nullptr;
    n->list = item_list(next_node);
    if (type == NT::Range) --range_depth_;
    if (next_node->type == NT::Else) {
      // "else if" and "else with" nest the next if/with in the else branch;
      // its {{end}} closes both.
      if (type == NT::If && peek().typ == Tok::If) {
        next();
        n->else_list = set_.make(NT::List, next_node->pos);
        n->else_list->nodes.push_back(branch_control(NT::If, "if"));
      } else if (type == NT::With && peek().typ == Tok::With) {
        next();
        n->else_list = set_.make(NT::List, next_node->pos);
        n->else_list->nodes.push_back(branch_control(NT::With, "with"));
      } else {
        n->else_list = item_list(next_node);
        if (next_node->type != NT::End) errorf("expected end; found " + node_string(next_node));
      }
    }
    vars_.resize(mark);
    return n;
  }

  std::string template_name(const Item& it, const std::string& context) {
    if (it.typ != Tok::String && it.typ != Tok::RawString) unexpected(it, context);
    auto unq = go_unquote(it.val);
    if (!unq) errorf("invalid syntax");
    return *unq;
  }

  Node* template_control() {
    const std::string context = "template clause";
    const Item& it = next_non_space();
    int pos = it.pos;
    std::string name = template_name(it, context);
    Node* pipe = nullptr;
    if (next_non_space().typ != Tok::RightDelim) {
      backup();
      pipe = pipeline(context, Tok::RightDelim);
    }
    Node* n = set_.make(NT::Template, pos);
    n->text = std::move(name);
    n->pipe = pipe;
    return n;
  }

  Node* block_control() {
    const std::string context = "block clause";
    const Item& it = next_non_space();
    int pos = it.pos;
    std::string name = template_name(it, context);
    Node* pipe = pipeline(context, Tok::RightDelim);
    with_fresh_scope([&] {
      Tree t{name, nullptr};
      Node* end = nullptr;
      t.root = item_list(end);
      if (end->type != NT::End) errorf("unexpected " + node_string(end) + " in " + context);
      add(std::move(t));
    });
    Node* n = set_.make(NT::Template, pos);
    n->text = std::move(name);
    n->pipe = pipe;
    return n;
  }

  Node* make_variable(int pos, const std::string& text) {
    Node* v = set_.make(NT::Variable, pos);
    size_t start = 0;
    while (true) {
      size_t dot = text.find('.', start);
      v->idents.push_back(text.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return v;
  }

  Node* make_field(int pos, const std::string& text) {
    Node* f = set_.make(NT::Field, pos);
    size_t start = 1;  // skip the leading '.'
    while (true) {
      size_t dot = text.find('.', start);
      f->idents.push_back(text.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return f;
  }

  Node* pipeline(const std::string& context, Tok end) {
    Node* pipe = set_.make(NT::Pipe, peek_non_space().pos);
  decls:
    if (peek_non_space().typ == Tok::Variable) {
      size_t var_index = i_;  // peek_non_space left us on the variable
      const Item& v = next();
      const Item& nxt = peek_non_space();
      if (nxt.typ == Tok::Assign || nxt.typ == Tok::Declare) {
        pipe->is_assign = nxt.typ == Tok::Assign;
        next_non_space();
        pipe->decl.push_back(make_variable(v.pos, v.val));
        vars_.push_back(v.val);
      } else if (nxt.typ == Tok::Char && nxt.val == ",") {
        next_non_space();
        pipe->decl.push_back(make_variable(v.pos, v.val));
        vars_.push_back(v.val);
        if (context == "range" && pipe->decl.size() < 2) {
          Tok t = peek_non_space().typ;
          if (t == Tok::Variable || t == Tok::RightDelim || t == Tok::RightParen) goto decls;
          errorf("range can only initialize variables");
        }
        errorf("too many declarations in " + context);
      } else {
        i_ = var_index;  // an operand, not a declaration: push it all back
      }
    }
    while (true) {
      const Item& it = next_non_space();
      if (it.typ == end) {
        if (pipe->cmds.empty()) errorf("missing value for " + context);
        for (size_t k = 1; k < pipe->cmds.size(); ++k) {
          switch (pipe->cmds[k]->args[0]->type) {
            case NT::Bool: case NT::Dot: case NT::Nil: case NT::Number: case NT::String:
              errorf("non executable command in pipeline stage " + std::to_string(k + 1));
            default: break;
          }
        }
        return pipe;
      }
      switch (it.typ) {
        case Tok::Bool: case Tok::CharConstant: case Tok::Complex: case Tok::Dot: case Tok::Field:
        case Tok::Identifier: case Tok::Number: case Tok::Nil: case Tok::RawString: case Tok::String:
        case Tok::Variable: case Tok::LeftParen:
          backup();
          pipe->cmds.push_back(command());
          break;
        default: unexpected(it, context);
      }
    }
  }

  Node* command() {
    Node* cmd = set_.make(NT::Command, peek_non_space().pos);
    while (true) {
      peek_non_space();
      if (Node* op = operand()) cmd->args.push_back(op);
      const Item& it = next();
      if (it.typ == Tok::Space) continue;
      if (it.typ == Tok::RightDelim || it.typ == Tok::RightParen) {
        backup();
      } else if (it.typ != Tok::Pipe) {
        unexpected(it, "operand");
      }
      break;
    }
    if (cmd->args.empty()) errorf("empty command");
    return cmd;
  }

  Node* operand() {
    Node* node = term();
    if (!node) return nullptr;
    if (peek().typ == Tok::Field) {
      int chain_pos = peek().pos;
      std::vector<std::string> fields;
      while (peek().typ == Tok::Field) fields.push_back(next().val);
      std::string chain_text;
      switch (node->type) {
        case NT::Field:
        case NT::Variable: {
          std::string base = node_string(node);
          for (const auto& f : fields) base += f;
          return node->type == NT::Field ? make_field(chain_pos, base) : make_variable(chain_pos, base);
        }
        case NT::Bool: case NT::String: case NT::Number: case NT::Nil: case NT::Dot:
          errorf("unexpected . after term " + go_quote(node_string(node)));
        default: {
          Node* chain = set_.make(NT::Chain, chain_pos);
          chain->node = node;
          for (const auto& f : fields) chain->idents.push_back(f.substr(1));
          return chain;
        }
      }
    }
    return node;
  }

  Node* term() {
    const Item& it = next_non_space();
    switch (it.typ) {
      case Tok::Identifier: {
        if (!is_builtin_function(it.val)) errorf("function " + go_quote(it.val) + " not defined");
        Node* n = set_.make(NT::Identifier, it.pos);
        n->text = it.val;
        return n;
      }
      case Tok::Dot: return set_.make(NT::Dot, it.pos);
      case Tok::Nil: return set_.make(NT::Nil, it.pos);
      case Tok::Variable: {
        Node* v = make_variable(it.pos, it.val);
        if (std::find(vars_.begin(), vars_.end(), v->idents[0]) == vars_.end())
          errorf("undefined variable " + go_quote(v->idents[0]));
        return v;
      }
      case Tok::Field: return make_field(it.pos, it.val);
      case Tok::Bool: {
        Node* n = set_.make(NT::Bool, it.pos);
        n->truth = it.val == "true";
        return n;
      }
      case Tok::CharConstant:
      case Tok::Complex:
      case Tok::Number: return number(it);
      case Tok::LeftParen: {
        if (paren_depth_ >= kMaxParenDepth) errorf("max expression depth exceeded");
        ++paren_depth_;
        Node* p = pipeline("parenthesized pipeline", Tok::RightParen);
        --paren_depth_;
        return p;
      }
      case Tok::String:
      case Tok::RawString: {
        auto unq = go_unquote(it.val);
        if (!unq) errorf("invalid syntax");
        Node* n = set_.make(NT::String, it.pos);
        n->quoted = it.val;
        n->text = std::move(*unq);
        return n;
      }
      default:
        backup();
        return nullptr;
    }
  }

  // parse.NumberNode: which of int, uint and float64 the literal can be.
  Node* number(const Item& it) {
    Node* n = set_.make(NT::Number, it.pos);
    n->text = it.val;
    const std::string& text = it.val;
    if (it.typ == Tok::CharConstant) {
      std::string s;
      size_t i = 1;
      std::string_view body(text);
      if (text.size() < 3 || !unquote_char(body, i, '\'', s)) errorf("invalid syntax");
      if (i != text.size() - 1) errorf("malformed character constant: " + text);
      size_t w;
      char32_t r = s.size() == 1 ? static_cast<unsigned char>(s[0]) : decode_rune(s, 0, w);
      n->is_int = n->is_uint = n->is_float = true;
      n->i64 = static_cast<int64_t>(r);
      n->f64 = static_cast<double>(r);
      return n;
    }
    if (it.typ == Tok::Complex || (!text.empty() && text.back() == 'i'))
      errorf("complex number constants are not supported: " + text);
    // strconv.ParseUint / ParseInt with base 0 (prefixes 0x 0o 0b and 0, underscores)
    uint64_t u = 0;
    bool uint_ok = parse_go_uint(text, u);
    if (uint_ok) {
      n->is_uint = true;
    }
    bool neg = !text.empty() && text[0] == '-';
    uint64_t mag = 0;
    bool int_ok = !text.empty() && (text[0] == '-' || text[0] == '+')
                      ? parse_go_uint(std::string_view(text).substr(1), mag)
                      : uint_ok && (mag = u, true);
    if (int_ok && (neg ? mag <= (1ULL << 63) : mag < (1ULL << 63))) {
      n->is_int = true;
      n->i64 = neg ? static_cast<int64_t>(0 - mag) : static_cast<int64_t>(mag);
      if (n->i64 == 0) n->is_uint = true;  // -0
    }
    if (n->is_int) {
      n->is_float = true;
      n->f64 = static_cast<double>(n->i64);
      return n;
    }
    if (n->is_uint) {
      n->is_float = true;
      n->f64 = static_cast<double>(u);
      return n;
    }
    double f = 0;
    if (parse_go_float(text, f)) {
      if (text.find_first_of(".eEpP") == std::string::npos) errorf("integer overflow: " + go_quote(text));
      n->is_float = true;
      n->f64 = f;
      if (std::floor(f) == f && f >= -9.2233720368547758e18 && f < 9.2233720368547758e18) {
        n->is_int = true;
        n->i64 = static_cast<int64_t>(f);
      }
      if (std::floor(f) == f && f >= 0 && f < 1.8446744073709552e19) n->is_uint = true;
      return n;
    }
    errorf("illegal number syntax: " + go_quote(text));
  }

  TemplateSet& set_;
  std::vector<Item> items_;
  size_t i_ = 0, furthest_ = 0;
  std::vector<std::string> vars_;
  int action_line_ = 0, range_depth_ = 0, nesting_ = 0, paren_depth_ = 0;
};

TemplateSet parse_template(std::string_view text) {
  TemplateSet set;
  set.text = std::string(text);
  Parser(set, Lexer(set.text).run()).parse_top();
  return set;
}

// ------------------------------------------------------------------ Go values

// The Go value a template sees. Variables decode to map[string]interface{},
// []interface{}, string, json.Number, bool and nil; template constants and
// function results add int, int64, uint8 (a byte of a string) and float64.
// `boxed` marks a value read out of a map or slice, i.e. still held in an
// interface{}: Go then names its type "interface {}" in errors, and a boxed
// nil is a valid value (unlike the invalid "no value").
enum class GK : uint8_t { Invalid, Nil, Bool, Int, Int64, Uint8, Float, String, Number, Map, Slice };

struct GV {
  GK k = GK::Invalid;
  bool boxed = false;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  Value v;  // String and Number: the text as a string Value (cheap to copy); Map: object; Slice: array
  const std::string& str() const { return v.str(); }
};

GV gv_bool(bool b) {
  GV g;
  g.k = GK::Bool;
  g.b = b;
  return g;
}
GV gv_int(int64_t i, GK k = GK::Int) {
  GV g;
  g.k = k;
  g.i = i;
  return g;
}
GV gv_float(double f) {
  GV g;
  g.k = GK::Float;
  g.f = f;
  return g;
}
GV gv_string(std::string s, GK k = GK::String) {
  GV g;
  g.k = k;
  g.v = Value::string(std::move(s));
  return g;
}

// A decoded variable (an element of a map or slice when boxed).
GV gv_from(const Value& v, bool boxed) {
  GV g;
  g.boxed = boxed;
  switch (v.kind()) {
    case Kind::Null: g.k = GK::Nil; g.boxed = true; break;
    case Kind::Bool: g.k = GK::Bool; g.b = v.as_bool(); break;
    case Kind::Number: g.k = GK::Number; g.v = Value::string(number_text(v)); break;
    case Kind::String: g.k = GK::String; g.v = v; break;
    case Kind::Array: g.k = GK::Slice; g.v = v; break;
    case Kind::Object: g.k = GK::Map; g.v = v; break;
    default: g.k = GK::Invalid; g.boxed = false; break;
  }
  return g;
}

GV unbox(GV g) {
  if (g.k == GK::Nil) return GV{};
  g.boxed = false;
  return g;
}

const char* concrete_type(const GV& g) {
  switch (g.k) {
    case GK::Invalid: return "<invalid reflect.Value>";
    case GK::Nil: return "interface {}";
    case GK::Bool: return "bool";
    case GK::Int: return "int";
    case GK::Int64: return "int64";
    case GK::Uint8: return "uint8";
    case GK::Float: return "float64";
    case GK::String: return "string";
    case GK::Number: return "json.Number";
    case GK::Map: return "map[string]interface {}";
    case GK::Slice: return "[]interface {}";
  }
  return "?";
}

// reflect.Value.Type().String() of the value as held.
const char* type_name(const GV& g) { return g.boxed ? "interface {}" : concrete_type(g); }

bool is_string_kind(const GV& g) { return g.k == GK::String || g.k == GK::Number; }
bool is_int_kind(const GV& g) { return g.k == GK::Int || g.k == GK::Int64; }

size_t gv_len(const GV& g) {
  switch (g.k) {
    case GK::String:
    case GK::Number: return g.str().size();
    case GK::Map:
    case GK::Slice: return g.v.size();
    default: return 0;
  }
}

// isTrue: the truth of if/with/and/or/not.
bool truth(const GV& g) {
  switch (g.k) {
    case GK::Invalid:
    case GK::Nil: return false;
    case GK::Bool: return g.b;
    case GK::Int:
    case GK::Int64:
    case GK::Uint8: return g.i != 0;
    case GK::Float: return g.f != 0;
    case GK::String:
    case GK::Number:
    case GK::Map:
    case GK::Slice: return gv_len(g) > 0;
  }
  return false;
}

// Go's fmtsort and range visit map keys in ascending byte order, which is
// the order Value keeps object entries in (all keys are strings here: the
// variables were checked by json_decode_error).

// ------------------------------------------------------------------ fmt

// The shortest decimal digits of a double and its decimal point position:
// value = 0.d1d2... * 10^dp.
void shortest_digits(double f, std::string& digits, int& dp) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, std::fabs(f), std::chars_format::scientific);
  std::string s(buf, r.ptr);
  size_t e = s.find('e');
  digits.clear();
  for (size_t k = 0; k < e; ++k)
    if (s[k] != '.') digits.push_back(s[k]);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  dp = std::atoi(s.c_str() + e + 1) + 1;
  if (digits == "0") dp = 1;
}

// strconv.FormatFloat(f, 'g' or 'G', -1, 64).
std::string format_shortest_g(double f, bool upper) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "+Inf" : "-Inf";
  std::string digits;
  int dp;
  shortest_digits(f, digits, dp);
  std::string out = std::signbit(f) ? "-" : "";
  int nd = static_cast<int>(digits.size());
  int exp = dp - 1;
  if (exp < -4 || exp >= 6) {  // shortest %g switches to %e at exponent 6
    out += digits[0];
    if (nd > 1) out += "." + digits.substr(1);
    out += upper ? 'E' : 'e';
    out += exp < 0 ? '-' : '+';
    int ax = exp < 0 ? -exp : exp;
    if (ax < 10) out += '0';
    out += std::to_string(ax);
    return out;
  }
  if (dp <= 0) return out + "0." + std::string(static_cast<size_t>(-dp), '0') + digits;
  if (dp >= nd) return out + digits + std::string(static_cast<size_t>(dp - nd), '0');
  return out + digits.substr(0, static_cast<size_t>(dp)) + "." + digits.substr(static_cast<size_t>(dp));
}

struct FmtFlags {
  bool minus = false, plus = false, sharp = false, space = false, zero = false;
  bool plus_v = false, sharp_v = false;
  bool wid_present = false, prec_present = false;
  int wid = 0, prec = 0;
};

// Go's fmt, for the values a template can hold. Output is bounded.
class Printer {
 public:
  std::string buf;

  void print_arg(const GV& arg, char32_t verb) {
    if (arg.k == GK::Invalid || arg.k == GK::Nil) {
      if (verb == 'T' || verb == 'v') {
        pad("<nil>");
      } else {
        bad_verb(verb, nullptr);
      }
      return;
    }
    if (verb == 'T') {
      fmt_s(concrete_type(arg));
      return;
    }
    print_value(arg, verb, 0);
  }

  // fmt.Sprint: spaces between operands when neither side is a string.
  void sprint(const std::vector<GV>& args) {
    bool prev_string = false;
    for (size_t n = 0; n < args.size(); ++n) {
      bool is_str = is_string_kind(args[n]) && args[n].k != GK::Nil;
      if (n > 0 && !is_str && !prev_string) buf.push_back(' ');
      f_ = FmtFlags{};
      print_arg(args[n], 'v');
      prev_string = is_str;
      check();
    }
  }

  void sprintln(const std::vector<GV>& args) {
    for (size_t n = 0; n < args.size(); ++n) {
      if (n > 0) buf.push_back(' ');
      f_ = FmtFlags{};
      print_arg(args[n], 'v');
      check();
    }
    buf.push_back('\n');
  }

  void sprintf(std::string_view format, const std::vector<GV>& a) {
    size_t end = format.size();
    size_t arg_num = 0;
    bool after_index = false;
    reordered_ = false;
    for (size_t i = 0; i < end;) {
      good_arg_num_ = true;
      size_t lasti = i;
      while (i < end && format[i] != '%') ++i;
      if (i > lasti) buf.append(format.substr(lasti, i - lasti));
      if (i >= end) break;
      ++i;  // skip %
      f_ = FmtFlags{};
      for (; i < end; ++i) {
        char c = format[i];
        if (c == '#') f_.sharp = true;
        else if (c == '0') f_.zero = !f_.minus;
        else if (c == '+') f_.plus = true;
        else if (c == '-') f_.minus = true, f_.zero = false;
        else if (c == ' ') f_.space = true;
        else break;
      }
      arg_num = arg_number(arg_num, format, i, a.size(), after_index);
      // width
      if (i < end && format[i] == '*') {
        ++i;
        bool ok = false;
        f_.wid = int_from_arg(a, arg_num, ok);
        f_.wid_present = ok;
        if (!ok) buf += "%!(BADWIDTH)";
        if (f_.wid < 0) {
          f_.wid = -f_.wid;
          f_.minus = true;
          f_.zero = false;
        }
        after_index = false;
      } else {
        bool ok = parse_num(format, i, f_.wid);
        f_.wid_present = ok;
        if (after_index && f_.wid_present) good_arg_num_ = false;
      }
      // precision
      if (i + 1 < end && format[i] == '.') {
        ++i;
        if (after_index) good_arg_num_ = false;
        arg_num = arg_number(arg_num, format, i, a.size(), after_index);
        if (i < end && format[i] == '*') {
          ++i;
          bool ok = false;
          f_.prec = int_from_arg(a, arg_num, ok);
          f_.prec_present = ok;
          if (f_.prec < 0) {
            f_.prec = 0;
            f_.prec_present = false;
          }
          if (!ok) buf += "%!(BADPREC)";
          after_index = false;
        } else {
          if (!parse_num(format, i, f_.prec)) f_.prec = 0;
          f_.prec_present = true;
        }
      }
      if (!after_index) arg_num = arg_number(arg_num, format, i, a.size(), after_index);
      if (i >= end) {
        buf += "%!(NOVERB)";
        break;
      }
      size_t w;
      char32_t verb = decode_rune(format, i, w);
      i += w;
      if (verb == '%') {
        buf.push_back('%');
      } else if (!good_arg_num_) {
        bad_arg_num(verb);
      } else if (arg_num >= a.size()) {
        buf += "%!";
        append_rune(buf, verb);
        buf += "(MISSING)";
      } else {
        if (verb == 'v') {
          f_.sharp_v = f_.sharp;
          f_.sharp = false;
          f_.plus_v = f_.plus;
          f_.plus = false;
        }
        print_arg(a[arg_num], verb);
        ++arg_num;
      }
      check();
    }
    if (!reordered_ && arg_num < a.size()) {
      f_ = FmtFlags{};
      buf += "%!(EXTRA ";
      for (size_t k = arg_num; k < a.size(); ++k) {
        if (k > arg_num) buf += ", ";
        if (a[k].k == GK::Invalid || a[k].k == GK::Nil) {
          buf += "<nil>";
        } else {
          buf += concrete_type(a[k]);
          buf.push_back('=');
          print_arg(a[k], 'v');
        }
        check();
      }
      buf.push_back(')');
    }
  }

  void check() const {
    if (buf.size() > kMaxOutput) output_too_large();
  }

 private:
  static bool parse_num(std::string_view s, size_t& i, int& out) {
    size_t start = i;
    long long n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      n = n * 10 + (s[i] - '0');
      if (n > 1000000) n = 1000000;  // Go reports absurd widths; the output bound stops them anyway
      ++i;
    }
    out = static_cast<int>(n);
    return i > start;
  }

  size_t arg_number(size_t arg_num, std::string_view format, size_t& i, size_t num_args, bool& found) {
    found = false;
    if (i >= format.size() || format[i] != '[') return arg_num;
    reordered_ = true;
    if (format.size() - i < 3) {
      good_arg_num_ = false;
      ++i;
      return arg_num;
    }
    for (size_t k = i + 1; k < format.size(); ++k) {
      if (format[k] == ']') {
        size_t j = i + 1;
        int n = 0;
        bool ok = parse_num(format, j, n) && j == k;
        i = k + 1;
        if (ok && n >= 1 && static_cast<size_t>(n - 1) < num_args) {
          found = true;
          return static_cast<size_t>(n - 1);
        }
        good_arg_num_ = false;
        found = ok;
        return arg_num;
      }
    }
    good_arg_num_ = false;
    ++i;
    return arg_num;
  }

  int int_from_arg(const std::vector<GV>& a, size_t& arg_num, bool& ok) {
    ok = false;
    int n = 0;
    if (arg_num < a.size()) {
      const GV& g = a[arg_num];
      if (is_int_kind(g) || g.k == GK::Uint8) {
        if (g.i >= -1000000 && g.i <= 1000000) {
          n = static_cast<int>(g.i);
          ok = true;
        }
      }
      ++arg_num;
    }
    return n;
  }

  void bad_arg_num(char32_t verb) {
    buf += "%!";
    append_rune(buf, verb);
    buf += "(BADINDEX)";
  }

  void write_padding(int n) {
    if (n <= 0) return;
    buf.append(static_cast<size_t>(n), f_.zero && !f_.minus ? '0' : ' ');
  }

  void pad(std::string_view s) {
    if (!f_.wid_present || f_.wid == 0) {
      buf.append(s);
      return;
    }
    int width = f_.wid - static_cast<int>(rune_count(s));
    if (!f_.minus) {
      write_padding(width);
      buf.append(s);
    } else {
      buf.append(s);
      write_padding(width);
    }
  }

  void bad_verb(char32_t verb, const GV* v) {
    buf += "%!";
    append_rune(buf, verb);
    buf.push_back('(');
    if (v == nullptr || v->k == GK::Invalid || v->k == GK::Nil) {
      buf += "<nil>";
    } else {
      buf += concrete_type(*v);
      buf.push_back('=');
      FmtFlags saved = f_;
      f_ = FmtFlags{};
      print_value(*v, 'v', 0);
      f_ = saved;
    }
    buf.push_back(')');
  }

  std::string truncate(std::string_view s) const {
    if (!f_.prec_present) return std::string(s);
    size_t i = 0, w = 0;
    for (int n = 0; n < f_.prec && i < s.size(); ++n, i += w) decode_rune(s, i, w);
    return std::string(s.substr(0, i));
  }

  void fmt_s(std::string_view s) { pad(truncate(s)); }

  void fmt_q(std::string_view s) {
    std::string t = truncate(s);
    if (f_.sharp && t.find('`') == std::string::npos &&
        std::none_of(t.begin(), t.end(), [](char c) { return (static_cast<unsigned char>(c) < ' ' && c != '\t') || c == 0x7F; })) {
      pad("`" + t + "`");
      return;
    }
    pad(go_quote(t, f_.plus));
  }

  void fmt_sx(std::string_view s, bool upper) {
    const char* digits = upper ? kUpperHex : kLowerHex;
    size_t length = s.size();
    if (f_.prec_present && static_cast<size_t>(f_.prec) < length) length = static_cast<size_t>(f_.prec);
    std::string out;
    for (size_t k = 0; k < length; ++k) {
      if (f_.space && k > 0) out.push_back(' ');
      if (f_.sharp && (f_.space || k == 0)) {
        out.push_back('0');
        out.push_back(upper ? 'X' : 'x');
      }
      unsigned char c = static_cast<unsigned char>(s[k]);
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 15]);
    }
    pad(out);
  }

  void fmt_string(std::string_view s, char32_t verb, const GV& v) {
    switch (verb) {
      case 'v':
        if (f_.sharp_v) {
          fmt_q(s);
        } else {
          fmt_s(s);
        }
        return;
      case 's': fmt_s(s); return;
      case 'x': fmt_sx(s, false); return;
      case 'X': fmt_sx(s, true); return;
      case 'q': fmt_q(s); return;
      default: bad_verb(verb, &v);
    }
  }

  void fmt_integer(uint64_t u, int base, bool is_signed, char32_t verb, bool upper) {
    bool negative = is_signed && static_cast<int64_t>(u) < 0;
    if (negative) u = 0 - u;
    int prec = 0;
    if (f_.prec_present) {
      prec = f_.prec;
      if (prec == 0 && u == 0) {
        bool old = f_.zero;
        f_.zero = false;
        write_padding(f_.wid);
        f_.zero = old;
        return;
      }
    } else if (f_.zero && !f_.minus && f_.wid_present) {
      prec = f_.wid;
      if (negative || f_.plus || f_.space) --prec;
    }
    const char* digits = upper ? kUpperHex : kLowerHex;
    std::string rev;
    do {
      rev.push_back(digits[u % static_cast<uint64_t>(base)]);
      u /= static_cast<uint64_t>(base);
    } while (u != 0);
    while (static_cast<int>(rev.size()) < prec) rev.push_back('0');
    if (f_.sharp) {
      if (base == 2) rev += "b0";
      else if (base == 8 && rev.back() != '0') rev.push_back('0');
      else if (base == 16) rev += upper ? "X0" : "x0";
    }
    if (verb == 'O') rev += "o0";
    if (negative) rev.push_back('-');
    else if (f_.plus) rev.push_back('+');
    else if (f_.space) rev.push_back(' ');
    std::reverse(rev.begin(), rev.end());
    bool old = f_.zero;
    f_.zero = false;
    pad(rev);
    f_.zero = old;
  }

  void fmt_int_verb(const GV& v, char32_t verb) {
    uint64_t u = static_cast<uint64_t>(v.i);
    bool is_signed = v.k != GK::Uint8;
    switch (verb) {
      case 'v':
      case 'd': fmt_integer(u, 10, is_signed, verb, false); return;
      case 'b': fmt_integer(u, 2, is_signed, verb, false); return;
      case 'o':
      case 'O': fmt_integer(u, 8, is_signed, verb, false); return;
      case 'x': fmt_integer(u, 16, is_signed, verb, false); return;
      case 'X': fmt_integer(u, 16, is_signed, verb, true); return;
      case 'c': {
        std::string s;
        append_rune(s, v.i < 0 || v.i > 0x10FFFF ? kRuneError : static_cast<char32_t>(v.i));
        pad(s);
        return;
      }
      case 'q': pad(go_quote_rune(v.i < 0 || v.i > 0x10FFFF ? kRuneError : static_cast<char32_t>(v.i), f_.plus)); return;
      case 'U': {
        char b[32];
        int prec = f_.prec_present && f_.prec > 4 ? std::min(f_.prec, 16) : 4;
        std::snprintf(b, sizeof b, "U+%0*llX", prec, static_cast<unsigned long long>(u));
        std::string s = b;
        if (f_.sharp && v.i >= 0 && v.i <= 0x10FFFF && is_print(static_cast<char32_t>(v.i))) {
          s += " '";
          append_rune(s, static_cast<char32_t>(v.i));
          s += "'";
        }
        bool old = f_.zero;
        f_.zero = false;
        pad(s);
        f_.zero = old;
        return;
      }
      default: bad_verb(verb, &v);
    }
  }

  void fmt_float(double d, char32_t verb) {
    char spec;
    int prec;
    switch (verb) {
      case 'v': spec = 'g'; prec = -1; break;
      case 'g': case 'G': case 'x': case 'X': case 'b': spec = static_cast<char>(verb); prec = -1; break;
      case 'e': case 'E': case 'f': spec = static_cast<char>(verb); prec = 6; break;
      case 'F': spec = 'f'; prec = 6; break;
      default: {
        GV g = gv_float(d);
        bad_verb(verb, &g);
        return;
      }
    }
    if (f_.prec_present) prec = f_.prec;
    std::string num;
    if (std::isnan(d) || std::isinf(d)) {
      num = std::isnan(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
      if (num == "NaN" && (f_.plus || f_.space)) num = (f_.plus ? "+" : " ") + num;
      if (num == "+Inf" && !f_.plus) num = f_.space ? " Inf" : "Inf";
      bool old = f_.zero;
      f_.zero = false;
      pad(num);
      f_.zero = old;
      return;
    }
    if ((spec == 'g' || spec == 'G') && prec < 0) {
      num = format_shortest_g(d, spec == 'G');
    } else if (spec == 'x' || spec == 'X' || spec == 'b') {
      char b[64];
      std::snprintf(b, sizeof b, spec == 'X' ? "%A" : "%a", d);
      num = b;
    } else {
      char b[400];
      char fmtbuf[8] = {'%', '.', '*', spec, 0};
      if (prec > 300) prec = 300;
      std::snprintf(b, sizeof b, fmtbuf, prec < 0 ? 6 : prec, d);
      num = b;
    }
    bool neg = !num.empty() && num[0] == '-';
    std::string body = neg ? num.substr(1) : num;
    char sign = neg ? '-' : f_.plus ? '+' : f_.space ? ' ' : 0;
    if (sign) {
      if (f_.zero && !f_.minus && f_.wid_present && f_.wid > static_cast<int>(body.size()) + 1) {
        buf.push_back(sign);
        buf.append(static_cast<size_t>(f_.wid - static_cast<int>(body.size()) - 1), '0');
        buf += body;
        return;
      }
      pad(std::string(1, sign) + body);
      return;
    }
    pad(body);
  }

  void print_value(const GV& v, char32_t verb, int depth) {
    switch (v.k) {
      case GK::Invalid:
      case GK::Nil:
        if (depth == 0) {
          buf += "<invalid reflect.Value>";
        } else {
          buf += f_.sharp_v ? "interface {}(nil)" : "<nil>";
        }
        return;
      case GK::Bool:
        if (verb == 't' || verb == 'v') {
          pad(v.b ? "true" : "false");
        } else {
          bad_verb(verb, &v);
        }
        return;
      case GK::Int:
      case GK::Int64:
      case GK::Uint8: fmt_int_verb(v, verb); return;
      case GK::Float: fmt_float(v.f, verb); return;
      case GK::String: fmt_string(v.str(), verb, v); return;
      case GK::Number:
        // json.Number is a Stringer; %#v shows it as a quoted string
        fmt_string(v.str(), verb, v);
        return;
      case GK::Map: {
        buf += f_.sharp_v ? "map[string]interface {}{" : "map[";
        bool first = true;
        for (const auto& [key, x] : v.v.entries()) {
          if (!first) buf += f_.sharp_v ? ", " : " ";
          first = false;
          print_value(gv_from(key, false), verb, depth + 1);
          buf.push_back(':');
          print_value(gv_from(x, true), verb, depth + 1);
          check();
        }
        buf.push_back(f_.sharp_v ? '}' : ']');
        return;
      }
      case GK::Slice: {
        buf += f_.sharp_v ? "[]interface {}{" : "[";
        bool first = true;
        for (const Value& x : v.v.items()) {
          if (!first) buf += f_.sharp_v ? ", " : " ";
          first = false;
          print_value(gv_from(x, true), verb, depth + 1);
          check();
        }
        buf.push_back(f_.sharp_v ? '}' : ']');
        return;
      }
    }
  }

  FmtFlags f_;
  bool reordered_ = false, good_arg_num_ = true;
};

std::string go_sprint(const std::vector<GV>& args) {
  Printer p;
  p.sprint(args);
  return std::move(p.buf);
}

// ------------------------------------------------------------------ escapers

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\0': out += "\xEF\xBF\xBD"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string js_escape(std::string_view s) {
  std::string out;
  for (size_t i = 0, w = 0; i < s.size(); i += w) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    w = 1;
    if (c < 0x80) {
      switch (c) {
        case '\\': out += "\\\\"; break;
        case '\'': out += "\\'"; break;
        case '"': out += "\\\""; break;
        case '<': out += "\\u003C"; break;
        case '>': out += "\\u003E"; break;
        case '&': out += "\\u0026"; break;
        case '=': out += "\\u003D"; break;
        default:
          if (c < ' ') {
            out += "\\u00";
            out.push_back(kUpperHex[c >> 4]);
            out.push_back(kUpperHex[c & 15]);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      continue;
    }
    char32_t r = decode_rune(s, i, w);
    if (is_print(r)) {
      out.append(s.substr(i, w));
    } else {
      char b[16];
      std::snprintf(b, sizeof b, "\\u%04X", static_cast<unsigned>(r));
      out += b;
    }
  }
  return out;
}

std::string url_query_escape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kUpperHex[c >> 4]);
      out.push_back(kUpperHex[c & 15]);
    }
  }
  return out;
}

// ------------------------------------------------------------------ execution

// How a builtin function declares a parameter (the Go parameter type matters
// for how arguments are evaluated and checked).
enum class Param : uint8_t { Any, ReflectValue, String };

struct FuncSig {
  std::vector<Param> params;  // the last one repeats when variadic
  bool variadic = false;
};

FuncSig signature_of(std::string_view name) {
  using P = Param;
  if (name == "and" || name == "or" || name == "index" || name == "slice" || name == "eq" || name == "call")
    return {{P::ReflectValue, P::ReflectValue}, true};
  if (name == "ne" || name == "lt" || name == "le" || name == "gt" || name == "ge")
    return {{P::ReflectValue, P::ReflectValue}, false};
  if (name == "len" || name == "not") return {{P::ReflectValue}, false};
  if (name == "printf") return {{P::String, P::Any}, true};
  return {{P::Any}, true};  // html, js, urlquery, print, println
}

enum class Flow : uint8_t { Normal, Break, Continue };

enum class MissingKey : uint8_t { Error, Invalid };

class Executor {
 public:
  Executor(const TemplateSet& set, MissingKey missing) : set_(set), missing_(missing) {}

  std::string execute(const GV& data) {
    auto it = set_.trees.find(kTemplateName);
    tmpl_ = &it->second;
    vars_.clear();
    vars_.emplace_back("$", data);
    walk(data, tmpl_->root);
    return std::move(out_);
  }

 private:
  struct Var {
    Var() = default;
    Var(std::string n, GV v) : name(std::move(n)), value(std::move(v)) {}
    std::string name;
    GV value;
  };

  // ---- errors, in Go's shape
  [[noreturn]] void errorf(const std::string& msg) const {
    std::string name = tmpl_->name;
    if (node_ == nullptr) fail("template: " + name + ": " + msg);
    int pos = node_->pos;
    std::string_view text(set_.text);
    text = text.substr(0, static_cast<size_t>(pos));
    size_t nl = text.rfind('\n');
    int col = nl == std::string_view::npos ? pos : pos - static_cast<int>(nl + 1);
    int line = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    fail(std::string("template: ") + kTemplateName + ":" + std::to_string(line) + ":" + std::to_string(col) +
         ": executing " + go_quote(name) + " at <" + node_string(node_) + ">: " + msg);
  }
  void at(const Node* n) { node_ = n; }
  void step() {
    if (++steps_ > kMaxSteps) too_many_steps();
    if ((steps_ & 1023) == 0) limits::poll();  // the evaluation's deadline, within the step limit
  }
  [[noreturn, gnu::noinline]] static void too_many_steps() {
    fail(std::string("template: ") + kTemplateName + ": execution exceeded " + std::to_string(kMaxSteps) + " steps");
  }
  // Functions copy and compare strings; their total is bounded too, so that a
  // loop over a large string cannot run for hours within the step limit.
  void charge(size_t bytes) {
    work_bytes_ += static_cast<int64_t>(bytes);
    if ((work_bytes_ >> 20) != ((work_bytes_ - static_cast<int64_t>(bytes)) >> 20)) limits::poll();
    if (work_bytes_ > kMaxWorkBytes)
      fail(std::string("template: ") + kTemplateName + ": execution exceeded " + std::to_string(kMaxWorkBytes) +
           " bytes of string work");
  }
  [[gnu::noinline]] void write(std::string_view s) {
    if (out_.size() + s.size() > kMaxOutput) output_too_large();
    out_growth_.check(out_.size() + s.size());  // and within the evaluation's limits
    out_.append(s);
  }

  // ---- variables
  void push(const std::string& name, GV v) { vars_.emplace_back(name, std::move(v)); }
  size_t mark() const { return vars_.size(); }
  void pop(size_t m) { vars_.resize(m); }
  void set_var(const std::string& name, GV v) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].name == name) {
        vars_[i].value = std::move(v);
        return;
      }
    }
    errorf("undefined variable: " + name);
  }
  void set_top_var(size_t n, GV v) { vars_[vars_.size() - n].value = std::move(v); }
  GV var_value(const std::string& name) {
    for (size_t i = vars_.size(); i-- > 0;)
      if (vars_[i].name == name) return vars_[i].value;
    errorf("undefined variable: " + name);
  }

  // ---- walking
  struct DepthGuard {
    explicit DepthGuard(Executor& e) : e_(e) {
      if (++e_.depth_ > kMaxExecDepth)
        e_.errorf("exceeded maximum template depth (" + std::to_string(kMaxExecDepth) + ")");
    }
    ~DepthGuard() { --e_.depth_; }
    Executor& e_;
  };

  // walk recurses once per nesting level; its helpers stay out of line so
  // that each level costs little stack.
  Flow walk(const GV& dot, const Node* node) {
    at(node);
    step();
    switch (node->type) {
      case NT::Action: walk_action(dot, node); return Flow::Normal;
      case NT::Break: return Flow::Break;
      case NT::Continue: return Flow::Continue;
      case NT::If:
      case NT::With: return walk_if_or_with(node->type, dot, node);
      case NT::List:
        for (const Node* c : node->nodes) {
          Flow f = walk(dot, c);
          if (f != Flow::Normal) return f;
        }
        return Flow::Normal;
      case NT::Range: return walk_range(dot, node);
      case NT::Template: walk_template(dot, node); return Flow::Normal;
      case NT::Text: write(node->text); return Flow::Normal;
      default: unknown_node(node);
    }
  }

  [[noreturn, gnu::noinline]] void unknown_node(const Node* node) const { errorf("unknown node: " + node_string(node)); }

  [[gnu::noinline]] void walk_action(const GV& dot, const Node* node) {
    GV val = eval_pipeline(dot, node->pipe);
    if (node->pipe->decl.empty()) print_value(node, val);
  }

  [[gnu::noinline]] Flow walk_if_or_with(NT type, const GV& dot, const Node* node) {
    DepthGuard guard(*this);
    size_t m = mark();
    GV val = eval_pipeline(dot, node->pipe);
    Flow f = Flow::Normal;
    if (truth(val)) {
      f = walk(type == NT::With ? val : dot, node->list);
    } else if (node->else_list) {
      f = walk(dot, node->else_list);
    }
    pop(m);
    return f;
  }

  [[gnu::noinline]] Flow walk_range(const GV& dot, const Node* r) {
    DepthGuard guard(*this);
    at(r);
    size_t outer = mark();
    GV val = eval_pipeline(dot, r->pipe);
    size_t m = mark();
    const auto& decl = r->pipe->decl;
    bool stop = false;
    auto one = [&](const GV& index, const GV& elem) {
      step();
      if (!decl.empty()) {
        if (r->pipe->is_assign) {
          set_var(decl[0]->idents[0], decl.size() > 1 ? index : elem);
        } else {
          set_top_var(1, elem);
        }
      }
      if (decl.size() > 1) {
        if (r->pipe->is_assign) {
          set_var(decl[1]->idents[0], elem);
        } else {
          set_top_var(2, index);
        }
      }
      Flow f = walk(elem, r->list);
      pop(m);
      if (f == Flow::Break) stop = true;
    };
    bool ran = false;
    switch (val.k) {
      case GK::Slice:
        for (size_t i = 0; i < val.v.size() && !stop; ++i) {
          ran = true;
          one(gv_int(static_cast<int64_t>(i)), gv_from(val.v.items()[i], true));
        }
        break;
      case GK::Map:
        for (const auto& [key, x] : val.v.entries()) {
          if (stop) break;
          ran = true;
          one(gv_from(key, false), gv_from(x, true));
        }
        break;
      case GK::Int:
      case GK::Int64:
      case GK::Uint8:
        if (decl.size() > 1) errorf("can't use " + go_sprint({val}) + " to iterate over more than one variable");
        for (int64_t i = 0; i < val.i && !stop; ++i) {
          ran = true;
          one(GV{}, gv_int(i, val.k));
        }
        break;
      case GK::Invalid: break;
      default: errorf("range can't iterate over " + go_sprint({val}));
    }
    if (!ran && r->else_list) {
      Flow f = walk(dot, r->else_list);
      pop(outer);
      return f;
    }
    pop(outer);
    return Flow::Normal;
  }

  [[gnu::noinline]] void walk_template(const GV& dot, const Node* t) {
    at(t);
    auto it = set_.trees.find(t->text);
    if (it == set_.trees.end()) errorf("template " + go_quote(t->text) + " not defined");
    DepthGuard guard(*this);
    GV new_dot = eval_pipeline(dot, t->pipe);
    const Tree* saved_tmpl = tmpl_;
    std::vector<Var> saved_vars;
    saved_vars.swap(vars_);
    vars_.emplace_back("$", new_dot);
    tmpl_ = &it->second;
    walk(new_dot, tmpl_->root);
    tmpl_ = saved_tmpl;
    vars_.swap(saved_vars);
  }

  void print_value(const Node* n, const GV& v) {
    at(n);
    if (v.k == GK::Invalid || v.k == GK::Nil) {
      write("<no value>");
      return;
    }
    Printer p;
    p.print_arg(v, 'v');
    write(p.buf);
  }

  // ---- evaluation
  // A missing pipeline value (Go's missingVal): `final` is absent.
  GV eval_pipeline(const GV& dot, const Node* pipe) {
    if (pipe == nullptr) return GV{};
    at(pipe);
    GV value;
    bool have = false;
    for (const Node* cmd : pipe->cmds) {
      value = unbox(eval_command(dot, cmd, have ? &value : nullptr));
      have = true;
    }
    for (const Node* var : pipe->decl) {
      if (pipe->is_assign) {
        set_var(var->idents[0], value);
      } else {
        push(var->idents[0], value);
      }
    }
    return value;
  }

  void not_a_function(const std::vector<Node*>& args, const GV* final) {
    if (args.size() > 1 || final) errorf("can't give argument to non-function " + node_string(args[0]));
  }

  GV eval_command(const GV& dot, const Node* cmd, const GV* final) {
    step();
    const Node* first = cmd->args[0];
    switch (first->type) {
      case NT::Field: return eval_field_node(dot, first, &cmd->args, final);
      case NT::Chain: return eval_chain_node(dot, first, &cmd->args, final);
      case NT::Identifier: return eval_function(dot, first, cmd, &cmd->args, final);
      case NT::Pipe:
        not_a_function(cmd->args, final);
        return eval_pipeline(dot, first);
      case NT::Variable: return eval_variable_node(dot, first, &cmd->args, final);
      default: break;
    }
    at(first);
    not_a_function(cmd->args, final);
    switch (first->type) {
      case NT::Bool: return gv_bool(first->truth);
      case NT::Dot: return dot;
      case NT::Nil: errorf("nil is not a command");
      case NT::Number: return ideal_constant(first);
      case NT::String: return gv_string(first->text);
      default: errorf("can't evaluate command " + go_quote(node_string(first)));
    }
  }

  GV ideal_constant(const Node* c) {
    at(c);
    bool hex_int = c->text.size() > 2 && c->text[0] == '0' && (c->text[1] | 0x20) == 'x' &&
                   c->text.find_first_of("pP") == std::string::npos;
    bool rune_int = !c->text.empty() && c->text[0] == '\'';
    if (c->is_float && !hex_int && !rune_int && c->text.find_first_of(".eEpP") != std::string::npos)
      return gv_float(c->f64);
    if (c->is_int) return gv_int(c->i64);
    if (c->is_uint) errorf(c->text + " overflows int");
    return GV{};
  }

  GV eval_field_node(const GV& dot, const Node* field, const std::vector<Node*>* args, const GV* final) {
    at(field);
    return eval_field_chain(dot, dot, field, field->idents, 0, args, final);
  }

  GV eval_chain_node(const GV& dot, const Node* chain, const std::vector<Node*>* args, const GV* final) {
    at(chain);
    if (chain->node->type == NT::Nil) errorf("indirection through explicit nil in " + node_string(chain));
    GV pipe = eval_arg_untyped(dot, chain->node);
    return eval_field_chain(dot, pipe, chain, chain->idents, 0, args, final);
  }

  GV eval_variable_node(const GV& dot, const Node* var, const std::vector<Node*>* args, const GV* final) {
    at(var);
    GV value = var_value(var->idents[0]);
    if (var->idents.size() == 1) {
      if (args) not_a_function(*args, final);
      else if (final) errorf("can't give argument to non-function " + node_string(var));
      return value;
    }
    return eval_field_chain(dot, value, var, var->idents, 1, args, final);
  }

  GV eval_field_chain(const GV& dot, GV receiver, const Node* node, const std::vector<std::string>& ident,
                      size_t from, const std::vector<Node*>* args, const GV* final) {
    size_t n = ident.size();
    for (size_t i = from; i + 1 < n; ++i) receiver = eval_field(dot, ident[i], node, nullptr, nullptr, receiver);
    return eval_field(dot, ident[n - 1], node, args, final, receiver);
  }

  GV eval_field(const GV& dot, const std::string& name, const Node* node, const std::vector<Node*>* args,
                const GV* final, const GV& receiver) {
    if (receiver.k == GK::Invalid) {
      if (missing_ == MissingKey::Error) errorf("nil data; no entry for key " + go_quote(name));
      return GV{};
    }
    std::string typ = type_name(receiver);
    if (receiver.k == GK::Nil) errorf("nil pointer evaluating " + typ + "." + name);
    // json.Number's methods
    if (receiver.k == GK::Number && (name == "String" || name == "Int64" || name == "Float64"))
      return call_number_method(dot, receiver, name, node, args, final);
    bool has_args = (args && args->size() > 1) || final;
    if (receiver.k == GK::Map) {
      if (has_args) errorf(name + " is not a method but has arguments");
      if (const Value* x = receiver.v.find(name)) return gv_from(*x, true);
      if (missing_ == MissingKey::Error) errorf("map has no entry for key " + go_quote(name));
      return GV{};
    }
    errorf("can't evaluate field " + name + " in type " + typ);
  }

  GV call_number_method(const GV& dot, const GV& recv, const std::string& name, const Node* node,
                        const std::vector<Node*>* args, const GV* final) {
    (void)dot;
    size_t num_in = (args ? args->size() - 1 : 0) + (final ? 1 : 0);
    if (num_in != 0) errorf("wrong number of args for " + name + ": want 0 got " + std::to_string(num_in));
    const std::string& s = recv.str();
    if (name == "String") return gv_string(s);
    if (name == "Int64") {
      // strconv.ParseInt(s, 10, 64)
      std::string_view sv(s);
      bool neg = !sv.empty() && sv[0] == '-';
      std::string_view digits = sv.substr(!sv.empty() && (sv[0] == '-' || sv[0] == '+') ? 1 : 0);
      bool syntax_ok = !digits.empty() &&
                       std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!syntax_ok) {
        at(node);
        errorf("error calling Int64: strconv.ParseInt: parsing " + go_quote(s) + ": invalid syntax");
      }
      uint64_t mag = 0;
      auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), mag);
      if (ec != std::errc() || p != digits.data() + digits.size() || mag > (neg ? (1ULL << 63) : (1ULL << 63) - 1)) {
        at(node);
        errorf("error calling Int64: strconv.ParseInt: parsing " + go_quote(s) + ": value out of range");
      }
      return gv_int(neg ? static_cast<int64_t>(0 - mag) : static_cast<int64_t>(mag), GK::Int64);
    }
    double d = 0;
    if (!parse_go_float(s, d)) {
      at(node);
      errorf("error calling Float64: strconv.ParseFloat: parsing " + go_quote(s) + ": value out of range");
    }
    return gv_float(d);
  }

  GV eval_function(const GV& dot, const Node* ident, const Node* cmd, const std::vector<Node*>* args,
                   const GV* final) {
    at(ident);
    return eval_call(dot, ident->text, cmd, args, final);
  }

  // evalArg with an untyped (nil) parameter type: the chain node's receiver.
  GV eval_arg_untyped(const GV& dot, const Node* n) {
    at(n);
    switch (n->type) {
      case NT::Dot: return dot;
      case NT::Field: return eval_field_node(dot, n, nullptr, nullptr);
      case NT::Variable: return eval_variable_node(dot, n, nullptr, nullptr);
      case NT::Pipe: return eval_pipeline(dot, n);
      case NT::Identifier: return eval_function(dot, n, n, nullptr, nullptr);
      case NT::Chain: return eval_chain_node(dot, n, nullptr, nullptr);
      default: return eval_empty_interface(dot, n);
    }
  }

  GV validate_type(const GV& value, Param p) {
    if (value.k == GK::Invalid) {
      switch (p) {
        case Param::Any: {
          GV nil;
          nil.k = GK::Nil;
          nil.boxed = true;
          return nil;
        }
        case Param::ReflectValue: return GV{};
        case Param::String: errorf("invalid value; expected string");
      }
    }
    if (p != Param::String) return value;
    if (value.k == GK::String) return unbox(value);
    std::string got = value.k == GK::Nil ? "interface {}" : concrete_type(value);
    errorf("wrong type for value; expected string; got " + got);
  }

  GV eval_arg(const GV& dot, Param p, const Node* n) {
    at(n);
    switch (n->type) {
      case NT::Dot: return validate_type(dot, p);
      case NT::Nil:
        if (p == Param::String) errorf("cannot assign nil to string");
        if (p == Param::ReflectValue) return GV{};
        return validate_type(GV{}, Param::Any);
      case NT::Field: {
        std::vector<Node*> self{const_cast<Node*>(n)};
        return validate_type(eval_field_node(dot, n, &self, nullptr), p);
      }
      case NT::Variable: return validate_type(eval_variable_node(dot, n, nullptr, nullptr), p);
      case NT::Pipe: return validate_type(eval_pipeline(dot, n), p);
      case NT::Identifier: return validate_type(eval_function(dot, n, n, nullptr, nullptr), p);
      case NT::Chain: return validate_type(eval_chain_node(dot, n, nullptr, nullptr), p);
      default: break;
    }
    if (p == Param::String) {
      if (n->type == NT::String) return gv_string(n->text);
      errorf("expected string; found " + node_string(n));
    }
    return eval_empty_interface(dot, n);
  }

  GV eval_empty_interface(const GV& dot, const Node* n) {
    at(n);
    switch (n->type) {
      case NT::Bool: return gv_bool(n->truth);
      case NT::Dot: return dot;
      case NT::Number: return ideal_constant(n);
      case NT::String: return gv_string(n->text);
      default: errorf("can't handle assignment of " + node_string(n) + " to empty interface argument");
    }
  }

  // evalCall for the builtin functions.
  GV eval_call(const GV& dot, const std::string& name, const Node* node, const std::vector<Node*>* all_args,
               const GV* final) {
    std::vector<Node*> args;
    if (all_args) args.assign(all_args->begin() + 1, all_args->end());
    FuncSig sig = signature_of(name);
    size_t num_in = args.size() + (final ? 1 : 0);
    size_t num_params = sig.params.size();
    size_t num_fixed = args.size();
    if (sig.variadic) {
      num_fixed = num_params - 1;
      if (num_in < num_fixed)
        errorf("wrong number of args for " + name + ": want at least " + std::to_string(num_params - 1) + " got " +
               std::to_string(args.size()));
    } else if (num_in != num_params) {
      errorf("wrong number of args for " + name + ": want " + std::to_string(num_params) + " got " +
             std::to_string(num_in));
    }
    auto param_at = [&](size_t i) { return sig.params[std::min(i, num_params - 1)]; };

    if (name == "and" || name == "or") {
      GV v;
      for (const Node* a : args) {
        v = eval_arg(dot, Param::ReflectValue, a);
        if (truth(unbox(v)) == (name == "or")) return v;
      }
      if (final) v = *final;
      return v;
    }

    std::vector<GV> argv;
    argv.reserve(num_in);
    size_t i = 0;
    for (; i < num_fixed && i < args.size(); ++i) argv.push_back(eval_arg(dot, param_at(i), args[i]));
    if (sig.variadic)
      for (; i < args.size(); ++i) argv.push_back(eval_arg(dot, param_at(num_params - 1), args[i]));
    if (final) {
      Param p = sig.variadic ? (num_in - 1 < num_fixed ? param_at(num_in - 1) : param_at(num_params - 1))
                             : param_at(num_params - 1);
      argv.push_back(validate_type(*final, p));
    }
    std::string err;
    GV result;
    if (name == "call") {
      result = builtin_call(args.empty() ? std::string() : node_string(args[0]), argv, err);
    } else {
      result = call_builtin(name, argv, err);
    }
    if (!err.empty()) {
      at(node);
      errorf("error calling " + name + ": " + err);
    }
    return result;
  }

  static GV builtin_call(const std::string& callee, const std::vector<GV>& argv, std::string& err) {
    GV fn = argv.empty() ? GV{} : unbox(argv[0]);
    if (fn.k == GK::Invalid) {
      err = "call of nil";
    } else {
      err = "non-function " + callee + " of type " + std::string(concrete_type(fn));
    }
    return GV{};
  }

  GV call_builtin(const std::string& name, std::vector<GV>& a, std::string& err) {
    if (name == "print" || name == "printf" || name == "println") {
      Printer p;
      if (name == "print") {
        p.sprint(a);
      } else if (name == "println") {
        p.sprintln(a);
      } else {
        std::vector<GV> rest(a.begin() + 1, a.end());
        p.sprintf(a[0].str(), rest);
      }
      charge(p.buf.size());
      return gv_string(std::move(p.buf));
    }
    if (name == "html" || name == "js" || name == "urlquery") {
      std::string s = eval_args(a);
      std::string r = name == "html" ? html_escape(s) : name == "js" ? js_escape(s) : url_query_escape(s);
      if (r.size() > kMaxOutput) output_too_large();
      charge(s.size() + r.size());
      return gv_string(std::move(r));
    }
    if (name == "not") return gv_bool(!truth(unbox(a[0])));
    if (name == "len") {
      const GV& item = a[0];
      if (item.k == GK::Nil) {
        err = "len of nil pointer";
      } else if (item.k == GK::Invalid) {
        err = "reflect: call of reflect.Value.Type on zero Value";
      } else if (item.k == GK::String || item.k == GK::Number || item.k == GK::Map || item.k == GK::Slice) {
        return gv_int(static_cast<int64_t>(gv_len(item)));
      } else {
        err = std::string("len of type ") + concrete_type(item);
      }
      return GV{};
    }
    if (name == "index") return builtin_index(a, err);
    if (name == "slice") {
      GV r = builtin_slice(a, err);
      charge(gv_len(r));
      return r;
    }
    for (const GV& g : a)
      if (is_string_kind(g)) charge(g.str().size());  // comparisons below
    if (name == "eq") {
      if (a.size() < 2) {
        err = "missing argument for comparison";
        return GV{};
      }
      for (size_t k = 1; k < a.size(); ++k) {
        bool t = compare_eq(a[0], a[k], err);
        if (!err.empty()) return GV{};
        if (t) return gv_bool(true);
      }
      return gv_bool(false);
    }
    if (name == "ne") {
      bool t = compare_eq(a[0], a[1], err);
      return gv_bool(!t);
    }
    if (name == "lt" || name == "le" || name == "gt" || name == "ge") {
      bool less = compare_lt(a[0], a[1], err);
      if (!err.empty()) return gv_bool(false);
      if (name == "lt") return gv_bool(less);
      if (name == "ge") return gv_bool(!less);
      bool le = less || compare_eq(a[0], a[1], err);
      if (!err.empty()) return gv_bool(false);
      return gv_bool(name == "le" ? le : !le);
    }
    err = "unknown function";
    return GV{};
  }

  // evalArgs of html/js/urlquery: a single string as is, else fmt.Sprint with
  // "<no value>" for nil operands.
  static std::string eval_args(const std::vector<GV>& a) {
    if (a.size() == 1 && a[0].k == GK::String) return a[0].str();
    std::vector<GV> args;
    args.reserve(a.size());
    for (const GV& g : a) args.push_back(g.k == GK::Invalid || g.k == GK::Nil ? gv_string("<no value>") : unbox(g));
    return go_sprint(args);
  }

  enum class BK { Invalid, Bool, Int, Uint, Float, String };
  static BK basic_kind(const GV& g) {
    switch (g.k) {
      case GK::Bool: return BK::Bool;
      case GK::Int:
      case GK::Int64: return BK::Int;
      case GK::Uint8: return BK::Uint;
      case GK::Float: return BK::Float;
      case GK::String:
      case GK::Number: return BK::String;
      default: return BK::Invalid;
    }
  }
  static bool is_valid(const GV& g) { return g.k != GK::Invalid && g.k != GK::Nil; }

  static bool compare_eq(const GV& x, const GV& y, std::string& err) {
    GV a1 = unbox(x), a2 = unbox(y);
    BK k1 = basic_kind(a1), k2 = basic_kind(a2);
    if (k1 != k2) {
      if (k1 == BK::Int && k2 == BK::Uint) return a1.i >= 0 && a1.i == a2.i;
      if (k1 == BK::Uint && k2 == BK::Int) return a2.i >= 0 && a1.i == a2.i;
      if (is_valid(a1) && is_valid(a2))
        err = std::string("incompatible types for comparison: ") + concrete_type(a1) + " and " + concrete_type(a2);
      return false;
    }
    switch (k1) {
      case BK::Bool: return a1.b == a2.b;
      case BK::Int:
      case BK::Uint: return a1.i == a2.i;
      case BK::Float: return a1.f == a2.f;
      case BK::String: return a1.str() == a2.str();
      case BK::Invalid: break;
    }
    // non-basic kinds: nil compares with nil; maps and slices cannot be compared
    bool n1 = !is_valid(a1), n2 = !is_valid(a2);
    if (!n1 && !n2 && a1.k != a2.k) {
      err = "non-comparable types " + go_sprint({a1}) + ": " + concrete_type(a1) + ", " + concrete_type(a2) + ": " +
            go_sprint({a2});
      return false;
    }
    if (n1 || n2) return n1 == n2;
    err = "non-comparable type " + go_sprint({a2}) + ": " + concrete_type(a2);
    return false;
  }

  static bool compare_lt(const GV& x, const GV& y, std::string& err) {
    GV a1 = unbox(x), a2 = unbox(y);
    BK k1 = basic_kind(a1), k2 = basic_kind(a2);
    if (k1 == BK::Invalid || k2 == BK::Invalid) {
      err = "invalid type for comparison";
      return false;
    }
    if (k1 != k2) {
      if (k1 == BK::Int && k2 == BK::Uint) return a1.i < 0 || a1.i < a2.i;
      if (k1 == BK::Uint && k2 == BK::Int) return a2.i >= 0 && a1.i < a2.i;
      err = std::string("incompatible types for comparison: ") + concrete_type(a1) + " and " + concrete_type(a2);
      return false;
    }
    switch (k1) {
      case BK::Bool:
        err = "invalid type for comparison";
        return false;
      case BK::Int:
      case BK::Uint: return a1.i < a2.i;
      case BK::Float: return a1.f < a2.f;
      case BK::String: return a1.str() < a2.str();
      default: return false;
    }
  }

  // indexArg: an integer index within [0, cap].
  static bool index_arg(const GV& index, size_t cap, int64_t& x, std::string& err) {
    GV i = unbox(index);
    if (i.k == GK::Int || i.k == GK::Int64 || i.k == GK::Uint8) {
      x = i.i;
    } else if (i.k == GK::Invalid) {
      err = "cannot index slice/array with nil";
      return false;
    } else {
      err = std::string("cannot index slice/array with type ") + concrete_type(i);
      return false;
    }
    if (x < 0 || static_cast<uint64_t>(x) > cap) {
      err = "index out of range: " + std::to_string(x);
      return false;
    }
    return true;
  }

  static GV builtin_index(const std::vector<GV>& a, std::string& err) {
    GV item = a[0];
    if (item.k == GK::Invalid || item.k == GK::Nil) {
      err = "index of untyped nil";
      return GV{};
    }
    item = unbox(item);
    for (size_t k = 1; k < a.size(); ++k) {
      if (item.k == GK::Nil) {
        err = "index of nil pointer";
        return GV{};
      }
      switch (item.k) {
        case GK::Slice:
        case GK::String:
        case GK::Number: {
          int64_t x = 0;
          size_t len = gv_len(item);
          if (!index_arg(a[k], len, x, err)) return GV{};
          if (static_cast<size_t>(x) == len) {
            err = item.k == GK::Slice ? "reflect: slice index out of range" : "reflect: string index out of range";
            return GV{};
          }
          if (item.k == GK::Slice) {
            item = gv_from(item.v.items()[static_cast<size_t>(x)], true);
          } else {
            item = gv_int(static_cast<unsigned char>(item.str()[static_cast<size_t>(x)]), GK::Uint8);
          }
          break;
        }
        case GK::Map: {
          GV key = unbox(a[k]);
          if (key.k == GK::Invalid) key = gv_string("");
          if (key.k != GK::String) {
            err = std::string("value has type ") + concrete_type(key) + "; should be string";
            return GV{};
          }
          if (const Value* x = item.v.find(key.str())) {
            item = gv_from(*x, true);
          } else {
            item = GV{};
            item.k = GK::Nil;
            item.boxed = true;
          }
          break;
        }
        default:
          err = std::string("can't index item of type ") + concrete_type(unbox(item));
          return GV{};
      }
    }
    return item;
  }

  static GV builtin_slice(const std::vector<GV>& a, std::string& err) {
    GV item = unbox(a[0]);
    if (item.k == GK::Invalid) {
      err = "slice of untyped nil";
      return GV{};
    }
    size_t nidx = a.size() - 1;
    if (nidx > 3) {
      err = "too many slice indexes: " + std::to_string(nidx);
      return GV{};
    }
    if (item.k == GK::String || item.k == GK::Number) {
      if (nidx == 3) {
        err = "cannot 3-index slice a string";
        return GV{};
      }
    } else if (item.k != GK::Slice) {
      err = std::string("can't slice item of type ") + concrete_type(item);
      return GV{};
    }
    size_t len = gv_len(item);
    int64_t idx[3] = {0, static_cast<int64_t>(len), 0};
    for (size_t k = 0; k < nidx; ++k)
      if (!index_arg(a[k + 1], len, idx[k], err)) return GV{};
    if (idx[0] > idx[1]) {
      err = "invalid slice index: " + std::to_string(idx[0]) + " > " + std::to_string(idx[1]);
      return GV{};
    }
    if (nidx == 3 && idx[1] > idx[2]) {
      err = "invalid slice index: " + std::to_string(idx[1]) + " > " + std::to_string(idx[2]);
      return GV{};
    }
    auto b = static_cast<size_t>(idx[0]), e = static_cast<size_t>(idx[1]);
    if (item.k == GK::Slice) {
      const auto& items = item.v.items();
      GV out;
      out.k = GK::Slice;
      out.v = Value::array(std::vector<Value>(items.begin() + static_cast<std::ptrdiff_t>(b),
                                              items.begin() + static_cast<std::ptrdiff_t>(e)));
      return out;
    }
    return gv_string(item.str().substr(b, e - b), item.k);
  }

  const TemplateSet& set_;
  MissingKey missing_;
  const Tree* tmpl_ = nullptr;
  const Node* node_ = nullptr;
  std::vector<Var> vars_;
  std::string out_;
  limits::Growth out_growth_;
  int depth_ = 0;
  int64_t steps_ = 0, work_bytes_ = 0;
};

// ------------------------------------------------------------------ the builtin

// OPA decodes the variables with ast.As, i.e. it prints the object as Rego
// text and parses that as JSON. Sets and non-string object keys do not
// survive that; report the error Go's decoder gives at the first of them.
char first_char_of(const Value& v) {
  switch (v.kind()) {
    case Kind::Null: return 'n';
    case Kind::Bool: return v.as_bool() ? 't' : 'f';
    case Kind::Number: return number_text(v)[0];
    case Kind::String: return '"';
    case Kind::Array: return '[';
    case Kind::Object: return '{';
    case Kind::Set: return v.size() == 0 ? 's' : '{';
    default: return '?';
  }
}

std::string json_decode_error(const Value& v) {
  switch (v.kind()) {
    case Kind::Set: {
      if (v.size() == 0) return "invalid character 's' looking for beginning of value";
      const Value& first = v.items()[0];
      if (first.is_string())
        return std::string("invalid character '") + (v.size() == 1 ? '}' : ',') + "' after object key";
      return std::string("invalid character '") + first_char_of(first) + "' looking for beginning of object key string";
    }
    case Kind::Object:
      for (const auto& [k, x] : v.entries()) {
        if (!k.is_string())
          return std::string("invalid character '") + first_char_of(k) + "' looking for beginning of object key string";
        std::string e = json_decode_error(x);
        if (!e.empty()) return e;
      }
      return "";
    case Kind::Array:
      for (const Value& x : v.items()) {
        std::string e = json_decode_error(x);
        if (!e.empty()) return e;
      }
      return "";
    default: return "";
  }
}

Value render_template(Context&, const Value* args) {
  const std::string& text = need_string(args, 1);
  const Value& vars = need_object(args, 2);
  std::string decode_error = json_decode_error(vars);
  if (!decode_error.empty()) throw BuiltinError(decode_error);
  TemplateSet set = parse_template(text);
  GV root;
  root.k = GK::Map;
  root.v = vars;
  return Value::string(Executor(set, MissingKey::Error).execute(root));
}

}  // namespace

void register_template(Registry& r) {
  r.add({"strings.render_template", 2, render_template, "(string, object) => string"});
}

}  // namespace wartburg::builtins
