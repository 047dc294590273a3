// Tests for the arithmetic builtins (plus, minus, mul, div, rem, abs, round, ceil, floor, and, or).
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

TEST(Arithmetic, IntegersStayExact) {
  EXPECT_EQ(call("plus", {I(2147483647), I(1)}), I(2147483648));
  EXPECT_EQ(wartburg::number_text(call("plus", {I(INT64_MAX), I(1)})), "9223372036854775808");
  EXPECT_EQ(wartburg::number_text(call("mul", {Value::number_from_text("18446744073709551617"), I(2)})),
            "36893488147419103234");
  EXPECT_EQ(wartburg::number_text(call("minus", {Value::number_from_text("-18446744073709551617"), I(1)})),
            "-18446744073709551618");
  EXPECT_EQ(call("plus", {Value::number(1.5), Value::number(2.5)}), I(4));
  EXPECT_EQ(call("plus", {I(1), Value::number(2.5)}), Value::number(3.5));
}

TEST(Arithmetic, Division) {
  EXPECT_EQ(call("div", {I(6), I(3)}), I(2));
  EXPECT_EQ(call("div", {I(-6), I(3)}), I(-2));
  EXPECT_EQ(call("div", {I(1), I(4)}), Value::number(0.25));
  EXPECT_EQ(call("div", {I(0), I(5)}), I(0));
  EXPECT_EQ(error_of("div", {I(1), I(0)}), "builtin: divide by zero");
  EXPECT_EQ(error_of("div", {I(1), Value::number(0.0)}), "builtin: divide by zero");
  EXPECT_EQ(error_of("div", {Str("1"), I(2)}), "type: operand 1 must be number but got string");
}

TEST(Arithmetic, Remainder) {
  EXPECT_EQ(call("rem", {I(7), I(4)}), I(3));
  EXPECT_EQ(call("rem", {I(-17), I(5)}), I(-2));
  EXPECT_EQ(call("rem", {I(17), I(-5)}), I(2));
  EXPECT_EQ(call("rem", {Value::number(4.0), I(3)}), I(1));
  EXPECT_EQ(call("rem", {I(10), Value::number_from_text("18446744073709551616")}), I(10));
  EXPECT_EQ(call("rem", {Value::number_from_text("18446744073709551617"),
                         Value::number_from_text("18446744073709551616")}),
            I(1));
  EXPECT_EQ(error_of("rem", {Value::number(1.1), I(1)}), "builtin: modulo on floating-point number");
  EXPECT_EQ(error_of("rem", {I(1), I(0)}), "builtin: modulo by zero");
}

TEST(Arithmetic, MinusOnSetsAndTypeErrors) {
  EXPECT_EQ(call("minus", {S({I(1), I(2), Str("c")}), S({Str("c"), I(1)})}), S({I(2)}));
  EXPECT_EQ(call("minus", {I(5), I(7)}), I(-2));
  EXPECT_EQ(error_of("minus", {S({I(1)}), I(1)}), "type: operand 2 must be set but got number");
  EXPECT_EQ(error_of("minus", {I(1), S({I(1)})}), "type: operand 2 must be number but got set");
  EXPECT_EQ(error_of("minus", {Str("a"), I(1)}), "type: operand 1 must be one of {number, set} but got string");
  EXPECT_EQ(error_of("plus", {I(1), Str("a")}), "type: operand 2 must be number but got string");
  EXPECT_EQ(error_of("mul", {Value::null(), I(1)}), "type: operand 1 must be number but got null");
}

TEST(Arithmetic, Rounding) {
  EXPECT_EQ(call("round", {Value::number(2.5)}), I(3));
  EXPECT_EQ(call("round", {Value::number(-2.5)}), I(-3));
  EXPECT_EQ(call("round", {Value::number(2.4)}), I(2));
  EXPECT_EQ(call("round", {I(-5)}), I(-5));
  EXPECT_EQ(call("ceil", {Value::number(1.01)}), I(2));
  EXPECT_EQ(call("ceil", {Value::number(-1.5)}), I(-1));
  EXPECT_EQ(call("floor", {Value::number(1.5)}), I(1));
  EXPECT_EQ(call("floor", {Value::number(-1.001)}), I(-2));
  EXPECT_EQ(call("abs", {I(-5)}), I(5));
  EXPECT_EQ(call("abs", {Value::number(-2.5)}), Value::number(2.5));
  EXPECT_EQ(wartburg::number_text(call("abs", {I(INT64_MIN)})), "9223372036854775808");
  EXPECT_EQ(error_of("abs", {Str("x")}), "type: operand 1 must be number but got string");
}

TEST(Arithmetic, SetIntersectionAndUnionOperators) {
  EXPECT_EQ(call("and", {S({I(1), I(2), I(3)}), S({I(2), I(3), I(4)})}), S({I(2), I(3)}));
  EXPECT_EQ(call("or", {S({I(3), I(2)}), S({I(3), I(4)})}), S({I(2), I(3), I(4)}));
  EXPECT_EQ(error_of("and", {S({}), J("[1]")}), "type: operand 2 must be set but got array");
  EXPECT_EQ(error_of("or", {I(1), S({})}), "type: operand 1 must be set but got number");
}

// Hostile operands: repeated squaring doubles a product's digits each time;
// products beyond 5,000 digits (num::kMaxDigits) are an error that names the
// limit (they used to be built, and printing one took minutes).
TEST(Arithmetic, ProductsAreBoundedInSize) {
  Value x = Value::number_from_text("1" + std::string(2499, '0'));  // 10^2499
  Value sq = call("mul", {x, x});
  EXPECT_EQ(wartburg::number_text(sq).size(), 4999u);
  try {
    call("mul", {sq, sq});
    FAIL() << "no error";
  } catch (const wartburg::LimitError& e) {
    EXPECT_EQ(e.code, "eval_builtin_error");
    EXPECT_EQ(std::string(e.what()), "result would exceed the maximum integer size of 5000 digits");
  }
  // floats and small integers are untouched
  EXPECT_EQ(call("mul", {Value::number(1.5), sq}).is_float(), true);
  EXPECT_EQ(call("mul", {I(3), I(4)}), I(12));
  // decimals with absurd exponents multiply as doubles instead of overflowing the exponent
  Value tiny = Value::number_from_text("1e-999999999999");
  ASSERT_TRUE(tiny.defined());
  for (int i = 0; i < 30; ++i) tiny = call("mul", {tiny, tiny});  // the exponent doubles each time
  EXPECT_EQ(tiny, I(0));
}

TEST(Arithmetic, ProductAggregateIsBounded) {
  Value x = Value::number_from_text("1" + std::string(2000, '0'));
  EXPECT_THROW(call("product", {Value::array({x, x, x, x, x})}), wartburg::LimitError);
  EXPECT_EQ(wartburg::number_text(call("product", {Value::array({x, x})})).size(), 4001u);
}
