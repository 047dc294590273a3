// Value construction, total order, lookup and text forms.
#include "policy/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "policy/limits.h"
#include "policy/number.h"

namespace wartburg {

struct HeapObj {
  mutable std::atomic<uint32_t> rc{1};
  virtual ~HeapObj() = default;
};
struct StrObj final : HeapObj {
  std::string s;
  mutable std::atomic<size_t> hash{0};  // computed on first use (0: not yet)
  explicit StrObj(std::string x) : s(std::move(x)) {}
};
struct SeqObj final : HeapObj {  // array or set
  std::vector<Value> v;
  explicit SeqObj(std::vector<Value> x) : v(std::move(x)) {}
};
struct MapObj final : HeapObj {
  std::vector<std::pair<Value, Value>> v;
  explicit MapObj(std::vector<std::pair<Value, Value>> x) : v(std::move(x)) {}
};
struct BigObj final : HeapObj {
  BigInt b;
  explicit BigObj(BigInt x) : b(std::move(x)) {}
};

struct ValueAccess {
  static Value make(Kind k, HeapObj* p, NumRep rep = NumRep::Int) {
    Value v;
    v.kind_ = k;
    v.rep_ = rep;
    v.u_.p = p;
    return v;
  }
  static HeapObj* heap(const Value& v) { return v.u_.p; }
};

namespace {
bool has_heap(Kind k, NumRep r) {
  return k >= Kind::String || (k == Kind::Number && r == NumRep::Big);
}
const std::vector<Value>& empty_items() {
  static const std::vector<Value> e;
  return e;
}
const std::vector<std::pair<Value, Value>>& empty_entries() {
  static const std::vector<std::pair<Value, Value>> e;
  return e;
}
}  // namespace

void Value::retain() const noexcept {
  if (has_heap(kind_, rep_)) u_.p->rc.fetch_add(1, std::memory_order_relaxed);
}
void Value::release() noexcept {
  if (has_heap(kind_, rep_)) {
    if (u_.p->rc.fetch_sub(1, std::memory_order_acq_rel) == 1) delete u_.p;
  }
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Undefined: return "undefined";
    case Kind::Null: return "null";
    case Kind::Bool: return "boolean";
    case Kind::Number: return "number";
    case Kind::String: return "string";
    case Kind::Array: return "array";
    case Kind::Object: return "object";
    case Kind::Set: return "set";
  }
  return "?";
}

Value Value::null() {
  Value v;
  v.kind_ = Kind::Null;
  return v;
}
Value Value::boolean(bool b) {
  Value v;
  v.kind_ = Kind::Bool;
  v.u_.b = b;
  return v;
}
Value Value::integer(int64_t i) {
  Value v;
  v.kind_ = Kind::Number;
  v.rep_ = NumRep::Int;
  v.u_.i = i;
  return v;
}
Value Value::number(double d) {
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e18) {
    return integer(static_cast<int64_t>(d));
  }
  Value v;
  v.kind_ = Kind::Number;
  v.rep_ = NumRep::Float;
  v.u_.d = d;
  return v;
}
Value Value::big(const BigInt& b) {
  if (b.exp == 0 && b.v >= std::numeric_limits<int64_t>::min() && b.v <= std::numeric_limits<int64_t>::max()) {
    return integer(static_cast<int64_t>(b.v));
  }
  charge_value_bytes(limits::kValueOverhead + b.v.backend().size() * sizeof(boost::multiprecision::limb_type));
  return ValueAccess::make(Kind::Number, new BigObj(b), NumRep::Big);
}

