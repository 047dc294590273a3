// GraphQL lexer and recursive-descent parser for query documents and schema
// (SDL) documents. Error texts and positions match those of gqlparser, the
// library OPA uses ("Expected Name, found <EOF>", "Unexpected Name \"x\"",
// columns counted in characters, string tokens positioned after their opening
// quote). Nesting deeper than kMaxDepth is an error, so hostile input cannot
// exhaust the stack.
#include <cstdint>
#include <string>
#include <string_view>

#include "policy/builtins/graphql_ast.h"
#include "policy/builtins/registry.h"

namespace wartburg::graphql {
namespace {

using builtins::go_quote;

enum class Tok {
  Invalid, Eof, Bang, Dollar, Amp, ParenL, ParenR, Spread, Colon, Equals, At,
  BracketL, BracketR, BraceL, BraceR, Pipe, Name, Int, Float, String, BlockString
};

const char* tok_name(Tok k) {
  switch (k) {
    case Tok::Invalid: return "<Invalid>";
    case Tok::Eof: return "<EOF>";
    case Tok::Bang: return "!";
    case Tok::Dollar: return "$";
    case Tok::Amp: return "&";
    case Tok::ParenL: return "(";
    case Tok::ParenR: return ")";
    case Tok::Spread: return "...";
    case Tok::Colon: return ":";
    case Tok::Equals: return "=";
    case Tok::At: return "@";
    case Tok::BracketL: return "[";
    case Tok::BracketR: return "]";
    case Tok::BraceL: return "{";
    case Tok::BraceR: return "}";
    case Tok::Pipe: return "|";
    case Tok::Name: return "Name";
    case Tok::Int: return "Int";
    case Tok::Float: return "Float";
    case Tok::String: return "String";
    case Tok::BlockString: return "BlockString";
  }
  return "?";
}


struct Token {
  Tok kind = Tok::Invalid;
  std::string value;
  Pos pos;
  std::string error;  // lexer message for an Invalid token
  std::string str() const {
    return value.empty() ? tok_name(kind) : std::string(tok_name(kind)) + " " + go_quote(value);
  }
};

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

size_t utf8_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 1;
}

// The block string value: common indentation and leading/trailing blank lines
// removed (GraphQL spec, BlockStringValue()).
std::string block_string_value(const std::string& raw) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i <= raw.size(); ++i) {
    if (i == raw.size() || raw[i] == '\n') {
      lines.push_back(raw.substr(start, i - start));
      start = i + 1;
    }
  }
  size_t common = std::string::npos;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    size_t indent = 0;
    while (indent < l.size() && (l[indent] == ' ' || l[indent] == '\t')) ++indent;
    if (indent < l.size() && indent < common) common = indent;
  }
  if (common != std::string::npos && common > 0) {
    for (size_t i = 1; i < lines.size(); ++i) {
      lines[i] = lines[i].size() >= common ? lines[i].substr(common) : std::string();
    }
  }
  auto blank = [](const std::string& l) {
    for (char c : l)
      if (c != ' ' && c != '\t') return false;
    return true;
  };
  size_t first = 0, last = lines.size();
  while (first < last && blank(lines[first])) ++first;
  while (last > first && blank(lines[last - 1])) --last;
  std::string out;
  for (size_t i = first; i < last; ++i) {
    if (i > first) out += '\n';
    out += lines[i];
  }
  return out;
}

class Lexer {
 public:
  explicit Lexer(const std::string& in) : in_(in) {}

