// Number arithmetic: int64 fast paths with overflow checks, exact big
// integers beyond, doubles for non-integral values, and exact decimals for the
// literals no double denotes (parsed here, compared and added exactly).
#include "policy/number.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace wartburg::num {

using boost::multiprecision::cpp_int;

std::optional<cpp_int> to_bigint(const Value& v) {
  if (!v.is_number()) return std::nullopt;
  switch (v.num_rep()) {
    case NumRep::Int: return cpp_int(v.as_int());
    case NumRep::Big:
      if (v.as_big().exp != 0) return std::nullopt;
      return v.as_big().v;
    case NumRep::Float: {
      double d = v.as_double();
      if (!std::isfinite(d) || d != std::floor(d)) return std::nullopt;
      return cpp_int(d);
    }
  }
  return std::nullopt;
}

Value from_bigint(const cpp_int& i) { return Value::big(BigInt{i}); }

// ---------------------------------------------------------------- exact decimals

namespace {

// A number as the exact decimal m * 10^e (m may end in zeros).
struct Dec {
  cpp_int m;
  int64_t e = 0;
};

cpp_int pow10(int64_t n) { return boost::multiprecision::pow(cpp_int(10), static_cast<unsigned>(n)); }

int64_t digit_count(const cpp_int& m) {
  return static_cast<int64_t>((m < 0 ? cpp_int(-m) : m).str().size());
}

// The syntax of a number literal, split: sign, significant digits, exponent.
struct Literal {
  bool neg = false;
  bool fraction = false;   // written with a decimal point
  std::string digits;      // without leading zeros; empty for zero
  int64_t exp = 0;         // value = digits * 10^exp
};

// [+-]? digits? (. digits?)? ([eE] [+-]? digits)? with at least one mantissa digit.
bool split_literal(std::string_view t, Literal& out) {
  size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) out.neg = t[i++] == '-';
  bool any = false;
  int64_t frac_digits = 0;
  for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
    any = true;
    if (!out.digits.empty() || t[i] != '0') out.digits.push_back(t[i]);
  }
  if (i < t.size() && t[i] == '.') {
    out.fraction = true;
    for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
      any = true;
      ++frac_digits;
      if (!out.digits.empty() || t[i] != '0') out.digits.push_back(t[i]);
    }
  }
  if (!any) return false;
  int64_t exp = 0;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) eneg = t[i++] == '-';
    if (i == t.size()) return false;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
      if (exp > 1'000'000'000'000LL) return false;  // absurd exponents are not numbers we keep
      exp = exp * 10 + (t[i] - '0');
    }
    if (eneg) exp = -exp;
  }
  if (i != t.size()) return false;
  // the digits kept start at the first non-zero one; the fraction digits all count
  out.exp = exp - frac_digits;
  while (!out.digits.empty() && out.digits.back() == '0') {
    out.digits.pop_back();
    ++out.exp;
  }
  return true;
}

Dec to_dec(const Literal& l) {
  Dec d{l.digits.empty() ? cpp_int(0) : cpp_int(l.digits), l.exp};
  if (l.neg) d.m = -d.m;
  return d;
}

// The decimal a double denotes: its shortest round-trip form.
Dec shortest(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  Literal l;
  split_literal(std::string_view(buf, static_cast<size_t>(r.ptr - buf)), l);
  return to_dec(l);
}

bool same(const Dec& a, const Literal& l) {
  Dec b = to_dec(l);
  if (a.m == 0 || b.m == 0) return a.m == b.m;
  Dec x = a;
  while (x.m % 10 == 0) {
    x.m /= 10;
    ++x.e;
  }
  return x.m == b.m && x.e == b.e;
}

// The canonical Value of m * 10^e: an integer (exact), or a decimal kept exact
// (the caller has found that no double denotes it).
Value exact_value(cpp_int m, int64_t e) {
  if (m == 0) return Value::integer(0);
  while (m % 10 == 0) {
    m /= 10;
    ++e;
  }
  if (e >= 0) {
    if (digit_count(m) + e > kMaxDigits) return {};
    return Value::big(BigInt{m * pow10(e), 0});
  }
  return Value::big(BigInt{std::move(m), e});
}

