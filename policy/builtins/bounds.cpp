// Helpers that keep builtins bounded on hostile operands (see bounds.h).
#include "policy/builtins/bounds.h"

#include <cstring>
#include <string>
#include <unordered_map>

#include "policy/builtins/registry.h"
#include "policy/error.h"
#include "policy/number.h"

namespace wartburg::builtins {

namespace {

uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

uint64_t own_bytes(const Value& v) {
  switch (v.kind()) {
    case Kind::String: return limits::kValueOverhead + v.str().size();
    case Kind::Array:
    case Kind::Set: return limits::kValueOverhead + v.items().size() * limits::kItemBytes;
    case Kind::Object: return limits::kValueOverhead + v.entries().size() * limits::kEntryBytes;
    case Kind::Number:
      return v.is_bigint() ? limits::kValueOverhead + v.as_big().v.backend().size() * sizeof(boost::multiprecision::limb_type)
                           : 0;
    default: return 0;
  }
}

bool composite(const Value& v) { return v.is_array() || v.is_set() || v.is_object(); }

}  // namespace

void check_integer_bits(uint64_t bits) {
  if (bits > kMaxIntegerBits) {
    throw LimitError("eval_builtin_error",
                     "result would exceed the maximum integer size of " + std::to_string(num::kMaxDigits) + " digits");
  }
  reserve_items(bits / 64 + 1, sizeof(boost::multiprecision::limb_type), limits::kValueOverhead);
}

uint64_t mantissa_bits(const Value& v) {
  if (!v.is_bigint()) return 0;
  const auto& m = v.as_big().v;
  if (m == 0) return 0;
  return boost::multiprecision::msb(boost::multiprecision::abs(m)) + 1;
}

void check_deadline() {
  EvalBudget* b = EvalBudget::current();
  if (!b) return;
  try {
    b->check_deadline();
  } catch (const Error& e) {
    throw LimitError(e.errors.front().code, e.errors.front().message);
  }
}

size_t find_bytes(std::string_view hay, std::string_view needle, size_t from) {
  if (from > hay.size()) return std::string_view::npos;
  if (needle.empty()) return from;
  // short texts: std::string_view::find is quicker to start, and its worst
  // case (n * m) is small there
  if (hay.size() - from <= 256) return hay.find(needle, from);
  if (needle.size() == 1) {
    const void* p = std::memchr(hay.data() + from, needle[0], hay.size() - from);
    return p ? static_cast<size_t>(static_cast<const char*>(p) - hay.data()) : std::string_view::npos;
  }
  const void* p = memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
  return p ? static_cast<size_t>(static_cast<const char*>(p) - hay.data()) : std::string_view::npos;
}

Shape ShapeMemo::of(const Value& root) {
  // Post-order walk with an explicit stack; composite parts are memoized by
  // payload, so a part shared 2^k times is measured once.
  if (!composite(root)) return Shape{own_bytes(root), 0};
  if (auto it = memo_.find(root.payload()); it != memo_.end()) return it->second.second;
  struct Frame {
    const Value* v;
    size_t next;
    Shape acc;
  };
  std::vector<Frame> stack;
  stack.push_back(Frame{&root, 0, Shape{own_bytes(root), 0}});
  Shape result;
  size_t steps = 0;
  while (!stack.empty()) {
    if ((++steps & 4095) == 0) limits::poll();
    Frame& f = stack.back();
    const Value& v = *f.v;
    const Value* child = nullptr;
    const size_t count = v.is_object() ? 2 * v.entries().size() : v.items().size();
    while (f.next < count && !child) {
      const Value& c = v.is_object() ? (f.next % 2 == 0 ? v.entries()[f.next / 2].first : v.entries()[f.next / 2].second)
                                     : v.items()[f.next];
      ++f.next;
      if (!composite(c)) {
        f.acc.bytes = sat_add(f.acc.bytes, own_bytes(c));
      } else if (auto it = memo_.find(c.payload()); it != memo_.end()) {
        f.acc.bytes = sat_add(f.acc.bytes, it->second.second.bytes);
        f.acc.depth = std::max(f.acc.depth, it->second.second.depth);
      } else {
        child = &c;
      }
    }
    if (child) {
      stack.push_back(Frame{child, 0, Shape{own_bytes(*child), 0}});
      continue;
    }
    Shape done{f.acc.bytes, f.acc.depth + 1};
    memo_.emplace(v.payload(), std::make_pair(v, done));
    stack.pop_back();
    if (stack.empty()) {
      result = done;
    } else {
      Shape& up = stack.back().acc;
      up.bytes = sat_add(up.bytes, done.bytes);
      up.depth = std::max(up.depth, done.depth);
    }
  }
  return result;
}

void check_expanded_size(const Value& root, uint64_t indent, size_t max_depth, const char* what) {
  if (!composite(root)) return;
  if (!EvalBudget::current()) {
    if (max_depth == 0) return;
    // outside an evaluation only the depth is checked: a shared value's tree
    // could be too large to walk
    size_t depth = 0;
    std::vector<const Value*> level{&root}, next;
    while (!level.empty()) {
      if (++depth > max_depth) {
        throw BuiltinError(std::string(what) + ": value nested deeper than " + std::to_string(max_depth) + " levels");
      }
      next.clear();
      std::unordered_map<const void*, bool> seen;
      for (const Value* v : level) {
        auto push = [&](const Value& c) {
          if (composite(c) && seen.emplace(c.payload(), true).second) next.push_back(&c);
        };
        if (v->is_object()) {
          for (const auto& kv : v->entries()) push(kv.first), push(kv.second);
        } else {
          for (const Value& c : v->items()) push(c);
        }
      }
      level.swap(next);
    }
    return;
  }
  limits::Growth growth;
  uint64_t total = own_bytes(root);
  std::vector<std::pair<const Value*, size_t>> stack{{&root, 0}};
  while (!stack.empty()) {
    auto& [v, next] = stack.back();
    const size_t count = v->is_object() ? 2 * v->entries().size() : v->items().size();
    if (next == count) {
      stack.pop_back();
      continue;
    }
    const Value& c = v->is_object() ? (next % 2 == 0 ? v->entries()[next / 2].first : v->entries()[next / 2].second)
                                    : v->items()[next];
    ++next;
    total += own_bytes(c) + indent * stack.size();
    growth.check(total);
    if (composite(c)) {
      if (max_depth != 0 && stack.size() + 1 > max_depth) {
        throw BuiltinError(std::string(what) + ": value nested deeper than " + std::to_string(max_depth) + " levels");
      }
      stack.emplace_back(&c, 0);
    }
  }
}

uint64_t tree_bytes(const Value& v, uint64_t cap) {
  ShapeMemo m;
  return std::min(m.of(v).bytes, cap);
}

}  // namespace wartburg::builtins
