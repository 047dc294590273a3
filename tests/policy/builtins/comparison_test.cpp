// Tests for the comparison builtins (equal, neq, lt, lte, gt, gte).
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

TEST(Comparison, EqualityAcrossNumberRepresentations) {
  EXPECT_TRUE(call("equal", {I(1), Value::number(1.0)}).is_true());
  EXPECT_TRUE(call("equal", {J("{\"a\":[1,2]}"), J("{\"a\":[1,2]}")}).is_true());
  EXPECT_TRUE(call("equal", {Value::number_from_text("28857836529306024611913"),
                             Value::number_from_text("28857836529306024611913")})
                  .is_true());
  EXPECT_TRUE(call("neq", {Value::number_from_text("28857836529306024611913"),
                           Value::number_from_text("28857836529306024611912")})
                  .is_true());
  EXPECT_TRUE(call("neq", {Str("1"), I(1)}).is_true());
}

TEST(Comparison, TotalOrderAcrossTypes) {
  // null < boolean < number < string < array < object < set
  std::vector<Value> ordered = {Value::null(), Value::boolean(true), I(5), Str("a"), J("[1]"), J("{}"), S({I(1)})};
  for (size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_TRUE(call("lt", {ordered[i], ordered[i + 1]}).is_true()) << i;
    EXPECT_TRUE(call("gt", {ordered[i + 1], ordered[i]}).is_true()) << i;
    EXPECT_TRUE(call("lte", {ordered[i], ordered[i]}).is_true()) << i;
    EXPECT_TRUE(call("gte", {ordered[i], ordered[i]}).is_true()) << i;
    EXPECT_FALSE(call("lt", {ordered[i + 1], ordered[i]}).is_true()) << i;
  }
}

TEST(Comparison, NumbersAndStrings) {
  EXPECT_TRUE(call("lt", {I(2), Value::number(2.5)}).is_true());
  EXPECT_TRUE(call("gte", {Value::number(2.5), I(2)}).is_true());
  EXPECT_TRUE(call("lt", {Str("abc"), Str("abd")}).is_true());
  EXPECT_TRUE(call("lte", {J("[1,2]"), J("[1,2,0]")}).is_true());
  EXPECT_TRUE(call("gt", {Value::boolean(true), Value::boolean(false)}).is_true());
  EXPECT_EQ(bi::registry().find("equal")->signature, "(any, any) => boolean");
}