Value Value::number_from_text(std::string_view t) {
  if (t.empty()) return {};
  bool integral = true;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '-' && i == 0) continue;
    if (c < '0' || c > '9') { integral = false; break; }
  }
  if (t.size() > static_cast<size_t>(num::kMaxDigits)) {  // conversions are quadratic in the digits
    size_t digits = 0;
    for (char c : t) digits += c >= '0' && c <= '9';
    if (digits > static_cast<size_t>(num::kMaxDigits)) return {};
  }
  if (integral) {
    int64_t x = 0;
    auto r = std::from_chars(t.data(), t.data() + t.size(), x);
    if (r.ec == std::errc() && r.ptr == t.data() + t.size()) return integer(x);
    if (t == "-") return {};
    try {
      BigInt b{boost::multiprecision::cpp_int(std::string(t))};
      return big(b);
    } catch (...) {
      return {};
    }
  }
  // Other literals denote a double, or an exact decimal when no double does (1e-400).
  if (Value v = num::parse_exact(t); v.defined()) return v;
  // Validate JSON/Rego number syntax loosely, then parse as double.
  std::string s(t);
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return {};
  // Large exact integers written with exponent, e.g. 1e20: keep exact when integral.
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) >= 9.0e18 && std::fabs(d) < 1e300) {
    auto e = s.find_first_of("eE");
    if (e != std::string::npos && s.find('.') == std::string::npos) {
      long exp = std::strtol(s.c_str() + e + 1, nullptr, 10);
      if (exp >= 0 && exp < 400) {
        boost::multiprecision::cpp_int m(s.substr(0, e));
        for (long i = 0; i < exp; ++i) m *= 10;
        return big(BigInt{m});
      }
    }
  }
  if (!std::isfinite(d)) return {};
  return number(d);
}

Value Value::string(std::string s) {
  charge_value_bytes(limits::kValueOverhead + s.size());
  return ValueAccess::make(Kind::String, new StrObj(std::move(s)));
}
Value Value::array(std::vector<Value> items) {
  charge_value_bytes(limits::kValueOverhead + items.size() * limits::kItemBytes);
  return ValueAccess::make(Kind::Array, new SeqObj(std::move(items)));
}
Value Value::set(std::vector<Value> items) {
  charge_value_bytes(limits::kValueOverhead + items.size() * limits::kItemBytes);
  bool sorted = true;
  for (size_t i = 1; i < items.size() && sorted; ++i) sorted = compare(items[i - 1], items[i]) < 0;
  if (!sorted) {
    std::sort(items.begin(), items.end(), [](const Value& a, const Value& b) { return compare(a, b) < 0; });
    items.erase(std::unique(items.begin(), items.end(),
                            [](const Value& a, const Value& b) { return compare(a, b) == 0; }),
                items.end());
  }
  return ValueAccess::make(Kind::Set, new SeqObj(std::move(items)));
}

Value Value::object(std::vector<std::pair<Value, Value>> items) {
  charge_value_bytes(limits::kValueOverhead + items.size() * limits::kEntryBytes);
  bool sorted = true;  // strictly increasing keys: nothing to do (the common case for JSON)
  for (size_t i = 1; i < items.size() && sorted; ++i) sorted = compare(items[i - 1].first, items[i].first) < 0;
  if (!sorted) {
    auto less = [](const auto& a, const auto& b) { return compare(a.first, b.first) < 0; };
    if (items.size() <= 24) {
      // insertion sort: stable and allocation-free for the small objects that dominate
      for (size_t i = 1; i < items.size(); ++i) {
        for (size_t j = i; j > 0 && less(items[j], items[j - 1]); --j) std::swap(items[j], items[j - 1]);
      }
    } else {
      std::stable_sort(items.begin(), items.end(), less);
    }
    // keep the last of equal keys
    size_t out = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      if (out > 0 && compare(items[out - 1].first, items[i].first) == 0) {
        items[out - 1].second = std::move(items[i].second);
      } else {
        if (out != i) items[out] = std::move(items[i]);
        ++out;
      }
    }
    items.resize(out);
  }
  return ValueAccess::make(Kind::Object, new MapObj(std::move(items)));
}
Value Value::empty_array() { return array({}); }
Value Value::empty_object() { return object({}); }
Value Value::empty_set() { return set({}); }

bool Value::is_integral() const {
  if (kind_ != Kind::Number) return false;
  if (rep_ == NumRep::Big) return static_cast<BigObj*>(u_.p)->b.exp == 0;
  if (rep_ != NumRep::Float) return true;
  return std::isfinite(u_.d) && u_.d == std::floor(u_.d);
}
double Value::as_double() const {
  switch (rep_) {
    case NumRep::Int: return static_cast<double>(u_.i);
    case NumRep::Float: return u_.d;
    case NumRep::Big: return num::to_double(static_cast<BigObj*>(u_.p)->b);
  }
  return 0;
}
const BigInt& Value::as_big() const { return static_cast<BigObj*>(u_.p)->b; }
bool Value::to_int64(int64_t& out) const {
  if (kind_ != Kind::Number) return false;
  if (rep_ == NumRep::Int) { out = u_.i; return true; }
  if (rep_ == NumRep::Float && is_integral() && std::fabs(u_.d) < 9.0e18) {
    out = static_cast<int64_t>(u_.d);
    return true;
  }
  return false;
}

