// Builtins: aggregates over collections (count, sum, product, max, min, sort,
// the deprecated all/any) and the membership helpers behind the `in` operator
// (internal.member_2, internal.member_3).
#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"
#include "policy/number.h"
#include "policy/utf8.h"

namespace wartburg::builtins {
namespace {

Value count(Context&, const Value* a) {
  const Value& v = a[0];
  switch (v.kind()) {
    case Kind::String: return Value::integer(static_cast<int64_t>(utf8::rune_count(v.str())));
    case Kind::Array:
    case Kind::Set:
    case Kind::Object: return Value::integer(static_cast<int64_t>(v.size()));
    default: operand_error(1, "one of {array, object, set, string}", v);
  }
}

const Value& need_collection(const Value* a) {
  const Value& v = a[0];
  if (!v.is_array() && !v.is_set()) operand_error(1, "one of {set, array}", v);
  return v;
}

[[noreturn]] void element_error(const Value& coll, const Value& elem) {
  std::string t = kind_name(coll.kind());
  throw TypeError("operand 1 must be " + t + " of numbers but got " + t + " containing " +
                  type_name_for_error(elem));
}

Value fold_numbers(const Value& coll, Value acc, Value (*op)(const Value&, const Value&)) {
  for (const Value& x : coll.items()) {
    if (!x.is_number()) element_error(coll, x);
    acc = op(acc, x);
  }
  return acc;
}

Value sum(Context&, const Value* a) { return fold_numbers(need_collection(a), Value::integer(0), num::add); }
Value product(Context&, const Value* a) {
  return fold_numbers(need_collection(a), Value::integer(1), checked_mul);
}

Value max_(Context&, const Value* a) {
  const Value& c = need_collection(a);
  if (c.items().empty()) return {};
  const Value* best = &c.items()[0];
  for (const Value& x : c.items()) {
    if (compare(*best, x) <= 0) best = &x;
  }
  return *best;
}

Value min_(Context&, const Value* a) {
  const Value& c = need_collection(a);
  if (c.items().empty()) return {};
  const Value* best = &c.items()[0];
  for (const Value& x : c.items()) {
    if (compare(*best, x) > 0) best = &x;
  }
  return *best;
}

Value sort_(Context&, const Value* a) {
  const Value& c = need_collection(a);
  std::vector<Value> items(c.items());
  if (c.is_array()) std::stable_sort(items.begin(), items.end());
  return Value::array(std::move(items));
}

const Value& need_array_or_set(const Value* a) {
  const Value& v = a[0];
  if (!v.is_array() && !v.is_set()) operand_error(1, "one of {array, set}", v);
  return v;
}

Value all_(Context&, const Value* a) {
  for (const Value& x : need_array_or_set(a).items()) {
    if (!x.is_true()) return Value::boolean(false);
  }
  return Value::boolean(true);
}

Value any_(Context&, const Value* a) {
  for (const Value& x : need_array_or_set(a).items()) {
    if (x.is_true()) return Value::boolean(true);
  }
  return Value::boolean(false);
}

// x in coll: set membership, array element, object value.
Value member2(Context&, const Value* a) {
  const Value& x = a[0];
  const Value& c = a[1];
  if (c.is_set()) return Value::boolean(c.contains(x));
  if (c.is_array()) {
    for (const Value& e : c.items()) {
      if (e == x) return Value::boolean(true);
    }
  } else if (c.is_object()) {
    for (const auto& kv : c.entries()) {
      if (kv.second == x) return Value::boolean(true);
    }
  }
  return Value::boolean(false);
}

// k, v in coll: coll[k] == v (for sets, k == v and k is a member).
Value member3(Context&, const Value* a) {
  const Value& k = a[0];
  const Value& v = a[1];
  const Value& c = a[2];
  if (c.is_set()) return Value::boolean(c.contains(k) && k == v);
  if (c.is_array() || c.is_object()) {
    const Value* got = c.find(k);
    return Value::boolean(got != nullptr && *got == v);
  }
  return Value::boolean(false);
}

}  // namespace

void register_aggregates(Registry& r) {
  r.add({"count", 1, count, "(array|object|set|string) => number"});
  r.add({"sum", 1, sum, "(array|set) => number"});
  r.add({"product", 1, product, "(array|set) => number"});
  r.add({"max", 1, max_, "(array|set) => any"});
  r.add({"min", 1, min_, "(array|set) => any"});
  r.add({"sort", 1, sort_, "(array|set) => array"});
  r.add({"all", 1, all_, "(array|set) => boolean"});
  r.add({"any", 1, any_, "(array|set) => boolean"});
  r.add({"internal.member_2", 2, member2, "(any, any) => boolean"});
  r.add({"internal.member_3", 3, member3, "(any, any, any) => boolean"});
}

}  // namespace wartburg::builtins
