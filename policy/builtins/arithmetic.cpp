// Builtins: arithmetic (plus, minus, mul, div, rem, abs, round, ceil, floor)
// and the set operators `-` (minus on sets), `&` (and) and `|` (or).
// Number semantics (exact integers, floats) come from policy/number.h.
#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"
#include "policy/number.h"

namespace wartburg::builtins {
namespace {

Value set_difference(const Value& a, const Value& b) {
  std::vector<Value> out;
  for (const Value& x : a.items()) {
    if (!b.contains(x)) out.push_back(x);
  }
  return Value::set(std::move(out));
}

Value plus(Context&, const Value* a) { return num::add(need_number(a, 1), need_number(a, 2)); }

}  // namespace

// x * y with a bound on the result: an exact product has as many bits as its
// operands together, so repeated squaring doubles them each time; beyond
// kMaxIntegerBits it is an error (see bounds.h). Decimals whose exponents
// would leave int64 are multiplied as doubles (their value is 0 or infinite).
Value checked_mul(const Value& x, const Value& y) {
  if (x.is_bigint() || y.is_bigint()) {
    const Value& b = x.is_bigint() ? x : y;
    const Value& o = x.is_bigint() ? y : x;
    if (!o.is_float()) check_integer_bits(mantissa_bits(b) + (o.is_int() ? 64 : mantissa_bits(o)));
    int64_t ex = x.is_bigint() ? x.as_big().exp : 0, ey = y.is_bigint() ? y.as_big().exp : 0;
    constexpr int64_t kMaxExp = int64_t{1} << 60;
    if (ex < -kMaxExp / 2 || ey < -kMaxExp / 2 || ex + ey < -kMaxExp) return Value::number(x.as_double() * y.as_double());
  }
  return num::mul(x, y);
}

namespace {

Value mul(Context&, const Value* a) { return checked_mul(need_number(a, 1), need_number(a, 2)); }

Value minus(Context&, const Value* a) {
  const Value& x = a[0];
  const Value& y = a[1];
  if (x.is_number() && y.is_number()) return num::sub(x, y);
  if (x.is_set() && y.is_set()) return set_difference(x, y);
  if (!x.is_number() && !x.is_set()) operand_error(1, "one of {number, set}", x);
  if (y.is_number()) operand_error(2, "set", y);
  operand_error(2, "number", y);
}

bool is_zero(const Value& v) {
  if (v.is_bigint()) return false;
  return v.as_double() == 0;
}

Value div(Context&, const Value* a) {
  const Value& x = need_number(a, 1);
  const Value& y = need_number(a, 2);
  if (is_zero(y)) throw BuiltinError("divide by zero");
  Value r = num::div(x, y);
  if (!r.defined()) throw BuiltinError("divide by zero");
  return r;
}

Value rem(Context&, const Value* a) {
  const Value& x = need_number(a, 1);
  const Value& y = need_number(a, 2);
  if (!x.is_integral() || !y.is_integral()) throw BuiltinError("modulo on floating-point number");
  if (is_zero(y)) throw BuiltinError("modulo by zero");
  Value r = num::rem(x, y);
  if (!r.defined()) throw BuiltinError("modulo by zero");
  return r;
}

Value abs_(Context&, const Value* a) { return num::abs(need_number(a, 1)); }
Value round_(Context&, const Value* a) { return num::round(need_number(a, 1)); }
Value ceil_(Context&, const Value* a) { return num::ceil(need_number(a, 1)); }
Value floor_(Context&, const Value* a) { return num::floor(need_number(a, 1)); }

Value set_and(Context&, const Value* a) {
  const Value& x = need_set(a, 1);
  const Value& y = need_set(a, 2);
  std::vector<Value> out;
  for (const Value& e : x.items()) {
    if (y.contains(e)) out.push_back(e);
  }
  return Value::set(std::move(out));
}

Value set_or(Context&, const Value* a) {
  const Value& x = need_set(a, 1);
  const Value& y = need_set(a, 2);
  reserve_items(x.items().size() + y.items().size(), limits::kItemBytes, limits::kValueOverhead);
  std::vector<Value> out;
  out.reserve(x.items().size() + y.items().size());
  out.insert(out.end(), x.items().begin(), x.items().end());
  out.insert(out.end(), y.items().begin(), y.items().end());
  return Value::set(std::move(out));
}

}  // namespace

void register_arithmetic(Registry& r) {
  r.add({"plus", 2, plus, "(number, number) => number"});
  r.add({"minus", 2, minus, "(number|set, number|set) => number|set"});
  r.add({"mul", 2, mul, "(number, number) => number"});
  r.add({"div", 2, div, "(number, number) => number"});
  r.add({"rem", 2, rem, "(number, number) => number"});
  r.add({"abs", 1, abs_, "(number) => number"});
  r.add({"round", 1, round_, "(number) => number"});
  r.add({"ceil", 1, ceil_, "(number) => number"});
  r.add({"floor", 1, floor_, "(number) => number"});
  r.add({"and", 2, set_and, "(set, set) => set"});
  r.add({"or", 2, set_or, "(set, set) => set"});
}

}  // namespace wartburg::builtins
