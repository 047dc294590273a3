// Tests for the sets builtins (intersection, union, set_diff).
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

TEST(Sets, Intersection) {
  EXPECT_EQ(call("intersection", {S({S({}), S({I(1), I(2)})})}), S({}));
  EXPECT_EQ(call("intersection", {S({S({I(1), I(2), I(3)}), S({I(2), I(3), I(4)})})}), S({I(2), I(3)}));
  EXPECT_EQ(call("intersection", {S({})}), S({}));
  EXPECT_EQ(call("intersection", {S({S({Str("a"), Str("b")}), S({Str("b")}), S({Str("b"), Str("c")})})}),
            S({Str("b")}));
  EXPECT_EQ(error_of("intersection", {J("[]")}), "type: operand 1 must be set but got array");
  EXPECT_EQ(error_of("intersection", {S({I(1)})}), "type: operand 1 must be set but got number");
}

TEST(Sets, Union) {
  EXPECT_EQ(call("union", {S({S({I(1)}), S({I(2), I(1)})})}), S({I(1), I(2)}));
  EXPECT_EQ(call("union", {S({})}), S({}));
  EXPECT_EQ(error_of("union", {S({J("[1]")})}), "type: operand 1 must be set but got array");
}

TEST(Sets, SetDiff) {
  EXPECT_EQ(call("set_diff", {S({I(1), I(2)}), S({I(2)})}), S({I(1)}));
  EXPECT_EQ(error_of("set_diff", {S({}), I(1)}), "type: operand 2 must be set but got number");
}
