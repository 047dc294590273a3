// Builtins: numbers.range, numbers.range_step (inclusive integer ranges,
// ascending or descending) and rand.intn (memoized per evaluation).
#include "policy/builtins/registry.h"
#include "policy/number.h"

namespace wartburg::builtins {
namespace {

using boost::multiprecision::cpp_int;


constexpr size_t kMaxRange = size_t{1} << 26;  // guard against exhausting memory

Value make_range(const cpp_int& from, const cpp_int& to, const cpp_int& step) {
  std::vector<Value> out;
  bool up = from <= to;
  cpp_int span = up ? cpp_int(to - from) : cpp_int(from - to);
  if (span / step >= kMaxRange) throw BuiltinError("range too large");
  for (cpp_int i = from; up ? i <= to : i >= to; up ? i += step : i -= step) {
    out.push_back(num::from_bigint(i));
  }
  return Value::array(std::move(out));
}

Value range(Context&, const Value* a) {
  cpp_int x = need_bigint(a, 1);
  cpp_int y = need_bigint(a, 2);
  return make_range(x, y, 1);
}

Value range_step(Context&, const Value* a) {
  cpp_int x = need_bigint(a, 1);
  cpp_int y = need_bigint(a, 2);
  cpp_int step = need_bigint(a, 3);
  if (step <= 0) throw BuiltinError("step must be a positive integer");
  return make_range(x, y, step);
}

std::mt19937_64& fallback_rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

Value rand_intn(Context& ctx, const Value* a) {
  const std::string& s = need_string(a, 1);
  int64_t n = need_int(a, 2);
  if (n == 0) return Value::integer(0);
  if (n < 0) n = n == INT64_MIN ? INT64_MAX : -n;
  Value key = Value::array({Value::string("rand.intn"), Value::string(s), Value::integer(n)});
  if (ctx.memo) {
    auto it = ctx.memo->find(key);
    if (it != ctx.memo->end()) return it->second;
  }
  std::mt19937_64& rng = ctx.rng ? *ctx.rng : fallback_rng();
  Value r = Value::integer(std::uniform_int_distribution<int64_t>(0, n - 1)(rng));
  if (ctx.memo) (*ctx.memo)[key] = r;
  return r;
}

}  // namespace

void register_numbers(Registry& r) {
  r.add({"numbers.range", 2, range, "(number, number) => array"});
  r.add({"numbers.range_step", 3, range_step, "(number, number, number) => array"});
  r.add({"rand.intn", 2, rand_intn, "(string, number) => number"});
}

}  // namespace wartburg::builtins
