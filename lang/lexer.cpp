// Lexer implementation: each token class is recognised by a Boost.Spirit X3
// rule at the current position; positions (row, column) are tracked here.
#include "lang/lexer.h"

#include <boost/spirit/home/x3.hpp>
#include <cctype>
#include <cstring>

#include "policy/utf8.h"

namespace wartburg::lang {

namespace x3 = boost::spirit::x3;

namespace grammar {
using x3::char_;
using x3::digit;
using x3::lit;

const auto ident_start = x3::alpha | char_('_');
const auto ident = x3::raw[ident_start >> *(x3::alnum | char_('_'))];
const auto integer_part = lit('0') | (char_("1-9") >> *digit);
const auto number = x3::raw[integer_part >> -(lit('.') >> +digit) >> -(char_("eE") >> -char_("+-") >> +digit)];
const auto escape = lit('\\') >> (char_("\"\\/bfnrt") | (lit('u') >> x3::repeat(4)[x3::xdigit]));
const auto string_lit = x3::raw[lit('"') >> *(escape | (char_ - char_("\"\\\n"))) >> lit('"')];
const auto raw_string = x3::raw[lit('`') >> *(char_ - '`') >> lit('`')];
}  // namespace grammar

const char* tok_text(Tok t) {
  switch (t) {
    case Tok::End: return "EOF";
    case Tok::Ident: return "ident";
    case Tok::Number: return "number";
    case Tok::String: return "string";
    case Tok::RawString: return "string";
    case Tok::LBrace: return "{";
    case Tok::RBrace: return "}";
    case Tok::LBrack: return "[";
    case Tok::RBrack: return "]";
    case Tok::LParen: return "(";
    case Tok::RParen: return ")";
    case Tok::Dot: return ".";
    case Tok::Comma: return ",";
    case Tok::Semicolon: return ";";
    case Tok::Colon: return ":";
    case Tok::Assign: return ":=";
    case Tok::Unify: return "=";
    case Tok::Eq: return "==";
    case Tok::Neq: return "!=";
    case Tok::Lt: return "<";
    case Tok::Lte: return "<=";
    case Tok::Gt: return ">";
    case Tok::Gte: return ">=";
    case Tok::Plus: return "+";
    case Tok::Minus: return "-";
    case Tok::Star: return "*";
    case Tok::Slash: return "/";
    case Tok::Percent: return "%";
    case Tok::Amp: return "&";
    case Tok::Pipe: return "|";
    case Tok::TemplateStart:
    case Tok::TemplateWhole:
    case Tok::TemplateMid:
    case Tok::TemplateEnd: return "template string";
  }
  return "?";
}

namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

uint32_t hex4(std::string_view s, size_t i) {
  uint32_t v = 0;
  for (size_t k = 0; k < 4; ++k) {
    char c = s[i + k];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
    else v |= static_cast<uint32_t>(c - 'A' + 10);
  }
  return v;
}

// Decodes the body of a quoted string literal (without the quotes).
std::string decode_string(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out.push_back(s[i]);
      continue;
    }
    char c = s[++i];
    switch (c) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        uint32_t cp = hex4(s, i + 1);
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < s.size() && s[i + 1] == '\\' && s[i + 2] == 'u') {
          uint32_t lo = hex4(s, i + 3);
          if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        // a lone surrogate decodes to U+FFFD, as Go's JSON decoder does
        if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
        append_utf8(out, cp);
        break;
      }
      default: out.push_back(c);
    }
  }
  return out;
}

struct Scanner {
  std::string_view src;
  size_t pos = 0;
  int row = 1;
  size_t line_start = 0;
  std::vector<Comment>* comments = nullptr;

  int col() const { return static_cast<int>(pos - line_start) + 1; }

  void advance_to(size_t p) {
    for (; pos < p; ++pos) {
      if (src[pos] == '\n') {
        ++row;
        line_start = pos + 1;
      }
    }
  }

