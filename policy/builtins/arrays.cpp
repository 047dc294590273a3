// Builtins: array.concat, array.slice (indices clamped as OPA does),
// array.reverse and array.flatten (one level).
#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"

namespace wartburg::builtins {
namespace {

Value concat(Context&, const Value* a) {
  const Value& x = need_array(a, 1);
  const Value& y = need_array(a, 2);
  // concat(x, x) doubles: reserve before building
  reserve_items(x.items().size() + y.items().size(), limits::kItemBytes, limits::kValueOverhead);
  std::vector<Value> out;
  out.reserve(x.items().size() + y.items().size());
  out.insert(out.end(), x.items().begin(), x.items().end());
  out.insert(out.end(), y.items().begin(), y.items().end());
  return Value::array(std::move(out));
}

Value slice(Context&, const Value* a) {
  const Value& arr = need_array(a, 1);
  int64_t start = need_int(a, 2);
  int64_t stop = need_int(a, 3);
  const int64_t len = static_cast<int64_t>(arr.items().size());
  stop = stop < 0 ? 0 : std::min(stop, len);
  start = start < 0 ? 0 : std::min(start, stop);
  return Value::array(std::vector<Value>(arr.items().begin() + start, arr.items().begin() + stop));
}

Value reverse(Context&, const Value* a) {
  const Value& arr = need_array(a, 1);
  return Value::array(std::vector<Value>(arr.items().rbegin(), arr.items().rend()));
}

Value flatten(Context&, const Value* a) {
  const Value& arr = need_array(a, 1);
  size_t n = 0;
  for (const Value& x : arr.items()) n += x.is_array() ? x.items().size() : 1;
  // [x, x, x, ...] flattens to |arr| * |x| elements
  reserve_items(n, limits::kItemBytes, limits::kValueOverhead);
  std::vector<Value> out;
  out.reserve(n);
  for (const Value& x : arr.items()) {
    if (x.is_array()) {
      out.insert(out.end(), x.items().begin(), x.items().end());
    } else {
      out.push_back(x);
    }
  }
  return Value::array(std::move(out));
}

}  // namespace

void register_arrays(Registry& r) {
  r.add({"array.concat", 2, concat, "(array, array) => array"});
  r.add({"array.slice", 3, slice, "(array, number, number) => array"});
  r.add({"array.reverse", 1, reverse, "(array) => array"});
  r.add({"array.flatten", 1, flatten, "(array) => array"});
}

}  // namespace wartburg::builtins
