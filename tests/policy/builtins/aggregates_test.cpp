// Tests for the aggregates builtins (count, sum, product, max, min, sort, all, any, internal.member_*).
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

TEST(Aggregates, Count) {
  EXPECT_EQ(call("count", {Str("héllo")}), I(5));
  // Go's utf8.RuneCountInString: each invalid byte is a rune
  EXPECT_EQ(call("count", {Str("\xff")}), I(1));
  EXPECT_EQ(call("count", {Str("\x80\x80")}), I(2));          // stray continuation bytes
  EXPECT_EQ(call("count", {Str("\xe2\x82")}), I(2));          // truncated sequence
  EXPECT_EQ(call("count", {Str("\xc0\x80")}), I(2));          // overlong
  EXPECT_EQ(call("count", {Str("\xed\xa0\x80")}), I(3));     // surrogate
  EXPECT_EQ(call("count", {Str("\xf4\x90\x80\x80")}), I(4));  // beyond U+10FFFF
  EXPECT_EQ(call("count", {Str("a\xe2\x82\xac\xff" "b")}), I(4));
  EXPECT_EQ(call("count", {J("[1,2,3]")}), I(3));
  EXPECT_EQ(call("count", {J("{\"a\":1}")}), I(1));
  EXPECT_EQ(call("count", {S({I(1), I(2)})}), I(2));
  EXPECT_EQ(error_of("count", {I(1)}), "type: operand 1 must be one of {array, object, set, string} but got number");
}

TEST(Aggregates, SumAndProduct) {
  EXPECT_EQ(call("sum", {J("[1,2,3]")}), I(6));
  EXPECT_EQ(call("sum", {S({I(1), I(2), I(3)})}), I(6));
  EXPECT_EQ(call("sum", {J("[]")}), I(0));
  EXPECT_EQ(call("sum", {J("[1.5, 2.5]")}), I(4));
  EXPECT_EQ(call("sum", {J("[1, 2.5]")}), Value::number(3.5));
  EXPECT_EQ(wartburg::number_text(call("sum", {J("[9223372036854775807, 1]")})), "9223372036854775808");
  EXPECT_EQ(wartburg::number_text(call("sum", {J("[18446744073709551617, 1]")})), "18446744073709551618");
  EXPECT_EQ(call("product", {J("[2,3,4]")}), I(24));
  EXPECT_EQ(call("product", {J("[]")}), I(1));
  EXPECT_EQ(call("product", {J("[1.5, 2]")}), I(3));
  EXPECT_EQ(wartburg::number_text(call("product", {J("[18446744073709551617, 2]")})), "36893488147419103234");
  EXPECT_EQ(error_of("sum", {Str("x")}), "type: operand 1 must be one of {set, array} but got string");
  EXPECT_EQ(error_of("sum", {J("[1, \"a\"]")}), "type: operand 1 must be array of numbers but got array containing string");
  EXPECT_EQ(error_of("product", {S({Value::null()})}), "type: operand 1 must be set of numbers but got set containing null");
}

TEST(Aggregates, MaxMin) {
  EXPECT_EQ(call("max", {J("[1, 3, 2]")}), I(3));
  EXPECT_EQ(call("max", {J("[1, \"a\", null]")}), Str("a"));
  EXPECT_EQ(call("min", {J("[3, 1, 2]")}), I(1));
  EXPECT_EQ(call("min", {S({I(4), I(2)})}), I(2));
  EXPECT_FALSE(call("max", {J("[]")}).defined());
  EXPECT_FALSE(call("min", {S({})}).defined());
  EXPECT_EQ(error_of("max", {J("{}")}), "type: operand 1 must be one of {set, array} but got object");
}

TEST(Aggregates, Sort) {
  EXPECT_EQ(call("sort", {J("[3, \"a\", 1, null, [1]]")}), J("[null, 1, 3, \"a\", [1]]"));
  EXPECT_EQ(call("sort", {S({I(3), I(1)})}), J("[1, 3]"));
  EXPECT_EQ(error_of("sort", {Str("x")}), "type: operand 1 must be one of {set, array} but got string");
}

TEST(Aggregates, AllAny) {
  EXPECT_TRUE(call("all", {J("[]")}).is_true());
  EXPECT_TRUE(call("all", {J("[true, true]")}).is_true());
  EXPECT_TRUE(call("all", {S({Value::boolean(true), I(1)})}).is_false());
  EXPECT_TRUE(call("any", {J("[]")}).is_false());
  EXPECT_TRUE(call("any", {S({})}).is_false());
  EXPECT_TRUE(call("any", {J("[true, {}, \"false\"]")}).is_true());
  EXPECT_TRUE(call("any", {J("[false, 1]")}).is_false());
  EXPECT_EQ(error_of("all", {I(1)}), "type: operand 1 must be one of {array, set} but got number");
}

TEST(Aggregates, Membership) {
  EXPECT_TRUE(call("internal.member_2", {I(2), J("[1,2]")}).is_true());
  EXPECT_TRUE(call("internal.member_2", {I(2), J("{\"a\":2}")}).is_true());
  EXPECT_TRUE(call("internal.member_2", {Str("a"), J("{\"a\":2}")}).is_false());
  EXPECT_TRUE(call("internal.member_2", {I(1), Str("1")}).is_false());
  EXPECT_TRUE(call("internal.member_3", {I(1), I(2), J("[1,2]")}).is_true());
  EXPECT_TRUE(call("internal.member_3", {Str("a"), I(2), J("{\"a\":2}")}).is_true());
  EXPECT_TRUE(call("internal.member_3", {I(1), I(1), S({I(1)})}).is_true());
  EXPECT_TRUE(call("internal.member_3", {I(0), I(2), J("[1,2]")}).is_false());
}
