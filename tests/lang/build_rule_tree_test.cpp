// Unit tests for the compiler stage build_rule_tree (lang/compiler.h): rules
// are placed at the data-tree node of their package + constant head prefix;
// nodes record kind (function/multi-value/dynamic/package), arity, default
// rules; rule annotations (node, dyn_from, default value true, path_text);
// and conflicting definitions are rejected with rego_type_error.
#include <gtest/gtest.h>

#include "tests/lang/lang_test_util.h"

namespace wartburg::lang {
namespace {

using testing::stage;
using testing::stage_modules;
using testing::Upto;

TEST(BuildRuleTree, RootAndPackageNodes) {
  auto s = stage("package a.b\nx := 1", Upto::RuleTree);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  ASSERT_TRUE(s->cm->root);
  EXPECT_EQ(s->cm->root->path_text, "data");
  const RuleNode* a = s->node({"a"});
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->package);
  EXPECT_FALSE(a->has_rules());
  const RuleNode* ab = s->node({"a", "b"});
  ASSERT_NE(ab, nullptr);
  EXPECT_TRUE(ab->package);
  EXPECT_EQ(ab->path, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ab->path_text, "data.a.b");
  EXPECT_EQ(ab->key, "b");
  const RuleNode* x = s->node({"a", "b", "x"});
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->path_text, "data.a.b.x");
  ASSERT_EQ(x->rules.size(), 1u);
  EXPECT_EQ(x->rules[0], &s->rule(0));
  EXPECT_EQ(x->default_rule, nullptr);
  EXPECT_FALSE(x->is_function);
  EXPECT_FALSE(x->multi_value);
  EXPECT_FALSE(x->dynamic);
}

TEST(BuildRuleTree, EmptyPackageStillGetsANode) {
  auto s = stage("package empty", Upto::RuleTree);
  const RuleNode* n = s->node({"empty"});
  ASSERT_NE(n, nullptr);
  EXPECT_TRUE(n->package);
  EXPECT_TRUE(n->children.empty());
}

TEST(BuildRuleTree, RuleAnnotations) {
  auto s = stage("package p\nallow if input.ok\ny := 2", Upto::RuleTree);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Rule& allow = s->rule(0);
  EXPECT_EQ(allow.node, s->node({"p", "allow"}));
  EXPECT_EQ(allow.module, &s->mod());
  EXPECT_EQ(allow.path_text, "data.p.allow");
  EXPECT_EQ(allow.dyn_from, 1u);
  // a rule without a value gets the value true
  ASSERT_TRUE(allow.value);
  EXPECT_EQ(allow.value->value, Value::boolean(true));
  EXPECT_EQ(s->rule(1).value->value, Value::integer(2));
}

TEST(BuildRuleTree, ElseChainMembersAreAnnotated) {
  auto s = stage("package p\nv := 1 if input.a\nelse := 2 if input.b\nelse", Upto::RuleTree);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Rule* r = &s->rule(0);
  const RuleNode* n = s->node({"p", "v"});
  int count = 0;
  for (; r; r = r->else_rule.get(), ++count) {
    EXPECT_EQ(r->node, n);
    EXPECT_EQ(r->path_text, "data.p.v");
    ASSERT_TRUE(r->value);
  }
  EXPECT_EQ(count, 3);
  EXPECT_EQ(s->rule(0).else_rule->else_rule->value->value, Value::boolean(true));
  // only the head of the chain is listed on the node
  EXPECT_EQ(n->rules.size(), 1u);
}

TEST(BuildRuleTree, PartialSetNode) {
  auto s = stage("package p\ns contains 1\ns contains x if x := 2", Upto::RuleTree);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* n = s->node({"p", "s"});
  ASSERT_NE(n, nullptr);
  EXPECT_TRUE(n->multi_value);
  EXPECT_EQ(n->rules.size(), 2u);
  EXPECT_FALSE(s->rule(0).value);  // multi-value rules keep no value
}

