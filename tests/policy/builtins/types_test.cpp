// Tests for the types builtins (is_number, is_string, is_boolean, is_array, is_set, is_object, is_null, type_name).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"

namespace {

using wartburg::Value;
namespace bi = wartburg::builtins;

[[maybe_unused]] Value J(std::string_view text) { return wartburg::parse_json(text); }
[[maybe_unused]] Value S(std::vector<Value> items) { return Value::set(std::move(items)); }
[[maybe_unused]] Value I(int64_t i) { return Value::integer(i); }
[[maybe_unused]] Value Str(const char* s) { return Value::string(s); }

Value call(std::string_view name, std::vector<Value> args) {
  const bi::Builtin* b = bi::registry().find(name);
  if (!b) throw std::runtime_error("no builtin " + std::string(name));
  if (b->arity != static_cast<int>(args.size())) throw std::runtime_error("arity mismatch");
  bi::Context ctx;
  std::map<Value, Value> memo;
  ctx.memo = &memo;
  return b->fn(ctx, args.data());
}

// "type: <msg>" for TypeError, "builtin: <msg>" for other BuiltinErrors.
[[maybe_unused]] std::string error_of(std::string_view name, std::vector<Value> args) {
  try {
    call(name, std::move(args));
  } catch (const bi::TypeError& e) {
    return std::string("type: ") + e.what();
  } catch (const bi::BuiltinError& e) {
    return std::string("builtin: ") + e.what();
  }
  return "no error";
}

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
