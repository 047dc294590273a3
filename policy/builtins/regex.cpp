// Builtins: regex — regex.match/re_match, regex.is_valid, regex.split,
// regex.find_n, regex.find_all_string_submatch_n, regex.replace,
// regex.template_match and regex.globs_match, on RE2 (Go's regexp syntax).
// Match iteration follows Go's regexp (no empty match right after a match).
// Compiled patterns are shared through a bounded, thread-safe cache.
#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"
#include "policy/utf8.h"

namespace wartburg::builtins {
namespace {

using RegexPtr = std::shared_ptr<const RE2>;

// Go's regexp/syntax error wording for RE2's error codes.
const char* go_error_text(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape: return "invalid escape sequence";
    case RE2::ErrorBadCharClass: return "invalid character class";
    case RE2::ErrorBadCharRange: return "invalid character class range";
    case RE2::ErrorMissingBracket: return "missing closing ]";
    case RE2::ErrorMissingParen: return "missing closing )";
    case RE2::ErrorTrailingBackslash: return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument: return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize: return "invalid repeat count";
    case RE2::ErrorRepeatOp: return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp: return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8: return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture: return "invalid named capture";
    case RE2::ErrorPatternTooLarge: return "expression too large";
    default: return "regexp/syntax: internal error";
  }
}

// Compiled patterns are cached by pattern text: a per-thread cache in front
// of a shared one. Patterns come from policies but also from input, so both
// caches are bounded in entries and in bytes (the pattern and its compiled
// program, estimated), and a long pattern is compiled for its call only.
constexpr size_t kMaxCachedPattern = 16 << 10;
constexpr size_t kSharedCacheEntries = 4096;
constexpr uint64_t kSharedCacheBytes = uint64_t{64} << 20;
constexpr size_t kThreadCacheEntries = 512;
constexpr uint64_t kThreadCacheBytes = uint64_t{16} << 20;

struct Cached {
  RegexPtr re;
  uint64_t bytes;
};

// A bounded map of compiled patterns; cleared whole when full (simple, and
// re-compiling the patterns in use is cheap).
struct PatternCache {
  std::unordered_map<std::string, Cached> map;
  uint64_t bytes = 0;
  void put(const std::string& pattern, const Cached& c, size_t max_entries, uint64_t max_bytes) {
    if (map.size() >= max_entries || bytes + c.bytes > max_bytes) {
      map.clear();
      bytes = 0;
    }
    if (map.emplace(pattern, c).second) bytes += c.bytes;
  }
};

// Approximate memory of a compiled pattern: its text, the forward and reverse
// programs (RE2 instructions are 8-16 bytes; the DFAs grow within max_mem).
uint64_t regex_bytes(const std::string& pattern, const RE2& re) {
  return 2 * pattern.size() + 32 * static_cast<uint64_t>(re.ProgramSize() + std::max(0, re.ReverseProgramSize())) + 1024;
}

// Compiles (or fetches) a pattern; throws BuiltinError worded like Go's regexp.
RegexPtr compile(const std::string& pattern) {
  // a per-thread cache in front of the shared one: hits on the hot path take no lock
  thread_local PatternCache local;
  if (auto it = local.map.find(pattern); it != local.map.end()) return it->second.re;
  static std::mutex mu;
  static PatternCache shared;
  if (pattern.size() <= kMaxCachedPattern) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = shared.map.find(pattern);
    if (it != shared.map.end()) {
      local.put(pattern, it->second, kThreadCacheEntries, kThreadCacheBytes);
      return it->second.re;
    }
  }
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_shared<const RE2>(pattern, opts);
  if (!re->ok()) {
    std::string arg = re->error_arg();
    if (re->error_code() == RE2::ErrorMissingParen) arg = pattern;
    throw BuiltinError("error parsing regexp: " + std::string(go_error_text(re->error_code())) + ": `" + arg + "`");
  }
  if (pattern.size() > kMaxCachedPattern) return re;
  Cached c{re, regex_bytes(pattern, *re)};
  std::lock_guard<std::mutex> lock(mu);
  shared.put(pattern, c, kSharedCacheEntries, kSharedCacheBytes);
  return re;
}

