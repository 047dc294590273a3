// Value: construction, OPA's total order, lookup, text forms.
#include "policy/value.h"

#include <gtest/gtest.h>

#include "policy/number.h"

using namespace wartburg;

TEST(Value, KindsOrderAsOpa) {
  Value n = Value::null(), b = Value::boolean(false), i = Value::integer(3), s = Value::string("a");
  Value a = Value::array({i}), o = Value::object({{s, i}}), st = Value::set({i});
  EXPECT_LT(n, b);
  EXPECT_LT(b, i);
  EXPECT_LT(i, s);
  EXPECT_LT(s, a);
  EXPECT_LT(a, o);
  EXPECT_LT(o, st);
}

TEST(Value, NumbersCompareAcrossRepresentations) {
  EXPECT_EQ(Value::integer(1), Value::number(1.0));
  EXPECT_TRUE(Value::number(1.0).is_int());
  EXPECT_LT(Value::integer(1), Value::number(1.5));
  Value big = Value::number_from_text("123456789012345678901234567890");
  EXPECT_TRUE(big.is_bigint());
  EXPECT_GT(big, Value::integer(INT64_MAX));
  EXPECT_EQ(number_text(big), "123456789012345678901234567890");
  EXPECT_EQ(number_text(num::add(Value::integer(INT64_MAX), Value::integer(1))), "9223372036854775808");
}

TEST(Value, SetsSortAndDeduplicate) {
  Value s = Value::set({Value::integer(3), Value::integer(1), Value::integer(3)});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.items()[0], Value::integer(1));
  EXPECT_TRUE(s.contains(Value::integer(3)));
  EXPECT_FALSE(s.contains(Value::integer(2)));
}

TEST(Value, ObjectLookupAndJson) {
  Value o = Value::object({{Value::string("b"), Value::integer(2)}, {Value::string("a"), Value::string("x<")}});
  ASSERT_NE(o.find("a"), nullptr);
  EXPECT_EQ(*o.find("b"), Value::integer(2));
  EXPECT_EQ(o.find("c"), nullptr);
  EXPECT_EQ(to_json(o), "{\"a\":\"x\\u003c\",\"b\":2}");
  EXPECT_EQ(to_rego(Value::set({Value::string("a")})), "{\"a\"}");
  EXPECT_EQ(to_rego(Value::empty_set()), "set()");
}

TEST(Value, FloatText) {
  EXPECT_EQ(number_text(Value::number(1.5)), "1.5");
  EXPECT_EQ(number_text(Value::number(0.1)), "0.1");
  EXPECT_EQ(number_text(num::div(Value::integer(1), Value::integer(3))), "0.3333333333333333");
}
