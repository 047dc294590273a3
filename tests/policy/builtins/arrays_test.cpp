// Tests for the arrays builtins (array.concat, array.slice, array.reverse, array.flatten).
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

TEST(Arrays, Concat) {
  EXPECT_EQ(call("array.concat", {J("[1,2]"), J("[3,4]")}), J("[1,2,3,4]"));
  EXPECT_EQ(call("array.concat", {J("[]"), J("[]")}), J("[]"));
  EXPECT_EQ(error_of("array.concat", {J("{}"), J("[]")}), "type: operand 1 must be array but got object");
  EXPECT_EQ(error_of("array.concat", {J("[]"), J("{}")}), "type: operand 2 must be array but got object");
}

TEST(Arrays, SliceClamps) {
  Value a = J("[1,2,3,4,5]");
  EXPECT_EQ(call("array.slice", {a, I(1), I(3)}), J("[2,3]"));
  EXPECT_EQ(call("array.slice", {a, I(0), I(0)}), J("[]"));
  EXPECT_EQ(call("array.slice", {a, I(-4), I(-1)}), J("[]"));
  EXPECT_EQ(call("array.slice", {a, I(-4), I(2)}), J("[1,2]"));
  EXPECT_EQ(call("array.slice", {a, I(3), I(100)}), J("[4,5]"));
  EXPECT_EQ(call("array.slice", {a, I(4), I(2)}), J("[]"));
  EXPECT_EQ(error_of("array.slice", {a, Value::number(1.5), I(2)}),
            "type: operand 2 must be integer number but got floating-point number");
  EXPECT_EQ(error_of("array.slice", {a, I(1), Str("2")}), "type: operand 3 must be number but got string");
}

TEST(Arrays, ReverseAndFlatten) {
  EXPECT_EQ(call("array.reverse", {J("[1,[2],3]")}), J("[3,[2],1]"));
  EXPECT_EQ(call("array.reverse", {J("[]")}), J("[]"));
  EXPECT_EQ(error_of("array.reverse", {S({})}), "type: operand 1 must be array but got set");
  EXPECT_EQ(call("array.flatten", {J("[[1, 2], [3, 4], [5]]")}), J("[1,2,3,4,5]"));
  EXPECT_EQ(call("array.flatten", {J("[[[1], [2, 3, []]], [[4, 5]]]")}), J("[[1], [2, 3, []], [4, 5]]"));
  EXPECT_EQ(call("array.flatten", {J("[[1, 2], \"s\", [3, {\"a\": \"b\"}], 4.5, [6, [7, 8]]]")}),
            J("[1, 2, \"s\", 3, {\"a\": \"b\"}, 4.5, 6, [7, 8]]"));
  EXPECT_EQ(error_of("array.flatten", {I(42)}), "type: operand 1 must be array but got number");
}
