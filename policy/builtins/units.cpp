// Builtins: units.parse (SI and IEC suffixes, "m" = milli and "M" = mega,
// other suffix letters case-insensitive after the first) and
// units.parse_bytes (byte units, case-insensitive, result truncated to an
// integer). Amounts may be decimals with an exponent ("1.5e3K").
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "policy/builtins/registry.h"
#include "policy/number.h"

namespace wartburg::builtins {
namespace {

using boost::multiprecision::cpp_int;

constexpr size_t kMaxExponentDigits = 6;
constexpr int64_t kMaxMagnitude = 20000;  // decimal digits we are willing to build

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Index where the exponent digits after an 'e' at i end; npos when the 'e' starts the unit.
size_t exponent_end(const std::string& s, size_t i) {
  if (i + 1 >= s.size() || !(is_digit(s[i + 1]) || s[i + 1] == '+' || s[i + 1] == '-')) return std::string::npos;
  size_t j = i + 1;
  if (s[j] == '+' || s[j] == '-') ++j;
  size_t k = j;
  while (k < s.size() && is_digit(s[k])) ++k;
  if (k - j > kMaxExponentDigits) throw BuiltinError("exponent too large");
  return j;
}

// Splits "10.5e3Ki" into amount "10.5e3" and unit "Ki", as OPA does.
std::pair<std::string, std::string> split_amount(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool numeric = is_digit(c) || c == '.' || c == '+' || c == '-';
    if (c == 'e' || c == 'E') {
      size_t next = exponent_end(s, i);
      if (next == std::string::npos) return {s.substr(0, i), s.substr(i)};
      i = next - 1;
      continue;
    }
    if (!numeric) return {s.substr(0, i), s.substr(i)};
  }
  return {s, ""};
}

struct Decimal {
  bool negative = false;
  cpp_int mantissa;  // value = (-1)^negative * mantissa * 10^exponent
  int64_t exponent = 0;
  size_t digits = 0;
};

size_t take_digits(const std::string& s, size_t i, std::string& out) {
  while (i < s.size() && is_digit(s[i])) out += s[i++];
  return i;
}

// [+-] digits [. digits] [(e|E) [+-] digits], with at least one mantissa digit.
bool parse_decimal(const std::string& s, Decimal& d) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) d.negative = s[i++] == '-';
  std::string digits;
  i = take_digits(s, i, digits);
  size_t int_digits = digits.size();
  if (i < s.size() && s[i] == '.') i = take_digits(s, i + 1, digits);
  if (digits.empty()) return false;
  d.exponent = -static_cast<int64_t>(digits.size() - int_digits);
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::string exp;
    i = take_digits(s, i, exp);
    if (exp.empty() || exp.size() > kMaxExponentDigits) return false;
    d.exponent += neg ? -std::stoll(exp) : std::stoll(exp);
  }
  if (i != s.size()) return false;
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) {
    d.digits = 0;
    d.mantissa = 0;
    return true;
  }
  // trailing zeros only scale the value; dropping them keeps "1.000...0" small
  size_t last = digits.find_last_not_of('0');
  d.exponent += static_cast<int64_t>(digits.size() - 1 - last);
  d.digits = last + 1 - first;
  // building the mantissa takes time quadratic in its digits
  if (d.digits > static_cast<size_t>(kMaxMagnitude)) throw BuiltinError("amount has too many digits");
  d.mantissa = cpp_int(digits.substr(first, d.digits));
  return true;
}

cpp_int pow10(int64_t n) { return boost::multiprecision::pow(cpp_int(10), static_cast<unsigned>(n)); }

void check_magnitude(const Decimal& d) {
  if (d.digits && d.exponent + static_cast<int64_t>(d.digits) > kMaxMagnitude) {
    throw BuiltinError("exponent too large");
  }
}

// Exact decimal value as a number: an integer when integral, otherwise the
// value rounded to 10 decimal places (OPA renders big.Rat.FloatString(10)).
Value decimal_value(const Decimal& d) {
  check_magnitude(d);
  if (d.digits == 0) return Value::integer(0);
  cpp_int m = d.negative ? cpp_int(-d.mantissa) : d.mantissa;
  if (d.exponent >= 0) return num::from_bigint(m * pow10(d.exponent));
  if (-d.exponent > static_cast<int64_t>(d.digits) + 12) return Value::integer(0);
  cpp_int den = pow10(-d.exponent);
  if (m % den == 0) return num::from_bigint(m / den);
  // scaled = round_half_away(m * 10^10 / den)
  cpp_int num10 = boost::multiprecision::abs(m) * pow10(10);
  cpp_int q = num10 / den;
  if ((num10 % den) * 2 >= den) ++q;
  std::string text = q.str();
  if (text.size() <= 10) text.insert(0, 11 - text.size(), '0');
  text.insert(text.size() - 10, ".");
  if (m < 0) text.insert(0, "-");
  return Value::number_from_text(text);
}

