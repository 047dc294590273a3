// Builtins: strings — concat, contains, startswith/endswith, format_int,
// indexof/indexof_n, lower/upper, replace, split, substring, trim*, and the
// strings.* family. Code-point semantics follow OPA (Go runes). sprintf is at
// the end: Go fmt semantics over OPA's argument conversion.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cwctype>
#include <limits>
#include <locale.h>

#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"
#include "policy/limits.h"
#include "policy/number.h"
#include "policy/utf8.h"

namespace wartburg::builtins {
namespace {

// ---------------------------------------------------------------- UTF-8

// Decodes one code point at s[i] as Go does: invalid bytes decode as U+FFFD
// of width 1.
char32_t decode(std::string_view s, size_t i, size_t& width) { return utf8::decode_rune(s, i, width); }

void encode(std::string& out, char32_t r) { utf8::append(out, r); }

std::vector<char32_t> runes(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0, w = 0; i < s.size(); i += w) out.push_back(decode(s, i, w));
  return out;
}

std::string from_runes(const char32_t* b, const char32_t* e) {
  std::string out;
  for (; b != e; ++b) encode(out, *b);
  return out;
}

// Byte-wise split of s into its UTF-8 sequences (Go's explode).
std::vector<std::string_view> explode(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0, w = 0; i < s.size(); i += w) {
    decode(s, i, w);
    out.push_back(s.substr(i, w));
  }
  return out;
}

bool is_ascii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

locale_t utf8_locale() {
  static locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  return loc;
}

std::string map_case(std::string_view s, bool upper) {
  std::string out;
  out.reserve(s.size());
  locale_t loc = utf8_locale();
  for (size_t i = 0, w = 0; i < s.size(); i += w) {
    char32_t r = decode(s, i, w);
    if (r < 0x80) {
      out += static_cast<char>(upper ? std::toupper(static_cast<int>(r)) : std::tolower(static_cast<int>(r)));
    } else if (loc) {
      encode(out, static_cast<char32_t>(upper ? towupper_l(static_cast<wint_t>(r), loc)
                                              : towlower_l(static_cast<wint_t>(r), loc)));
    } else {
      encode(out, r);
    }
  }
  return out;
}