  // Skips whitespace and comments; reports whether a newline was crossed.
  void skip_space(bool& newline, bool& any) {
    while (pos < src.size()) {
      char c = src[pos];
      if (c == '#') {
        size_t start = pos;
        while (pos < src.size() && src[pos] != '\n') ++pos;
        if (comments) {
          size_t end = pos;
          while (end > start + 1 && std::isspace(static_cast<unsigned char>(src[end - 1]))) --end;
          comments->push_back(Comment{std::string(src.substr(start + 1, end - start - 1)), row,
                                      static_cast<int>(start - line_start) + 1, start});
        }
        any = true;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (c == '\n') newline = true;
        advance_to(pos + 1);
        any = true;
        continue;
      }
      break;
    }
  }

  template <class P>
  bool match(const P& parser, std::string_view& span) {
    auto first = src.begin() + static_cast<std::ptrdiff_t>(pos);
    auto it = first;
    boost::iterator_range<std::string_view::const_iterator> r;
    if (!x3::parse(it, src.end(), parser, r)) return false;
    span = std::string_view(&*first, static_cast<size_t>(it - first));
    return true;
  }
};

struct OpSpec {
  const char* text;
  Tok tok;
};
const OpSpec kOps[] = {
    {":=", Tok::Assign}, {"==", Tok::Eq}, {"!=", Tok::Neq}, {"<=", Tok::Lte}, {">=", Tok::Gte},
    {"{", Tok::LBrace},  {"}", Tok::RBrace}, {"[", Tok::LBrack}, {"]", Tok::RBrack}, {"(", Tok::LParen},
    {")", Tok::RParen},  {".", Tok::Dot},    {",", Tok::Comma},  {";", Tok::Semicolon}, {":", Tok::Colon},
    {"=", Tok::Unify},   {"<", Tok::Lt},     {">", Tok::Gt},     {"+", Tok::Plus},   {"-", Tok::Minus},
    {"*", Tok::Star},    {"/", Tok::Slash},  {"%", Tok::Percent}, {"&", Tok::Amp},   {"|", Tok::Pipe},
};

// OPA's scanner refuses NUL characters, invalid UTF-8 and a byte-order mark
// after the start, wherever they are (strings and comments included).
bool check_characters(std::string_view src, LexError& err) {
  int row = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < src.size();) {
    unsigned char c = static_cast<unsigned char>(src[i]);
    const char* bad = nullptr;
    size_t n = 1;
    if (c == '\n') {
      ++row;
      line_start = i + 1;
    } else if (c == 0) {
      bad = "illegal null character";
    } else if (c >= 0x80) {
      n = utf8::sequence_length(src, i);
      if (n == 0) bad = "illegal utf-8 character";
      else if (n == 3 && i > 0 && src.substr(i, 3) == "\xEF\xBB\xBF") bad = "illegal byte-order mark";
    }
    if (bad) {
      err = LexError{bad, row, static_cast<int>(i - line_start) + 1};
      return false;
    }
    i += n;
  }
  return true;
}

// A part of a template string from `pos` (after the opening quote, or after
// the `}` closing an expression) to the next unescaped `{` or the closing
// quote. `\{` and `\}` are literal braces; a quoted template takes the escapes
// of strings, a raw one keeps other backslashes as they are.
bool template_part(Scanner& s, bool raw, Token& t, bool& more, LexError& err) {
  std::string_view src = s.src;
  std::string buf;
  size_t i = s.pos;
  const char close = raw ? '`' : '"';
  while (true) {
    if (i >= src.size() || (!raw && src[i] == '\n')) {
      err = {"non-terminated template string", t.row, t.col};
      return false;
    }
    char ch = src[i];
    if (ch == close || ch == '{') {
      more = ch == '{';
      ++i;
      break;
    }
    if (ch == '\\' && i + 1 < src.size()) {
      char n = src[i + 1];
      if (n == '{' || n == '}') {
        buf.push_back(n);
        i += 2;
        continue;
      }
      if (!raw) {
        if (std::strchr("\"\\/bfnrt", n) != nullptr) {
          buf.append(src.substr(i, 2));
          i += 2;
          continue;
        }
        bool hex = n == 'u' && i + 5 < src.size();
        for (size_t k = 2; hex && k < 6; ++k) hex = std::isxdigit(static_cast<unsigned char>(src[i + k])) != 0;
        if (!hex) {
          err = {"illegal escape sequence", t.row, t.col};
          return false;
        }
        buf.append(src.substr(i, 6));
        i += 6;
        continue;
      }
    }
    buf.push_back(ch);
    ++i;
  }
  t.text = raw ? buf : decode_string(buf);
  t.raw = raw;
  s.advance_to(i);
  return true;
}

}  // namespace