const std::string& Value::str() const { return static_cast<StrObj*>(u_.p)->s; }
const std::vector<Value>& Value::items() const {
  if (kind_ != Kind::Array && kind_ != Kind::Set) return empty_items();
  return static_cast<SeqObj*>(u_.p)->v;
}
const std::vector<std::pair<Value, Value>>& Value::entries() const {
  if (kind_ != Kind::Object) return empty_entries();
  return static_cast<MapObj*>(u_.p)->v;
}
size_t Value::size() const {
  switch (kind_) {
    case Kind::String: return str().size();
    case Kind::Array:
    case Kind::Set: return items().size();
    case Kind::Object: return entries().size();
    default: return 0;
  }
}

const Value* Value::find(std::string_view key) const {
  if (kind_ != Kind::Object) return nullptr;
  const auto& e = entries();
  if (e.size() <= 8) {
    // small objects: an equality scan beats ordered comparisons
    for (const auto& kv : e) {
      const Value& k = kv.first;
      if (k.kind_ != Kind::String) continue;
      const std::string& s = k.str();
      if (s.size() == key.size() && (key.empty() || (s[0] == key[0] && std::memcmp(s.data(), key.data(), key.size()) == 0))) {
        return &kv.second;
      }
    }
    return nullptr;
  }
  // string keys sort after null/bool/number keys and before composite keys
  size_t lo = 0, hi = e.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const Value& k = e[mid].first;
    int c;
    if (k.kind_ < Kind::String) {
      c = -1;
    } else if (k.kind_ > Kind::String) {
      c = 1;
    } else {
      c = k.str().compare(key);
    }
    if (c == 0) return &e[mid].second;
    if (c < 0) lo = mid + 1; else hi = mid;
  }
  return nullptr;
}

const Value* Value::find(const Value& key) const {
  if (kind_ == Kind::Object) {
    if (key.kind_ == Kind::String) return find(std::string_view(key.str()));
    const auto& e = entries();
    auto it = std::lower_bound(e.begin(), e.end(), key,
                               [](const auto& kv, const Value& k) { return compare(kv.first, k) < 0; });
    if (it != e.end() && compare(it->first, key) == 0) return &it->second;
    return nullptr;
  }
  if (kind_ == Kind::Array) {
    int64_t i;
    if (!key.is_number() || !key.to_int64(i)) return nullptr;
    const auto& it = items();
    if (i < 0 || static_cast<size_t>(i) >= it.size()) return nullptr;
    return &it[static_cast<size_t>(i)];
  }
  if (kind_ == Kind::Set) {
    const auto& it = items();
    auto p = std::lower_bound(it.begin(), it.end(), key, [](const Value& a, const Value& b) { return compare(a, b) < 0; });
    if (p != it.end() && compare(*p, key) == 0) return &*p;
    return nullptr;
  }
  return nullptr;
}

bool Value::contains(const Value& elem) const {
  if (kind_ == Kind::Set || kind_ == Kind::Object) return find(elem) != nullptr;
  return false;
}

