// Builtins: comparison operators (==, !=, <, <=, >, >=) under their OPA names
// equal, neq, lt, lte, gt, gte. Any two values compare by OPA's total order.
#include "policy/builtins/registry.h"

namespace wartburg::builtins {
namespace {

Value equal(Context&, const Value* a) { return Value::boolean(compare(a[0], a[1]) == 0); }
Value neq(Context&, const Value* a) { return Value::boolean(compare(a[0], a[1]) != 0); }
Value lt(Context&, const Value* a) { return Value::boolean(compare(a[0], a[1]) < 0); }
Value lte(Context&, const Value* a) { return Value::boolean(compare(a[0], a[1]) <= 0); }
Value gt(Context&, const Value* a) { return Value::boolean(compare(a[0], a[1]) > 0); }
Value gte(Context&, const Value* a) { return Value::boolean(compare(a[0], a[1]) >= 0); }

}  // namespace

void register_comparison(Registry& r) {
  const std::string sig = "(any, any) => boolean";
  r.add({"equal", 2, equal, sig});
  r.add({"neq", 2, neq, sig});
  r.add({"lt", 2, lt, sig});
  r.add({"lte", 2, lte, sig});
  r.add({"gt", 2, gt, sig});
  r.add({"gte", 2, gte, sig});
}

}  // namespace wartburg::builtins