  Token next() {
    skip_ignored();
    start_ = end_;
    start_runes_ = end_runes_;
    if (end_ >= in_.size()) return make(Tok::Eof, "");
    char c = in_[start_];
    ++end_;
    ++end_runes_;
    switch (c) {
      case '!': return make(Tok::Bang, "");
      case '$': return make(Tok::Dollar, "");
      case '&': return make(Tok::Amp, "");
      case '(': return make(Tok::ParenL, "");
      case ')': return make(Tok::ParenR, "");
      case ':': return make(Tok::Colon, "");
      case '=': return make(Tok::Equals, "");
      case '@': return make(Tok::At, "");
      case '[': return make(Tok::BracketL, "");
      case ']': return make(Tok::BracketR, "");
      case '{': return make(Tok::BraceL, "");
      case '}': return make(Tok::BraceR, "");
      case '|': return make(Tok::Pipe, "");
      case '.':
        if (in_.compare(start_, 3, "...") == 0) {
          end_ += 2;
          end_runes_ += 2;
          return make(Tok::Spread, "");
        }
        break;
      case '"':
        if (in_.compare(start_, 3, "\"\"\"") == 0) return block_string();
        return string();
      default:
        if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return name();
        if (c == '-' || (c >= '0' && c <= '9')) return number();
    }
    --end_;
    --end_runes_;
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      // (sic) gqlparser prints the code in decimal after \u
      char buf[16];
      snprintf(buf, sizeof buf, "%04d", int(u));
      return error(std::string("Cannot contain the invalid character \"\\u") + buf + "\"");
    }
    if (c == '\'') {
      return error("Unexpected single quote character ('), did you mean to use a double quote (\")?");
    }
    return error("Cannot parse the unexpected character \"" + in_.substr(start_, utf8_len(u)) + "\".");
  }

 private:
  Token make(Tok k, std::string value) {
    Token t;
    t.kind = k;
    t.value = std::move(value);
    t.pos = Pos{line_, int(start_runes_ - line_start_runes_ + 1)};
    return t;
  }
  Token error(std::string msg) {
    Token t;
    t.kind = Tok::Invalid;
    t.pos = Pos{line_, int(end_runes_ - line_start_runes_ + 1)};
    t.error = std::move(msg);
    return t;
  }
  void newline() {
    ++line_;
    line_start_runes_ = end_runes_;
  }

  void skip_ignored() {
    while (end_ < in_.size()) {
      char c = in_[end_];
      if (c == '\t' || c == ' ' || c == ',') {
        ++end_;
        ++end_runes_;
      } else if (c == '\n') {
        ++end_;
        ++end_runes_;
        newline();
      } else if (c == '\r') {
        ++end_;
        ++end_runes_;
        newline();
        if (end_ < in_.size() && in_[end_] == '\n') {
          ++end_;
          ++end_runes_;
        }
      } else if (static_cast<unsigned char>(c) == 0xEF && end_ + 2 < in_.size() &&
                 static_cast<unsigned char>(in_[end_ + 1]) == 0xBB &&
                 static_cast<unsigned char>(in_[end_ + 2]) == 0xBF) {
        end_ += 3;  // byte order mark
        ++end_runes_;
      } else if (c == '#') {
        // comment up to the end of the line
        while (end_ < in_.size()) {
          unsigned char u = static_cast<unsigned char>(in_[end_]);
          if (u < 0x20 && u != '\t') break;
          end_ += utf8_len(u);
          ++end_runes_;
        }
      } else {
        return;
      }
    }
  }

  Token name() {
    while (end_ < in_.size()) {
      char c = in_[end_];
      if (c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        ++end_;
        ++end_runes_;
      } else {
        break;
      }
    }
    return make(Tok::Name, in_.substr(start_, end_ - start_));
  }

  bool accept(char a, char b = 0) {
    if (end_ < in_.size() && (in_[end_] == a || (b && in_[end_] == b))) {
      ++end_;
      ++end_runes_;
      return true;
    }
    return false;
  }
  int digits() {
    int n = 0;
    while (end_ < in_.size() && in_[end_] >= '0' && in_[end_] <= '9') {
      ++end_;
      ++end_runes_;
      ++n;
    }
    return n;
  }
  std::string describe_next() const {
    return end_ < in_.size() ? "\"" + std::string(1, in_[end_]) + "\"" : "<EOF>";
  }

  Token number() {
    --end_;
    --end_runes_;
    bool is_float = false;
    accept('-');
    if (accept('0')) {
      if (int n = digits(); n != 0) {
        end_ -= n;
        end_runes_ -= n;
        return error("Invalid number, unexpected digit after 0: " + describe_next() + ".");
      }
    } else if (digits() == 0) {
      return error("Invalid number, expected digit but got: " + describe_next() + ".");
    }
    if (accept('.')) {
      is_float = true;
      if (digits() == 0) return error("Invalid number, expected digit but got: " + describe_next() + ".");
    }
    if (accept('e', 'E')) {
      is_float = true;
      accept('-', '+');
      if (digits() == 0) return error("Invalid number, expected digit but got: " + describe_next() + ".");
    }
    return make(is_float ? Tok::Float : Tok::Int, in_.substr(start_, end_ - start_));
  }

  static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  Token string() {
    ++start_;  // the token starts after the opening quote
    ++start_runes_;
    std::string buf;
    while (end_ < in_.size()) {
      unsigned char c = static_cast<unsigned char>(in_[end_]);
      if (c == '\n' || c == '\r') break;
      if (c < 0x20 && c != '\t') {
        char b[16];
        snprintf(b, sizeof b, "%04d", int(c));
        return error(std::string("Invalid character within String: \"\\u") + b + "\".");
      }
      if (c == '"') {
        Token t = make(Tok::String, buf);
        ++end_;
        ++end_runes_;
        return t;
      }
      if (c == '\\') {
        if (end_ + 1 >= in_.size()) {
          ++end_;
          ++end_runes_;
          return error("Invalid character escape sequence.");
        }
        char esc = in_[end_ + 1];
        if (esc == 'u') {
          if (end_ + 6 >= in_.size()) {
            ++end_;
            ++end_runes_;
            return error("Invalid character escape sequence: \\" + in_.substr(end_) + ".");
          }
          uint32_t cp = 0;
          for (size_t i = 2; i < 6; ++i) {
            int h = hexval(in_[end_ + i]);
            if (h < 0) {
              ++end_;
              ++end_runes_;
              return error("Invalid character escape sequence: \\" + in_.substr(end_, 5) + ".");
            }
            cp = cp * 16 + uint32_t(h);
          }
          append_utf8(buf, cp);
          end_ += 6;
          end_runes_ += 6;
        } else {
          switch (esc) {
            case '"': case '/': case '\\': buf += esc; break;
            case 'b': buf += '\b'; break;
            case 'f': buf += '\f'; break;
            case 'n': buf += '\n'; break;
            case 'r': buf += '\r'; break;
            case 't': buf += '\t'; break;
            default:
              ++end_;
              ++end_runes_;
              return error(std::string("Invalid character escape sequence: \\") + esc + ".");
          }
          end_ += 2;
          end_runes_ += 2;
        }
        continue;
      }
      size_t w = utf8_len(c);
      buf.append(in_, end_, w);
      end_ += w;
      ++end_runes_;
    }
    return error("Unterminated string.");
  }

  Token block_string() {
    start_ += 3;
    start_runes_ += 3;
    end_ += 2;
    end_runes_ += 2;
    std::string buf;
    while (end_ < in_.size()) {
      unsigned char c = static_cast<unsigned char>(in_[end_]);
      if (c == '"' && in_.compare(end_, 3, "\"\"\"") == 0) {
        Token t = make(Tok::BlockString, block_string_value(buf));
        end_ += 3;
        end_runes_ += 3;
        return t;
      }
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        char b[16];
        snprintf(b, sizeof b, "%04d", int(c));
        return error(std::string("Invalid character within String: \"\\u") + b + "\".");
      }
      if (c == '\\' && in_.compare(end_, 4, "\\\"\"\"") == 0) {
        buf += "\"\"\"";
        end_ += 4;
        end_runes_ += 4;
      } else if (c == '\r') {
        if (end_ + 1 < in_.size() && in_[end_ + 1] == '\n') {
          ++end_;
          ++end_runes_;
        }
        buf += '\n';
        ++end_;
        ++end_runes_;
        newline();
      } else {
        size_t w = utf8_len(c);
        buf.append(in_, end_, w);
        end_ += w;
        ++end_runes_;
        if (c == '\n') newline();
      }
    }
    return error("Unterminated string.");
  }

  const std::string& in_;
  size_t start_ = 0, end_ = 0;
  size_t start_runes_ = 0, end_runes_ = 0;
  int line_ = 1;
  size_t line_start_runes_ = 0;
};

