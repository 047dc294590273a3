// Tests for the graph builtins (graph.reachable, graph.reachable_paths, walk).
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

TEST(Graph, Reachable) {
  Value g = J(R"({"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": [], "e": ["f"], "f": ["e"], "x": ["x"]})");
  EXPECT_EQ(call("graph.reachable", {g, S({Str("b"), Str("e")})}), S({Str("b"), Str("d"), Str("e"), Str("f")}));
  EXPECT_EQ(call("graph.reachable", {J(R"({"a": ["b"], "b": ["c"], "c": ["a"]})"), J("[\"a\"]")}),
            S({Str("a"), Str("b"), Str("c")}));
  EXPECT_EQ(call("graph.reachable", {J(R"({"a": null})"), J("[\"a\"]")}), S({Str("a")}));
  EXPECT_EQ(call("graph.reachable", {J("{}"), J("[\"a\"]")}), S({}));
  EXPECT_EQ(error_of("graph.reachable", {I(1), J("[]")}), "type: operand 1 must be object but got number");
  EXPECT_EQ(error_of("graph.reachable", {J("{}"), Str("a")}), "type: operand 2 must be {array, set} but got string");
}

TEST(Graph, ReachablePaths) {
  auto paths = [](const char* graph, Value initial) { return call("graph.reachable_paths", {J(graph), initial}); };
  EXPECT_EQ(paths("{}", S({Str("a")})), S({}));
  EXPECT_EQ(paths(R"({"a": ["b"], "b": ["c"], "c": ["a"]})", J("[\"a\"]")), S({J(R"(["a","b","c"])")}));
  EXPECT_EQ(paths(R"({"a": null})", J("[\"a\"]")), S({J(R"(["a"])")}));
  EXPECT_EQ(paths(R"({"a": ["b", "c"], "b": ["c"], "c": []})", J("[\"a\"]")),
            S({J(R"(["a","b","c"])"), J(R"(["a","c"])")}));
  EXPECT_EQ(paths(R"({"1": [], "2": ["1"], "3": ["2"], "4": ["3", "2"], "5": ["4"]})", J("[\"5\"]")),
            S({J(R"(["5","4","2","1"])"), J(R"(["5","4","3","2","1"])")}));
  EXPECT_EQ(paths(R"({"a": ["b"], "b": ["nonexistent"]})", S({Str("a"), Str("b")})),
            S({J(R"(["a","b"])"), J(R"(["b"])")}));
  EXPECT_EQ(error_of("graph.reachable_paths", {J(R"({"a": []})"), Str("a")}),
            "type: operand 2 must be {array, set} but got string");
}

TEST(Graph, WalkIsPreOrderWithPaths) {
  const bi::Builtin* w = bi::registry().find("walk");
  ASSERT_NE(w, nullptr);
  EXPECT_TRUE(w->relation);
  EXPECT_EQ(w->arity, 1);
  EXPECT_EQ(call("walk", {I(1)}), J("[[[], 1]]"));
  EXPECT_EQ(call("walk", {J("[1, 2]")}), J("[[[], [1, 2]], [[0], 1], [[1], 2]]"));
  EXPECT_EQ(call("walk", {J(R"({"v2": "b", "v1": {"x": 1}})")}),
            J(R"([[[], {"v1": {"x": 1}, "v2": "b"}], [["v1"], {"x": 1}], [["v1", "x"], 1], [["v2"], "b"]])"));
  Value inner = S({I(1), I(2)});
  Value walked = call("walk", {S({inner})});
  Value want = Value::array({Value::array({J("[]"), S({inner})}), Value::array({Value::array({inner}), inner}),
                             Value::array({Value::array({inner, I(1)}), I(1)}),
                             Value::array({Value::array({inner, I(2)}), I(2)})});
  EXPECT_EQ(walked, want);
}
