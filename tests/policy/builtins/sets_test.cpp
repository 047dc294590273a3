// Tests for the sets builtins (intersection, union, set_diff).
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
