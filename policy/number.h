// Number arithmetic with OPA's semantics: exact integers (int64 fast path,
// arbitrary precision beyond), floating point otherwise; OPA's rules for
// division, remainder and rounding. Exact decimals for the number literals no
// double denotes (1e-400, 0.1234567890123456789), which OPA keeps as written:
// they compare in the order of the numbers they denote. Used by the
// arithmetic builtins and the number parser/printer.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "policy/value.h"

namespace wartburg {

// Payload of NumRep::Big: the exact number v * 10^exp. exp is 0 for integers
// (those beyond int64). It is negative only for a non-integral number that no
// double denotes (more significant digits than a double holds, or beyond its
// exponent range); v then has no trailing zero digit.
struct BigInt {
  boost::multiprecision::cpp_int v;
  int64_t exp = 0;
};

namespace num {

// Exact integer view of a number, if it is integral.
std::optional<boost::multiprecision::cpp_int> to_bigint(const Value& v);
Value from_bigint(const boost::multiprecision::cpp_int& i);

// ---- exact decimals ----
// A non-integral BigInt (exp < 0).
bool is_decimal(const Value& v);
// The number a JSON/Rego number literal denotes, exactly: Int, big integer,
// the double when a double denotes it (the literal is the double's shortest
// form, e.g. 0.1), otherwise an exact decimal. Undefined when the text is not
// a number or names a number of more than kMaxDigits digits. The bound keeps
// every conversion cheap (text <-> big integer costs time quadratic in the
// digits: 5,000 digits take 45 us to read and 0.3 ms to print) and still holds
// the integers of RSA-16384 keys (4,933 digits), as crypto.x509.* prints them.
constexpr int64_t kMaxDigits = 5000;
Value parse_exact(std::string_view text);
// Nearest double of a BigInt (0 or infinity beyond the double range).
double to_double(const BigInt& b);
// Text of a BigInt: the integer's digits, or a decimal such as
// 0.1234567890123456789 or 1.5e-400 (exponent form below 1e-6, as doubles).
std::string to_text(const BigInt& b);

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
