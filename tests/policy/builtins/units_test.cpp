// Tests for the units builtins (units.parse, units.parse_bytes).
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

Value D(const char* text) { return Value::number_from_text(text); }

TEST(Units, ParseSiAndIec) {
  EXPECT_EQ(call("units.parse", {Str("500m")}), D("0.5"));
  EXPECT_EQ(call("units.parse", {Str("0.0005K")}), D("0.5"));
  EXPECT_EQ(call("units.parse", {Str("0.0000005M")}), D("0.5"));
  EXPECT_EQ(call("units.parse", {Str("10K")}), I(10000));
  EXPECT_EQ(call("units.parse", {Str("10KI")}), I(10240));
  EXPECT_EQ(call("units.parse", {Str("200M")}), I(200000000));
  EXPECT_EQ(call("units.parse", {Str("100mi")}), I(104857600));
  EXPECT_EQ(call("units.parse", {Str("1.1Ki")}), D("1126.4"));
  EXPECT_EQ(call("units.parse", {Str(".5K")}), I(500));
  EXPECT_EQ(call("units.parse", {Str("\"100TI\"")}), I(109951162777600));
  EXPECT_EQ(call("units.parse", {Str("10E")}), D("10000000000000000000"));
  EXPECT_EQ(call("units.parse", {Str("10ei")}), D("11529215046068469760"));
  EXPECT_EQ(call("units.parse", {Str("0.0")}), I(0));
  EXPECT_EQ(call("units.parse", {Str("1G")}), I(1000000000));
  EXPECT_TRUE(call("units.parse", {Str("1G")}).is_int());
}

TEST(Units, ParseScientific) {
  EXPECT_EQ(call("units.parse", {Str("1e10")}), I(10000000000));
  EXPECT_EQ(call("units.parse", {Str("3.2E4")}), I(32000));
  EXPECT_EQ(call("units.parse", {Str("2.5e3K")}), I(2500000));
  EXPECT_EQ(call("units.parse", {Str("1e-2")}), D("0.01"));
  EXPECT_EQ(call("units.parse", {Str("7.8E-1")}), D("0.78"));
  EXPECT_EQ(call("units.parse", {Str("-3.5E2m")}), D("-0.35"));
  EXPECT_EQ(call("units.parse", {Str("5E")}), D("5000000000000000000"));  // E is exa here
  EXPECT_EQ(call("units.parse", {Str("1m")}), D("0.001"));
}

TEST(Units, ParseErrors) {
  EXPECT_EQ(error_of("units.parse", {Str("")}), "builtin: no amount provided");
  EXPECT_EQ(error_of("units.parse", {Str("foo")}), "builtin: no amount provided");
  EXPECT_EQ(error_of("units.parse", {Str("0.0.0")}), "builtin: could not parse amount to a number");
  EXPECT_EQ(error_of("units.parse", {Str(".5.2")}), "builtin: could not parse amount to a number");
  EXPECT_EQ(error_of("units.parse", {Str("100 k")}), "builtin: spaces not allowed in resource strings");
  EXPECT_EQ(error_of("units.parse", {Str("10e10000000Ei")}), "builtin: exponent too large");
  EXPECT_EQ(error_of("units.parse", {Str("10Xi")}), "builtin: unit Xi not recognized");
  EXPECT_EQ(error_of("units.parse", {I(1)}), "type: operand 1 must be string but got number");
}

TEST(Units, ParseBytes) {
  EXPECT_EQ(call("units.parse_bytes", {Str("0")}), I(0));
  EXPECT_EQ(call("units.parse_bytes", {Str(".0")}), I(0));
  EXPECT_EQ(call("units.parse_bytes", {Str("12345")}), I(12345));
  EXPECT_EQ(call("units.parse_bytes", {Str("10KB")}), I(10000));
  EXPECT_EQ(call("units.parse_bytes", {Str("10Kib")}), I(10240));
  EXPECT_EQ(call("units.parse_bytes", {Str("200mb")}), I(200000000));
  EXPECT_EQ(call("units.parse_bytes", {Str("100m")}), I(100000000));
  EXPECT_EQ(call("units.parse_bytes", {Str("1.1KiB")}), I(1126));
  EXPECT_EQ(call("units.parse_bytes", {Str(".5KB")}), I(500));
  EXPECT_EQ(call("units.parse_bytes", {Str("\"100TIB\"")}), I(109951162777600));
  EXPECT_EQ(call("units.parse_bytes", {Str("10eib")}), D("11529215046068469760"));
  EXPECT_EQ(call("units.parse_bytes", {Str("1e3KB")}), I(1000000));
  EXPECT_EQ(call("units.parse_bytes", {Str("3.2E2MiB")}), I(335544320));
  EXPECT_EQ(call("units.parse_bytes", {Str("1e-2KB")}), I(10));
  EXPECT_EQ(call("units.parse_bytes", {Str("0.1kb")}), I(100));
  EXPECT_NE(call("units.parse_bytes", {Str("5E")}), I(5));
}

TEST(Units, ParseBytesErrors) {
  EXPECT_EQ(error_of("units.parse_bytes", {Str("GB")}), "builtin: no byte amount provided");
  EXPECT_EQ(error_of("units.parse_bytes", {Str("0.0.0")}), "builtin: could not parse byte amount to a number");
  EXPECT_EQ(error_of("units.parse_bytes", {Str(" 327MiB ")}), "builtin: spaces not allowed in resource strings");
  EXPECT_EQ(error_of("units.parse_bytes", {Str("10e10000000EiB")}), "builtin: exponent too large");
  EXPECT_EQ(error_of("units.parse_bytes", {Str("10xb")}), "builtin: byte unit xb not recognized");
}

// A mantissa of 4 million digits was converted to a big integer (quadratic time).
TEST(Units, LongMantissasAreRejectedQuickly) {
  using wartburg::builtins::test_util::seconds_of;
  std::string digits = "1." + std::string(4000000, '7');
  std::string err;
  double t = seconds_of([&] { err = error_of("units.parse", {Str(digits.c_str())}); });
  EXPECT_EQ(err, "builtin: amount has too many digits");
  EXPECT_LT(t, 1.0);
  EXPECT_EQ(error_of("units.parse_bytes", {Value::string(digits + "KB")}), "builtin: amount has too many digits");
  // trailing zeros do not count
  std::string one = "1." + std::string(4000000, '0') + "K";
  EXPECT_EQ(call("units.parse", {Value::string(one)}), I(1000));
  EXPECT_EQ(call("units.parse_bytes", {Value::string(one)}), I(1000));
  EXPECT_EQ(call("units.parse", {Str("0.5")}), Value::number(0.5));
  EXPECT_EQ(call("units.parse", {Str("100")}), I(100));
}
