// Builtins: intersection and union of a set of sets, and the deprecated
// set_diff (the `-` operator on sets lives in arithmetic.cpp as minus).
#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"

namespace wartburg::builtins {
namespace {

const Value& need_inner_set(const Value& v) {
  if (!v.is_set()) operand_error(1, "set", v);
  return v;
}

Value intersection(Context&, const Value* a) {
  const Value& sets = need_set(a, 1);
  if (sets.items().empty()) return Value::empty_set();
  std::vector<Value> acc = need_inner_set(sets.items()[0]).items();
  for (size_t i = 1; i < sets.items().size(); ++i) {
    const Value& s = need_inner_set(sets.items()[i]);
    std::vector<Value> next;
    for (const Value& x : acc) {
      if (s.contains(x)) next.push_back(x);
    }
    acc = std::move(next);
  }
  return Value::set(std::move(acc));
}

Value union_(Context&, const Value* a) {
  const Value& sets = need_set(a, 1);
  size_t n = 0;
  for (const Value& s : sets.items()) n += need_inner_set(s).items().size();
  reserve_items(n, limits::kItemBytes, limits::kValueOverhead);
  std::vector<Value> out;
  out.reserve(n);
  for (const Value& s : sets.items()) out.insert(out.end(), s.items().begin(), s.items().end());
  return Value::set(std::move(out));
}

Value set_diff(Context&, const Value* a) {
  const Value& x = need_set(a, 1);
  const Value& y = need_set(a, 2);
  std::vector<Value> out;
  for (const Value& e : x.items()) {
    if (!y.contains(e)) out.push_back(e);
  }
  return Value::set(std::move(out));
}

}  // namespace

void register_sets(Registry& r) {
  r.add({"intersection", 1, intersection, "(set) => set"});
  r.add({"union", 1, union_, "(set) => set"});
  r.add({"set_diff", 2, set_diff, "(set, set) => set"});
}

}  // namespace wartburg::builtins