TEST(BuildRuleTree, PartialObjectIsDynamic) {
  auto s = stage("package p\no[k] := 1 if k := \"a\"", Upto::RuleTree);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* n = s->node({"p", "o"});
  ASSERT_NE(n, nullptr);
  EXPECT_TRUE(n->dynamic);
  EXPECT_FALSE(n->multi_value);
  EXPECT_EQ(s->rule(0).dyn_from, 1u);
  EXPECT_EQ(s->rule(0).node, n);
}

TEST(BuildRuleTree, RefHeadRulesCreateIntermediateNodes) {
  auto s = stage(
      "package p\n"
      "a.b.c := 1\n"
      "a.b.d := 2\n"
      "a.e[x] := 3 if x := \"k\"\n"
      "a.f[\"g\"].h := 4\n",
      Upto::RuleTree);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* a = s->node({"p", "a"});
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->has_rules());
  EXPECT_EQ(a->children.size(), 3u);
  const RuleNode* c = s->node({"p", "a", "b", "c"});
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->rules.size(), 1u);
  EXPECT_EQ(s->rule(0).dyn_from, 3u);
  EXPECT_EQ(s->node({"p", "a", "b", "d"})->rules.size(), 1u);
  const RuleNode* e = s->node({"p", "a", "e"});
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->dynamic);
  EXPECT_EQ(s->rule(2).dyn_from, 2u);
  // bracketed constant strings are part of the constant prefix
  const RuleNode* h = s->node({"p", "a", "f", "g", "h"});
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->path_text, "data.p.a.f.g.h");
  EXPECT_EQ(s->rule(3).dyn_from, 4u);
}

TEST(BuildRuleTree, DynamicSegmentStopsConstantPrefix) {
  auto s = stage("package p\nq[x].r := 1 if x := \"a\"", Upto::RuleTree);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* q = s->node({"p", "q"});
  ASSERT_NE(q, nullptr);
  EXPECT_TRUE(q->dynamic);
  EXPECT_EQ(q->rules.size(), 1u);
  EXPECT_EQ(q->child("r"), nullptr);
}

TEST(BuildRuleTree, FunctionNodes) {
  auto s = stage("package p\nf(x) := 1 if x > 0\nf(x) := 2 if x <= 0\ng(a, b, c) := a", Upto::RuleTree);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* f = s->node({"p", "f"});
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->is_function);
  EXPECT_EQ(f->arity, 1);
  EXPECT_EQ(f->rules.size(), 2u);
  const RuleNode* g = s->node({"p", "g"});
  EXPECT_TRUE(g->is_function);
  EXPECT_EQ(g->arity, 3);
}

TEST(BuildRuleTree, DefaultRule) {
  auto s = stage("package p\ndefault allow := false\nallow if input.ok", Upto::RuleTree);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* n = s->node({"p", "allow"});
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->default_rule, &s->rule(0));
  ASSERT_EQ(n->rules.size(), 1u);
  EXPECT_EQ(n->rules[0], &s->rule(1));
  EXPECT_TRUE(n->has_rules());
}

TEST(BuildRuleTree, OnlyDefaultRuleCountsAsRules) {
  auto s = stage("package p\ndefault d := 1", Upto::RuleTree);
  const RuleNode* n = s->node({"p", "d"});
  ASSERT_NE(n, nullptr);
  EXPECT_TRUE(n->rules.empty());
  EXPECT_TRUE(n->has_rules());
}

TEST(BuildRuleTree, RulesOfSeveralModulesMerge) {
  auto s = stage_modules({"package p\nx contains 1", "package p\nx contains 2\ny := 1", "package q.r\nz := 1"},
                 Upto::RuleTree);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* x = s->node({"p", "x"});
  ASSERT_NE(x, nullptr);
  ASSERT_EQ(x->rules.size(), 2u);
  EXPECT_EQ(x->rules[0]->module, &s->mod(0));
  EXPECT_EQ(x->rules[1]->module, &s->mod(1));
  EXPECT_NE(s->node({"q", "r", "z"}), nullptr);
  EXPECT_EQ(s->cm->root->children.size(), 2u);
}

