// Builtins: glob — glob.match and glob.quote_meta with OPA's (gobwas/glob)
// syntax: `*` (not crossing delimiters), `**` (crossing), `?`, `[abc]`,
// `[!abc]`, `[a-z]`, `{a,b}` alternatives and `\` escapes. A glob is
// compiled to a small NFA program (cached per thread) and matched in time
// linear in the input for a given pattern.
#include <algorithm>
#include <memory>
#include <unordered_map>

#include "policy/builtins/registry.h"
#include "policy/limits.h"

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

// A glob compiled to a small NFA program, run as a Pike VM: matching costs at
// most (input runes x program size) steps, whatever the pattern, and polls the
// evaluation's deadline as it goes (a backtracking or regex-translating matcher
// can take seconds on "*a*a*a..." patterns and cannot be interrupted).
struct Inst {
  enum Op : uint8_t { Rune, AnyNoSep, Any, Class, Split, Jmp, Match } op;
  char32_t rune = 0;
  int x = 0, y = 0;     // Split: both targets; Jmp: x
  int cls = -1;         // Class: index into Program::classes
};

struct CharClass {
  bool negated = false;
  std::vector<std::pair<char32_t, char32_t>> ranges;
  bool matches(char32_t r) const {
    bool in = false;
    for (const auto& [lo, hi] : ranges) in = in || (r >= lo && r <= hi);
    return in != negated;
  }
};

struct Program {
  std::vector<Inst> code;
  std::vector<CharClass> classes;
  std::vector<char32_t> seps;
  bool is_sep(char32_t r) const { return std::find(seps.begin(), seps.end(), r) != seps.end(); }
};

// Compiles gobwas/glob syntax into a Program.
class GlobCompiler {
 public:
  GlobCompiler(const std::string& g, Program& p) : g_(g), p_(p) {}

  void run() {
    sequence(false);
    if (i_ < g_.size()) throw BuiltinError("unexpected '" + std::string(1, g_[i_]) + "' in glob " + g_);
    emit({Inst::Match});
  }

 private:
  static constexpr int kMaxNesting = 100;  // `{` inside `{`
  static constexpr size_t kMaxProgram = 1 << 20;

  int emit(Inst in) {
    if (p_.code.size() >= kMaxProgram) throw BuiltinError("glob too large: " + std::to_string(g_.size()) + " bytes");
    p_.code.push_back(in);
    return static_cast<int>(p_.code.size()) - 1;
  }
  int here() const { return static_cast<int>(p_.code.size()); }

  // A sequence up to end of input, or to ',' / '}' inside alternatives.
  void sequence(bool in_alt) {
    while (i_ < g_.size()) {
      char c = g_[i_];
      if (in_alt && (c == ',' || c == '}')) break;
      if (c == '*') {
        size_t n = 0;
        while (i_ < g_.size() && g_[i_] == '*') i_++, n++;
        // L: split(L+1, L+3); L+1: any; L+2: jmp L; L+3: ...
        int split = emit({Inst::Split});
        emit({n >= 2 || p_.seps.empty() ? Inst::Any : Inst::AnyNoSep});
        emit({Inst::Jmp, 0, split});
        p_.code[static_cast<size_t>(split)].x = split + 1;
        p_.code[static_cast<size_t>(split)].y = here();
      } else if (c == '?') {
        i_++;
        emit({p_.seps.empty() ? Inst::Any : Inst::AnyNoSep});
      } else if (c == '[') {
        char_class();
      } else if (c == '{') {
        alternatives();
      } else if (c == '\\') {
        i_++;
        if (i_ >= g_.size()) throw BuiltinError("unexpected end of glob after escape: " + g_);
        emit({Inst::Rune, next_rune(g_, i_)});
      } else {
        emit({Inst::Rune, next_rune(g_, i_)});
      }
    }
  }

  void char_class() {
    i_++;  // '['
    CharClass cc;
    cc.negated = i_ < g_.size() && g_[i_] == '!';
    if (cc.negated) i_++;
    while (i_ < g_.size() && g_[i_] != ']') {
      if (g_[i_] == '\\') i_++;
      if (i_ >= g_.size()) break;
      char32_t lo = next_rune(g_, i_), hi = lo;
      if (i_ + 1 < g_.size() && g_[i_] == '-' && g_[i_ + 1] != ']') {
        i_++;
        hi = next_rune(g_, i_);
        if (hi < lo) throw BuiltinError("invalid character class range in glob " + g_);
      }
      cc.ranges.emplace_back(lo, hi);
    }
    if (i_ >= g_.size()) throw BuiltinError("unexpected end of input: unclosed '[' in glob " + g_);
    i_++;  // ']'
    if (cc.ranges.empty()) throw BuiltinError("empty character class in glob " + g_);
    p_.classes.push_back(std::move(cc));
    Inst in{Inst::Class};
    in.cls = static_cast<int>(p_.classes.size()) - 1;
    emit(in);
  }