size_t rune_width(const std::string& s, size_t pos) {
  if (pos >= s.size()) return 1;
  unsigned char c = static_cast<unsigned char>(s[pos]);
  size_t w = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  return std::min(w, s.size() - pos);
}

// Go's allMatches: up to n matches (n < 0: all), calling f with the submatch
// spans of each (group 0 first, `groups` of them; unmatched groups have
// data() == nullptr). Each match is a call into RE2 that may scan far ahead:
// the deadline is polled once per match.
template <class F>
void each_match(const RE2& re, const std::string& s, int64_t n, int groups, F f) {
  std::vector<re2::StringPiece> m(static_cast<size_t>(groups));
  re2::StringPiece text(s);
  int64_t prev_end = -1, count = 0;
  for (size_t pos = 0; (n < 0 || count < n) && pos <= s.size();) {
    limits::poll();
    if (!re.Match(text, pos, s.size(), RE2::UNANCHORED, m.data(), groups)) break;
    size_t b = static_cast<size_t>(m[0].data() - s.data()), e = b + m[0].size();
    bool accept = true;
    if (e == pos) {
      if (static_cast<int64_t>(b) == prev_end) accept = false;
      pos += rune_width(s, pos);
    } else {
      pos = e;
    }
    prev_end = static_cast<int64_t>(e);
    if (accept) {
      ++count;
      f(m);
    }
  }
}

// Bytes of the array of strings a find builds, checked as it grows (an empty
// pattern matches at every position; each match is one string per group).
struct FoundBytes {
  uint64_t bytes = limits::kValueOverhead;
  limits::Growth growth;
  void add(uint64_t strings, uint64_t text) {
    bytes += strings * (limits::kItemBytes + limits::kValueOverhead) + text;
    growth.check(bytes);
  }
};

Value match(Context&, const Value* a) {
  const std::string& pat = need_string(a, 1);
  const std::string& s = need_string(a, 2);
  return Value::boolean(RE2::PartialMatch(s, *compile(pat)));
}

Value is_valid(Context&, const Value* a) {
  if (!a[0].is_string()) return Value::boolean(false);
  try {
    compile(a[0].str());
    return Value::boolean(true);
  } catch (const BuiltinError&) {
    return Value::boolean(false);
  }
}

Value split(Context&, const Value* a) {
  const std::string& pat = need_string(a, 1);
  const std::string& s = need_string(a, 2);
  auto re = compile(pat);
  if (!pat.empty() && s.empty()) return Value::array({Value::string("")});
  std::vector<Value> out;
  FoundBytes found;
  size_t beg = 0, end = 0;
  each_match(*re, s, -1, 1, [&](const std::vector<re2::StringPiece>& m) {
    size_t mb = static_cast<size_t>(m[0].data() - s.data());
    end = mb;
    if (mb + m[0].size() != 0) {
      found.add(1, end - beg);
      out.push_back(Value::string(s.substr(beg, end - beg)));
    }
    beg = mb + m[0].size();
  });
  if (end != s.size()) out.push_back(Value::string(s.substr(beg)));
  return Value::array(std::move(out));
}

Value find_n(Context&, const Value* a) {
  const std::string& pat = need_string(a, 1);
  const std::string& s = need_string(a, 2);
  int64_t n = need_int(a, 3);
  std::vector<Value> out;
  FoundBytes found;
  each_match(*compile(pat), s, n, 1, [&](const std::vector<re2::StringPiece>& m) {
    found.add(1, m[0].size());
    out.push_back(Value::string(std::string(m[0])));
  });
  return Value::array(std::move(out));
}