// The canonical Value of an exact result of arithmetic: the double when one
// denotes it, the exact decimal otherwise.
Value canonical(const Dec& d) {
  if (d.m == 0) return Value::integer(0);
  cpp_int m = d.m;
  int64_t e = d.e;
  while (m % 10 == 0) {
    m /= 10;
    ++e;
  }
  if (e >= 0) return exact_value(std::move(m), e);
  std::string text = m.str() + "e" + std::to_string(e);
  double x = std::strtod(text.c_str(), nullptr);
  if (std::isfinite(x) && x != 0) {
    Literal l;
    split_literal(text, l);
    if (same(shortest(x), l)) return Value::number(x);
  }
  return Value::big(BigInt{std::move(m), e});
}

// A number as an exact decimal; false for infinities (arithmetic overflow).
bool exact(const Value& v, Dec& out) {
  switch (v.num_rep()) {
    case NumRep::Int: out = Dec{cpp_int(v.as_int()), 0}; return true;
    case NumRep::Big: out = Dec{v.as_big().v, v.as_big().exp}; return true;
    case NumRep::Float: {
      double d = v.as_double();
      if (!std::isfinite(d)) return false;
      out = shortest(d);
      return true;
    }
  }
  return false;
}

int sign(const cpp_int& m) { return m < 0 ? -1 : (m > 0 ? 1 : 0); }

int compare_dec(const Dec& a, const Dec& b) {
  int sa = sign(a.m), sb = sign(b.m);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  // magnitudes first: the exponent of the leading digit
  int64_t la = digit_count(a.m) + a.e, lb = digit_count(b.m) + b.e;
  if (la != lb) return (la < lb ? -1 : 1) * sa;
  // same leading position: the exponents differ by at most the digit counts
  cpp_int x = a.m, y = b.m;
  if (a.e > b.e) x *= pow10(a.e - b.e);
  if (b.e > a.e) y *= pow10(b.e - a.e);
  return x < y ? -1 : (x > y ? 1 : 0);
}

// Exact a + sign*b when either is a decimal; doubles when aligning the
// exponents would take more than kMaxDigits digits.
Value dec_add(const Value& a, const Value& b, int sgn) {
  Dec x, y;
  if (!exact(a, x) || !exact(b, y) || std::abs(x.e - y.e) > kMaxDigits) {
    return Value::number(a.as_double() + sgn * b.as_double());
  }
  int64_t e = std::min(x.e, y.e);
  cpp_int m = x.m * pow10(x.e - e) + sgn * (y.m * pow10(y.e - e));
  return canonical(Dec{std::move(m), e});
}

// floor (dir -1), ceil (+1) or round half away from zero (0) of a decimal.
Value dec_round(const BigInt& b, int dir) {
  cpp_int q, r;
  if (-b.exp > digit_count(b.v) + 1) {
    q = 0;  // |x| < 0.1
    r = b.v;
  } else {
    cpp_int p = pow10(-b.exp);
    q = b.v / p;  // truncates toward zero
    r = b.v % p;
    if (dir == 0) {
      cpp_int twice = (r < 0 ? cpp_int(-r) : r) * 2;
      if (twice >= p) q += sign(b.v);
      return from_bigint(q);
    }
  }
  if (dir < 0 && r < 0) q -= 1;
  if (dir > 0 && r > 0) q += 1;
  return from_bigint(q);
}

bool both_exact(const Value& a, const Value& b) { return a.num_rep() != NumRep::Float && b.num_rep() != NumRep::Float; }

}  // namespace

bool is_decimal(const Value& v) { return v.is_bigint() && v.as_big().exp != 0; }

Value parse_exact(std::string_view text) {
  Literal l;
  if (!split_literal(text, l)) return {};
  if (l.digits.empty()) return Value::integer(0);
  // integers written without a fraction (1e20, 1e400) are exact
  if (l.exp >= 0 && !l.fraction) return exact_value(to_dec(l).m, l.exp);
  int64_t sig = static_cast<int64_t>(l.digits.size());
  int64_t lead = sig + l.exp;  // the leading digit's position: value ~ 10^(lead-1)
  // Up to 15 significant digits in the double range, the nearest double denotes the literal.
  if (sig <= 15 && lead > -300 && lead < 300) return Value::number(std::strtod(std::string(text).c_str(), nullptr));
  double d = std::strtod(std::string(text).c_str(), nullptr);
  if (std::isfinite(d) && d != 0 && same(shortest(d), l)) return Value::number(d);
  Dec x = to_dec(l);
  return exact_value(std::move(x.m), x.e);
}