  // {a,b,c}: split(A, split(B, C)), each branch jumping to the end.
  void alternatives() {
    if (++depth_ > kMaxNesting) {
      throw BuiltinError("glob nests alternatives deeper than " + std::to_string(kMaxNesting) + " levels: " + g_);
    }
    i_++;  // '{'
    std::vector<int> jumps;
    while (true) {
      int split = emit({Inst::Split});
      p_.code[static_cast<size_t>(split)].x = here();
      sequence(true);
      if (i_ >= g_.size()) throw BuiltinError("unexpected end of input: unclosed '{' in glob " + g_);
      jumps.push_back(emit({Inst::Jmp}));
      p_.code[static_cast<size_t>(split)].y = here();
      if (g_[i_++] == '}') break;
    }
    // the last split's second branch matches nothing: make it a dead end
    int dead = emit({Inst::Class});
    p_.classes.push_back(CharClass{false, {}});
    p_.code[static_cast<size_t>(dead)].cls = static_cast<int>(p_.classes.size()) - 1;
    for (int j : jumps) p_.code[static_cast<size_t>(j)].x = here();
    --depth_;
  }

  const std::string& g_;
  Program& p_;
  size_t i_ = 0;
  int depth_ = 0;
};

// Pike VM over the runes of s: the set of live instructions per position.
class Matcher {
 public:
  explicit Matcher(const Program& p) : p_(p), on_(p.code.size(), 0) {}

  bool full_match(const std::string& s) {
    std::vector<int> cur, next;
    ++gen_;
    add(cur, 0);
    size_t steps = 0;
    for (size_t i = 0; i < s.size() && !cur.empty();) {
      char32_t r = next_rune(s, i);
      next.clear();
      ++gen_;
      for (int pc : cur) {
        const Inst& in = p_.code[static_cast<size_t>(pc)];
        bool ok = false;
        switch (in.op) {
          case Inst::Rune: ok = in.rune == r; break;
          case Inst::Any: ok = true; break;
          case Inst::AnyNoSep: ok = !p_.is_sep(r); break;
          case Inst::Class: ok = p_.classes[static_cast<size_t>(in.cls)].matches(r); break;
          default: break;
        }
        if (ok) add(next, pc + 1);
      }
      std::swap(cur, next);
      steps += cur.size() + 1;
      if (steps >= kPollEvery) {
        steps = 0;
        limits::poll();
      }
    }
    for (int pc : cur) {
      if (p_.code[static_cast<size_t>(pc)].op == Inst::Match) return true;
    }
    return false;
  }

 private:
  static constexpr size_t kPollEvery = 1 << 16;

  // Adds pc and what it reaches without consuming input (iteratively).
  void add(std::vector<int>& list, int start) {
    stack_.clear();
    stack_.push_back(start);
    while (!stack_.empty()) {
      int pc = stack_.back();
      stack_.pop_back();
      auto& mark = on_[static_cast<size_t>(pc)];
      if (mark == gen_) continue;
      mark = gen_;
      const Inst& in = p_.code[static_cast<size_t>(pc)];
      if (in.op == Inst::Jmp) {
        stack_.push_back(in.x);
      } else if (in.op == Inst::Split) {
        stack_.push_back(in.y);
        stack_.push_back(in.x);
      } else {
        list.push_back(pc);
      }
    }
  }

  const Program& p_;
  std::vector<uint64_t> on_;  // generation in which an instruction was added
  uint64_t gen_ = 0;
  std::vector<int> stack_;
};

std::shared_ptr<const Program> compile_glob(const std::string& glob, const std::vector<char32_t>& delims) {
  std::string cache_key;
  for (char32_t d : delims) cache_key.append(reinterpret_cast<const char*>(&d), sizeof d);
  cache_key += '\0';
  cache_key += glob;
  // a per-thread cache of small globs: hits take no lock; large globs are not kept
  constexpr size_t kCacheable = 4096, kCacheEntries = 1024;
  thread_local std::unordered_map<std::string, std::shared_ptr<const Program>> cache;
  if (auto it = cache.find(cache_key); it != cache.end()) return it->second;
  auto p = std::make_shared<Program>();
  p->seps = delims;
  GlobCompiler(glob, *p).run();
  if (cache_key.size() <= kCacheable) {
    if (cache.size() >= kCacheEntries) cache.clear();
    cache.emplace(std::move(cache_key), p);
  }
  return p;
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
  auto program = compile_glob(pattern, delims);
  return Value::boolean(Matcher(*program).full_match(s));
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