bool tokenize(std::string_view src, std::vector<Token>& out, LexError& err, std::vector<Comment>* comments) {
  out.clear();
  if (src.size() >= UINT32_MAX) {  // token offsets are 32-bit
    err = LexError{"source is larger than 4 GiB", 1, 1};
    return false;
  }
  if (!check_characters(src, err)) return false;
  Scanner s{src};
  if (src.substr(0, 3) == "\xEF\xBB\xBF") s.pos = s.line_start = 3;  // a leading byte-order mark is skipped
  s.comments = comments;
  if (comments) comments->clear();
  out.reserve(src.size() / 2 + 4);  // untouched capacity costs no memory; a dense literal needs this many
  // Open template-string expressions, innermost last: the raw flag and the
  // depth of braces inside the expression (its closing `}` is at depth 0).
  struct OpenTemplate {
    bool raw;
    size_t depth;
  };
  std::vector<OpenTemplate> templates;
  while (true) {
    bool nl = false, ws = false;
    s.skip_space(nl, ws);
    Token t;
    t.row = s.row;
    t.col = s.col();
    t.offset = static_cast<uint32_t>(s.pos);
    t.nl_before = nl;
    t.ws_before = ws;
    if (s.pos >= src.size()) {
      if (!templates.empty()) {
        err = {"non-terminated template string", t.row, t.col};
        return false;
      }
      t.kind = Tok::End;
      t.end = static_cast<uint32_t>(s.pos);
      out.push_back(std::move(t));
      return true;
    }
    std::string_view span;
    char c = src[s.pos];
    if (c == '$' && s.pos + 1 < src.size() && (src[s.pos + 1] == '"' || src[s.pos + 1] == '`')) {
      bool raw = src[s.pos + 1] == '`', more = false;
      s.advance_to(s.pos + 2);
      if (!template_part(s, raw, t, more, err)) return false;
      t.kind = more ? Tok::TemplateStart : Tok::TemplateWhole;
      if (more) templates.push_back({raw, 0});
      t.end = static_cast<uint32_t>(s.pos);
      out.push_back(std::move(t));
      continue;
    }
    if (!templates.empty() && (c == '{' || c == '}')) {
      OpenTemplate& open = templates.back();
      if (c == '{') {
        ++open.depth;
      } else if (open.depth > 0) {
        --open.depth;
      } else {  // the end of the expression: the template goes on
        bool more = false;
        s.advance_to(s.pos + 1);
        if (!template_part(s, open.raw, t, more, err)) return false;
        t.kind = more ? Tok::TemplateMid : Tok::TemplateEnd;
        if (!more) templates.pop_back();
        t.end = static_cast<uint32_t>(s.pos);
        out.push_back(std::move(t));
        continue;
      }
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      s.match(grammar::ident, span);
      t.kind = Tok::Ident;
      t.text = std::string(span);
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      if (!s.match(grammar::number, span)) {
        err = {"invalid number", t.row, t.col};
        return false;
      }
      t.kind = Tok::Number;
      t.text = std::string(span);
    } else if (c == '"') {
      if (!s.match(grammar::string_lit, span)) {
        err = {"non-terminated string", t.row, t.col};
        return false;
      }
      t.kind = Tok::String;
      t.text = decode_string(span.substr(1, span.size() - 2));
    } else if (c == '`') {
      if (!s.match(grammar::raw_string, span)) {
        err = {"non-terminated raw string", t.row, t.col};
        return false;
      }
      t.kind = Tok::RawString;
      t.text = std::string(span.substr(1, span.size() - 2));
    } else {
      bool found = false;
      for (const auto& op : kOps) {
        size_t n = std::strlen(op.text);
        if (src.substr(s.pos, n) == op.text) {
          t.kind = op.tok;
          span = src.substr(s.pos, n);
          found = true;
          break;
        }
      }
      if (!found) {
        err = {std::string("illegal token '") + c + "'", t.row, t.col};
        return false;
      }
    }
    s.advance_to(s.pos + span.size());
    t.end = static_cast<uint32_t>(s.pos);
    out.push_back(std::move(t));
  }
}

}  // namespace wartburg::lang