double to_double(const BigInt& b) {
  if (b.exp == 0) return b.v.convert_to<double>();
  std::string text = b.v.str() + "e" + std::to_string(b.exp);
  return std::strtod(text.c_str(), nullptr);
}

std::string to_text(const BigInt& b) {
  if (b.exp >= 0) return b.v.str();
  bool neg = b.v < 0;
  std::string digits = (neg ? cpp_int(-b.v) : b.v).str();
  int64_t n = static_cast<int64_t>(digits.size());
  int64_t lead = n + b.exp - 1;  // exponent of the leading digit
  std::string out = neg ? "-" : "";
  if (lead < -6) {
    out += digits.substr(0, 1);
    if (n > 1) out += "." + digits.substr(1);
    std::string e = std::to_string(-lead);
    return out + "e-" + (e.size() < 2 ? "0" : "") + e;
  }
  if (lead < 0) return out + "0." + std::string(static_cast<size_t>(-lead - 1), '0') + digits;
  size_t point = static_cast<size_t>(lead + 1);
  return out + digits.substr(0, point) + "." + digits.substr(point);
}

Value add(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r;
    if (!__builtin_add_overflow(a.as_int(), b.as_int(), &r)) return Value::integer(r);
  }
  if (is_decimal(a) || is_decimal(b)) return dec_add(a, b, 1);
  if (both_exact(a, b)) return from_bigint(*to_bigint(a) + *to_bigint(b));
  return Value::number(a.as_double() + b.as_double());
}

Value sub(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r;
    if (!__builtin_sub_overflow(a.as_int(), b.as_int(), &r)) return Value::integer(r);
  }
  if (is_decimal(a) || is_decimal(b)) return dec_add(a, b, -1);
  if (both_exact(a, b)) return from_bigint(*to_bigint(a) - *to_bigint(b));
  return Value::number(a.as_double() - b.as_double());
}

Value mul(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r;
    if (!__builtin_mul_overflow(a.as_int(), b.as_int(), &r)) return Value::integer(r);
  }
  if (is_decimal(a) || is_decimal(b)) {
    Dec x, y;
    if (exact(a, x) && exact(b, y)) {
      Value r = canonical(Dec{x.m * y.m, x.e + y.e});
      if (r.defined()) return r;
    }
    return Value::number(a.as_double() * b.as_double());
  }
  if (both_exact(a, b)) return from_bigint(*to_bigint(a) * *to_bigint(b));
  return Value::number(a.as_double() * b.as_double());
}

Value div(const Value& a, const Value& b) {
  if (b.as_double() == 0 && !(b.is_bigint())) return {};
  // a decimal divides as a double (its nearest one)
  if (is_decimal(a) || is_decimal(b)) return Value::number(a.as_double() / b.as_double());
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
  if (a.is_bigint()) return Value::big(BigInt{boost::multiprecision::abs(a.as_big().v), a.as_big().exp});
  return Value::number(std::fabs(a.as_double()));
}

Value round(const Value& a) {
  if (is_decimal(a)) return dec_round(a.as_big(), 0);
  if (a.num_rep() != NumRep::Float) return a;
  return Value::number(std::round(a.as_double()));
}
Value ceil(const Value& a) {
  if (is_decimal(a)) return dec_round(a.as_big(), 1);
  if (a.num_rep() != NumRep::Float) return a;
  return Value::number(std::ceil(a.as_double()));
}
Value floor(const Value& a) {
  if (is_decimal(a)) return dec_round(a.as_big(), -1);
  if (a.num_rep() != NumRep::Float) return a;
  return Value::number(std::floor(a.as_double()));
}

int compare_numbers(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return a.as_int() < b.as_int() ? -1 : (a.as_int() > b.as_int() ? 1 : 0);
  if (is_decimal(a) || is_decimal(b)) {
    Dec x, y;
    if (exact(a, x) && exact(b, y)) return compare_dec(x, y);
    // an infinity (from arithmetic overflow) against a decimal
    double p = a.as_double(), q = b.as_double();
    return p < q ? -1 : (p > q ? 1 : 0);
  }
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
