// Unit tests for the compiler stage resolve_refs (lang/compiler.h): rule names
// of the package become data refs, imports and aliases expand, input/data refs
// get their target and rule node, local variables get frame slots (`_` a fresh
// one each time), calls resolve to builtins or user functions, constant
// composites are folded, and unknown functions are rego_type_error.
#include <gtest/gtest.h>

#include "policy/builtins/registry.h"
#include "tests/lang/lang_test_util.h"

namespace wartburg::lang {
namespace {

using testing::calls_named;
using testing::stage;
using testing::stage_modules;
using testing::Upto;
using testing::vars_named;

// The rule named `name` (first definition) in module 0.
Rule& rule_named(testing::Staged& s, const std::string& name) {
  for (auto& r : s.cm->modules.at(0)->rules) {
    if (r->ref[0]->name == name) return *r;
  }
  throw std::runtime_error("no rule " + name);
}

TEST(ResolveRefs, RuleNameBecomesDataRef) {
  auto s = stage("package a.b\nq := 1\np if q", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Expr& e = rule_named(*s, "p").body.at(0);
  ASSERT_EQ(e.term->kind, TermKind::Ref);
  EXPECT_EQ(term_text(*e.term), "data.a.b.q");
  EXPECT_EQ(e.term->target, Target::Data);
  EXPECT_EQ(e.term->node, s->node({"a", "b", "q"}));
  EXPECT_EQ(e.term->data_prefix, 3);
  EXPECT_EQ(e.term->items[0]->name, "data");
}

TEST(ResolveRefs, RuleNameAsRefHead) {
  auto s = stage("package p\nobj := {\"a\": {\"b\": 1}}\nv := obj.a[k] if k := \"b\"", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Term& val = *rule_named(*s, "v").value;
  ASSERT_EQ(val.kind, TermKind::Ref);
  EXPECT_EQ(term_text(val), "data.p.obj.a[k]");
  EXPECT_EQ(val.target, Target::Data);
  EXPECT_EQ(val.node, s->node({"p", "obj"}));
  EXPECT_EQ(val.data_prefix, 2);
  EXPECT_EQ(val.items.back()->target, Target::Local);
  EXPECT_GE(val.items.back()->slot, 0);
}

TEST(ResolveRefs, InputRefs) {
  auto s = stage("package p\nallow if input.user.name == \"x\"\nwhole := input", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  auto eq = calls_named(rule_named(*s, "allow"), "equal");
  ASSERT_EQ(eq.size(), 1u);
  const Term& ref = *eq[0]->items[1];
  EXPECT_EQ(ref.kind, TermKind::Ref);
  EXPECT_EQ(ref.target, Target::Input);
  EXPECT_EQ(ref.node, nullptr);
  // a bare `input` becomes a one-item ref
  const Term& whole = *rule_named(*s, "whole").value;
  EXPECT_EQ(whole.kind, TermKind::Ref);
  EXPECT_EQ(whole.target, Target::Input);
  ASSERT_EQ(whole.items.size(), 1u);
}

TEST(ResolveRefs, DataRefsFindDeepestRuleNode) {
  auto s = stage_modules({"package lib.util\nf := 1", "package p\nx := data.lib.util.f.g\ny := data.other.z\nz := data"},
                         Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  auto& m = *s->cm->modules[1];
  const Term& x = *m.rules[0]->value;
  EXPECT_EQ(x.target, Target::Data);
  EXPECT_EQ(x.node, s->node({"lib", "util", "f"}));
  EXPECT_EQ(x.data_prefix, 3);
  const Term& y = *m.rules[1]->value;
  EXPECT_EQ(y.target, Target::Data);
  EXPECT_EQ(y.node, s->cm->root.get());  // base data only
  EXPECT_EQ(y.data_prefix, 0);
  const Term& z = *m.rules[2]->value;
  EXPECT_EQ(z.target, Target::Data);
  EXPECT_EQ(z.node, s->cm->root.get());
}

TEST(ResolveRefs, ImportsAndAliases) {
  auto s = stage_modules({"package lib.util\nroles := {\"admin\"}\nf(x) := x",
                          "package p\n"
                          "import data.lib.util\n"
                          "import data.lib.util.roles as rs\n"
                          "import input.user as u\n"
                          "a := util.roles\n"
                          "b := rs\n"
                          "c := u.name\n"
                          "d := util.f(1)\n"},
                         Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  auto& m = *s->cm->modules[1];
  const Term& a = *m.rules[0]->value;
  EXPECT_EQ(term_text(a), "data.lib.util.roles");
  EXPECT_EQ(a.target, Target::Data);
  EXPECT_EQ(a.node, s->node({"lib", "util", "roles"}));
  const Term& b = *m.rules[1]->value;
  EXPECT_EQ(b.kind, TermKind::Ref);
  EXPECT_EQ(term_text(b), "data.lib.util.roles");
  EXPECT_EQ(b.node, s->node({"lib", "util", "roles"}));
  const Term& c = *m.rules[2]->value;
  EXPECT_EQ(term_text(c), "input.user.name");
  EXPECT_EQ(c.target, Target::Input);
  const Term& d = *m.rules[3]->value;
  ASSERT_EQ(d.kind, TermKind::Call);
  EXPECT_EQ(d.target, Target::Function);
  EXPECT_EQ(d.node, s->node({"lib", "util", "f"}));
}

TEST(ResolveRefs, ImportOfFutureKeywordsIsIgnored) {
  auto s = stage("package p\nimport future.keywords.in\nimport rego.v1\nx := 1", Upto::Resolve);
  EXPECT_TRUE(s->st.errors.empty()) << s->errors_text();
}

TEST(ResolveRefs, LocalSlots) {
  auto s = stage("package p\np := z if {\n  x := 1\n  y := x + 1\n  z := [x, y]\n}", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Rule& r = s->rule(0);
  auto xs = vars_named(r, "x");
  auto ys = vars_named(r, "y");
  auto zs = vars_named(r, "z");
  ASSERT_EQ(xs.size(), 3u);
  ASSERT_EQ(ys.size(), 2u);
  ASSERT_EQ(zs.size(), 2u);
  for (auto* v : xs) {
    EXPECT_EQ(v->slot, xs[0]->slot);
    EXPECT_EQ(v->target, Target::Local);
  }
  for (auto* v : ys) EXPECT_EQ(v->slot, ys[0]->slot);
  for (auto* v : zs) EXPECT_EQ(v->slot, zs[0]->slot);
  EXPECT_NE(xs[0]->slot, ys[0]->slot);
  EXPECT_NE(ys[0]->slot, zs[0]->slot);
  EXPECT_NE(xs[0]->slot, zs[0]->slot);
  EXPECT_GE(r.num_slots, 3);
  for (auto* v : {xs[0], ys[0], zs[0]}) EXPECT_LT(v->slot, r.num_slots);
}

TEST(ResolveRefs, WildcardsGetFreshSlots) {
  auto s = stage("package p\np if {\n  input.a[_] == input.b[_]\n  x := input.c[_]\n}", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  auto ws = vars_named(s->rule(0), "_");
  ASSERT_EQ(ws.size(), 3u);
  EXPECT_NE(ws[0]->slot, ws[1]->slot);
  EXPECT_NE(ws[1]->slot, ws[2]->slot);
  EXPECT_NE(ws[0]->slot, ws[2]->slot);
  for (auto* w : ws) {
    EXPECT_EQ(w->target, Target::Local);
    EXPECT_GE(w->slot, 0);
    EXPECT_LT(w->slot, s->rule(0).num_slots);
  }
  EXPECT_NE(ws[2]->slot, vars_named(s->rule(0), "x")[0]->slot);
}

TEST(ResolveRefs, FunctionArgumentsAreLocals) {
  auto s = stage("package p\nf(a, [b, _]) := a + b", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Rule& r = s->rule(0);
  auto as = vars_named(r, "a");
  auto bs = vars_named(r, "b");
  ASSERT_EQ(as.size(), 2u);
  ASSERT_EQ(bs.size(), 2u);
  EXPECT_EQ(as[0]->slot, as[1]->slot);
  EXPECT_EQ(bs[0]->slot, bs[1]->slot);
  EXPECT_NE(as[0]->slot, bs[0]->slot);
}

TEST(ResolveRefs, AssignedLocalShadowsRuleName) {
  auto s = stage("package p\nq := 1\np if {\n  q := 2\n  q == 2\n}", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Rule& p = rule_named(*s, "p");
  auto qs = vars_named(p, "q");
  ASSERT_EQ(qs.size(), 2u);
  for (auto* q : qs) EXPECT_EQ(q->target, Target::Local);
  EXPECT_EQ(qs[0]->slot, qs[1]->slot);
}

TEST(ResolveRefs, FunctionArgumentShadowsRuleName) {
  auto s = stage("package p\nq := 1\nf(q) := q + 1", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Rule& f = rule_named(*s, "f");
  EXPECT_EQ(f.value->items[1]->kind, TermKind::Var);
  EXPECT_EQ(f.value->items[1]->target, Target::Local);
}

TEST(ResolveRefs, BuiltinCall) {
  auto s = stage("package p\nn := count(input.xs)\nm := startswith(\"ab\", \"a\")", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Term& c = *s->rule(0).value;
  ASSERT_EQ(c.kind, TermKind::Call);
  EXPECT_EQ(c.target, Target::Builtin);
  ASSERT_NE(c.builtin, nullptr);
  EXPECT_EQ(c.builtin->name, "count");
  EXPECT_EQ(c.builtin->arity, 1);
  EXPECT_EQ(c.items[1]->target, Target::Input);
  EXPECT_EQ(s->rule(1).value->builtin, builtins::registry().find("startswith"));
}

TEST(ResolveRefs, DottedBuiltinAndOperators) {
  auto s = stage("package p\nx := strings.replace_n({\"a\": \"b\"}, \"a\")\ny := 1 + 2\nz := 3 in {3}", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Term& x = *s->rule(0).value;
  EXPECT_EQ(x.target, Target::Builtin);
  ASSERT_NE(x.builtin, nullptr);
  EXPECT_EQ(x.builtin->name, "strings.replace_n");
  const Term& y = *s->rule(1).value;
  EXPECT_EQ(y.target, Target::Builtin);
  ASSERT_NE(y.builtin, nullptr);
  EXPECT_EQ(y.builtin->name, "plus");
  const Term& z = *s->rule(2).value;
  EXPECT_EQ(z.name, "internal.member_2");
  EXPECT_EQ(z.target, Target::Builtin);
}

TEST(ResolveRefs, UserFunctionCall) {
  auto s = stage("package p\nf(x) := x * 2\ny := f(3)\nz := data.p.f(4)", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const RuleNode* f = s->node({"p", "f"});
  const Term& y = *s->rule(1).value;
  ASSERT_EQ(y.kind, TermKind::Call);
  EXPECT_EQ(y.target, Target::Function);
  EXPECT_EQ(y.node, f);
  EXPECT_EQ(y.builtin, nullptr);
  const Term& z = *s->rule(2).value;
  EXPECT_EQ(z.target, Target::Function);
  EXPECT_EQ(z.node, f);
}

TEST(ResolveRefs, UserFunctionShadowsBuiltinName) {
  auto s = stage("package p\ncount(x) := 42\ny := count([1])", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Term& y = *s->rule(1).value;
  EXPECT_EQ(y.target, Target::Function);
  EXPECT_EQ(y.node, s->node({"p", "count"}));
}

TEST(ResolveRefs, UndefinedFunction) {
  auto s = stage("package p\nx := nope(1)\ny := a.b.c(2)", Upto::Resolve);
  ASSERT_EQ(s->st.errors.size(), 2u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_type_error");
  EXPECT_EQ(s->st.errors[0].message, "undefined function nope");
  EXPECT_EQ(s->st.errors[0].row, 2);
  EXPECT_EQ(s->st.errors[0].col, 6);
  EXPECT_EQ(s->st.errors[1].message, "undefined function a.b.c");
  EXPECT_EQ(s->st.errors[1].row, 3);
}

TEST(ResolveRefs, CallingANonFunctionRuleIsUndefined) {
  auto s = stage("package p\nq := 1\nx := q(1)", Upto::Resolve);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  // as OPA: the rule's name is resolved first (OPA's compile test: "undefined function data.deadbeef")
  EXPECT_EQ(s->st.errors[0].message, "undefined function data.p.q");
}

TEST(ResolveRefs, ComprehensionScopes) {
  auto s = stage("package p\np := [x | some x in input.xs]\nq if {\n  y := 1\n  ys := [y | true]\n}", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  auto xs = vars_named(s->rule(0), "x");
  ASSERT_EQ(xs.size(), 2u);
  EXPECT_EQ(xs[0]->slot, xs[1]->slot);
  // y inside the comprehension is the y of the enclosing body
  auto ys = vars_named(s->rule(1), "y");
  ASSERT_EQ(ys.size(), 2u);
  EXPECT_EQ(ys[0]->slot, ys[1]->slot);
}

TEST(ResolveRefs, SeparateComprehensionsHaveSeparateLocals) {
  auto s = stage("package p\np if {\n  a := [x | x := 1]\n  b := [x | x := 2]\n}", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  auto xs = vars_named(s->rule(0), "x");
  ASSERT_EQ(xs.size(), 4u);
  EXPECT_NE(xs[0]->slot, xs[2]->slot);
}

TEST(ResolveRefs, EveryScope) {
  auto s = stage("package p\np if {\n  every x in input.xs { y := x; y > 0 }\n  x := 5\n}", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  auto xs = vars_named(s->rule(0), "x");
  ASSERT_EQ(xs.size(), 3u);
  // the every variable is not the outer x
  EXPECT_EQ(xs[0]->slot, xs[1]->slot);
  EXPECT_NE(xs[0]->slot, xs[2]->slot);
}

TEST(ResolveRefs, ConstantFolding) {
  auto s = stage("package p\na := [1, {\"k\": {2, 3}}]\nb := [1, x] if x := 2", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Term& a = *s->rule(0).value;
  EXPECT_TRUE(a.ground);
  EXPECT_EQ(to_json(a.value), "[1,{\"k\":[2,3]}]");
  const Term& b = *s->rule(1).value;
  EXPECT_FALSE(b.ground);
  EXPECT_TRUE(b.items[0]->ground);
}

TEST(ResolveRefs, WithTargets) {
  auto s = stage("package p\nf(x) := x\nq := f(1)\np if {\n  q with input.a as 1 with data.p.f as g\n}\ng(x) := 2",
                 Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Expr& e = rule_named(*s, "p").body.at(0);
  ASSERT_EQ(e.withs.size(), 2u);
  EXPECT_EQ(e.withs[0].target->target, Target::Input);
  EXPECT_EQ(e.withs[1].target->target, Target::Function);
  EXPECT_EQ(e.withs[1].target->node, s->node({"p", "f"}));
  EXPECT_EQ(e.withs[1].value->target, Target::Function);
  EXPECT_EQ(e.withs[1].value->node, s->node({"p", "g"}));
}

TEST(ResolveRefs, WithBuiltinMockedByValue) {
  auto s = stage("package p\nq := count([1])\np if q with count as 7", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Expr& e = rule_named(*s, "p").body.at(0);
  ASSERT_EQ(e.withs.size(), 1u);
  EXPECT_EQ(e.withs[0].target->target, Target::Builtin);
  EXPECT_EQ(e.withs[0].target->builtin, builtins::registry().find("count"));
  EXPECT_TRUE(e.withs[0].value->ground);
}

TEST(ResolveRefs, WithUnknownTargetIsAnError) {
  auto s = stage("package p\nq := 1\np if q with foo as 1", Upto::Resolve);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_NE(s->st.errors[0].message.find("with keyword target"), std::string::npos);
}

TEST(ResolveRefs, ElseRulesAreResolved) {
  auto s = stage("package p\nq := 1\nv := 1 if input.a\nelse := q", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  const Term& ev = *rule_named(*s, "v").else_rule->value;
  EXPECT_EQ(ev.kind, TermKind::Ref);
  EXPECT_EQ(ev.target, Target::Data);
  EXPECT_EQ(ev.node, s->node({"p", "q"}));
}

TEST(ResolveRefs, Query) {
  auto s = stage("package p\nq := 1", Upto::Resolve);
  Query q = parse_query("x := data.p.q; y := count([x]); _ = x");
  std::vector<std::pair<std::string, int>> outputs;
  CompileState st;
  st.out = s->cm.get();
  int n = resolve_query(st, *s->cm, q.body, outputs);
  ASSERT_TRUE(st.errors.empty());
  ASSERT_EQ(outputs.size(), 2u);
  EXPECT_EQ(outputs[0].first, "x");
  EXPECT_EQ(outputs[1].first, "y");
  EXPECT_GE(n, 3);
  EXPECT_EQ(q.body[0].rhs->target, Target::Data);
  EXPECT_EQ(q.body[0].rhs->node, s->node({"p", "q"}));
}

// BUG: re-declaring a variable with := in the same body is accepted (both
// occurrences share one slot). OPA rejects it: rego_compile_error "var x assigned above".
TEST(ResolveRefs, AssignTwiceIsAnError) {
  auto s = stage("package p\np if {\n  x := 1\n  x := 2\n}", Upto::Resolve);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_compile_error");
  EXPECT_EQ(s->st.errors[0].message, "var x assigned above");
  EXPECT_EQ(s->st.errors[0].row, 4);
}

// BUG: using a variable before it is declared with := in the same body is
// accepted. OPA rejects it: rego_compile_error "var x referenced above".
TEST(ResolveRefs, AssignAfterReferenceIsAnError) {
  auto s = stage("package p\np if {\n  x > 0\n  x := 1\n}", Upto::Resolve);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_compile_error");
  EXPECT_EQ(s->st.errors[0].message, "var x referenced above");
}

}  // namespace
}  // namespace wartburg::lang
