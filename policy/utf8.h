// UTF-8 validation and decoding with Go's rules, shared by the readers of
// hostile text (the Rego lexer, the YAML reader) and the string builtins.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wartburg::utf8 {

// Length of the valid UTF-8 sequence at s[i] (as Go's utf8.DecodeRune accepts
// it: no overlong forms, no surrogates, at most U+10FFFF), 0 if invalid.
inline size_t sequence_length(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  auto cont = [&](size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // beyond U+10FFFF
    return 4;
  }
  return 0;
}

// The code point of a valid sequence of `n` bytes at s[i].
inline char32_t decode(std::string_view s, size_t i, size_t n) {
  auto b = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
  switch (n) {
    case 1: return b(0);
    case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

// Go's utf8.DecodeRuneInString: the code point at s[i] and its width; an
// invalid or truncated sequence decodes as U+FFFD of width 1.
inline char32_t decode_rune(std::string_view s, size_t i, size_t& width) {
  size_t n = sequence_length(s, i);
  width = n == 0 ? 1 : n;
  return n == 0 ? char32_t{0xFFFD} : decode(s, i, n);
}

// Go's utf8.RuneCountInString: every invalid byte counts as one rune.
inline size_t rune_count(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++count) {
    size_t n = sequence_length(s, i);
    i += n == 0 ? 1 : n;
  }
  return count;
}

// Appends the UTF-8 encoding of code point `r` (at most U+10FFFF).
inline void append(std::string& out, char32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

}  // namespace wartburg::utf8