// The parser. Mirrors gqlparser's control flow (peek/next/expect/some/many)
// so that the first error reported is the same one; errors are thrown.
class Parser {
 public:
  explicit Parser(const std::string& text) : lex_(text) {}

  QueryDoc query_document() {
    QueryDoc doc;
    while (peek().kind != Tok::Eof) {
      const Token& t = peek();
      if (t.kind == Tok::Name) {
        if (t.value == "query" || t.value == "mutation" || t.value == "subscription") {
          doc.operations.push_back(operation_definition());
        } else if (t.value == "fragment") {
          doc.fragments.push_back(fragment_definition());
        } else {
          unexpected(t);
        }
      } else if (t.kind == Tok::BraceL) {
        doc.operations.push_back(operation_definition());
      } else {
        unexpected(t);
      }
    }
    return doc;
  }

  SchemaDoc schema_document(bool builtin) {
    SchemaDoc doc;
    while (peek().kind != Tok::Eof) {
      std::string description;
      if (peek().kind == Tok::BlockString || peek().kind == Tok::String) description = next().value;
      if (peek().kind != Tok::Name) unexpected(peek());
      const std::string v = peek().value;
      if (v == "scalar" || v == "type" || v == "interface" || v == "union" || v == "enum" ||
          v == "input") {
        doc.definitions.push_back(type_definition(description));
        doc.definitions.back().builtin = builtin;
      } else if (v == "schema") {
        doc.schema.push_back(schema_definition(description));
      } else if (v == "directive") {
        doc.directives.push_back(directive_definition(description));
      } else if (v == "extend") {
        if (!description.empty()) unexpected(prev_);
        type_system_extension(doc);
        if (!doc.extensions.empty()) doc.extensions.back().builtin = builtin;
      } else {
        unexpected(peek());
      }
    }
    return doc;
  }

