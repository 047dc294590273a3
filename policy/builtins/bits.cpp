// Builtins: bitwise operations on (arbitrary-precision) integers: bits.or,
// bits.and, bits.negate, bits.xor, bits.lsh, bits.rsh. Negative numbers
// behave as infinite two's complement (boost::multiprecision and Go's
// math/big agree on this), right shifts round toward negative infinity.
#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"
#include "policy/number.h"

namespace wartburg::builtins {
namespace {

using boost::multiprecision::cpp_int;


Value bits_or(Context&, const Value* a) { return num::from_bigint(need_bigint(a, 1) | need_bigint(a, 2)); }
Value bits_and(Context&, const Value* a) { return num::from_bigint(need_bigint(a, 1) & need_bigint(a, 2)); }
Value bits_xor(Context&, const Value* a) { return num::from_bigint(need_bigint(a, 1) ^ need_bigint(a, 2)); }
Value bits_negate(Context&, const Value* a) { return num::from_bigint(-need_bigint(a, 1) - 1); }

unsigned shift_amount(const Value* a) {
  cpp_int s = need_bigint(a, 2);
  if (s < 0) throw TypeError("operand 2 must be an unsigned integer number but got a negative integer");
  if (s > 1u << 24) throw BuiltinError("shift amount too large");
  return static_cast<unsigned>(s);
}

Value bits_lsh(Context&, const Value* a) {
  cpp_int x = need_bigint(a, 1);
  unsigned shift = shift_amount(a);
  if (x != 0) check_integer_bits(boost::multiprecision::msb(boost::multiprecision::abs(x)) + 1 + uint64_t{shift});
  return num::from_bigint(x << shift);
}

Value bits_rsh(Context&, const Value* a) {
  cpp_int x = need_bigint(a, 1);
  return num::from_bigint(x >> shift_amount(a));
}

}  // namespace

void register_bits(Registry& r) {
  const std::string sig2 = "(number, number) => number";
  r.add({"bits.or", 2, bits_or, sig2});
  r.add({"bits.and", 2, bits_and, sig2});
  r.add({"bits.xor", 2, bits_xor, sig2});
  r.add({"bits.negate", 1, bits_negate, "(number) => number"});
  r.add({"bits.lsh", 2, bits_lsh, sig2});
  r.add({"bits.rsh", 2, bits_rsh, sig2});
}

}  // namespace wartburg::builtins