const std::string& need_amount_string(const Value* a, std::string& out) {
  out = need_string(a, 1);
  std::erase(out, '"');
  if (out.find(' ') != std::string::npos) throw BuiltinError("spaces not allowed in resource strings");
  return out;
}

// Multiplier of a units.parse suffix as a power-of-ten shift or an integer factor.
bool unit_factor(const std::string& unit, int64_t& shift, uint64_t& factor) {
  static const std::pair<const char*, uint64_t> kTable[] = {
      {"", 1}, {"k", 1000}, {"K", 1000}, {"ki", 1ull << 10}, {"Ki", 1ull << 10}, {"M", 1000000},
      {"mi", 1ull << 20}, {"Mi", 1ull << 20}, {"g", 1000000000}, {"G", 1000000000},
      {"gi", 1ull << 30}, {"Gi", 1ull << 30}, {"t", 1000000000000}, {"T", 1000000000000},
      {"ti", 1ull << 40}, {"Ti", 1ull << 40}, {"p", 1000000000000000}, {"P", 1000000000000000},
      {"pi", 1ull << 50}, {"Pi", 1ull << 50}, {"e", 1000000000000000000}, {"E", 1000000000000000000},
      {"ei", 1ull << 60}, {"Ei", 1ull << 60}};
  shift = 0;
  factor = 1;
  if (unit == "m") {
    shift = -3;
    return true;
  }
  for (const auto& [name, f] : kTable) {
    if (unit == name) {
      factor = f;
      return true;
    }
  }
  return false;
}

Value units_parse(Context&, const Value* a) {
  std::string s;
  need_amount_string(a, s);
  auto [amount, unit] = split_amount(s);
  if (amount.empty()) throw BuiltinError("no amount provided");
  for (size_t i = 1; i < unit.size(); ++i) unit[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(unit[i])));
  int64_t shift;
  uint64_t factor;
  if (!unit_factor(unit, shift, factor)) throw BuiltinError("unit " + unit + " not recognized");
  Decimal d;
  if (!parse_decimal(amount, d)) throw BuiltinError("could not parse amount to a number");
  d.mantissa *= factor;
  d.exponent += shift;
  if (d.digits) d.digits += std::to_string(factor).size();
  return decimal_value(d);
}

uint64_t byte_factor(const std::string& unit) {
  static const std::pair<const char*, uint64_t> kTable[] = {
      {"", 1}, {"kb", 1000}, {"k", 1000}, {"kib", 1ull << 10}, {"ki", 1ull << 10},
      {"mb", 1000000}, {"m", 1000000}, {"mib", 1ull << 20}, {"mi", 1ull << 20},
      {"gb", 1000000000}, {"g", 1000000000}, {"gib", 1ull << 30}, {"gi", 1ull << 30},
      {"tb", 1000000000000}, {"t", 1000000000000}, {"tib", 1ull << 40}, {"ti", 1ull << 40},
      {"pb", 1000000000000000}, {"p", 1000000000000000}, {"pib", 1ull << 50}, {"pi", 1ull << 50},
      {"eb", 1000000000000000000}, {"e", 1000000000000000000}, {"eib", 1ull << 60}, {"ei", 1ull << 60}};
  for (const auto& [name, f] : kTable) {
    if (unit == name) return f;
  }
  throw BuiltinError("byte unit " + unit + " not recognized");
}

// OPA computes amount * factor in a 64-bit-mantissa binary float and then
// truncates; x86 long double has exactly that precision, so mirror it there.
Value truncated_product(const std::string& amount, const Decimal& d, uint64_t factor) {
  check_magnitude(d);
  if (std::numeric_limits<long double>::digits == 64) {
    long double x = std::strtold(amount.c_str(), nullptr) * static_cast<long double>(factor);
    if (std::isfinite(x) && std::fabs(x) < 9.0e18L) return Value::integer(static_cast<int64_t>(x));
  }
  cpp_int m = d.mantissa * factor;
  if (d.negative) m = -m;
  if (d.exponent >= 0) return num::from_bigint(m * pow10(d.exponent));
  if (-d.exponent > static_cast<int64_t>(d.digits) + 20) return Value::integer(0);
  return num::from_bigint(m / pow10(-d.exponent));
}

Value units_parse_bytes(Context&, const Value* a) {
  std::string s;
  need_amount_string(a, s);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto [amount, unit] = split_amount(s);
  if (amount.empty()) throw BuiltinError("no byte amount provided");
  uint64_t factor = byte_factor(unit);
  Decimal d;
  if (!parse_decimal(amount, d)) throw BuiltinError("could not parse byte amount to a number");
  return truncated_product(amount, d, factor);
}

}  // namespace

void register_units(Registry& r) {
  r.add({"units.parse", 1, units_parse, "(string) => number"});
  r.add({"units.parse_bytes", 1, units_parse_bytes, "(string) => number"});
}

}  // namespace wartburg::builtins