 private:
  // ---- token plumbing ----
  const Token& peek() {
    if (!peeked_) {
      peek_ = lex_.next();
      peeked_ = true;
    }
    return peek_;
  }
  Token next() {
    Token t = peeked_ ? std::move(peek_) : lex_.next();
    peeked_ = false;
    if (t.kind == Tok::Invalid) throw Error(t.error, t.pos);
    prev_ = t;
    return t;
  }
  [[noreturn]] void fail(const Token& at, std::string msg) { throw Error(std::move(msg), at.pos); }
  [[noreturn]] void unexpected(const Token& t) { fail(t, "Unexpected " + t.str()); }
  Token expect(Tok k) {
    const Token& t = peek();
    if (t.kind == k) return next();
    fail(t, std::string("Expected ") + tok_name(k) + ", found " + tok_name(t.kind));
  }
  Token expect_keyword(const char* word) {
    const Token& t = peek();
    if (t.kind == Tok::Name && t.value == word) return next();
    fail(t, "Expected " + go_quote(word) + ", found " + t.str());
  }
  bool skip(Tok k) {
    if (peek().kind != k) return false;
    next();
    return true;
  }
  // `start item* end`, absent when there is no `start`.
  template <class F>
  void many(Tok start, Tok end, F item) {
    if (!skip(start)) return;
    while (peek().kind != end) item();
    next();
  }
  // `start item+ end`, absent when there is no `start`.
  template <class F>
  void some(Tok start, Tok end, F item) {
    if (!skip(start)) return;
    bool called = false;
    while (peek().kind != end) {
      called = true;
      item();
    }
    if (!called) fail(peek(), std::string("expected at least one definition, found ") + tok_name(peek().kind));
    next();
  }
  std::string name() { return expect(Tok::Name).value; }

  struct DepthGuard {
    Parser& p;
    explicit DepthGuard(Parser& parser) : p(parser) {
      if (++p.depth_ > kMaxDepth) {
        p.fail(p.peek(), "exceeded the maximum nesting depth of " + std::to_string(kMaxDepth));
      }
    }
    ~DepthGuard() { --p.depth_; }
  };

  // ---- executable documents ----
  Operation operation_definition() {
    Operation op;
    op.pos = peek().pos;
    if (peek().kind == Tok::BraceL) {
      op.operation = "query";
      op.selections = required_selection_set();
      return op;
    }
    op.operation = operation_type();
    if (peek().kind == Tok::Name) op.name = next().value;
    op.vars = variable_definitions();
    op.directives = directives(false);
    op.selections = required_selection_set();
    return op;
  }