Value find_all_submatch(Context&, const Value* a) {
  const std::string& pat = need_string(a, 1);
  const std::string& s = need_string(a, 2);
  int64_t n = need_int(a, 3);
  auto re = compile(pat);
  const int groups = re->NumberOfCapturingGroups() + 1;
  std::vector<Value> out;
  FoundBytes found;
  each_match(*re, s, n, groups, [&](const std::vector<re2::StringPiece>& m) {
    uint64_t text = 0;
    for (const auto& g : m) text += g.size();
    found.add(m.size() + 1, text);
    std::vector<Value> gs;
    gs.reserve(m.size());
    for (const auto& g : m) gs.push_back(Value::string(g.data() ? std::string(g) : std::string()));
    out.push_back(Value::array(std::move(gs)));
  });
  return Value::array(std::move(out));
}

// Go's Regexp.Expand template: $1, ${1}, $name, ${name}, $$.
// The output is checked as it grows: "$0$0$0..." repeats the whole match.
void expand(std::string& out, const std::string& tpl, const RE2& re, const std::vector<re2::StringPiece>& m,
            limits::Growth& growth) {
  const auto& names = re.NamedCapturingGroups();
  for (size_t i = 0; i < tpl.size();) {
    if (tpl[i] != '$' || i + 1 >= tpl.size()) {
      out += tpl[i++];
      continue;
    }
    if (tpl[i + 1] == '$') {
      out += '$';
      i += 2;
      continue;
    }
    bool brace = tpl[i + 1] == '{';
    size_t j = i + (brace ? 2 : 1), start = j;
    while (j < tpl.size() && (std::isalnum(static_cast<unsigned char>(tpl[j])) || tpl[j] == '_')) j++;
    std::string name = tpl.substr(start, j - start);
    if (name.empty() || (brace && (j >= tpl.size() || tpl[j] != '}'))) {
      out += '$';
      i++;
      continue;
    }
    i = brace ? j + 1 : j;
    int idx = -1;
    if (name.find_first_not_of("0123456789") == std::string::npos && name.size() < 9) {
      idx = std::stoi(name);
    } else if (auto it = names.find(name); it != names.end()) {
      idx = it->second;
    }
    if (idx >= 0 && idx < static_cast<int>(m.size()) && m[idx].data()) {
      growth.check(out.size() + m[idx].size());
      out.append(m[idx].data(), m[idx].size());
    }
  }
}

Value replace(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  const std::string& pat = need_string(a, 2);
  const std::string& repl = need_string(a, 3);
  auto re = compile(pat);
  int groups = re->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> m(groups);
  re2::StringPiece text(s);
  std::string out;
  limits::Growth growth;  // an empty pattern inserts `repl` at every position
  size_t last_end = 0;
  for (size_t pos = 0; pos <= s.size();) {
    limits::poll();
    if (!re->Match(text, pos, s.size(), RE2::UNANCHORED, m.data(), groups)) break;
    size_t b = static_cast<size_t>(m[0].data() - s.data()), e = b + m[0].size();
    growth.check(out.size() + (b - last_end) + repl.size());
    out.append(s, last_end, b - last_end);
    if (e > last_end || b == 0) expand(out, repl, *re, m, growth);
    last_end = e;
    size_t w = rune_width(s, pos);
    pos = pos + w > e ? pos + w : (pos + 1 > e ? pos + 1 : e);
  }
  out.append(s, std::min(last_end, s.size()), std::string::npos);
  return Value::string(std::move(out));
}

