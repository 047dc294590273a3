// Tests for the types builtins (is_number, is_string, is_boolean, is_array, is_set, is_object, is_null, type_name).
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

TEST(Types, Predicates) {
  std::vector<std::pair<const char*, Value>> cases = {
      {"is_number", I(1)},        {"is_string", Str("x")}, {"is_boolean", Value::boolean(false)},
      {"is_array", J("[1]")},     {"is_set", S({I(1)})},   {"is_object", J("{}")},
      {"is_null", Value::null()}};
  for (const auto& [name, good] : cases) {
    EXPECT_TRUE(call(name, {good}).is_true()) << name;
    for (const auto& [other, bad] : cases) {
      if (std::string(other) != name) {
        EXPECT_TRUE(call(name, {bad}).is_false()) << name << " " << other;
      }
    }
  }
}

TEST(Types, TypeName) {
  EXPECT_EQ(call("type_name", {Value::boolean(true)}), Str("boolean"));
  EXPECT_EQ(call("type_name", {Str("Hello")}), Str("string"));
  EXPECT_EQ(call("type_name", {S({I(1)})}), Str("set"));
  EXPECT_EQ(call("type_name", {J("{}")}), Str("object"));
  EXPECT_EQ(call("type_name", {J("[]")}), Str("array"));
  EXPECT_EQ(call("type_name", {Value::null()}), Str("null"));
  EXPECT_EQ(call("type_name", {Value::number(1.5)}), Str("number"));
}