  std::string operation_type() {
    Token t = next();
    if (t.value == "query" || t.value == "mutation" || t.value == "subscription") return t.value;
    unexpected(t);
  }

  std::vector<VariableDef> variable_definitions() {
    std::vector<VariableDef> defs;
    many(Tok::ParenL, Tok::ParenR, [&] {
      VariableDef d;
      d.pos = peek().pos;
      expect(Tok::Dollar);
      d.name = name();
      expect(Tok::Colon);
      d.type = type_reference();
      if (skip(Tok::Equals)) d.default_value = value_literal(true);
      d.directives = directives(false);
      defs.push_back(std::move(d));
    });
    return defs;
  }

  std::vector<SelPtr> selection_set_body() {
    DepthGuard guard(*this);
    std::vector<SelPtr> sels;
    some(Tok::BraceL, Tok::BraceR, [&] { sels.push_back(selection()); });
    return sels;
  }
  std::vector<SelPtr> required_selection_set() {
    if (peek().kind != Tok::BraceL) {
      fail(peek(), std::string("Expected {, found ") + tok_name(peek().kind));
    }
    return selection_set_body();
  }

  SelPtr selection() {
    auto sel = std::make_shared<Selection>();
    if (peek().kind == Tok::Spread) {
      next();
      if (peek().kind == Tok::Name && peek().value != "on") {
        sel->kind = Selection::Spread;
        sel->pos = peek().pos;
        sel->name = name();
        sel->directives = directives(false);
        return sel;
      }
      sel->kind = Selection::Inline;
      sel->pos = peek().pos;
      if (peek().value == "on") {
        next();
        sel->type_condition = name();
      }
      sel->directives = directives(false);
      sel->selections = required_selection_set();
      return sel;
    }
    sel->kind = Selection::Field;
    sel->pos = peek().pos;
    sel->alias = name();
    sel->name = skip(Tok::Colon) ? name() : sel->alias;
    sel->args = arguments(false);
    sel->directives = directives(false);
    if (peek().kind == Tok::BraceL) sel->selections = selection_set_body();
    return sel;
  }

  std::vector<Argument> arguments(bool is_const) {
    std::vector<Argument> args;
    many(Tok::ParenL, Tok::ParenR, [&] {
      Argument a;
      a.pos = peek().pos;
      a.name = name();
      expect(Tok::Colon);
      a.value = value_literal(is_const);
      args.push_back(std::move(a));
    });
    return args;
  }

  Fragment fragment_definition() {
    Fragment f;
    f.pos = peek().pos;
    expect_keyword("fragment");
    if (peek().value == "on") unexpected(peek());
    f.name = name();
    f.vars = variable_definitions();
    expect_keyword("on");
    f.type_condition = name();
    f.directives = directives(false);
    f.selections = required_selection_set();
    return f;
  }

  LitPtr value_literal(bool is_const) {
    DepthGuard guard(*this);
    auto lit = std::make_shared<Literal>();
    const Token& t = peek();
    lit->pos = t.pos;
    switch (t.kind) {
      case Tok::BracketL:
        lit->kind = LitKind::List;
        many(Tok::BracketL, Tok::BracketR, [&] {
          ChildLiteral c;
          c.pos = peek().pos;
          c.value = value_literal(is_const);
          lit->children.push_back(std::move(c));
        });
        return lit;
      case Tok::BraceL:
        lit->kind = LitKind::Object;
        many(Tok::BraceL, Tok::BraceR, [&] {
          ChildLiteral c;
          c.pos = peek().pos;
          c.name = name();
          expect(Tok::Colon);
          c.value = value_literal(is_const);
          lit->children.push_back(std::move(c));
        });
        return lit;
      case Tok::Dollar:
        if (is_const) unexpected(t);
        next();
        lit->kind = LitKind::Variable;
        lit->raw = name();
        return lit;
      case Tok::Int: lit->kind = LitKind::Int; break;
      case Tok::Float: lit->kind = LitKind::Float; break;
      case Tok::String: lit->kind = LitKind::String; break;
      case Tok::BlockString: lit->kind = LitKind::Block; break;
      case Tok::Name:
        if (t.value == "true" || t.value == "false") {
          lit->kind = LitKind::Boolean;
        } else if (t.value == "null") {
          lit->kind = LitKind::Null;
        } else {
          lit->kind = LitKind::Enum;
        }
        break;
      default:
        unexpected(t);
    }
    lit->raw = next().value;
    return lit;
  }