TEST(BuildRuleTree, ConflictCompleteVsPartialSet) {
  auto s = stage("package p\nx := 1\nx contains 2", Upto::RuleTree);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_type_error");
  EXPECT_EQ(s->st.errors[0].message, "conflicting rules data.p.x found");
  EXPECT_EQ(s->st.errors[0].row, 3);
  EXPECT_EQ(s->st.errors[0].file, "m0.rego");
}

TEST(BuildRuleTree, ConflictFunctionVsComplete) {
  auto s = stage("package p\nf(x) := x\nf := 1", Upto::RuleTree);
  ASSERT_FALSE(s->st.errors.empty());
  EXPECT_EQ(s->st.errors[0].code, "rego_type_error");
  EXPECT_EQ(s->st.errors[0].message, "conflicting rules data.p.f found");
}

TEST(BuildRuleTree, ConflictFunctionArity) {
  auto s = stage("package p\nf(x) := x\nf(x, y) := y", Upto::RuleTree);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_type_error");
  EXPECT_EQ(s->st.errors[0].message, "conflicting rules data.p.f found");
  EXPECT_EQ(s->node({"p", "f"})->arity, 1);
}

TEST(BuildRuleTree, ConflictAcrossModules) {
  auto s = stage_modules({"package p\nx := 1", "package p\nx contains 1"}, Upto::RuleTree);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].file, "m1.rego");
  EXPECT_EQ(s->st.errors[0].row, 2);
}

TEST(BuildRuleTree, ConflictCompleteVsPartialObject) {
  auto s = stage("package p\no := 1\no[k] := 2 if k := \"a\"", Upto::RuleTree);
  ASSERT_FALSE(s->st.errors.empty());
  EXPECT_EQ(s->st.errors[0].code, "rego_type_error");
}

TEST(BuildRuleTree, MultipleDefaults) {
  auto s = stage("package p\ndefault x := 1\ndefault x := 2", Upto::RuleTree);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_type_error");
  EXPECT_EQ(s->st.errors[0].message, "multiple default rules data.p.x found");
  EXPECT_EQ(s->st.errors[0].row, 3);
}

TEST(BuildRuleTree, RuleConflictsWithChildRule) {
  auto s = stage("package p\na := 1\na.b := 2", Upto::RuleTree);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_type_error");
  EXPECT_EQ(s->st.errors[0].message, "rule data.p.a conflicts with [data.p.a.b]");
  EXPECT_EQ(s->st.errors[0].row, 2);
}

TEST(BuildRuleTree, RuleConflictsWithPackageBelowIt) {
  auto s = stage_modules({"package p\nq := 1", "package p.q\nr := 2"}, Upto::RuleTree);
  ASSERT_FALSE(s->st.errors.empty());
  EXPECT_EQ(s->st.errors[0].code, "rego_type_error");
  EXPECT_NE(s->st.errors[0].message.find("rule data.p.q conflicts with"), std::string::npos)
      << s->st.errors[0].message;
}

TEST(BuildRuleTree, DynamicRuleMayHaveChildren) {
  // `a[x] := ...` and `a.b.c := ...` can coexist: the dynamic key may overlap at run time
  auto s = stage("package p\na[x] := 1 if x := \"z\"\na.b.c := 2", Upto::RuleTree);
  EXPECT_TRUE(s->st.errors.empty()) << s->errors_text();
}

TEST(BuildRuleTree, FindNode) {
  auto s = stage("package p\nx.y := 1", Upto::RuleTree);
  EXPECT_EQ(find_node(*s->cm->root, {}), s->cm->root.get());
  EXPECT_NE(find_node(*s->cm->root, {"p", "x", "y"}), nullptr);
  EXPECT_EQ(find_node(*s->cm->root, {"p", "x", "z"}), nullptr);
  EXPECT_EQ(find_node(*s->cm->root, {"nope"}), nullptr);
}

TEST(BuildRuleTree, RebuildReplacesTree) {
  auto s = stage("package p\nx := 1", Upto::RuleTree);
  const RuleNode* before = s->cm->root.get();
  ASSERT_NE(before, nullptr);
  build_rule_tree(s->st);
  EXPECT_EQ(s->node({"p", "x"})->rules.size(), 1u);
}

}  // namespace
}  // namespace wartburg::lang