bool is_go_space(char32_t r) {
  switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case 0x85: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

// ---------------------------------------------------------------- helpers

Value str(std::string s) { return Value::string(std::move(s)); }

[[noreturn]] void element_error(int pos, const Value& coll, const Value& elem) {
  std::string k = kind_name(coll.kind());
  throw TypeError("operand " + std::to_string(pos) + " must be " + k + " of strings but got " + k +
                  " containing " + type_name_for_error(elem));
}

// Strings of an array or set operand (element type errors as OPA).
std::vector<std::string> string_items(const Value& coll, int pos) {
  std::vector<std::string> out;
  for (const auto& e : coll.items()) {
    if (!e.is_string()) element_error(pos, coll, e);
    out.push_back(e.str());
  }
  return out;
}

// Go's strings.NewReplacer(oldnew...) applied to s (generic algorithm:
// leftmost match, ties broken by argument order, empty key at each position).
// Only the keys starting with s[i] (and an empty key) are tried at i; the
// work of comparing keys is counted, so that the deadline is checked however
// long the keys are.
std::string go_replace(std::string_view s, const std::vector<std::pair<std::string, std::string>>& pairs) {
  // keys by first byte, in argument order (linked lists, built backwards);
  // the empty key, if any, is tried at its place in that order everywhere
  std::array<int32_t, 256> head;
  head.fill(-1);
  int32_t small[32];
  std::vector<int32_t> large;
  int32_t* next = small;
  if (pairs.size() > 32) {
    large.resize(pairs.size());
    next = large.data();
  }
  int32_t empty_key = -1;
  for (int32_t k = static_cast<int32_t>(pairs.size()) - 1; k >= 0; --k) {
    const std::string& key = pairs[static_cast<size_t>(k)].first;
    if (key.empty()) {
      empty_key = k;
      continue;
    }
    unsigned char b = static_cast<unsigned char>(key[0]);
    next[k] = head[b];
    head[b] = k;
  }
  std::string out;
  limits::Growth growth;
  uint64_t work = 0;
  bool prev_empty = false;
  for (size_t i = 0; i <= s.size();) {
    if (++work >= 4096) {
      work = 0;
      limits::poll();
    }
    const std::pair<std::string, std::string>* best = nullptr;
    const bool empty_ok = empty_key >= 0 && !prev_empty;
    int32_t k = i < s.size() ? head[static_cast<unsigned char>(s[i])] : -1;
    for (; k >= 0; k = next[k]) {
      if (empty_ok && empty_key < k) break;  // the empty key comes first
      const auto& p = pairs[static_cast<size_t>(k)];
      work += std::min(p.first.size(), s.size() - i) / 16;
      if (s.substr(i).starts_with(p.first)) {
        best = &p;
        break;
      }
    }
    if (!best && empty_ok) best = &pairs[static_cast<size_t>(empty_key)];
    prev_empty = best && best->first.empty();
    if (best) {
      // a replacement may be long: the size is checked before every one
      growth.check(out.size() + best->second.size());
      out += best->second;
      i += best->first.size();
      continue;
    }
    if (i < s.size()) out += s[i];
    i++;
  }
  return out;
}

// ---------------------------------------------------------------- builtins

Value concat(Context&, const Value* a) {
  const std::string& sep = need_string(a, 1);
  const Value& coll = a[1];
  if (!coll.is_array() && !coll.is_set()) {
    throw TypeError("operand 2 must be one of {set, array} but got " + type_name_for_error(coll));
  }
  uint64_t total = 0;
  for (const auto& e : coll.items()) {
    if (!e.is_string()) element_error(2, coll, e);
    total += e.str().size() + sep.size();
  }
  limits::reserve(limits::kValueOverhead + total);
  std::string out;
  out.reserve(static_cast<size_t>(total));
  bool first = true;
  for (const auto& e : coll.items()) {
    if (!first) out += sep;
    out += e.str();
    first = false;
  }
  return str(std::move(out));
}

Value contains(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  return Value::boolean(find_bytes(s, need_string(a, 2)) != std::string::npos);
}

Value startswith(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  return Value::boolean(s.starts_with(need_string(a, 2)));
}

Value endswith(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  return Value::boolean(s.ends_with(need_string(a, 2)));
}

// Digits of a non-negative integer in base 2, 8, 10 or 16 (lower case). Big
// integers use cpp_int's conversions: a digit-by-digit loop of divisions
// would take quadratic time in the number's size.
std::string base_digits(const boost::multiprecision::cpp_int& i, int64_t base) {
  if (i <= std::numeric_limits<uint64_t>::max()) {
    uint64_t v = static_cast<uint64_t>(i);
    std::string digits;
    do {
      digits += "0123456789abcdef"[v % static_cast<uint64_t>(base)];
      v /= static_cast<uint64_t>(base);
    } while (v > 0);
    return std::string(digits.rbegin(), digits.rend());
  }
  if (base == 10) return i.str();
  // bases 2, 8 and 16 from the bits (cpp_int's own hex/octal output shifts the
  // whole number for each digit: quadratic)
  std::vector<unsigned char> bytes;  // little-endian
  boost::multiprecision::export_bits(i, std::back_inserter(bytes), 8, false);
  const uint64_t nbits = boost::multiprecision::msb(i) + 1;
  const int k = base == 2 ? 1 : base == 8 ? 3 : 4;
  const uint64_t ndigits = (nbits + k - 1) / k;
  auto bit = [&](uint64_t b) { return b / 8 < bytes.size() ? (bytes[b / 8] >> (b % 8)) & 1 : 0; };
  std::string out;
  out.reserve(ndigits);
  for (uint64_t j = ndigits; j-- > 0;) {
    int d = 0;
    for (int t = k - 1; t >= 0; --t) d = (d << 1) | bit(j * k + static_cast<uint64_t>(t));
    out += "0123456789abcdef"[d];
  }
  return out;
}

Value format_int(Context&, const Value* a) {
  const Value& n = need_number(a, 1);
  const Value& b = need_number(a, 2);
  int64_t base = 0;
  if (!b.to_int64(base) || (base != 2 && base != 8 && base != 10 && base != 16)) {
    throw TypeError("operand 2 must be one of {2, 8, 10, 16}");
  }
  boost::multiprecision::cpp_int i;
  if (auto exact = num::to_bigint(n)) {
    i = *exact;
  } else {
    double d = n.as_double();
    if (!std::isfinite(d)) throw BuiltinError("operand 1 must be a finite number");
    i = boost::multiprecision::cpp_int(std::trunc(d));
  }
  bool neg = i < 0;
  if (neg) i = -i;
  std::string digits = base_digits(i, base);
  return str(neg ? "-" + digits : digits);
}

// Searches are linear (find_bytes, kmp_each): std::string::find and a naive
// loop over runes take O(n*m) on "aaaa..." / "aaa...ab" (seconds per call).
Value indexof(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  const std::string& sub = need_string(a, 2);
  if (sub.empty()) throw BuiltinError("empty search character");
  size_t pos = find_bytes(s, sub);
  if (pos == std::string::npos) return Value::integer(-1);
  if (is_ascii(s)) return Value::integer(static_cast<int64_t>(pos));
  auto base = runes(s), needle = runes(sub);
  int64_t found = -1;
  kmp_each(base.data(), base.size(), needle.data(), needle.size(), [&](size_t i) {
    found = static_cast<int64_t>(i);
    return false;
  });
  return Value::integer(found);
}

Value indexof_n(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  const std::string& sub = need_string(a, 2);
  if (sub.empty()) throw BuiltinError("empty search character");
  auto base = runes(s), needle = runes(sub);
  std::vector<int64_t> found;
  kmp_each(base.data(), base.size(), needle.data(), needle.size(), [&](size_t i) {
    found.push_back(static_cast<int64_t>(i));
    return true;
  });
  reserve_items(found.size(), limits::kItemBytes, limits::kValueOverhead);
  std::vector<Value> out;
  out.reserve(found.size());
  for (int64_t i : found) out.push_back(Value::integer(i));
  return Value::array(std::move(out));
}

Value substring(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  int64_t start = need_int(a, 2);
  int64_t len = need_int(a, 3);
  if (start < 0) throw BuiltinError("negative offset");
  if (s.empty()) return str("");
  if (start == 0 && len >= static_cast<int64_t>(utf8::rune_count(s))) return a[0];  // as is, invalid bytes too
  auto rs = runes(s);
  int64_t n = static_cast<int64_t>(rs.size());
  if (start >= n) return str("");
  int64_t end = len < 0 || len >= n - start ? n : start + len;  // no start + len: it may overflow
  return str(from_runes(rs.data() + start, rs.data() + end));
}

Value lower(Context&, const Value* a) { return str(map_case(need_string(a, 1), false)); }
Value upper(Context&, const Value* a) { return str(map_case(need_string(a, 1), true)); }

std::vector<std::string_view> go_split(std::string_view s, std::string_view sep) {
  if (sep.empty()) return explode(s);
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t p; (p = find_bytes(s, sep, start)) != std::string::npos; start = p + sep.size()) {
    out.push_back(s.substr(start, p - start));
  }
  out.push_back(s.substr(start));
  return out;
}