  std::vector<Directive> directives(bool is_const) {
    std::vector<Directive> dirs;
    while (peek().kind == Tok::At) {
      next();
      Directive d;
      d.pos = peek().pos;
      d.name = name();
      d.args = arguments(is_const);
      dirs.push_back(std::move(d));
    }
    return dirs;
  }

  TypePtr type_reference() {
    DepthGuard guard(*this);
    auto t = std::make_shared<TypeRef>();
    if (skip(Tok::BracketL)) {
      t->pos = peek().pos;
      t->elem = type_reference();
      expect(Tok::BracketR);
    } else {
      t->pos = peek().pos;
      t->named = name();
    }
    if (skip(Tok::Bang)) t->non_null = true;
    return t;
  }

  // ---- type system documents ----
  Definition type_definition(const std::string& description) {
    const std::string kw = peek().value;
    Definition d;
    expect_keyword(kw.c_str());
    d.pos = peek().pos;
    d.description = description;
    d.name = name();
    if (kw == "scalar") {
      d.kind = "SCALAR";
      d.directives = directives(true);
    } else if (kw == "type" || kw == "interface") {
      d.kind = kw == "type" ? "OBJECT" : "INTERFACE";
      d.interfaces = implements_interfaces();
      d.directives = directives(true);
      d.fields = fields_definition();
    } else if (kw == "union") {
      d.kind = "UNION";
      d.directives = directives(true);
      d.types = union_members();
    } else if (kw == "enum") {
      d.kind = "ENUM";
      d.directives = directives(true);
      d.enum_values = enum_values();
    } else {
      d.kind = "INPUT_OBJECT";
      d.directives = directives(true);
      d.fields = input_fields();
    }
    return d;
  }

  std::string description() {
    if (peek().kind != Tok::BlockString && peek().kind != Tok::String) return "";
    return next().value;
  }

  std::vector<std::string> implements_interfaces() {
    std::vector<std::string> out;
    if (peek().value == "implements") {
      next();
      skip(Tok::Amp);
      out.push_back(name());
      while (skip(Tok::Amp)) out.push_back(name());
    }
    return out;
  }

  std::vector<FieldDef> fields_definition() {
    std::vector<FieldDef> out;
    some(Tok::BraceL, Tok::BraceR, [&] {
      FieldDef f;
      f.pos = peek().pos;
      f.description = description();
      f.name = name();
      f.args = argument_defs();
      expect(Tok::Colon);
      f.type = type_reference();
      f.directives = directives(true);
      out.push_back(std::move(f));
    });
    return out;
  }

  // `description? name: Type (= default)? @directives*`, between `open` and
  // `close`: field arguments and input object fields share this form.
  template <class Def>
  std::vector<Def> value_defs(Tok open, Tok close) {
    std::vector<Def> out;
    some(open, close, [&] {
      Def d;
      d.pos = peek().pos;
      d.description = description();
      d.name = name();
      expect(Tok::Colon);
      d.type = type_reference();
      if (skip(Tok::Equals)) d.default_value = value_literal(true);
      d.directives = directives(true);
      out.push_back(std::move(d));
    });
    return out;
  }

  std::vector<ArgumentDef> argument_defs() { return value_defs<ArgumentDef>(Tok::ParenL, Tok::ParenR); }
  std::vector<FieldDef> input_fields() { return value_defs<FieldDef>(Tok::BraceL, Tok::BraceR); }

  std::vector<std::string> union_members() {
    std::vector<std::string> out;
    if (skip(Tok::Equals)) {
      skip(Tok::Pipe);
      out.push_back(name());
      while (skip(Tok::Pipe)) out.push_back(name());
    }
    return out;
  }

