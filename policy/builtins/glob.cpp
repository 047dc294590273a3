// Builtins: glob — glob.match and glob.quote_meta with OPA's (gobwas/glob)
// syntax: `*` (not crossing delimiters), `**` (crossing), `?`, `[abc]`,
// `[!abc]`, `[a-z]`, `{a,b}` alternatives and `\` escapes. A glob is
// translated to an anchored RE2 regex; compiled globs are cached.
#include <re2/re2.h>

#include <cstdio>
#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "policy/builtins/registry.h"

namespace wartburg::builtins {
namespace {

char32_t next_rune(const std::string& s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t w = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  w = std::min(w, s.size() - i);
  char32_t r = w == 1 ? c : c & (0xFF >> (w + 1));
  for (size_t k = 1; k < w; k++) r = (r << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += w;
  return r;
}

std::string rx_rune(char32_t r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(r));
  return buf;
}

// Translates a glob to a regex body; `seps` is the delimiter class contents.
class GlobTranslator {
 public:
  GlobTranslator(const std::string& g, std::string seps) : g_(g), seps_(std::move(seps)) {}

  std::string run() {
    std::string out = sequence(false);
    if (i_ < g_.size()) throw BuiltinError("unexpected '" + std::string(1, g_[i_]) + "' in glob " + g_);
    return out;
  }

 private:
  std::string any_char() const { return seps_.empty() ? "." : "[^" + seps_ + "]"; }

  // A sequence up to end of input, or to ',' / '}' inside alternatives.
  std::string sequence(bool in_alt) {
    std::string out;
    while (i_ < g_.size()) {
      char c = g_[i_];
      if (in_alt && (c == ',' || c == '}')) break;
      if (c == '*') {
        size_t n = 0;
        while (i_ < g_.size() && g_[i_] == '*') i_++, n++;
        out += n >= 2 ? ".*" : any_char() + "*";
      } else if (c == '?') {
        i_++;
        out += any_char();
      } else if (c == '[') {
        out += char_class();
      } else if (c == '{') {
        out += alternatives();
      } else if (c == '\\') {
        i_++;
        if (i_ >= g_.size()) throw BuiltinError("unexpected end of glob after escape: " + g_);
        out += rx_rune(next_rune(g_, i_));
      } else {
        out += rx_rune(next_rune(g_, i_));
      }
    }
    return out;
  }

  std::string char_class() {
    i_++;  // '['
    bool neg = i_ < g_.size() && g_[i_] == '!';
    if (neg) i_++;
    std::string body;
    while (i_ < g_.size() && g_[i_] != ']') {
      if (g_[i_] == '\\') i_++;
      if (i_ >= g_.size()) break;
      char32_t lo = next_rune(g_, i_);
      body += rx_rune(lo);
      if (i_ + 1 < g_.size() && g_[i_] == '-' && g_[i_ + 1] != ']') {
        i_++;
        body += "-" + rx_rune(next_rune(g_, i_));
      }
    }
    if (i_ >= g_.size()) throw BuiltinError("unexpected end of input: unclosed '[' in glob " + g_);
    i_++;  // ']'
    if (body.empty()) throw BuiltinError("empty character class in glob " + g_);
    return "[" + std::string(neg ? "^" : "") + body + "]";
  }

  std::string alternatives() {
    i_++;  // '{'
    std::string out = "(?:";
    while (true) {
      out += sequence(true);
      if (i_ >= g_.size()) throw BuiltinError("unexpected end of input: unclosed '{' in glob " + g_);
      if (g_[i_++] == '}') break;
      out += "|";
    }
    return out + ")";
  }

  const std::string& g_;
  std::string seps_;
  size_t i_ = 0;
};

std::shared_ptr<const RE2> compile_glob(const std::string& glob, const std::vector<char32_t>& delims) {
  std::string key;
  for (char32_t d : delims) key += rx_rune(d);
  std::string cache_key = key + '\0' + glob;
  // a per-thread cache in front of the shared one: hits take no lock
  thread_local std::unordered_map<std::string, std::shared_ptr<const RE2>> local;
  if (auto it = local.find(cache_key); it != local.end()) return it->second;
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const RE2>> cache;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(cache_key);
    if (it != cache.end()) {
      if (local.size() >= 1024) local.clear();
      local.emplace(cache_key, it->second);
      return it->second;
    }
  }
  std::string rx = "(?s)^" + GlobTranslator(glob, key).run() + "$";
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_shared<const RE2>(rx, opts);
  if (!re->ok()) throw BuiltinError("invalid glob " + glob + ": " + re->error());
  std::lock_guard<std::mutex> lock(mu);
  if (cache.size() >= 4096) cache.clear();
  cache.emplace(cache_key, re);
  return re;
}

Value match(Context&, const Value* a) {
  const std::string& pattern = need_string(a, 1);
  const Value& d = a[1];
  const std::string& s = need_string(a, 3);
  std::vector<char32_t> delims;
  if (d.is_array()) {
    for (const auto& e : d.items()) {
      if (!e.is_string()) {
        throw TypeError("operand 2 must be array of strings but got array containing " + type_name_for_error(e));
      }
      for (size_t i = 0; i < e.str().size();) delims.push_back(next_rune(e.str(), i));
    }
    if (d.size() == 0) delims.push_back('.');
  } else if (!d.is_null()) {
    throw TypeError("operand 2 must be one of {array, null} but got " + type_name_for_error(d));
  }
  return Value::boolean(RE2::FullMatch(s, *compile_glob(pattern, delims)));
}

Value quote_meta(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  std::string out;
  for (char c : s) {
    if (std::string_view("*?\\[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return Value::string(std::move(out));
}

}  // namespace

void register_glob(Registry& r) {
  r.add({"glob.match", 3, match, "(string, array|null, string) => boolean"});
  r.add({"glob.quote_meta", 1, quote_meta, "(string) => string"});
}

}  // namespace wartburg::builtins