// The parts [from, to) as an array of strings, reserved before it is built
// (splitting 4 MB by "" makes 4 million strings).
Value strings_array(const std::vector<std::string_view>& parts, size_t from, size_t to) {
  uint64_t bytes = 0;
  for (size_t i = from; i < to; i++) bytes += parts[i].size();
  reserve_items(to - from, limits::kItemBytes + limits::kValueOverhead, bytes + limits::kValueOverhead);
  std::vector<Value> out;
  out.reserve(to - from);
  for (size_t i = from; i < to; i++) out.push_back(Value::string(parts[i]));
  return Value::array(std::move(out));
}

Value split(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  auto parts = go_split(s, need_string(a, 2));
  return strings_array(parts, 0, parts.size());
}

Value split_n(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  const std::string& sep = need_string(a, 2);
  int64_t n = need_int(a, 3);
  auto parts = go_split(s, sep);
  size_t total = parts.size();
  size_t k = static_cast<size_t>(std::min<uint64_t>(total, n < 0 ? 0 - static_cast<uint64_t>(n) : n));
  if (n >= 0) return strings_array(parts, 0, k);
  return strings_array(parts, total - k, total);
}

// Go's strings.Replace(s, old, new, -1) (what OPA's replace calls): an empty
// `old` matches at the start and after each rune. The result's size is known
// before it is built.
Value replace(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  const std::string& old = need_string(a, 2);
  const std::string& neu = need_string(a, 3);
  if (old == neu) return a[0];
  // two passes: count the matches (the result's size), then build
  uint64_t matches = 0;
  if (old.empty()) {
    matches = 1;
    for (size_t i = 0, w = 0; i < s.size(); i += w, ++matches) decode(s, i, w);
  } else {
    for (size_t p = find_bytes(s, old); p != std::string::npos; p = find_bytes(s, old, p + old.size())) ++matches;
  }
  if (matches == 0) return a[0];
  const uint64_t size = s.size() - matches * old.size() + matches * neu.size();
  if (size >= (uint64_t{1} << 16)) limits::reserve(limits::kValueOverhead + size);
  std::string out;
  out.reserve(size);
  if (old.empty()) {
    out += neu;
    for (size_t i = 0, w = 0; i < s.size(); i += w) {
      decode(s, i, w);
      out.append(s, i, w);
      out += neu;
    }
  } else {
    size_t last = 0;
    for (size_t p = find_bytes(s, old); p != std::string::npos; p = find_bytes(s, old, p + old.size())) {
      out.append(s, last, p - last);
      out += neu;
      last = p + old.size();
    }
    out.append(s, last, std::string::npos);
  }
  return str(std::move(out));
}