  std::vector<EnumValueDef> enum_values() {
    std::vector<EnumValueDef> out;
    some(Tok::BraceL, Tok::BraceR, [&] {
      EnumValueDef e;
      e.pos = peek().pos;
      e.description = description();
      e.name = name();
      e.directives = directives(true);
      out.push_back(std::move(e));
    });
    return out;
  }

  OperationTypeDef operation_type_definition() {
    OperationTypeDef o;
    o.pos = peek().pos;
    o.operation = operation_type();
    expect(Tok::Colon);
    o.type = name();
    return o;
  }

  SchemaDef schema_definition(const std::string& description) {
    expect_keyword("schema");
    SchemaDef s;
    s.pos = peek().pos;
    s.description = description;
    s.directives = directives(true);
    some(Tok::BraceL, Tok::BraceR, [&] { s.operation_types.push_back(operation_type_definition()); });
    return s;
  }

  void type_system_extension(SchemaDoc& doc) {
    expect_keyword("extend");
    const std::string kw = peek().value;
    if (kw == "schema") {
      next();
      SchemaDef s;
      s.pos = peek().pos;
      s.directives = directives(true);
      some(Tok::BraceL, Tok::BraceR, [&] { s.operation_types.push_back(operation_type_definition()); });
      if (s.directives.empty() && s.operation_types.empty()) unexpected(peek());
      doc.schema_extensions.push_back(std::move(s));
      return;
    }
    if (kw != "scalar" && kw != "type" && kw != "interface" && kw != "union" && kw != "enum" &&
        kw != "input") {
      unexpected(peek());
    }
    next();
    Definition d;
    d.pos = peek().pos;
    d.name = name();
    bool empty = false;
    if (kw == "scalar") {
      d.kind = "SCALAR";
      d.directives = directives(true);
      empty = d.directives.empty();
    } else if (kw == "type") {
      d.kind = "OBJECT";
      d.interfaces = implements_interfaces();
      d.directives = directives(true);
      d.fields = fields_definition();
      empty = d.interfaces.empty() && d.directives.empty() && d.fields.empty();
    } else if (kw == "interface") {
      d.kind = "INTERFACE";
      d.directives = directives(true);
      d.fields = fields_definition();
      empty = d.directives.empty() && d.fields.empty();
    } else if (kw == "union") {
      d.kind = "UNION";
      d.directives = directives(true);
      d.types = union_members();
      empty = d.directives.empty() && d.types.empty();
    } else if (kw == "enum") {
      d.kind = "ENUM";
      d.directives = directives(true);
      d.enum_values = enum_values();
      empty = d.directives.empty() && d.enum_values.empty();
    } else {
      d.kind = "INPUT_OBJECT";
      d.directives = directives(false);
      d.fields = input_fields();
      empty = d.directives.empty() && d.fields.empty();
    }
    if (empty) unexpected(peek());
    doc.extensions.push_back(std::move(d));
  }

  DirectiveDef directive_definition(const std::string& description) {
    expect_keyword("directive");
    expect(Tok::At);
    DirectiveDef d;
    d.pos = peek().pos;
    d.description = description;
    d.name = name();
    d.args = argument_defs();
    if (peek().kind == Tok::Name && peek().value == "repeatable") {
      d.repeatable = true;
      next();
    }
    expect_keyword("on");
    skip(Tok::Pipe);
    d.locations.push_back(directive_location());
    while (skip(Tok::Pipe)) d.locations.push_back(directive_location());
    return d;
  }

  std::string directive_location() {
    static const char* const kLocations[] = {
        "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
        "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
        "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT",
        "INPUT_FIELD_DEFINITION"};
    Token t = expect(Tok::Name);
    for (const char* loc : kLocations)
      if (t.value == loc) return t.value;
    unexpected(t);
  }

  Lexer lex_;
  Token peek_;
  bool peeked_ = false;
  Token prev_;
  int depth_ = 0;
};

}  // namespace

std::string type_string(const TypeRef& t) {
  std::string s = t.elem ? "[" + type_string(*t.elem) + "]" : t.named;
  return t.non_null ? s + "!" : s;
}

QueryDoc parse_query(const std::string& text) { return Parser(text).query_document(); }

SchemaDoc parse_schema(const std::string& text, bool builtin) {
  return Parser(text).schema_document(builtin);
}

}  // namespace wartburg::graphql
