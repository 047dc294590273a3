// Tests for the arrays builtins (array.concat, array.slice, array.reverse, array.flatten).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"
#include "tests/policy/builtins/limits_util.h"

namespace {

using wartburg::Value;
namespace bi = wartburg::builtins;

using namespace wartburg::builtins::test_util::tagged;

}  // namespace

TEST(Arrays, Concat) {
  EXPECT_EQ(call("array.concat", {J("[1,2]"), J("[3,4]")}), J("[1,2,3,4]"));
  EXPECT_EQ(call("array.concat", {J("[]"), J("[]")}), J("[]"));
  EXPECT_EQ(error_of("array.concat", {J("{}"), J("[]")}), "type: operand 1 must be array but got object");
  EXPECT_EQ(error_of("array.concat", {J("[]"), J("{}")}), "type: operand 2 must be array but got object");
}

TEST(Arrays, SliceClamps) {
  Value a = J("[1,2,3,4,5]");
  EXPECT_EQ(call("array.slice", {a, I(1), I(3)}), J("[2,3]"));
  EXPECT_EQ(call("array.slice", {a, I(0), I(0)}), J("[]"));
  EXPECT_EQ(call("array.slice", {a, I(-4), I(-1)}), J("[]"));
  EXPECT_EQ(call("array.slice", {a, I(-4), I(2)}), J("[1,2]"));
  EXPECT_EQ(call("array.slice", {a, I(3), I(100)}), J("[4,5]"));
  EXPECT_EQ(call("array.slice", {a, I(4), I(2)}), J("[]"));
  EXPECT_EQ(error_of("array.slice", {a, Value::number(1.5), I(2)}),
            "type: operand 2 must be integer number but got floating-point number");
  EXPECT_EQ(error_of("array.slice", {a, I(1), Str("2")}), "type: operand 3 must be number but got string");
}

TEST(Arrays, ReverseAndFlatten) {
  EXPECT_EQ(call("array.reverse", {J("[1,[2],3]")}), J("[3,[2],1]"));
  EXPECT_EQ(call("array.reverse", {J("[]")}), J("[]"));
  EXPECT_EQ(error_of("array.reverse", {S({})}), "type: operand 1 must be array but got set");
  EXPECT_EQ(call("array.flatten", {J("[[1, 2], [3, 4], [5]]")}), J("[1,2,3,4,5]"));
  EXPECT_EQ(call("array.flatten", {J("[[[1], [2, 3, []]], [[4, 5]]]")}), J("[[1], [2, 3, []], [4, 5]]"));
  EXPECT_EQ(call("array.flatten", {J("[[1, 2], \"s\", [3, {\"a\": \"b\"}], 4.5, [6, [7, 8]]]")}),
            J("[1, 2, \"s\", 3, {\"a\": \"b\"}, 4.5, 6, [7, 8]]"));
  EXPECT_EQ(error_of("array.flatten", {I(42)}), "type: operand 1 must be array but got number");
}

// Results that multiply their operands are reserved before they are built:
// repeated array.concat(x, x) used to build the oversized array first.
TEST(Arrays, LargeResultsAreReservedFirst) {
  namespace tu = wartburg::builtins::test_util;
  using namespace std::chrono_literals;
  Value x = Value::array(std::vector<Value>(1 << 20, I(1)));  // 16 MiB of elements
  auto limits = tu::test_limits(0ms, 512 << 20, 16 << 20);
  const std::string too_big = "limit eval_builtin_error: result would exceed the maximum value size of 16 MiB (--max-value-size)";
  EXPECT_EQ(tu::under_limits(limits, [&] { call("array.concat", {x, x}); }), too_big);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("array.flatten", {Value::array({x, x})}); }), too_big);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("union", {Value::set({call("cast_set", {x}), Value::set({I(2)})})}); }), "ok");
  Value big_set = Value::set([] {
    std::vector<Value> v;
    for (int i = 0; i < (1 << 20); ++i) v.push_back(I(i));
    return v;
  }());
  Value other = call("or", {big_set, Value::set({I(-1)})});
  EXPECT_EQ(tu::under_limits(limits, [&] { call("or", {big_set, other}); }), too_big);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("union", {Value::set({big_set, other})}); }), too_big);
  EXPECT_EQ(call("array.concat", {J("[1]"), J("[2, 3]")}), J("[1, 2, 3]"));
  EXPECT_EQ(call("array.flatten", {J("[1, [2, [3]], []]")}), J("[1, 2, [3]]"));
}
