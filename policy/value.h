// Value: the immutable document model of Rego (null, boolean, number, string,
// array, object, set) with OPA's total order. A Value is 16 bytes; composite
// payloads are shared, reference-counted and never mutated after construction,
// so copying a Value is cheap and values may be shared across threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wartburg {

// Kinds in OPA's sort order (null < boolean < number < string < array < object < set).
// Undefined is not a Rego value: it marks "no value" (unbound variable, missing key).
enum class Kind : uint8_t { Undefined, Null, Bool, Number, String, Array, Object, Set };

const char* kind_name(Kind k);  // OPA's type_name: "null", "boolean", "number", ...

class Value;
struct HeapObj;
struct BigInt;  // arbitrary-precision integer payload (defined in number.h)

// Number storage: exact int64 (fast path), double, or arbitrary-precision integer.
enum class NumRep : uint8_t { Int, Float, Big };

class Value {
 public:
  Value() noexcept : kind_(Kind::Undefined), rep_(NumRep::Int), u_{} {}
  ~Value() { release(); }
  Value(const Value& o) noexcept : kind_(o.kind_), rep_(o.rep_), u_(o.u_) { retain(); }
  Value(Value&& o) noexcept : kind_(o.kind_), rep_(o.rep_), u_(o.u_) {
    o.kind_ = Kind::Undefined;
    o.u_.i = 0;
  }
  Value& operator=(const Value& o) noexcept {
    if (this != &o) {
      o.retain();
      release();
      kind_ = o.kind_; rep_ = o.rep_; u_ = o.u_;
    }
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      release();
      kind_ = o.kind_; rep_ = o.rep_; u_ = o.u_;
      o.kind_ = Kind::Undefined; o.u_.i = 0;
    }
    return *this;
  }

  // ---- construction ----
  static Value null();
  static Value boolean(bool b);
  static Value integer(int64_t i);
  static Value number(double d);            // integral doubles in int64 range become Int
  static Value big(const BigInt& b);        // narrows to Int when it fits
  static Value number_from_text(std::string_view text);  // JSON/Rego number literal; Undefined if invalid
  static Value string(std::string s);
  static Value string(std::string_view s) { return string(std::string(s)); }
  static Value string(const char* s) { return string(std::string(s)); }
  static Value array(std::vector<Value> items);
  static Value set(std::vector<Value> items);  // sorts and removes duplicates
  static Value object(std::vector<std::pair<Value, Value>> items);  // sorts by key; last duplicate wins
  static Value empty_array();
  static Value empty_object();
  static Value empty_set();

  // ---- inspection ----
  Kind kind() const { return kind_; }
  bool defined() const { return kind_ != Kind::Undefined; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_bool() const { return kind_ == Kind::Bool; }
  bool is_number() const { return kind_ == Kind::Number; }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_array() const { return kind_ == Kind::Array; }
  bool is_object() const { return kind_ == Kind::Object; }
  bool is_set() const { return kind_ == Kind::Set; }
  bool is_true() const { return kind_ == Kind::Bool && u_.b; }
  bool is_false() const { return kind_ == Kind::Bool && !u_.b; }

  bool as_bool() const { return u_.b; }
  NumRep num_rep() const { return rep_; }
  bool is_int() const { return kind_ == Kind::Number && rep_ == NumRep::Int; }
  bool is_float() const { return kind_ == Kind::Number && rep_ == NumRep::Float; }
  bool is_bigint() const { return kind_ == Kind::Number && rep_ == NumRep::Big; }
  // true for Int, Big, and integral floats
  bool is_integral() const;
  int64_t as_int() const { return u_.i; }     // precondition: is_int()
  double as_double() const;                   // any number, converted
  const BigInt& as_big() const;               // precondition: is_bigint()
  // int64 value when the number is integral and fits; false otherwise
  bool to_int64(int64_t& out) const;

  const std::string& str() const;                              // precondition: is_string()
  const std::vector<Value>& items() const;                     // array or set elements
  const std::vector<std::pair<Value, Value>>& entries() const; // object entries, sorted by key
  size_t size() const;  // element/entry/byte count for array, set, object, string

  // Object lookup; nullptr when absent. Array index lookup by number. Set membership.
  const Value* find(const Value& key) const;
  const Value* find(std::string_view key) const;  // object with string keys
  bool contains(const Value& elem) const;         // set membership / object key

  // ---- order and equality (OPA's total order) ----
  friend int compare(const Value& a, const Value& b);
  friend bool equal(const Value& a, const Value& b);  // faster than compare() == 0
  friend bool operator==(const Value& a, const Value& b) { return equal(a, b); }
  friend bool operator!=(const Value& a, const Value& b) { return !equal(a, b); }
  friend bool operator<(const Value& a, const Value& b) { return compare(a, b) < 0; }
  friend bool operator>(const Value& a, const Value& b) { return compare(a, b) > 0; }
  friend bool operator<=(const Value& a, const Value& b) { return compare(a, b) <= 0; }
  friend bool operator>=(const Value& a, const Value& b) { return compare(a, b) >= 0; }
  size_t hash() const;

  // Identity of the shared payload (for caches); null for scalars.
  const void* payload() const { return kind_ >= Kind::String ? u_.p : nullptr; }

 private:
  friend struct ValueAccess;
  void retain() const noexcept;
  void release() noexcept;

  Kind kind_;
  NumRep rep_;
  union U {
    bool b;
    int64_t i;
    double d;
    HeapObj* p;
  } u_;
};

// ---- text forms ----
// JSON text as OPA prints it (sets become arrays, object keys sorted; non-string
// object keys are printed as their JSON text). `indent` > 0 pretty-prints.
std::string to_json(const Value& v, int indent = 0);
void append_json(std::string& out, const Value& v);
// Rego term text as OPA prints values in sprintf("%v") / print: sets as {1, 2},
// empty set as set(), strings quoted inside composites.
std::string to_rego(const Value& v);
// Number text (OPA style: integers exact, floats shortest round-trip).
std::string number_text(const Value& v);

// Builders that collect entries and produce a canonical Value once.
class ObjectBuilder {
 public:
  void reserve(size_t n) { items_.reserve(n); }
  void add(Value k, Value v) { items_.emplace_back(std::move(k), std::move(v)); }
  void add(std::string_view k, Value v) { items_.emplace_back(Value::string(k), std::move(v)); }
  bool empty() const { return items_.empty(); }
  Value build() { return Value::object(std::move(items_)); }
 private:
  std::vector<std::pair<Value, Value>> items_;
};

class SetBuilder {
 public:
  void reserve(size_t n) { items_.reserve(n); }
  void add(Value v) { items_.push_back(std::move(v)); }
  Value build() { return Value::set(std::move(items_)); }
 private:
  std::vector<Value> items_;
};

}  // namespace wartburg