// Regex from a template with delimited regex parts: "urn:{[a-z]+}:x" -> ^urn:([a-z]+):x$
Value template_match(Context&, const Value* a) {
  const std::string& tpl = need_string(a, 1);
  const std::string& s = need_string(a, 2);
  const std::string& ds = need_string(a, 3);
  const std::string& de = need_string(a, 4);
  if (ds.empty() || de.empty()) throw BuiltinError("delimiters must be non-empty");
  std::string pattern = "^";
  size_t pos = 0;
  while (pos < tpl.size()) {
    size_t open = find_bytes(tpl, ds, pos);
    if (open == std::string::npos) break;
    // the next delimiter of either kind (an end delimiter first where both
    // start), found with linear searches: comparing both at every position
    // is O(n * |delimiter|)
    size_t depth = 1, j = open + ds.size();
    size_t next_s = find_bytes(tpl, ds, j), next_e = find_bytes(tpl, de, j);
    while (depth > 0) {
      if (next_e == std::string::npos) {
        j = tpl.size();
        break;
      }
      if (next_e <= next_s) {
        j = next_e;
        if (--depth == 0) break;
        j += de.size();
      } else {
        j = next_s;
        depth++;
        j += ds.size();
      }
      if (next_s != std::string::npos && next_s < j) next_s = find_bytes(tpl, ds, j);
      if (next_e < j) next_e = find_bytes(tpl, de, j);
    }
    if (depth != 0) throw BuiltinError("unbalanced braces in \"" + tpl + "\"");
    pattern += RE2::QuoteMeta(tpl.substr(pos, open - pos));
    pattern += "(" + tpl.substr(open + ds.size(), j - open - ds.size()) + ")";
    pos = j + de.size();
  }
  pattern += RE2::QuoteMeta(tpl.substr(std::min(pos, tpl.size()))) + "$";
  return Value::boolean(RE2::PartialMatch(s, *compile(pattern)));
}

// ---- regex.globs_match: OPA's glob-intersection (gintersect) dialect.
// Special are only '.' (any rune), '[...]' (a set: runes and lo-hi ranges,
// no negation, "[]" is empty), '+' and '*' after a token, and '\' escaping
// the next rune; everything else ('?', '(', '|', '^', ...) is literal. Is
// there a non-empty string both match? Product-automaton reachability.

using Ranges = std::vector<std::pair<char32_t, char32_t>>;
struct Tok {
  Ranges set;
  char rep = 0;  // 0, '*', '+'
};

Ranges normalize(Ranges r) {
  std::sort(r.begin(), r.end());
  Ranges out;
  for (auto& p : r) {
    if (!out.empty() && p.first <= out.back().second + 1) out.back().second = std::max(out.back().second, p.second);
    else out.push_back(p);
  }
  return out;
}

// gintersect's errors: "pos:N:<what>: the input provided is invalid", N a
// rune index.
[[noreturn]] void glob_error(size_t pos, const std::string& what) {
  throw BuiltinError("pos:" + std::to_string(pos) + ":" + what + ": the input provided is invalid");
}

struct GlobReader {
  std::vector<char32_t> runes;  // Go's []rune(s): invalid bytes are U+FFFD
  size_t i = 0;

  explicit GlobReader(std::string_view g) {
    for (size_t k = 0, w = 0; k < g.size(); k += w) runes.push_back(utf8::decode_rune(g, k, w));
  }
  bool done() const { return i >= runes.size(); }
  // The next rune and whether a backslash escaped it.
  std::pair<char32_t, bool> next() {
    if (runes[i] != '\\') return {runes[i++], false};
    if (i + 1 == runes.size()) glob_error(i, "input ends with a \\ (escape) character");
    i += 2;
    return {runes[i - 1], true};
  }

  Ranges set() {  // after '['
    Ranges r;
    char32_t prev = 0;
    bool have_prev = false;
    while (!done()) {
      auto [c, escaped] = next();
      if (escaped) {
        r.emplace_back(c, c);
        prev = c;
        have_prev = true;
      } else if (c == ']') {
        return normalize(std::move(r));
      } else if (c == '-') {
        if (!have_prev) glob_error(i, "range character '-' must be preceded by a Unicode character");
        if (i + 1 >= runes.size()) glob_error(i, "range character '-' must be followed by a Unicode character");
        auto [hi, hi_escaped] = next();
        if (!hi_escaped && (hi == ']' || hi == '-')) glob_error(i, "range character '-' cannot be followed by a special symbol");
        if (hi >= prev) r.emplace_back(prev, hi);  // an out-of-order range adds nothing (gintersect loses its error)
        have_prev = false;
      } else {
        r.emplace_back(c, c);
        prev = c;
        have_prev = true;
      }
    }
    glob_error(0, "found [ without matching ]");
  }
};

