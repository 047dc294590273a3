// Unit tests for the compiler stage build_indexes (lang/compiler.h): rule
// guards (`<input or argument path> == <constant>` tests in a body) and node
// indexes (RuleNode::index when >= 4 rules without else test the same path).
#include <gtest/gtest.h>

#include "tests/lang/lang_test_util.h"

namespace wartburg::lang {
namespace {

using testing::stage;
using testing::Upto;

std::vector<Value> path(std::initializer_list<const char*> keys) {
  std::vector<Value> out;
  for (const char* k : keys) out.push_back(Value::string(k));
  return out;
}

TEST(BuildIndexes, InputEqualityGuard) {
  auto s = stage("package p\nallow if input.x == \"c\"", Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const auto& g = s->rule(0).guards;
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].arg, -1);
  EXPECT_EQ(g[0].path, path({"x"}));
  EXPECT_EQ(g[0].value, Value::string("c"));
}

TEST(BuildIndexes, GuardFormsAndDeepPaths) {
  auto s = stage(
      "package p\n"
      "allow if {\n"
      "  \"admin\" == input.user.role\n"
      "  input.req.method = \"GET\"\n"
      "  input.req[\"path\"] == [\"a\", 1]\n"
      "  input.n == 3\n"
      "}",
      Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const auto& g = s->rule(0).guards;
  ASSERT_EQ(g.size(), 4u);
  EXPECT_EQ(g[0].path, path({"user", "role"}));
  EXPECT_EQ(g[0].value, Value::string("admin"));
  EXPECT_EQ(g[1].path, path({"req", "method"}));
  EXPECT_EQ(g[1].value, Value::string("GET"));
  EXPECT_EQ(g[2].path, path({"req", "path"}));
  EXPECT_EQ(g[2].value, Value::array({Value::string("a"), Value::integer(1)}));
  EXPECT_EQ(g[3].path, path({"n"}));
  EXPECT_EQ(g[3].value, Value::integer(3));
  for (const auto& x : g) EXPECT_EQ(x.arg, -1);
}

TEST(BuildIndexes, NonGuards) {
  auto s = stage(
      "package p\n"
      "allow if {\n"
      "  y := input.y\n"
      "  input.a == y\n"
      "  input.b[i] == 1\n"
      "  input.c != 1\n"
      "  input.d == 1 with input as {}\n"
      "  data.p.q == 1\n"
      "  not input.e == 1\n"
      "  i > 0\n"
      "}\n"
      "q := 1",
      Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  EXPECT_TRUE(s->rule(0).guards.empty()) << s->rule(0).guards.size();
}

TEST(BuildIndexes, FunctionArgumentGuards) {
  auto s = stage(
      "package p\n"
      "f(x) := 1 if x.kind == \"a\"\n"
      "g(a, b) := 2 if {\n  b == 3\n  a.k.l = true\n}\n",
      Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const auto& gf = s->rule(0).guards;
  ASSERT_EQ(gf.size(), 1u);
  EXPECT_EQ(gf[0].arg, 0);
  EXPECT_EQ(gf[0].path, path({"kind"}));
  EXPECT_EQ(gf[0].value, Value::string("a"));
  const auto& gg = s->rule(1).guards;
  ASSERT_EQ(gg.size(), 2u);
  EXPECT_EQ(gg[0].arg, 1);
  EXPECT_TRUE(gg[0].path.empty());
  EXPECT_EQ(gg[0].value, Value::integer(3));
  EXPECT_EQ(gg[1].arg, 0);
  EXPECT_EQ(gg[1].path, path({"k", "l"}));
  EXPECT_EQ(gg[1].value, Value::boolean(true));
}

TEST(BuildIndexes, LocalThatIsNotAnArgumentIsNoGuard) {
  auto s = stage("package p\nf(x) := 1 if {\n  y := x\n  y == 2\n}", Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  EXPECT_TRUE(s->rule(0).guards.empty());
}

TEST(BuildIndexes, ElseRulesGetGuards) {
  auto s = stage("package p\nv := 1 if input.a == 1\nelse := 2 if input.a == 2", Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  ASSERT_EQ(s->rule(0).guards.size(), 1u);
  ASSERT_TRUE(s->rule(0).else_rule);
  ASSERT_EQ(s->rule(0).else_rule->guards.size(), 1u);
  EXPECT_EQ(s->rule(0).else_rule->guards[0].value, Value::integer(2));
}

TEST(BuildIndexes, SameTest) {
  Guard a{-1, path({"x"}), Value::integer(1), {}};
  Guard b{-1, path({"x"}), Value::integer(2), {}};
  Guard c{0, path({"x"}), Value::integer(1), {}};
  Guard d{-1, path({"y"}), Value::integer(1), {}};
  EXPECT_TRUE(a.same_test(b));
  EXPECT_FALSE(a.same_test(c));
  EXPECT_FALSE(a.same_test(d));
}

const char* kFourRoles =
    "package p\n"
    "allow if input.role == \"a\"\n"
    "allow if input.role == \"b\"\n"
    "allow if {\n  input.role == \"c\"\n  input.ok\n}\n"
    "allow if input.role == \"a\"\n";

TEST(BuildIndexes, NodeIndexWithFourRules) {
  auto s = stage(kFourRoles, Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* n = s->node({"p", "allow"});
  ASSERT_NE(n, nullptr);
  ASSERT_TRUE(n->index);
  EXPECT_EQ(n->index->test.arg, -1);
  EXPECT_EQ(n->index->test.path, path({"role"}));
  ASSERT_EQ(n->index->by_value.size(), 3u);
  const auto& a = n->index->by_value.at(Value::string("a"));
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0], &s->rule(0));
  EXPECT_EQ(a[1], &s->rule(3));
  ASSERT_EQ(n->index->by_value.at(Value::string("c")).size(), 1u);
  EXPECT_EQ(n->index->by_value.at(Value::string("c"))[0], &s->rule(2));
}

TEST(BuildIndexes, NoNodeIndexWithThreeRules) {
  auto s = stage(
      "package p\n"
      "allow if input.role == \"a\"\n"
      "allow if input.role == \"b\"\n"
      "allow if input.role == \"c\"\n",
      Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* n = s->node({"p", "allow"});
  EXPECT_FALSE(n->index);
  EXPECT_EQ(s->rule(2).guards.size(), 1u);
}

TEST(BuildIndexes, NoNodeIndexWhenOneRuleLacksTheGuard) {
  auto s = stage(std::string(kFourRoles) + "allow if input.other == \"x\"\n", Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  EXPECT_FALSE(s->node({"p", "allow"})->index);
}

TEST(BuildIndexes, NoNodeIndexWithElse) {
  auto s = stage(std::string(kFourRoles) + "allow if input.role == \"d\"\nelse := false\n", Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  EXPECT_FALSE(s->node({"p", "allow"})->index);
}

TEST(BuildIndexes, DefaultRuleDoesNotPreventIndex) {
  auto s = stage(std::string("package p\ndefault allow := false\n") + (kFourRoles + 10), Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* n = s->node({"p", "allow"});
  ASSERT_TRUE(n->index);
  EXPECT_EQ(n->index->by_value.size(), 3u);
}

TEST(BuildIndexes, NoNodeIndexForFunctions) {
  auto s = stage(
      "package p\n"
      "f(x) := 1 if x == \"a\"\n"
      "f(x) := 2 if x == \"b\"\n"
      "f(x) := 3 if x == \"c\"\n"
      "f(x) := 4 if x == \"d\"\n",
      Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* n = s->node({"p", "f"});
  EXPECT_FALSE(n->index);
  for (size_t i = 0; i < 4; ++i) {
    ASSERT_EQ(s->rule(i).guards.size(), 1u);
    EXPECT_EQ(s->rule(i).guards[0].arg, 0);
  }
}

TEST(BuildIndexes, PartialSetRulesAreIndexed) {
  auto s = stage(
      "package p\n"
      "s contains 1 if input.k == 1\n"
      "s contains 2 if input.k == 2\n"
      "s contains 3 if input.k == 3\n"
      "s contains 4 if input.k == 4\n",
      Upto::Indexes);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* n = s->node({"p", "s"});
  ASSERT_TRUE(n->index);
  EXPECT_EQ(n->index->by_value.size(), 4u);
  EXPECT_EQ(n->index->by_value.at(Value::integer(3)).at(0), &s->rule(2));
}

}  // namespace
}  // namespace wartburg::lang
