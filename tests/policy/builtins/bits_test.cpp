// Tests for the bits builtins (bits.or, bits.and, bits.negate, bits.xor, bits.lsh, bits.rsh).
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

TEST(Bits, Basic) {
  EXPECT_EQ(call("bits.and", {I(50), I(0)}), I(0));
  EXPECT_EQ(call("bits.and", {I(12), I(10)}), I(8));
  EXPECT_EQ(call("bits.or", {I(12), I(3)}), I(15));
  EXPECT_EQ(call("bits.xor", {I(42), I(3)}), I(41));
  EXPECT_EQ(call("bits.negate", {I(42)}), I(-43));
  EXPECT_EQ(call("bits.rsh", {I(8), I(3)}), I(1));
  EXPECT_EQ(call("bits.lsh", {I(1), I(4)}), I(16));
}

TEST(Bits, NegativesAreTwosComplement) {
  EXPECT_EQ(call("bits.and", {I(-6), I(5)}), I(0));
  EXPECT_EQ(call("bits.or", {I(-6), I(3)}), I(-5));
  EXPECT_EQ(call("bits.xor", {I(-6), I(5)}), I(-1));
  EXPECT_EQ(call("bits.rsh", {I(-7), I(1)}), I(-4));
  EXPECT_EQ(call("bits.negate", {I(-1)}), I(0));
}

TEST(Bits, BigResults) {
  EXPECT_EQ(call("bits.lsh", {I(2147483647), I(1)}), I(4294967294));
  EXPECT_EQ(wartburg::number_text(call("bits.lsh", {I(INT64_MAX), I(1)})), "18446744073709551614");
  EXPECT_EQ(call("bits.rsh", {Value::number_from_text("18446744073709551616"), I(60)}), I(16));
}

TEST(Bits, Errors) {
  EXPECT_EQ(error_of("bits.and", {Value::number(7.2), I(42)}),
            "type: operand 1 must be integer number but got floating-point number");
  EXPECT_EQ(error_of("bits.or", {I(1), Value::number(7.2)}),
            "type: operand 2 must be integer number but got floating-point number");
  EXPECT_EQ(error_of("bits.xor", {Str("1"), I(1)}), "type: operand 1 must be integer but got string");
  EXPECT_EQ(error_of("bits.lsh", {I(1), I(-1)}),
            "type: operand 2 must be an unsigned integer number but got a negative integer");
  EXPECT_EQ(error_of("bits.negate", {Value::null()}), "type: operand 1 must be integer but got null");
}

// bits.lsh(1, 16777216) built a 5-million-digit number that took minutes to print.
TEST(Bits, ShiftResultsAreBounded) {
  EXPECT_THROW(call("bits.lsh", {I(1), I(16777216)}), wartburg::LimitError);
  EXPECT_THROW(call("bits.lsh", {I(3), I(16609)}), wartburg::LimitError);
  EXPECT_EQ(wartburg::number_text(call("bits.lsh", {I(1), I(16609)})).size(), 5000u);
  EXPECT_EQ(call("bits.lsh", {I(0), I(16777216)}), I(0));
  EXPECT_EQ(call("bits.rsh", {I(1), I(16777216)}), I(0));
}