Value replace_n(Context&, const Value* a) {
  const Value& pat = need_object(a, 1);
  const std::string& s = need_string(a, 2);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [k, v] : pat.entries()) {
    if (!k.is_string()) throw TypeError("operand 1 non-string key found in pattern object");
    if (!v.is_string()) throw TypeError("operand 1 non-string value found in pattern object");
    pairs.emplace_back(k.str(), v.str());
  }
  return str(go_replace(s, pairs));
}

// Go's strings.Trim*Func: drops runes from the ends and slices the original
// bytes, so invalid UTF-8 that is kept stays as it was (not U+FFFD).
template <class Pred>
std::string trim_runes(std::string_view s, bool left, bool right, Pred drop) {
  std::vector<size_t> starts;  // byte offset of each rune, then s.size()
  std::vector<char32_t> rs;
  for (size_t i = 0, w = 0; i < s.size(); i += w) {
    rs.push_back(decode(s, i, w));
    starts.push_back(i);
  }
  starts.push_back(s.size());
  size_t b = 0, e = rs.size();
  if (left) {
    while (b < e && drop(rs[b])) b++;
  }
  if (right) {
    while (e > b && drop(rs[e - 1])) e--;
  }
  return std::string(s.substr(starts[b], starts[e] - starts[b]));
}

Value trim_impl(const Value* a, bool left, bool right) {
  const std::string& s = need_string(a, 1);
  auto cut = runes(need_string(a, 2));
  if (cut.size() <= 16) {
    return str(trim_runes(s, left, right, [&](char32_t r) { return std::find(cut.begin(), cut.end(), r) != cut.end(); }));
  }
  // a long cutset is searched by bisection (a linear scan per rune is O(n*m))
  std::sort(cut.begin(), cut.end());
  cut.erase(std::unique(cut.begin(), cut.end()), cut.end());
  return str(trim_runes(s, left, right, [&](char32_t r) { return std::binary_search(cut.begin(), cut.end(), r); }));
}

Value trim(Context&, const Value* a) { return trim_impl(a, true, true); }
Value trim_left(Context&, const Value* a) { return trim_impl(a, true, false); }
Value trim_right(Context&, const Value* a) { return trim_impl(a, false, true); }

Value trim_prefix(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  const std::string& p = need_string(a, 2);
  return s.starts_with(p) ? str(s.substr(p.size())) : a[0];
}

Value trim_suffix(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  const std::string& p = need_string(a, 2);
  return s.ends_with(p) ? str(s.substr(0, s.size() - p.size())) : a[0];
}

Value trim_space(Context&, const Value* a) {
  return str(trim_runes(need_string(a, 1), true, true, is_go_space));
}

std::string reverse_string(std::string_view s) {
  auto rs = runes(s);
  std::reverse(rs.begin(), rs.end());
  return from_runes(rs.data(), rs.data() + rs.size());
}

Value reverse(Context&, const Value* a) { return str(reverse_string(need_string(a, 1))); }

Value count(Context&, const Value* a) {
  const std::string& s = need_string(a, 1);
  const std::string& sub = need_string(a, 2);
  if (sub.empty()) return Value::integer(static_cast<int64_t>(runes(s).size()) + 1);
  int64_t n = 0;
  for (size_t p = find_bytes(s, sub); p != std::string::npos; p = find_bytes(s, sub, p + sub.size())) n++;
  return Value::integer(n);
}

std::vector<std::string> string_or_collection(const Value& v, int pos) {
  if (v.is_string()) return {v.str()};
  if (v.is_array() || v.is_set()) return string_items(v, pos);
  throw TypeError("operand " + std::to_string(pos) + " must be one of {string, set, array} but got " +
                  type_name_for_error(v));
}

