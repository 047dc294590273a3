// Builtins: to_number and the deprecated cast_* conversions (cast_array,
// cast_set, cast_string, cast_boolean, cast_null, cast_object).
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "policy/builtins/registry.h"
#include "policy/number.h"

namespace wartburg::builtins {
namespace {

size_t skip_digits(const std::string& s, size_t i) {
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

// Decimal float syntax as Go's strconv.ParseFloat accepts it (no hex, no inf/nan):
// [+-] (digits [. digits] | . digits) [(e|E) [+-] digits]
bool valid_decimal(const std::string& s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t int_end = skip_digits(s, i);
  size_t mant_digits = int_end - i;
  i = int_end;
  if (i < s.size() && s[i] == '.') {
    size_t frac_end = skip_digits(s, i + 1);
    mant_digits += frac_end - i - 1;
    i = frac_end;
  }
  if (mant_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_end = skip_digits(s, i);
    if (exp_end == i) return false;
    i = exp_end;
  }
  return i == s.size();
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Rewrites a valid decimal into the form Value::number_from_text accepts.
std::string normalize_decimal(std::string s) {
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  size_t sign = (!s.empty() && s[0] == '-') ? 1 : 0;
  if (sign < s.size() && s[sign] == '.') s.insert(sign, "0");
  size_t dot = s.find('.');
  if (dot != std::string::npos && (dot + 1 == s.size() || !std::isdigit(static_cast<unsigned char>(s[dot + 1])))) {
    s.erase(dot, 1);
  }
  return s;
}

Value string_to_number(const Value& arg) {
  const std::string& s = arg.str();
  size_t p = s.find_first_not_of("+-");
  std::string rest = lower(p == std::string::npos ? "" : s.substr(p));
  if (rest == "inf" || rest == "infinity" || rest == "nan") operand_error(1, "valid number string", arg);
  if (!valid_decimal(s)) throw BuiltinError("strconv.ParseFloat: parsing \"" + s + "\": invalid syntax");
  errno = 0;
  double d = std::strtod(s.c_str(), nullptr);
  if (std::isinf(d)) throw BuiltinError("strconv.ParseFloat: parsing \"" + s + "\": value out of range");
  // Beyond num::kMaxDigits significant digits the exact value would take
  // quadratic time to build (and is no integer we keep): the double it is.
  size_t sig = 0;
  bool leading = true;
  for (char c : s) {
    if (c == 'e' || c == 'E') break;
    if (c < '0' || c > '9') continue;
    if (leading && c == '0') continue;
    leading = false;
    ++sig;
  }
  if (sig > static_cast<size_t>(num::kMaxDigits)) return Value::number(d);
  Value v = Value::number_from_text(normalize_decimal(s));
  return v.defined() ? v : Value::number(d);
}

Value to_number(Context&, const Value* a) {
  const Value& v = a[0];
  switch (v.kind()) {
    case Kind::Null: return Value::integer(0);
    case Kind::Bool: return Value::integer(v.as_bool() ? 1 : 0);
    case Kind::Number: return v;
    case Kind::String: return string_to_number(v);
    default: operand_error(1, "one of {null, boolean, number, string}", v);
  }
}

Value cast_array(Context&, const Value* a) {
  const Value& v = a[0];
  if (v.is_array()) return v;
  if (v.is_set()) return Value::array(v.items());
  operand_error(1, "one of {array, set}", v);
}

Value cast_set(Context&, const Value* a) {
  const Value& v = a[0];
  if (v.is_set()) return v;
  if (v.is_array()) return Value::set(v.items());
  operand_error(1, "one of {array, set}", v);
}

template <Kind K>
Value cast_identity(Context&, const Value* a) {
  if (a[0].kind() != K) operand_error(1, kind_name(K), a[0]);
  return a[0];
}

}  // namespace

void register_casts(Registry& r) {
  r.add({"to_number", 1, to_number, "(null|boolean|number|string) => number"});
  r.add({"cast_array", 1, cast_array, "(array|set) => array"});
  r.add({"cast_set", 1, cast_set, "(array|set) => set"});
  r.add({"cast_string", 1, cast_identity<Kind::String>, "(string) => string"});
  r.add({"cast_boolean", 1, cast_identity<Kind::Bool>, "(boolean) => boolean"});
  r.add({"cast_null", 1, cast_identity<Kind::Null>, "(null) => null"});
  r.add({"cast_object", 1, cast_identity<Kind::Object>, "(object) => object"});
}

}  // namespace wartburg::builtins
