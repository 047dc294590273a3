// Tests for the numbers builtins (numbers.range, numbers.range_step, rand.intn).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"

namespace {

using wartburg::Value;
namespace bi = wartburg::builtins;

using namespace wartburg::builtins::test_util::tagged;

}  // namespace

TEST(Numbers, Range) {
  EXPECT_EQ(call("numbers.range", {I(0), I(0)}), J("[0]"));
  EXPECT_EQ(call("numbers.range", {I(-2), I(3)}), J("[-2,-1,0,1,2,3]"));
  EXPECT_EQ(call("numbers.range", {I(2), I(-3)}), J("[2,1,0,-1,-2,-3]"));
  Value big = Value::number_from_text("18446744073709551616");
  EXPECT_EQ(call("numbers.range", {big, big}).items().size(), 1u);
  EXPECT_EQ(error_of("numbers.range", {Value::number(1.5), I(2)}),
            "type: operand 1 must be integer number but got floating-point number");
  EXPECT_EQ(error_of("numbers.range", {I(1), Str("2")}), "type: operand 2 must be integer but got string");
}

TEST(Numbers, RangeStep) {
  EXPECT_EQ(call("numbers.range_step", {I(0), I(10), I(2)}), J("[0,2,4,6,8,10]"));
  EXPECT_EQ(call("numbers.range_step", {I(0), I(-10), I(2)}), J("[0,-2,-4,-6,-8,-10]"));
  EXPECT_EQ(call("numbers.range_step", {I(10), I(3), I(2)}), J("[10,8,6,4]"));
  EXPECT_EQ(call("numbers.range_step", {I(2), I(5), I(2)}), J("[2,4]"));
  EXPECT_EQ(call("numbers.range_step", {I(0), I(10), Value::number_from_text("99999999999999999999")}), J("[0]"));
  EXPECT_EQ(error_of("numbers.range_step", {I(0), I(10), I(-2)}), "builtin: step must be a positive integer");
  EXPECT_EQ(error_of("numbers.range_step", {I(0), I(10), I(0)}), "builtin: step must be a positive integer");
}

TEST(Numbers, RandIntnIsMemoizedPerEvaluation) {
  const bi::Builtin* b = bi::registry().find("rand.intn");
  ASSERT_NE(b, nullptr);
  bi::Context ctx;
  std::map<Value, Value> memo;
  ctx.memo = &memo;
  Value args[] = {Str("key"), I(100)};
  Value first = b->fn(ctx, args);
  ASSERT_TRUE(first.is_int());
  EXPECT_GE(first.as_int(), 0);
  EXPECT_LT(first.as_int(), 100);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(b->fn(ctx, args), first);
  Value neg[] = {Str("key"), I(-100)};
  EXPECT_EQ(b->fn(ctx, neg), first);  // n and -n share the memo entry, as OPA
  Value zero[] = {Str("key"), I(0)};
  EXPECT_EQ(b->fn(ctx, zero), I(0));
  std::mt19937_64 rng(42);
  ctx.rng = &rng;
  Value other[] = {Str("other"), I(10)};
  Value r = b->fn(ctx, other);
  EXPECT_TRUE(r.as_int() >= 0 && r.as_int() < 10);
  EXPECT_EQ(error_of("rand.intn", {I(1), I(2)}), "type: operand 1 must be string but got number");
  EXPECT_EQ(error_of("rand.intn", {Str("k"), Value::number(2.5)}),
            "type: operand 2 must be integer number but got floating-point number");
}
