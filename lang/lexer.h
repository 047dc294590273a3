// Lexer: Rego source text -> tokens with positions. Token rules (identifiers,
// numbers, strings with escapes, raw strings, operators, comments) are
// Boost.Spirit X3 parsers; the parser (parser.cpp) works on the token list.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wartburg::lang {

enum class Tok : uint8_t {
  End,
  Ident,
  Number,
  String,     // text holds the decoded value
  RawString,  // text holds the raw value
  LBrace, RBrace, LBrack, RBrack, LParen, RParen,
  Dot, Comma, Semicolon, Colon,
  Assign,   // :=
  Unify,    // =
  Eq, Neq, Lt, Lte, Gt, Gte,
  Plus, Minus, Star, Slash, Percent, Amp, Pipe,
  // Template strings $"a{x}b" / $`a{x}b`: the literal parts, decoded. A
  // TemplateStart or TemplateMid part ends at `{` (an expression follows, its
  // tokens, then the next part); TemplateWhole and TemplateEnd end the string.
  TemplateStart, TemplateWhole, TemplateMid, TemplateEnd,
};

const char* tok_text(Tok t);  // for messages: "{", ":=", "identifier", ...

struct Token {
  std::string text;   // identifier name, number text or decoded string
  int row = 1, col = 1;
  uint32_t offset = 0;  // byte offset of the token start (sources are far below 4 GiB: the loader's limit)
  uint32_t end = 0;     // byte offset one past the token
  Tok kind = Tok::End;
  bool nl_before = false;  // a newline separates this token from the previous one
  bool ws_before = false;  // whitespace or a comment separates it from the previous one
  bool raw = false;        // a template string part written with backquotes
};

// A `#` comment: text after the '#' (trailing whitespace removed), position of the '#'.
struct Comment {
  std::string text;
  int row = 0, col = 0;
  size_t offset = 0;
};

struct LexError {
  std::string message;
  int row = 0, col = 0;
};

// Tokenizes `src`; on failure returns false and fills `err`. With `comments`,
// the comments are collected there in source order (used by the formatter).
bool tokenize(std::string_view src, std::vector<Token>& out, LexError& err, std::vector<Comment>* comments = nullptr);

}  // namespace wartburg::lang