int compare(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return a.kind_ < b.kind_ ? -1 : 1;
  switch (a.kind_) {
    case Kind::Undefined:
    case Kind::Null: return 0;
    case Kind::Bool: return a.u_.b == b.u_.b ? 0 : (a.u_.b ? 1 : -1);
    case Kind::Number:
      if (a.rep_ == NumRep::Int && b.rep_ == NumRep::Int) return a.u_.i < b.u_.i ? -1 : (a.u_.i > b.u_.i ? 1 : 0);
      return num::compare_numbers(a, b);
    case Kind::String: {
      if (a.u_.p == b.u_.p) return 0;
      int c = a.str().compare(b.str());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Kind::Array:
    case Kind::Set: {
      if (a.u_.p == b.u_.p) return 0;
      const auto& x = a.items();
      const auto& y = b.items();
      size_t n = std::min(x.size(), y.size());
      for (size_t i = 0; i < n; ++i) {
        int c = compare(x[i], y[i]);
        if (c) return c;
      }
      return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
    }
    case Kind::Object: {
      if (a.u_.p == b.u_.p) return 0;
      const auto& x = a.entries();
      const auto& y = b.entries();
      size_t n = std::min(x.size(), y.size());
      for (size_t i = 0; i < n; ++i) {
        int c = compare(x[i].first, y[i].first);
        if (c) return c;
        c = compare(x[i].second, y[i].second);
        if (c) return c;
      }
      return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
    }
  }
  return 0;
}

bool equal(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Kind::String: {
      if (a.u_.p == b.u_.p) return true;
      const std::string& x = a.str();
      const std::string& y = b.str();
      return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size()) == 0;
    }
    case Kind::Bool: return a.u_.b == b.u_.b;
    case Kind::Null:
    case Kind::Undefined: return true;
    case Kind::Number:
      if (a.rep_ == NumRep::Int && b.rep_ == NumRep::Int) return a.u_.i == b.u_.i;
      return compare(a, b) == 0;
    case Kind::Array:
    case Kind::Set: {
      if (a.u_.p == b.u_.p) return true;
      const auto& x = a.items();
      const auto& y = b.items();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!equal(x[i], y[i])) return false;
      }
      return true;
    }
    case Kind::Object: {
      if (a.u_.p == b.u_.p) return true;
      const auto& x = a.entries();
      const auto& y = b.entries();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!equal(x[i].first, y[i].first) || !equal(x[i].second, y[i].second)) return false;
      }
      return true;
    }
  }
  return false;
}

size_t Value::hash() const {
  auto mix = [](size_t h, size_t x) { return h ^ (x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)); };
  switch (kind_) {
    case Kind::Undefined: return 0;
    case Kind::Null: return 1;
    case Kind::Bool: return u_.b ? 3 : 2;
    case Kind::Number: {
      int64_t i;
      if (to_int64(i)) return std::hash<int64_t>()(i);
      return std::hash<double>()(as_double());
    }
    case Kind::String: {
      auto* o = static_cast<StrObj*>(u_.p);
      size_t h = o->hash.load(std::memory_order_relaxed);
      if (h == 0) {
        h = std::hash<std::string_view>()(o->s) | 1;
        o->hash.store(h, std::memory_order_relaxed);
      }
      return h;
    }
    case Kind::Array:
    case Kind::Set: {
      size_t h = static_cast<size_t>(kind_);
      for (const auto& v : items()) h = mix(h, v.hash());
      return h;
    }
    case Kind::Object: {
      size_t h = 7;
      for (const auto& kv : entries()) h = mix(mix(h, kv.first.hash()), kv.second.hash());
      return h;
    }
  }
  return 0;
}

// ---------------------------------------------------------------- text forms

std::string number_text(const Value& v) {
  switch (v.num_rep()) {
    case NumRep::Int: return std::to_string(v.as_int());
    case NumRep::Big: return num::to_text(v.as_big());
    case NumRep::Float: {
      double d = v.as_double();
      char buf[64];
      // Go's strconv 'g'-like shortest form, but without exponent for moderate magnitudes
      double ad = std::fabs(d);
      std::to_chars_result r;
      if (ad != 0 && (ad < 1e-6 || ad >= 1e21)) {
        r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
        std::string s(buf, r.ptr);
        // Go prints e+21 style exponents
        auto e = s.find('e');
        if (e != std::string::npos && s[e + 1] != '-' && s[e + 1] != '+') s.insert(e + 1, "+");
        return s;
      }
      r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
      return std::string(buf, r.ptr);
    }
  }
  return "0";
}

