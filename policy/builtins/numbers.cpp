// Builtins: numbers.range, numbers.range_step (inclusive integer ranges,
// ascending or descending) and rand.intn (memoized per evaluation).
#include "policy/builtins/registry.h"
#include "policy/limits.h"
#include "policy/number.h"

namespace wartburg::builtins {
namespace {

using boost::multiprecision::cpp_int;


// The range is built only when it fits the evaluation's limits (policy/limits.h):
// a range too large for them stops the evaluation with an error naming the limit.
Value make_range(const cpp_int& from, const cpp_int& to, const cpp_int& step) {
  bool up = from <= to;
  cpp_int span = up ? cpp_int(to - from) : cpp_int(from - to);
  cpp_int count = span / step + 1;
  const cpp_int max_items = (std::numeric_limits<uint64_t>::max() - limits::kValueOverhead) / limits::kItemBytes;
  limits::reserve(count > max_items ? std::numeric_limits<uint64_t>::max()
                                    : limits::kValueOverhead + static_cast<uint64_t>(count) * limits::kItemBytes);
  std::vector<Value> out;
  out.reserve(static_cast<size_t>(count));
  int64_t f = 0, t = 0, st = 0;
  bool small = from >= INT64_MIN / 2 && from <= INT64_MAX / 2 && to >= INT64_MIN / 2 && to <= INT64_MAX / 2 &&
               step <= INT64_MAX / 2;
  if (small) {
    f = static_cast<int64_t>(from), t = static_cast<int64_t>(to), st = static_cast<int64_t>(step);
    for (int64_t i = f; up ? i <= t : i >= t; up ? i += st : i -= st) {
      if ((out.size() & 4095) == 0) limits::poll();
      out.push_back(Value::integer(i));
    }
  } else {
    for (cpp_int i = from; up ? i <= to : i >= to; up ? i += step : i -= step) {
      if ((out.size() & 4095) == 0) limits::poll();
      out.push_back(num::from_bigint(i));
    }
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
