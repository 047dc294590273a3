// Number arithmetic with OPA's semantics: exact integers (int64 fast path,
// arbitrary precision beyond), floating point otherwise; OPA's rules for
// division, remainder and rounding. Used by the arithmetic builtins and the
// number parser/printer.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <optional>
#include <string>

#include "policy/value.h"

namespace wartburg {

struct BigInt {
  boost::multiprecision::cpp_int v;
};

namespace num {

// Exact integer view of a number, if it is integral.
std::optional<boost::multiprecision::cpp_int> to_bigint(const Value& v);
Value from_bigint(const boost::multiprecision::cpp_int& i);

Value add(const Value& a, const Value& b);
Value sub(const Value& a, const Value& b);
Value mul(const Value& a, const Value& b);
// Division: exact when the quotient is an integer, floating point otherwise.
// Returns Undefined on division by zero (callers raise "divide by zero").
Value div(const Value& a, const Value& b);
// Remainder of integers (sign follows the dividend, as Go). Undefined when b == 0;
// callers must check both operands are integral first.
Value rem(const Value& a, const Value& b);
Value neg(const Value& a);
Value abs(const Value& a);
Value round(const Value& a);  // half away from zero
Value ceil(const Value& a);
Value floor(const Value& a);

int compare_numbers(const Value& a, const Value& b);

}  // namespace num
}  // namespace wartburg