Value any_match(const Value* a, bool suffix) {
  auto strs = string_or_collection(a[0], 1);
  auto pats = string_or_collection(a[1], 2);
  size_t n = 0;
  for (const auto& s : strs) {
    for (const auto& p : pats) {
      if ((++n & 4095) == 0) limits::poll();  // |strs| x |pats| pairs
      if (suffix ? s.ends_with(p) : s.starts_with(p)) return Value::boolean(true);
    }
  }
  return Value::boolean(false);
}

Value any_prefix_match(Context&, const Value* a) { return any_match(a, false); }
Value any_suffix_match(Context&, const Value* a) { return any_match(a, true); }

// ---------------------------------------------------------------- sprintf

// One sprintf operand as OPA hands it to Go's fmt: int, *big.Int, float64 or
// string (every non-number, non-string value becomes its Rego text).
struct FmtArg {
  enum Type { Int, Big, Float, Str } type;
  std::string text;  // decimal digits for Int/Big, the string for Str
  double f = 0;
  boost::multiprecision::cpp_int i;
};

// An integer beyond the float64 range with trailing zeros, as the exponent
// literal that most likely wrote it ("2e308", "2.5e308"); empty otherwise.
std::string exponent_literal(const boost::multiprecision::cpp_int& i) {
  bool neg = i < 0;
  std::string digits = (neg ? boost::multiprecision::cpp_int(-i) : i).str();
  size_t keep = digits.find_last_not_of('0') + 1;
  if (keep == digits.size()) return {};
  std::string out = neg ? "-" : "";
  out += digits.substr(0, 1);
  if (keep > 1) out += "." + digits.substr(1, keep - 1);
  return out + "e" + std::to_string(digits.size() - 1);
}

// OPA's conversion: an integer's text that fits an int is an int, other
// integer text a *big.Int, text that strconv.ParseFloat reads in range a
// float64, anything else stays the number's text (a string). Wartburg keeps
// numbers, not their text: a float64 that denotes the number stands for any
// decimal form; a number no float64 holds (2e308) is the string OPA passes
// for an exponent literal.
FmtArg to_fmt_arg(const Value& v) {
  FmtArg a{FmtArg::Str, "", 0, 0};
  if (v.is_bigint() && !std::isfinite(v.as_double())) {
    if (num::is_decimal(v)) {
      a.text = num::to_text(v.as_big());
      return a;
    }
    a.text = exponent_literal(v.as_big().v);
    if (!a.text.empty()) return a;
  }
  if (v.is_number()) {
    if (auto i = num::to_bigint(v); i && !v.is_float()) {
      a.i = *i;
      a.text = i->str();
      a.type = v.is_int() ? FmtArg::Int : FmtArg::Big;
    } else {
      a.type = FmtArg::Float;
      a.f = v.as_double();
    }
  } else if (v.is_string()) {
    a.text = v.str();
  } else {
    check_expanded_size(v);
    a.text = to_rego(v);
  }
  return a;
}

struct Spec {
  bool minus = false, plus = false, sharp = false, space = false, zero = false;
  int width = -1, prec = -1;
  char32_t verb = 0;
};

std::string pad(std::string s, const Spec& sp, bool zero_ok) {
  size_t n = utf8::rune_count(s);
  if (sp.width < 0 || n >= static_cast<size_t>(sp.width)) return s;
  size_t fill = static_cast<size_t>(sp.width) - n;
  if (sp.minus) return s + std::string(fill, ' ');
  if (sp.zero && zero_ok) {
    size_t at = (!s.empty() && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) ? 1 : 0;
    return s.insert(at, std::string(fill, '0'));
  }
  return std::string(fill, ' ') + s;
}

}  // namespace

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0, w = 0; i < s.size(); i += w) {
    char32_t r = decode(s, i, w);
    char buf[16];
    if (r == 0xFFFD && w == 1) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i]));
      out += buf;
      continue;
    }
    switch (r) {
      case '\a': out += "\\a"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\v': out += "\\v"; continue;
      case '\\': out += "\\\\"; continue;
      case '"': out += "\\\""; continue;
      default: break;
    }
    bool printable = (r >= 0x20 && r < 0x7f) ||
                     (r > 0xA0 && r != 0xAD && !(r >= 0x2028 && r <= 0x2029) && r != 0xFEFF &&
                      !(r >= 0x200B && r <= 0x200F));
    if (printable) {
      encode(out, r);
    } else if (r < 0x80) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(r));
      out += buf;
    } else if (r < 0x10000) {
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(r));
      out += buf;
    } else {
      std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(r));
      out += buf;
    }
  }
  return out + "\"";
}