namespace {
void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void append_json_indent(std::string& out, const Value& v, int indent, int depth, uint64_t cap);

// Text forms stop at a size cap: values share their parts, so a small value can
// stand for an enormous text ([x, x] nested 40 times prints 2^40 elements).
using limits::text_cap;
void check_text(const std::string& out, uint64_t cap) {
  if (out.size() > cap) {
    throw LimitError("eval_builtin_error",
                     "text of the value would exceed the maximum value size of " + limits::bytes_text(cap));
  }
}

void newline(std::string& out, int indent, int depth) {
  if (indent <= 0) return;
  out.push_back('\n');
  out.append(static_cast<size_t>(indent * depth), ' ');
}

void append_json_indent(std::string& out, const Value& v, int indent, int depth, uint64_t cap) {
  switch (v.kind()) {
    case Kind::Undefined: out += "null"; return;
    case Kind::Null: out += "null"; return;
    case Kind::Bool: out += v.as_bool() ? "true" : "false"; return;
    case Kind::Number: out += number_text(v); return;
    case Kind::String: append_json_string(out, v.str()); return;
    case Kind::Array:
    case Kind::Set: {
      const auto& it = v.items();
      if (it.empty()) { out += "[]"; return; }
      out.push_back('[');
      for (size_t i = 0; i < it.size(); ++i) {
        if (i) out.push_back(',');
        newline(out, indent, depth + 1);
        append_json_indent(out, it[i], indent, depth + 1, cap);
        check_text(out, cap);
      }
      newline(out, indent, depth);
      out.push_back(']');
      return;
    }
    case Kind::Object: {
      const auto& e = v.entries();
      if (e.empty()) { out += "{}"; return; }
      // non-string keys: JSON text of the key; re-sort by the resulting string
      bool all_strings = true;
      for (const auto& kv : e) all_strings = all_strings && kv.first.is_string();
      std::vector<std::pair<std::string, const Value*>> keyed;
      if (!all_strings) {
        for (const auto& kv : e) {
          keyed.emplace_back(kv.first.is_string() ? kv.first.str() : to_json(kv.first), &kv.second);
        }
        std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      }
      out.push_back('{');
      for (size_t i = 0; i < e.size(); ++i) {
        if (i) out.push_back(',');
        newline(out, indent, depth + 1);
        if (all_strings) {
          append_json_string(out, e[i].first.str());
        } else {
          append_json_string(out, keyed[i].first);
        }
        out.push_back(':');
        if (indent > 0) out.push_back(' ');
        append_json_indent(out, all_strings ? e[i].second : *keyed[i].second, indent, depth + 1, cap);
        check_text(out, cap);
      }
      newline(out, indent, depth);
      out.push_back('}');
      return;
    }
  }
}

void append_rego(std::string& out, const Value& v, uint64_t cap) {
  switch (v.kind()) {
    case Kind::Set: {
      const auto& it = v.items();
      if (it.empty()) { out += "set()"; return; }
      out.push_back('{');
      for (size_t i = 0; i < it.size(); ++i) {
        if (i) out += ", ";
        append_rego(out, it[i], cap);
        check_text(out, cap);
      }
      out.push_back('}');
      return;
    }
    case Kind::Array: {
      out.push_back('[');
      const auto& it = v.items();
      for (size_t i = 0; i < it.size(); ++i) {
        if (i) out += ", ";
        append_rego(out, it[i], cap);
        check_text(out, cap);
      }
      out.push_back(']');
      return;
    }
    case Kind::Object: {
      out.push_back('{');
      const auto& e = v.entries();
      for (size_t i = 0; i < e.size(); ++i) {
        if (i) out += ", ";
        append_rego(out, e[i].first, cap);
        out += ": ";
        append_rego(out, e[i].second, cap);
        check_text(out, cap);
      }
      out.push_back('}');
      return;
    }
    case Kind::String: {
      // Go's strconv.Quote-like escaping (no HTML escaping)
      out.push_back('"');
      for (unsigned char c : v.str()) {
        switch (c) {
          case '"': out += "\\\""; break;
          case '\\': out += "\\\\"; break;
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          case '\t': out += "\\t"; break;
          default:
            if (c < 0x20) {
              char buf[8];
              std::snprintf(buf, sizeof buf, "\\x%02x", c);
              out += buf;
            } else {
              out.push_back(static_cast<char>(c));
            }
        }
      }
      out.push_back('"');
      return;
    }
    default: append_json_indent(out, v, 0, 0, cap);
  }
}
}  // namespace

void append_json(std::string& out, const Value& v) { append_json_indent(out, v, 0, 0, out.size() + text_cap()); }

std::string to_json(const Value& v, int indent) {
  std::string out;
  append_json_indent(out, v, indent, 0, text_cap());
  return out;
}

std::string to_rego(const Value& v) {
  std::string out;
  append_rego(out, v, text_cap());
  return out;
}

}  // namespace wartburg