std::vector<Tok> parse_glob(std::string_view g) {
  GlobReader in(g);
  std::vector<Tok> toks;
  while (!in.done()) {
    auto [c, escaped] = in.next();
    Tok t;
    if (escaped) {
      t.set = {{c, c}};
    } else if (c == '.') {
      t.set = {{0, 0x10FFFF}};
    } else if (c == ']') {
      glob_error(in.i, "set-close ']' with no preceding '['");
    } else if (c == '[') {
      t.set = in.set();
    } else if (c == '+' || c == '*') {
      std::string f;
      utf8::append(f, c);
      glob_error(in.i, "flag '" + f + "' must be preceded by a non-flag");
    } else {
      t.set = {{c, c}};
    }
    if (!in.done()) {
      size_t at = in.i;
      auto [f, f_escaped] = in.next();
      if (!f_escaped && (f == '+' || f == '*')) t.rep = static_cast<char>(f);
      else in.i = at;
    }
    toks.push_back(std::move(t));
  }
  return toks;
}

// Both are sorted, disjoint ranges (normalize): a merge-like walk.
bool intersects(const Ranges& a, const Ranges& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first <= b[j].second && b[j].first <= a[i].second) return true;
    if (a[i].second < b[j].second) ++i;
    else ++j;
  }
  return false;
}

// The product automaton has (|a|+1) * (|b|+1) states, each with or without a
// rune consumed yet (gintersect asks for a common non-empty string; two empty
// globs match): two 100 KB patterns make 10^10, so the visited set is
// reserved first and the walk polls.
bool globs_intersect(const std::vector<Tok>& a, const std::vector<Tok>& b) {
  size_t na = a.size(), nb = b.size();
  if (na == 0 || nb == 0) return na == nb;
  const uint64_t states = static_cast<uint64_t>(na + 1) * (nb + 1) * 2;
  limits::reserve(states / 8 + limits::kValueOverhead);
  std::vector<bool> seen(states, false);
  size_t steps = 0;
  struct State {
    size_t i, j;
    bool ate;
  };
  std::vector<State> work{{0, 0, false}};
  auto push = [&](size_t i, size_t j, bool ate) {
    size_t k = (i * (nb + 1) + j) * 2 + (ate ? 1 : 0);
    if (!seen[k]) {
      seen[k] = true;
      work.push_back({i, j, ate});
    }
  };
  seen[0] = true;
  while (!work.empty()) {
    if ((++steps & 1023) == 0) limits::poll();
    auto [i, j, ate] = work.back();
    work.pop_back();
    if (i == na && j == nb && ate) return true;
    if (i < na && a[i].rep == '*') push(i + 1, j, ate);
    if (j < nb && b[j].rep == '*') push(i, j + 1, ate);
    if (i < na && j < nb && intersects(a[i].set, b[j].set)) {
      bool ai = a[i].rep != 0, bj = b[j].rep != 0;  // '*' or '+': may repeat
      push(i + 1, j + 1, true);
      if (ai) push(i, j + 1, true);
      if (bj) push(i + 1, j, true);
      if (ai && bj) push(i, j, true);
    }
  }
  return false;
}

Value globs_match(Context&, const Value* a) {
  const std::string& g1 = need_string(a, 1);
  const std::string& g2 = need_string(a, 2);
  return Value::boolean(globs_intersect(parse_glob(g1), parse_glob(g2)));
}

}  // namespace

void register_regex(Registry& r) {
  r.add({"regex.match", 2, match, "(string, string) => boolean"});
  r.add({"re_match", 2, match, "(string, string) => boolean"});
  r.add({"regex.is_valid", 1, is_valid, "(any) => boolean"});
  r.add({"regex.split", 2, split, "(string, string) => array"});
  r.add({"regex.find_n", 3, find_n, "(string, string, number) => array"});
  r.add({"regex.find_all_string_submatch_n", 3, find_all_submatch, "(string, string, number) => array"});
  r.add({"regex.replace", 3, replace, "(string, string, string) => string"});
  r.add({"regex.template_match", 4, template_match, "(string, string, string, string) => boolean"});
  r.add({"regex.globs_match", 2, globs_match, "(string, string) => boolean"});
}

}  // namespace wartburg::builtins