namespace {

std::string int_digits(const boost::multiprecision::cpp_int& v, int base, bool upper) {
  std::string out = base_digits(v, base);
  if (upper) {
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string fmt_int(const FmtArg& a, const Spec& sp, bool& ok) {
  ok = true;
  bool neg = a.i < 0;
  boost::multiprecision::cpp_int mag = neg ? boost::multiprecision::cpp_int(-a.i) : a.i;
  std::string digits, prefix;
  switch (sp.verb) {
    case 'd': case 'v': case 's': digits = int_digits(mag, 10, false); break;
    case 'b': digits = int_digits(mag, 2, false); if (sp.sharp) prefix = "0b"; break;
    case 'o': digits = int_digits(mag, 8, false); if (sp.sharp) prefix = "0"; break;
    case 'O': digits = int_digits(mag, 8, false); prefix = "0o"; break;
    case 'x': digits = int_digits(mag, 16, false); if (sp.sharp) prefix = "0x"; break;
    case 'X': digits = int_digits(mag, 16, true); if (sp.sharp) prefix = "0X"; break;
    default: ok = false; return {};
  }
  if (sp.verb == 's' && a.type == FmtArg::Int) { ok = false; return {}; }
  if (sp.prec >= 0) {
    if (sp.prec == 0 && mag == 0) digits.clear();
    if (digits.size() < static_cast<size_t>(sp.prec)) digits.insert(0, sp.prec - digits.size(), '0');
  }
  std::string sign = neg ? "-" : (sp.plus ? "+" : (sp.space ? " " : ""));
  std::string body = sign + prefix + digits;
  if (sp.zero && !sp.minus && sp.prec < 0 && sp.width > static_cast<int>(body.size())) {
    digits.insert(0, sp.width - body.size(), '0');
    return sign + prefix + digits;
  }
  return pad(body, sp, false);
}

std::string int_char_verbs(const FmtArg& a, const Spec& sp, bool& ok) {
  ok = a.type == FmtArg::Int;
  if (!ok) return {};
  int64_t v = static_cast<int64_t>(a.i);
  char32_t r = (v < 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) ? 0xFFFD : static_cast<char32_t>(v);
  std::string out;
  if (sp.verb == 'c') {
    encode(out, r);
  } else if (sp.verb == 'q') {
    std::string one;
    encode(one, r);
    std::string q = go_quote(one);
    out = "'" + (r == '"' ? std::string("\"") : (r == '\'' ? std::string("\\'") : q.substr(1, q.size() - 2))) + "'";
  } else {  // 'U'
    char buf[32];
    std::snprintf(buf, sizeof buf, "U+%04llX", static_cast<unsigned long long>(v));
    out = buf;
  }
  return pad(out, sp, false);
}

// Go's strconv.FormatFloat(f, 'g', -1, 64): shortest digits, %e form when
// exp < -4 || exp >= eprec (6 for the shortest form), otherwise plain decimal.
std::string go_shortest(double f, char e_char, int eprec) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  size_t e = sci.find('e');
  int exp = std::atoi(sci.c_str() + e + 1);
  if (exp < -4 || exp >= eprec) {
    char eb[16];
    std::snprintf(eb, sizeof eb, "%c%c%02d", e_char, exp < 0 ? '-' : '+', std::abs(exp));
    return sci.substr(0, e) + eb;
  }
  r = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

std::string fmt_float(double f, const Spec& sp, bool& ok) {
  ok = true;
  std::string s;
  char buf[512];
  char v = static_cast<char>(sp.verb);
  switch (sp.verb) {
    case 'v': case 'g': case 'G':
      if (sp.prec < 0) {
        s = go_shortest(f, v == 'G' ? 'E' : 'e', 6);
      } else {
        std::snprintf(buf, sizeof buf, v == 'G' ? "%.*G" : "%.*g", sp.prec, f);
        s = buf;
      }
      break;
    case 'e': case 'E': case 'f': case 'F': {
      char fmtc[8] = {'%', '.', '*', v == 'F' ? 'f' : v, 0};
      std::snprintf(buf, sizeof buf, fmtc, sp.prec < 0 ? 6 : sp.prec, f);
      s = buf;
      break;
    }
    default: ok = false; return {};
  }
  if (s[0] != '-' && sp.plus) s = "+" + s;
  else if (s[0] != '-' && sp.space) s = " " + s;
  return pad(s, sp, true);
}

std::string hex_bytes(std::string_view s, bool upper, const Spec& sp) {
  std::string out;
  char buf[4];
  for (size_t i = 0; i < s.size(); i++) {
    if (sp.space && i > 0) out += ' ';
    if (sp.sharp && (sp.space || i == 0)) out += upper ? "0X" : "0x";
    std::snprintf(buf, sizeof buf, upper ? "%02X" : "%02x", static_cast<unsigned char>(s[i]));
    out += buf;
  }
  return out;
}

std::string fmt_string(const std::string& s, const Spec& sp, bool& ok) {
  ok = true;
  std::string t = s;
  if (sp.prec >= 0 && (sp.verb == 's' || sp.verb == 'v' || sp.verb == 'q')) {
    // Go's truncateString: the first prec runes, their bytes as they are
    size_t i = 0, w = 0;
    for (int k = 0; k < sp.prec && i < s.size(); k++, i += w) decode(s, i, w);
    t = s.substr(0, i);
  }
  switch (sp.verb) {
    case 's': case 'v': return pad(t, sp, true);
    case 'q': return pad(go_quote(t), sp, true);
    case 'x': return pad(hex_bytes(t, false, sp), sp, true);
    case 'X': return pad(hex_bytes(t, true, sp), sp, true);
    default: ok = false; return {};
  }
}

const char* go_type(const FmtArg& a) {
  switch (a.type) {
    case FmtArg::Int: return "int";
    case FmtArg::Big: return "*big.Int";
    case FmtArg::Float: return "float64";
    case FmtArg::Str: return "string";
  }
  return "string";
}

std::string plain_v(const FmtArg& a) {
  Spec v;
  v.verb = 'v';
  bool ok;
  if (a.type == FmtArg::Float) return fmt_float(a.f, v, ok);
  if (a.type == FmtArg::Str) return a.text;
  return a.text;
}

std::string format_arg(const FmtArg& a, const Spec& sp) {
  bool ok = false;
  std::string out;
  switch (a.type) {
    case FmtArg::Int:
    case FmtArg::Big:
      if (sp.verb == 'c' || sp.verb == 'q' || sp.verb == 'U') out = int_char_verbs(a, sp, ok);
      else out = fmt_int(a, sp, ok);
      break;
    case FmtArg::Float: out = fmt_float(a.f, sp, ok); break;
    case FmtArg::Str: out = fmt_string(a.text, sp, ok); break;
  }
  if (ok) return out;
  std::string bad = "%!";
  encode(bad, sp.verb);
  // a *big.Int formats itself (big.Int.Format) and names its type "big.Int"
  return bad + "(" + (a.type == FmtArg::Big ? "big.Int" : go_type(a)) + "=" + plain_v(a) + ")";
}

// Go's fmt bounds widths and precisions: a number over 10^6 is "too large".
bool too_large(const boost::multiprecision::cpp_int& x) { return x > 1000000 || x < -1000000; }

// Parses flags, width and precision after '%' as Go's doPrintf does; `*` takes
// an int operand. Go writes %!(BADWIDTH) / %!(BADPREC) for a `*` operand that
// is not a small int, and a digit string whose value grows past 10^6 consumes
// the rest of the format (then %!(NOVERB)): a width can never exceed ~10^7.
Spec parse_spec(std::string_view f, size_t& i, const std::vector<FmtArg>& args, size_t& argi, std::string& out) {
  Spec sp;
  for (; i < f.size(); i++) {
    char c = f[i];
    if (c == '-') sp.minus = true;
    else if (c == '+') sp.plus = true;
    else if (c == '#') sp.sharp = true;
    else if (c == ' ') sp.space = true;
    else if (c == '0') sp.zero = true;
    else break;
  }
  // Go's parsenum; false when absent or too large (then the format is used up).
  auto digits = [&](int& num) {
    bool any = false;
    int64_t n = 0;
    for (; i < f.size() && std::isdigit(static_cast<unsigned char>(f[i])); i++) {
      if (n > 1000000) {
        i = f.size();
        return false;
      }
      n = n * 10 + (f[i] - '0');
      any = true;
    }
    if (any) num = static_cast<int>(n);
    return any;
  };
  // Go's intFromArg.
  auto star = [&](int& num) {
    bool ok = false;
    if (argi < args.size()) {
      const FmtArg& arg = args[argi];
      if (arg.type == FmtArg::Int && !too_large(arg.i)) {
        num = static_cast<int>(arg.i);
        ok = true;
      }
      argi++;
    }
    return ok;
  };
  if (i < f.size() && f[i] == '*') {
    i++;
    if (!star(sp.width)) {
      sp.width = -1;
      out += "%!(BADWIDTH)";
    } else if (sp.width < 0) {
      sp.minus = true;
      sp.zero = false;
      sp.width = -sp.width;
    }
  } else if (!digits(sp.width)) {
    sp.width = -1;
  }
  if (i < f.size() && f[i] == '.') {
    i++;
    if (i < f.size() && f[i] == '*') {
      i++;
      if (!star(sp.prec) || sp.prec < 0) {
        sp.prec = -1;
        out += "%!(BADPREC)";
      }
    } else if (!digits(sp.prec)) {
      sp.prec = 0;
    }
  }
  return sp;
}

std::string go_sprintf(std::string_view f, const std::vector<FmtArg>& args) {
  std::string out;
  limits::Growth growth;
  size_t argi = 0;
  for (size_t i = 0; i < f.size();) {
    growth.check(out.size());
    if (f[i] != '%') {
      out += f[i++];
      continue;
    }
    i++;
    Spec sp = parse_spec(f, i, args, argi, out);
    if (i >= f.size()) {
      out += "%!(NOVERB)";
      break;
    }
    size_t w;
    sp.verb = decode(f, i, w);
    i += w;
    if (sp.verb == '%') {
      out += '%';
      continue;
    }
    if (argi >= args.size()) {
      out += "%!";
      encode(out, sp.verb);
      out += "(MISSING)";
      continue;
    }
    out += format_arg(args[argi++], sp);
  }
  if (argi < args.size()) {
    out += "%!(EXTRA ";
    for (size_t k = argi; k < args.size(); k++) {
      if (k > argi) out += ", ";
      out += std::string(go_type(args[k])) + "=" + plain_v(args[k]);
    }
    out += ")";
  }
  return out;
}

Value sprintf_builtin(Context&, const Value* a) {
  const std::string& f = need_string(a, 1);
  if (!a[1].is_array()) operand_error(2, "array", a[1]);
  std::vector<FmtArg> args;
  args.reserve(a[1].size());
  for (const auto& v : a[1].items()) args.push_back(to_fmt_arg(v));
  return str(go_sprintf(f, args));
}

}  // namespace

void register_strings(Registry& r) {
  r.add({"concat", 2, concat, "(string, array|set) => string"});
  r.add({"contains", 2, contains, "(string, string) => boolean"});
  r.add({"startswith", 2, startswith, "(string, string) => boolean"});
  r.add({"endswith", 2, endswith, "(string, string) => boolean"});
  r.add({"format_int", 2, format_int, "(number, number) => string"});
  r.add({"indexof", 2, indexof, "(string, string) => number"});
  r.add({"indexof_n", 2, indexof_n, "(string, string) => array"});
  r.add({"substring", 3, substring, "(string, number, number) => string"});
  r.add({"lower", 1, lower, "(string) => string"});
  r.add({"upper", 1, upper, "(string) => string"});
  r.add({"split", 2, split, "(string, string) => array"});
  r.add({"strings.split_n", 3, split_n, "(string, string, number) => array"});
  r.add({"replace", 3, replace, "(string, string, string) => string"});
  r.add({"strings.replace_n", 2, replace_n, "(object, string) => string"});
  r.add({"trim", 2, trim, "(string, string) => string"});
  r.add({"trim_left", 2, trim_left, "(string, string) => string"});
  r.add({"trim_right", 2, trim_right, "(string, string) => string"});
  r.add({"trim_prefix", 2, trim_prefix, "(string, string) => string"});
  r.add({"trim_suffix", 2, trim_suffix, "(string, string) => string"});
  r.add({"trim_space", 1, trim_space, "(string) => string"});
  r.add({"strings.reverse", 1, reverse, "(string) => string"});
  r.add({"strings.count", 2, count, "(string, string) => number"});
  r.add({"strings.any_prefix_match", 2, any_prefix_match, "(string|array|set, string|array|set) => boolean"});
  r.add({"strings.any_suffix_match", 2, any_suffix_match, "(string|array|set, string|array|set) => boolean"});
  r.add({"sprintf", 2, sprintf_builtin, "(string, array) => string"});
}

}  // namespace wartburg::builtins
