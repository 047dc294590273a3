// Tests for the casts builtins (to_number and the deprecated cast_*).
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

TEST(Casts, ToNumber) {
  EXPECT_EQ(call("to_number", {Value::null()}), I(0));
  EXPECT_EQ(call("to_number", {Value::boolean(true)}), I(1));
  EXPECT_EQ(call("to_number", {Value::boolean(false)}), I(0));
  EXPECT_EQ(call("to_number", {Value::number(2.5)}), Value::number(2.5));
  EXPECT_EQ(call("to_number", {Str("3")}), I(3));
  EXPECT_EQ(call("to_number", {Str("-3.25")}), Value::number(-3.25));
  EXPECT_EQ(call("to_number", {Str("+1e3")}), I(1000));
  EXPECT_EQ(call("to_number", {Str(".5")}), Value::number(0.5));
  EXPECT_EQ(call("to_number", {Str("5.")}), I(5));
  EXPECT_EQ(wartburg::number_text(call("to_number", {Str("123456789012345678901234567890")})),
            "123456789012345678901234567890");
}

TEST(Casts, ToNumberErrors) {
  EXPECT_EQ(error_of("to_number", {Str("broken")}),
            "builtin: strconv.ParseFloat: parsing \"broken\": invalid syntax");
  EXPECT_EQ(error_of("to_number", {Str(" 1")}), "builtin: strconv.ParseFloat: parsing \" 1\": invalid syntax");
  EXPECT_EQ(error_of("to_number", {Str("1e400")}),
            "builtin: strconv.ParseFloat: parsing \"1e400\": value out of range");
  EXPECT_EQ(error_of("to_number", {Str("-Inf")}), "type: operand 1 must be valid number string but got string");
  EXPECT_EQ(error_of("to_number", {Str("NaN")}), "type: operand 1 must be valid number string but got string");
  EXPECT_EQ(error_of("to_number", {J("[]")}),
            "type: operand 1 must be one of {null, boolean, number, string} but got array");
}

TEST(Casts, DeprecatedCasts) {
  EXPECT_EQ(call("cast_array", {S({I(3), I(1)})}), J("[1, 3]"));
  EXPECT_EQ(call("cast_array", {J("[2, 1]")}), J("[2, 1]"));
  EXPECT_EQ(error_of("cast_array", {Str("hello")}), "type: operand 1 must be one of {array, set} but got string");
  EXPECT_EQ(call("cast_set", {J("[2, 1, 2]")}), S({I(1), I(2)}));
  EXPECT_EQ(error_of("cast_set", {I(1)}), "type: operand 1 must be one of {array, set} but got number");
  EXPECT_EQ(call("cast_string", {Str("x")}), Str("x"));
  EXPECT_EQ(error_of("cast_string", {I(1)}), "type: operand 1 must be string but got number");
  EXPECT_EQ(call("cast_boolean", {Value::boolean(true)}), Value::boolean(true));
  EXPECT_EQ(error_of("cast_boolean", {Str("true")}), "type: operand 1 must be boolean but got string");
  EXPECT_EQ(call("cast_null", {Value::null()}), Value::null());
  EXPECT_EQ(error_of("cast_null", {I(0)}), "type: operand 1 must be null but got number");
  EXPECT_EQ(call("cast_object", {J("{\"a\":1}")}), J("{\"a\":1}"));
  EXPECT_EQ(error_of("cast_object", {J("[]")}), "type: operand 1 must be object but got array");
}

// to_number of a decimal with millions of digits built its exact value in quadratic time.
TEST(Casts, ToNumberOfVeryLongDecimalsIsTheDouble) {
  using wartburg::builtins::test_util::seconds_of;
  std::string s = "1." + std::string(3000000, '3');
  Value v;
  EXPECT_LT(seconds_of([&] { v = call("to_number", {Value::string(s)}); }), 1.0);
  EXPECT_EQ(v, Value::number(1.3333333333333333));
  EXPECT_EQ(wartburg::number_text(call("to_number", {Str("0.1234567890123456789")})), "0.1234567890123456789");
}
