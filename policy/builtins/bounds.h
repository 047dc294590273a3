// Helpers that keep builtins bounded on hostile operands (operands come from
// request input): a size bound for big integers, linear-time substring and
// subsequence search, size estimates for caches and for values shared many
// times, a precise deadline check for loops whose iterations are slow, and a
// cheap reservation for results whose size is known before they are built.
// See policy/limits.h for the limits themselves.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "policy/limits.h"
#include "policy/number.h"
#include "policy/value.h"

namespace wartburg::builtins {

// ---- big integers ----
// The largest integer arithmetic builtins build: num::kMaxDigits (5,000)
// decimal digits, the most a number literal may have. Larger results would
// make later operations on them (printing, parsing, multiplying) costly, as
// their cost is quadratic in the digits; building one is an error that stops
// the evaluation.
constexpr uint64_t kMaxIntegerBits = static_cast<uint64_t>(num::kMaxDigits * 3.3219280948873623) + 1;
// Throws LimitError (eval_builtin_error) when an integer result would have
// more than kMaxIntegerBits bits; reserves its bytes otherwise.
void check_integer_bits(uint64_t bits);
// Bits of the magnitude of a number's exact integer or decimal mantissa (0 for
// Int and Float: they are small).
uint64_t mantissa_bits(const Value& v);
// x * y (num::mul) with the result bounded as above. arithmetic.cpp
Value checked_mul(const Value& x, const Value& y);

// ---- results of known size ----
// Reserves a value of `items` elements of `item_bytes` each (plus `extra`
// bytes) against the evaluation's limits. Small results cost one compare.
inline void reserve_items(uint64_t items, uint64_t item_bytes, uint64_t extra = 0) {
  if (items >= 4096 || extra >= (uint64_t{1} << 16)) {
    const bool overflow = item_bytes != 0 && items > (UINT64_MAX - extra) / item_bytes;
    limits::reserve(overflow ? UINT64_MAX : items * item_bytes + extra);
  }
}

// ---- deadline ----
// Checks the evaluation's deadline now (limits::poll() checks it only every
// 256th call): for loops whose iterations may each take long.
void check_deadline();

// ---- search ----
// First occurrence of `needle` in `hay` at or after `from` (npos if none), in
// linear time (glibc's memmem: two-way for long needles) where
// std::string::find takes O(n*m) on hostile input. An empty needle is found at
// `from` (if from <= hay.size()).
size_t find_bytes(std::string_view hay, std::string_view needle, size_t from = 0);

// Knuth-Morris-Pratt: calls `on_match(i)` for every (overlapping) occurrence
// of `needle` in `hay` at index i, in order, until it returns false.
// Linear in hay.size() + needle.size(); needs only operator== on T.
template <class T, class F>
void kmp_each(const T* hay, size_t n, const T* needle, size_t m, F on_match) {
  if (m == 0 || m > n) return;
  std::vector<size_t> fail(m, 0);
  for (size_t i = 1, k = 0; i < m; ++i) {
    while (k > 0 && !(needle[i] == needle[k])) k = fail[k - 1];
    if (needle[i] == needle[k]) ++k;
    fail[i] = k;
  }
  for (size_t i = 0, k = 0; i < n; ++i) {
    while (k > 0 && !(hay[i] == needle[k])) k = fail[k - 1];
    if (hay[i] == needle[k]) ++k;
    if (k == m) {
      if (!on_match(i + 1 - m)) return;
      k = fail[k - 1];
    }
  }
}

// ---- sizes ----
// The size of a value written out as a tree (shared parts counted each time
// they appear): bytes as Value's constructors charge them (saturating), and
// nesting depth (0 for a scalar, 1 for an empty array). Values share their
// parts, so a value built by k copies can have a tree 2^k times its memory:
// whatever walks it (printing, comparing, walk) pays the tree size.
struct Shape {
  uint64_t bytes = 0;
  uint64_t depth = 0;
};
// Measures values, remembering the shape of every composite part it saw
// (keeping them alive), so that measuring parts shared many times, or a
// document again after an edit, costs only the parts not seen before.
// Iterative: any depth.
class ShapeMemo {
 public:
  Shape of(const Value& v);

 private:
  std::unordered_map<const void*, std::pair<Value, Shape>> memo_;
};
// Bytes of a value's tree, at most `cap`.
uint64_t tree_bytes(const Value& v, uint64_t cap);
// Before writing a value out as text (JSON, YAML, Rego): checks its tree
// against the evaluation's limits as if it were built anew, so that a value
// that shares its parts 2^k times is refused instead of printed. Walks the
// tree without memory of its own, stopping at the limit; nothing outside an
// evaluation.
// `indent`: bytes of indentation per level and line (YAML); `max_depth`:
// deeper values are refused with a BuiltinError naming `what` (0: any depth).
void check_expanded_size(const Value& v, uint64_t indent = 0, size_t max_depth = 0, const char* what = "");

}  // namespace wartburg::builtins
