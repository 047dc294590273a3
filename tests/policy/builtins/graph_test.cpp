// Tests for the graph builtins (graph.reachable, graph.reachable_paths, walk).
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

// ---- hostile operands ----

namespace {
namespace tu = wartburg::builtins::test_util;
using namespace std::chrono_literals;

// {"0": ["1"], "1": ["2"], ..., "n-1": []}
Value chain(int n) {
  std::vector<std::pair<Value, Value>> g;
  for (int i = 0; i < n; ++i) {
    g.emplace_back(Value::string(std::to_string(i)),
                   i + 1 < n ? Value::array({Value::string(std::to_string(i + 1))}) : Value::array({}));
  }
  return Value::object(std::move(g));
}

// every node points to every node
Value complete(int n) {
  std::vector<Value> all;
  for (int i = 0; i < n; ++i) all.push_back(Value::string(std::to_string(i)));
  std::vector<std::pair<Value, Value>> g;
  for (int i = 0; i < n; ++i) g.emplace_back(all[static_cast<size_t>(i)], Value::array(all));
  return Value::object(std::move(g));
}
}  // namespace

// A chain of 200,000 nodes made one nested call per node, each copying the path (SIGSEGV).
TEST(GraphHostile, ReachablePathsOfALongChain) {
  Value g = chain(200000);
  Value r;
  double t = tu::seconds_of([&] {
    tu::on_small_stack([&] { r = wartburg::builtins::test_util::call("graph.reachable_paths", {g, Value::array({Value::string("0")})}); });
  });
  EXPECT_LT(t, 3.0);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r.items()[0].size(), 200000u);
}

// A node queued by many neighbours was expanded once per queueing (quadratic).
TEST(GraphHostile, ReachableOnADenseGraphIsFast) {
  Value g = complete(1500);
  Value r;
  EXPECT_LT(tu::seconds_of([&] { r = wartburg::builtins::test_util::call("graph.reachable", {g, Value::array({Value::string("0")})}); }), 2.0);
  EXPECT_EQ(r.size(), 1500u);
}

// Simple paths in a complete graph are (n-1)! many: the deadline and the
// memory limit stop the enumeration.
TEST(GraphHostile, ReachablePathsExplosionIsBounded) {
  Value g = complete(12);
  Value start = Value::array({Value::string("0")});
  auto t0 = std::chrono::steady_clock::now();
  std::string r = tu::under_limits(tu::test_limits(200ms), [&] { wartburg::builtins::test_util::call("graph.reachable_paths", {g, start}); });
  EXPECT_EQ(r, "limit eval_cancel_error: context deadline exceeded");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0);
  r = tu::under_limits(tu::test_limits(0ms, 32 << 20), [&] { wartburg::builtins::test_util::call("graph.reachable_paths", {g, start}); });
  EXPECT_EQ(r, "limit eval_cancel_error: evaluation would exceed its memory limit of 32 MiB (values built; --max-eval-memory)");
  // small complete graphs still give every path
  EXPECT_EQ(wartburg::to_json(wartburg::builtins::test_util::call("graph.reachable_paths", {complete(3), start})),
            R"([["0","0"],["0","0","1"],["0","0","1","2"],["0","0","2"],["0","0","2","1"],["0","1"],["0","1","2"],)"
            R"(["0","2"],["0","2","1"]])");
}
