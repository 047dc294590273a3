// Number arithmetic: int64 fast paths with overflow checks, exact big
// integers beyond, doubles for non-integral values.
#include "policy/number.h"

#include <cmath>

namespace wartburg::num {

using boost::multiprecision::cpp_int;

std::optional<cpp_int> to_bigint(const Value& v) {
  if (!v.is_number()) return std::nullopt;
  switch (v.num_rep()) {
    case NumRep::Int: return cpp_int(v.as_int());
    case NumRep::Big: return v.as_big().v;
    case NumRep::Float: {
      double d = v.as_double();
      if (!std::isfinite(d) || d != std::floor(d)) return std::nullopt;
      return cpp_int(d);
    }
  }
  return std::nullopt;
}

Value from_bigint(const cpp_int& i) { return Value::big(BigInt{i}); }

namespace {
bool both_exact(const Value& a, const Value& b) { return a.num_rep() != NumRep::Float && b.num_rep() != NumRep::Float; }
}  // namespace

Value add(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r;
    if (!__builtin_add_overflow(a.as_int(), b.as_int(), &r)) return Value::integer(r);
  }
  if (both_exact(a, b)) return from_bigint(*to_bigint(a) + *to_bigint(b));
  return Value::number(a.as_double() + b.as_double());
}

Value sub(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r;
    if (!__builtin_sub_overflow(a.as_int(), b.as_int(), &r)) return Value::integer(r);
  }
  if (both_exact(a, b)) return from_bigint(*to_bigint(a) - *to_bigint(b));
  return Value::number(a.as_double() - b.as_double());
}

Value mul(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r;
    if (!__builtin_mul_overflow(a.as_int(), b.as_int(), &r)) return Value::integer(r);
  }
  if (both_exact(a, b)) return from_bigint(*to_bigint(a) * *to_bigint(b));
  return Value::number(a.as_double() * b.as_double());
}

Value div(const Value& a, const Value& b) {
  if (b.as_double() == 0 && !(b.is_bigint())) return {};
  if (a.is_int() && b.is_int()) {
    int64_t x = a.as_int(), y = b.as_int();
    if (y != 0 && !(x == INT64_MIN && y == -1) && x % y == 0) return Value::integer(x / y);
    return Value::number(static_cast<double>(x) / static_cast<double>(y));
  }
  if (both_exact(a, b)) {
    cpp_int x = *to_bigint(a), y = *to_bigint(b);
    if (y == 0) return {};
    if (x % y == 0) return from_bigint(x / y);
  }
  return Value::number(a.as_double() / b.as_double());
}

Value rem(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    if (b.as_int() == 0) return {};
    if (b.as_int() == -1) return Value::integer(0);
    return Value::integer(a.as_int() % b.as_int());
  }
  auto x = to_bigint(a), y = to_bigint(b);
  if (!x || !y || *y == 0) return {};
  return from_bigint(*x % *y);
}

Value neg(const Value& a) { return sub(Value::integer(0), a); }

Value abs(const Value& a) {
  if (a.is_int()) {
    if (a.as_int() == INT64_MIN) return from_bigint(-cpp_int(a.as_int()));
    return Value::integer(a.as_int() < 0 ? -a.as_int() : a.as_int());
  }
  if (a.is_bigint()) return from_bigint(boost::multiprecision::abs(a.as_big().v));
  return Value::number(std::fabs(a.as_double()));
}

Value round(const Value& a) {
  if (a.num_rep() != NumRep::Float) return a;
  return Value::number(std::round(a.as_double()));
}
Value ceil(const Value& a) {
  if (a.num_rep() != NumRep::Float) return a;
  return Value::number(std::ceil(a.as_double()));
}
Value floor(const Value& a) {
  if (a.num_rep() != NumRep::Float) return a;
  return Value::number(std::floor(a.as_double()));
}

int compare_numbers(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return a.as_int() < b.as_int() ? -1 : (a.as_int() > b.as_int() ? 1 : 0);
  if (both_exact(a, b)) {
    cpp_int x = *to_bigint(a), y = *to_bigint(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  // mixed with float: compare exactly when the float is integral
  auto xa = to_bigint(a), xb = to_bigint(b);
  if (xa && xb) return *xa < *xb ? -1 : (*xa > *xb ? 1 : 0);
  double x = a.as_double(), y = b.as_double();
  return x < y ? -1 : (x > y ? 1 : 0);
}

}  // namespace wartburg::num
