// Unit tests for the parser (lang/parser.h): the AST built for every Rego
// construct (package, imports, all rule kinds, functions, default, else,
// bodies, some/every/not/with, operators and precedence, comprehensions,
// refs and calls), v0 vs v1 syntax, queries, and syntax errors
// (rego_parse_error with exact row/col).
#include "lang/parser.h"

#include <gtest/gtest.h>

#include "tests/lang/lang_test_util.h"

namespace wartburg::lang {
namespace {

using testing::first_error;
using testing::parse_error;

ModulePtr parse(const std::string& src, bool v0 = false) {
  ParseOptions po;
  po.v0 = v0;
  return parse_module("t.rego", src, po);
}

// Parses `package p` + `rules` and returns the module.
ModulePtr rules(const std::string& src, bool v0 = false) { return parse("package p\n" + src, v0); }

// The body of the single rule in `package p\n` + src.
const Body& body_of(const ModulePtr& m, size_t i = 0) { return m->rules.at(i)->body; }

// Parses a query and returns the text of its only expression's term.
std::string qterm(const std::string& q) {
  Query parsed = parse_query(q);
  EXPECT_EQ(parsed.body.size(), 1u);
  const Expr& e = parsed.body.at(0);
  EXPECT_EQ(e.kind, ExprKind::Term);
  return e.term ? term_text(*e.term) : "<null>";
}

// ------------------------------------------------------------ package, imports

TEST(ParserModule, PackagePath) {
  auto m = parse("package a.b.c\n");
  EXPECT_EQ(m->package, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(m->package_loc.row, 1);
  EXPECT_EQ(m->package_loc.col, 1);
  EXPECT_TRUE(m->rules.empty());
  EXPECT_FALSE(m->v0);
  ASSERT_TRUE(m->file);
  EXPECT_EQ(*m->file, "t.rego");
}

TEST(ParserModule, PackageWithBracketStringAndDataPrefix) {
  auto m = parse("package a[\"b-c\"].d");
  EXPECT_EQ(m->package, (std::vector<std::string>{"a", "b-c", "d"}));
  auto m2 = parse("package data.x.y");
  EXPECT_EQ(m2->package, (std::vector<std::string>{"x", "y"}));
}

TEST(ParserModule, PackageWithNonStringKeyIsAnError) {
  auto e = parse_error("package a[1]");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 1);
  EXPECT_EQ(e.col, 11);
}

TEST(ParserModule, Imports) {
  auto m = parse(
      "package p\n"
      "import rego.v1\n"
      "import data.lib.util\n"
      "import input.user as u\n"
      "import data.x[\"y z\"] as yz\n"
      "import future.keywords.in\n");
  ASSERT_EQ(m->imports.size(), 5u);
  EXPECT_EQ(term_text(*m->imports[0].path), "rego.v1");
  EXPECT_EQ(m->imports[0].alias, "");
  EXPECT_EQ(m->imports[0].loc.row, 2);
  EXPECT_EQ(term_text(*m->imports[1].path), "data.lib.util");
  EXPECT_EQ(m->imports[1].path->kind, TermKind::Ref);
  ASSERT_EQ(m->imports[1].path->items.size(), 3u);
  EXPECT_EQ(m->imports[1].path->items[2]->value, Value::string("util"));
  EXPECT_EQ(term_text(*m->imports[2].path), "input.user");
  EXPECT_EQ(m->imports[2].alias, "u");
  EXPECT_EQ(term_text(*m->imports[3].path), "data.x[\"y z\"]");
  EXPECT_EQ(m->imports[3].alias, "yz");
  EXPECT_EQ(term_text(*m->imports[4].path), "future.keywords.in");
  EXPECT_TRUE(m->rules.empty());
}

TEST(ParserModule, ImportOfBareInput) {
  auto m = parse("package p\nimport input\n");
  ASSERT_EQ(m->imports.size(), 1u);
  EXPECT_EQ(m->imports[0].path->kind, TermKind::Var);
  EXPECT_EQ(m->imports[0].path->name, "input");
}

TEST(ParserModule, ImportMustEndTheLine) {
  auto e = parse_error("package p\nimport data.a x := 1");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 2);
  EXPECT_EQ(e.col, 15);
}

TEST(ParserModule, ImportAliasMustBeAVar) {
  auto e = parse_error("package p\nimport data.a as \"x\"");
  EXPECT_EQ(e.row, 2);
  EXPECT_EQ(e.col, 18);
}

TEST(ParserModule, MissingPackage) {
  auto e = parse_error("p := 1");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 1);
  EXPECT_EQ(e.col, 1);
  EXPECT_EQ(e.file, "p.rego");
  auto e2 = parse_error("\n\n# comment\n");
  EXPECT_EQ(e2.row, 4);
}

TEST(ParserModule, SecondPackageIsAnError) {
  auto e = parse_error("package p\n\npackage q\n");
  EXPECT_EQ(e.row, 3);
  EXPECT_EQ(e.col, 1);
}

// ------------------------------------------------------------ rules

TEST(ParserRules, CompleteRuleWithAssign) {
  auto m = rules("x := 1");
  ASSERT_EQ(m->rules.size(), 1u);
  const Rule& r = *m->rules[0];
  EXPECT_EQ(r.kind, RuleKind::Complete);
  ASSERT_EQ(r.ref.size(), 1u);
  EXPECT_EQ(r.ref[0]->kind, TermKind::Var);
  EXPECT_EQ(r.ref[0]->name, "x");
  ASSERT_TRUE(r.value);
  EXPECT_EQ(r.value->value, Value::integer(1));
  EXPECT_TRUE(r.assign);
  EXPECT_FALSE(r.is_default);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.loc.row, 2);
  EXPECT_EQ(r.loc.col, 1);
}

TEST(ParserRules, CompleteRuleWithUnifyAndBody) {
  auto m = rules("x = 1 if {\n  input.a\n  input.b\n}");
  const Rule& r = *m->rules[0];
  EXPECT_FALSE(r.assign);
  EXPECT_EQ(r.value->value, Value::integer(1));
  ASSERT_EQ(r.body.size(), 2u);
  EXPECT_EQ(term_text(*r.body[0].term), "input.a");
  EXPECT_EQ(term_text(*r.body[1].term), "input.b");
  EXPECT_EQ(r.body[1].loc.row, 4);
  EXPECT_EQ(r.body[1].loc.col, 3);
}

TEST(ParserRules, BooleanRuleHasNoValueUntilCompiled) {
  auto m = rules("allow if input.admin");
  const Rule& r = *m->rules[0];
  EXPECT_EQ(r.kind, RuleKind::Complete);
  EXPECT_FALSE(r.value);
  ASSERT_EQ(r.body.size(), 1u);
  EXPECT_EQ(term_text(*r.body[0].term), "input.admin");
}

TEST(ParserRules, OneLineIfBody) {
  auto m = rules("p := 2 if input.x == 1\nq := 3");
  ASSERT_EQ(m->rules.size(), 2u);
  ASSERT_EQ(m->rules[0]->body.size(), 1u);
  EXPECT_EQ(term_text(*m->rules[0]->body[0].term), "equal(input.x, 1)");
  EXPECT_TRUE(m->rules[1]->body.empty());
}

TEST(ParserRules, OneLineIfWithAssignExpression) {
  auto m = rules("p := y if y := input.x + 1");
  ASSERT_EQ(m->rules[0]->body.size(), 1u);
  const Expr& e = m->rules[0]->body[0];
  EXPECT_EQ(e.kind, ExprKind::Assign);
  EXPECT_EQ(term_text(*e.lhs), "y");
  EXPECT_EQ(term_text(*e.rhs), "plus(input.x, 1)");
}

TEST(ParserRules, SemicolonSeparatedBody) {
  auto m = rules("p if { a := 1; b := 2; a < b }");
  ASSERT_EQ(body_of(m).size(), 3u);
  EXPECT_EQ(body_of(m)[2].kind, ExprKind::Term);
  EXPECT_EQ(term_text(*body_of(m)[2].term), "lt(a, b)");
}

TEST(ParserRules, PartialSet) {
  auto m = rules("s contains x if { some x in input.xs }");
  const Rule& r = *m->rules[0];
  EXPECT_EQ(r.kind, RuleKind::MultiValue);
  ASSERT_EQ(r.ref.size(), 1u);
  EXPECT_EQ(r.ref[0]->name, "s");
  ASSERT_TRUE(r.key);
  EXPECT_EQ(r.key->kind, TermKind::Var);
  EXPECT_EQ(r.key->name, "x");
  EXPECT_FALSE(r.value);
}

TEST(ParserRules, PartialSetWithoutBody) {
  auto m = rules("s contains \"a\"\ns contains \"b\"");
  ASSERT_EQ(m->rules.size(), 2u);
  EXPECT_EQ(m->rules[1]->kind, RuleKind::MultiValue);
  EXPECT_EQ(m->rules[1]->key->value, Value::string("b"));
}

TEST(ParserRules, PartialObject) {
  auto m = rules("o[k] := v if { some k, v in input.m }");
  const Rule& r = *m->rules[0];
  EXPECT_EQ(r.kind, RuleKind::Complete);
  ASSERT_EQ(r.ref.size(), 2u);
  EXPECT_EQ(r.ref[0]->name, "o");
  EXPECT_EQ(r.ref[1]->kind, TermKind::Var);
  EXPECT_EQ(r.ref[1]->name, "k");
  EXPECT_EQ(term_text(*r.value), "v");
  ASSERT_EQ(r.body.size(), 1u);
  EXPECT_EQ(r.body[0].kind, ExprKind::SomeIn);
}

TEST(ParserRules, RefHeadRules) {
  auto m = rules(
      "a.b.c := 1\n"
      "a.b[\"d\"] := 2\n"
      "a.q[x].r := x if x := 1\n"
      "a.s contains 5\n");
  ASSERT_EQ(m->rules.size(), 4u);
  const Rule& r0 = *m->rules[0];
  ASSERT_EQ(r0.ref.size(), 3u);
  EXPECT_EQ(r0.ref[1]->value, Value::string("b"));
  EXPECT_EQ(r0.ref[2]->value, Value::string("c"));
  const Rule& r1 = *m->rules[1];
  ASSERT_EQ(r1.ref.size(), 3u);
  EXPECT_EQ(r1.ref[2]->value, Value::string("d"));
  const Rule& r2 = *m->rules[2];
  ASSERT_EQ(r2.ref.size(), 4u);
  EXPECT_EQ(r2.ref[2]->kind, TermKind::Var);
  EXPECT_EQ(r2.ref[3]->value, Value::string("r"));
  const Rule& r3 = *m->rules[3];
  EXPECT_EQ(r3.kind, RuleKind::MultiValue);
  ASSERT_EQ(r3.ref.size(), 2u);
  EXPECT_EQ(r3.key->value, Value::integer(5));
}

TEST(ParserRules, FunctionWithSeveralDefinitions) {
  auto m = rules(
      "f(1) := \"one\"\n"
      "f(x) := \"many\" if x > 1\n"
      "g(a, [b, c]) := a + b + c\n");
  ASSERT_EQ(m->rules.size(), 3u);
  for (const auto& r : m->rules) EXPECT_EQ(r->kind, RuleKind::Function);
  ASSERT_EQ(m->rules[0]->args.size(), 1u);
  EXPECT_EQ(m->rules[0]->args[0]->value, Value::integer(1));
  EXPECT_EQ(m->rules[0]->value->value, Value::string("one"));
  EXPECT_EQ(m->rules[1]->args[0]->name, "x");
  ASSERT_EQ(m->rules[1]->body.size(), 1u);
  EXPECT_EQ(term_text(*m->rules[1]->body[0].term), "gt(x, 1)");
  ASSERT_EQ(m->rules[2]->args.size(), 2u);
  EXPECT_EQ(m->rules[2]->args[1]->kind, TermKind::Array);
  EXPECT_EQ(term_text(*m->rules[2]->value), "plus(plus(a, b), c)");
}

TEST(ParserRules, FunctionWithoutValueAndDottedName) {
  auto m = rules("is_admin(u) if u.role == \"admin\"\nlib.h(x) := x");
  EXPECT_EQ(m->rules[0]->kind, RuleKind::Function);
  EXPECT_FALSE(m->rules[0]->value);
  EXPECT_EQ(m->rules[1]->kind, RuleKind::Function);
  ASSERT_EQ(m->rules[1]->ref.size(), 2u);
  EXPECT_EQ(m->rules[1]->ref[1]->value, Value::string("h"));
}

TEST(ParserRules, FunctionCannotUseContains) {
  auto e = parse_error("package p\nf(x) contains 1");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 2);
  EXPECT_EQ(e.col, 6);
}

TEST(ParserRules, DefaultRules) {
  auto m = rules("default allow := false\ndefault f(_) := 0\ndefault n = 1");
  ASSERT_EQ(m->rules.size(), 3u);
  EXPECT_TRUE(m->rules[0]->is_default);
  EXPECT_EQ(m->rules[0]->value->value, Value::boolean(false));
  EXPECT_EQ(m->rules[0]->ref[0]->name, "allow");
  EXPECT_TRUE(m->rules[1]->is_default);
  EXPECT_EQ(m->rules[1]->kind, RuleKind::Function);
  EXPECT_TRUE(m->rules[2]->is_default);
  EXPECT_FALSE(m->rules[2]->assign);
}

TEST(ParserRules, DefaultNeedsValue) {
  auto e = parse_error("package p\ndefault allow\n");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 3);
}

TEST(ParserRules, ElseChain) {
  auto m = rules(
      "p := 1 if {\n  input.a\n} else := 2 if {\n  input.b\n} else = 3 if input.c\n"
      "else := 4\n");
  ASSERT_EQ(m->rules.size(), 1u);
  const Rule* r = m->rules[0].get();
  std::vector<int64_t> values;
  std::vector<size_t> body_sizes;
  for (; r; r = r->else_rule.get()) {
    ASSERT_TRUE(r->value);
    values.push_back(r->value->value.as_int());
    body_sizes.push_back(r->body.size());
    EXPECT_EQ(r->ref[0]->name, "p");
    EXPECT_EQ(r->kind, RuleKind::Complete);
  }
  EXPECT_EQ(values, (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(body_sizes, (std::vector<size_t>{1, 1, 1, 0}));
  EXPECT_EQ(m->rules[0]->else_rule->loc.row, 4);
  EXPECT_EQ(m->rules[0]->else_rule->loc.col, 3);
}

TEST(ParserRules, ElseWithoutValueOnFunction) {
  auto m = rules("f(x) if { x > 0 } else if { x < -10 }");
  const Rule& r = *m->rules[0];
  ASSERT_TRUE(r.else_rule);
  EXPECT_EQ(r.else_rule->kind, RuleKind::Function);
  ASSERT_EQ(r.else_rule->args.size(), 1u);
  EXPECT_FALSE(r.else_rule->value);
  EXPECT_EQ(term_text(*r.else_rule->body[0].term), "lt(x, -10)");
}

TEST(ParserRules, V1RequiresIfBeforeBody) {
  auto e = parse_error("package p\n\nallow {\n  true\n}");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_NE(e.message.find("`if` keyword is required"), std::string::npos) << e.message;
  EXPECT_EQ(e.row, 3);
  EXPECT_EQ(e.col, 7);
}

TEST(ParserRules, V0AllowsBodyWithoutIf) {
  auto m = rules("allow { input.x }\nq = 1 { true }", /*v0=*/true);
  EXPECT_TRUE(m->v0);
  ASSERT_EQ(m->rules.size(), 2u);
  EXPECT_EQ(m->rules[0]->kind, RuleKind::Complete);
  ASSERT_EQ(m->rules[0]->body.size(), 1u);
  EXPECT_EQ(m->rules[1]->value->value, Value::integer(1));
}

TEST(ParserRules, V0PartialSetWithBrackets) {
  auto m = rules("s[x] { x := input.xs[_] }", /*v0=*/true);
  const Rule& r = *m->rules[0];
  EXPECT_EQ(r.kind, RuleKind::MultiValue);
  ASSERT_EQ(r.ref.size(), 1u);
  EXPECT_EQ(r.ref[0]->name, "s");
  ASSERT_TRUE(r.key);
  EXPECT_EQ(r.key->name, "x");
  EXPECT_FALSE(r.value);
}

TEST(ParserRules, V0PartialObjectStaysComplete) {
  auto m = rules("o[k] = v { k := \"a\"; v := 1 }", /*v0=*/true);
  const Rule& r = *m->rules[0];
  EXPECT_EQ(r.kind, RuleKind::Complete);
  ASSERT_EQ(r.ref.size(), 2u);
  EXPECT_EQ(term_text(*r.value), "v");
}

TEST(ParserRules, V1BracketRuleWithBodyIsNotPartialSetSyntax) {
  auto e = parse_error("package p\ns[x] { x := 1 }");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 2);
  EXPECT_EQ(e.col, 6);
}

TEST(ParserRules, EmptyBodyIsAnError) {
  auto e = parse_error("package p\np if {}");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_NE(e.message.find("empty body"), std::string::npos) << e.message;
  EXPECT_EQ(e.row, 2);
  EXPECT_EQ(e.col, 6);
}

TEST(ParserRules, KeywordAsRuleNameIsAnError) {
  auto e = parse_error("package p\nin := 1");
  EXPECT_EQ(e.row, 2);
  EXPECT_EQ(e.col, 1);
}

TEST(ParserRules, TwoRulesOnOneLineIsAnError) {
  auto e = parse_error("package p\nx := 1 y := 2");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 2);
  EXPECT_EQ(e.col, 8);
}

TEST(ParserRules, UnterminatedBody) {
  auto e = parse_error("package p\np if {\n  true\n");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 4);
  EXPECT_EQ(e.col, 1);
}

TEST(ParserRules, TwoExpressionsOnOneLineInBody) {
  auto e = parse_error("package p\np if {\n  a := 1 b := 2\n}");
  EXPECT_EQ(e.row, 3);
  EXPECT_EQ(e.col, 10);
}

TEST(ParserRules, MissingClosingBracketInValue) {
  auto e = parse_error("package p\nx := [1, 2\ny := 3");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 3);
  EXPECT_EQ(e.col, 1);
}

TEST(ParserRules, MissingValueAfterAssign) {
  auto e = parse_error("package p\nx :=\n");
  EXPECT_EQ(e.row, 3);
  EXPECT_EQ(e.col, 1);
}

// ------------------------------------------------------------ body literals

TEST(ParserLiterals, SomeDecl) {
  auto m = rules("p if {\n  some x, y\n  x := 1\n  y := 2\n}");
  const Expr& e = body_of(m)[0];
  EXPECT_EQ(e.kind, ExprKind::SomeDecl);
  ASSERT_EQ(e.vars.size(), 2u);
  EXPECT_EQ(e.vars[0]->name, "x");
  EXPECT_EQ(e.vars[1]->name, "y");
}

TEST(ParserLiterals, SomeIn) {
  auto m = rules("p if { some x in input.xs }");
  const Expr& e = body_of(m)[0];
  EXPECT_EQ(e.kind, ExprKind::SomeIn);
  EXPECT_FALSE(e.key);
  EXPECT_EQ(term_text(*e.val), "x");
  EXPECT_EQ(term_text(*e.coll), "input.xs");
}

TEST(ParserLiterals, SomeKeyValueIn) {
  auto m = rules("p if { some k, v in {\"a\": 1} }");
  const Expr& e = body_of(m)[0];
  EXPECT_EQ(e.kind, ExprKind::SomeIn);
  ASSERT_TRUE(e.key);
  EXPECT_EQ(term_text(*e.key), "k");
  EXPECT_EQ(term_text(*e.val), "v");
  EXPECT_EQ(e.coll->kind, TermKind::Object);
}

TEST(ParserLiterals, SomeInWithPatternValue) {
  auto m = rules("p if { some [a, b] in input.pairs }");
  const Expr& e = body_of(m)[0];
  EXPECT_EQ(e.kind, ExprKind::SomeIn);
  EXPECT_EQ(e.val->kind, TermKind::Array);
  EXPECT_EQ(term_text(*e.coll), "input.pairs");
}

TEST(ParserLiterals, SomeNonVarIsAnError) {
  auto e = parse_error("package p\np if { some 1 }");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 2);
  EXPECT_EQ(e.col, 13);
}

TEST(ParserLiterals, Every) {
  auto m = rules("p if {\n  every x in input.xs {\n    x > 0\n    x < 10\n  }\n}");
  const Expr& e = body_of(m)[0];
  EXPECT_EQ(e.kind, ExprKind::Every);
  EXPECT_FALSE(e.key);
  EXPECT_EQ(term_text(*e.val), "x");
  EXPECT_EQ(term_text(*e.coll), "input.xs");
  ASSERT_TRUE(e.body);
  ASSERT_EQ(e.body->size(), 2u);
  EXPECT_EQ(term_text(*(*e.body)[1].term), "lt(x, 10)");
}

TEST(ParserLiterals, EveryKeyValue) {
  auto m = rules("p if { every k, v in input.m { k != v } }");
  const Expr& e = body_of(m)[0];
  EXPECT_EQ(e.kind, ExprKind::Every);
  ASSERT_TRUE(e.key);
  EXPECT_EQ(term_text(*e.key), "k");
  EXPECT_EQ(term_text(*e.val), "v");
  EXPECT_EQ(term_text(*(*e.body)[0].term), "neq(k, v)");
}

TEST(ParserLiterals, EveryWithoutInIsAnError) {
  auto e = parse_error("package p\np if { every x { x } }");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 2);
  EXPECT_EQ(e.col, 16);
}

TEST(ParserLiterals, Not) {
  auto m = rules("p if {\n  not input.deny\n  not x == 1 with input as 2\n}");
  const Expr& e0 = body_of(m)[0];
  EXPECT_EQ(e0.kind, ExprKind::Not);
  ASSERT_TRUE(e0.body);
  ASSERT_EQ(e0.body->size(), 1u);
  EXPECT_EQ(term_text(*(*e0.body)[0].term), "input.deny");
  EXPECT_EQ((*e0.body)[0].loc.col, 7);
  const Expr& e1 = body_of(m)[1];
  EXPECT_EQ(e1.kind, ExprKind::Not);
  EXPECT_EQ(term_text(*(*e1.body)[0].term), "equal(x, 1)");
  // the with modifier belongs to the negated literal
  EXPECT_EQ(e1.withs.size(), 1u);
}

TEST(ParserLiterals, WithChain) {
  auto m = rules("p if {\n  allow with input as {\"u\": 1} with data.roles as [] with count as mock\n}");
  const Expr& e = body_of(m)[0];
  EXPECT_EQ(e.kind, ExprKind::Term);
  EXPECT_EQ(term_text(*e.term), "allow");
  ASSERT_EQ(e.withs.size(), 3u);
  EXPECT_EQ(term_text(*e.withs[0].target), "input");
  EXPECT_EQ(e.withs[0].value->kind, TermKind::Object);
  EXPECT_EQ(term_text(*e.withs[1].target), "data.roles");
  EXPECT_EQ(e.withs[1].target->kind, TermKind::Ref);
  EXPECT_EQ(e.withs[1].value->kind, TermKind::Array);
  EXPECT_EQ(term_text(*e.withs[2].target), "count");
  EXPECT_EQ(term_text(*e.withs[2].value), "mock");
  EXPECT_EQ(e.withs[1].loc.row, 3);
}

TEST(ParserLiterals, WithOnAssignment) {
  auto m = rules("p if { x := data.q with input.a as 1 }");
  const Expr& e = body_of(m)[0];
  EXPECT_EQ(e.kind, ExprKind::Assign);
  EXPECT_EQ(term_text(*e.rhs), "data.q");
  ASSERT_EQ(e.withs.size(), 1u);
  EXPECT_EQ(term_text(*e.withs[0].target), "input.a");
}

TEST(ParserLiterals, WithWithoutAsIsAnError) {
  auto e = parse_error("package p\np if { q with input 1 }");
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 2);
  EXPECT_EQ(e.col, 21);
}

TEST(ParserLiterals, UnifyAndAssign) {
  auto m = rules("p if { [a, b] = [1, 2]; c := a }");
  EXPECT_EQ(body_of(m)[0].kind, ExprKind::Unify);
  EXPECT_EQ(body_of(m)[0].lhs->kind, TermKind::Array);
  EXPECT_EQ(body_of(m)[1].kind, ExprKind::Assign);
}

// ------------------------------------------------------------ operators

TEST(ParserOperators, ArithmeticPrecedenceAndAssociativity) {
  EXPECT_EQ(qterm("1 + 2 * 3"), "plus(1, mul(2, 3))");
  EXPECT_EQ(qterm("1 * 2 + 3"), "plus(mul(1, 2), 3)");
  EXPECT_EQ(qterm("1 - 2 - 3"), "minus(minus(1, 2), 3)");
  EXPECT_EQ(qterm("8 / 4 % 3 * 2"), "mul(rem(div(8, 4), 3), 2)");
  EXPECT_EQ(qterm("(1 + 2) * 3"), "mul(plus(1, 2), 3)");
}

TEST(ParserOperators, SetOperatorPrecedence) {
  EXPECT_EQ(qterm("a | b & c"), "or(a, and(b, c))");
  EXPECT_EQ(qterm("a & b | c"), "or(and(a, b), c)");
  EXPECT_EQ(qterm("a & b + c"), "and(a, plus(b, c))");
  EXPECT_EQ(qterm("a - b | c"), "or(minus(a, b), c)");
}

TEST(ParserOperators, RelationsBindLooserThanSetOps) {
  EXPECT_EQ(qterm("a | b == c"), "equal(or(a, b), c)");
  EXPECT_EQ(qterm("x + 1 < y * 2"), "lt(plus(x, 1), mul(y, 2))");
  EXPECT_EQ(qterm("a != b"), "neq(a, b)");
  EXPECT_EQ(qterm("a <= b"), "lte(a, b)");
  EXPECT_EQ(qterm("a >= b"), "gte(a, b)");
  EXPECT_EQ(qterm("a > b"), "gt(a, b)");
  EXPECT_EQ(qterm("a == b == c"), "equal(equal(a, b), c)");
}

TEST(ParserOperators, InIsLowest) {
  EXPECT_EQ(qterm("x in xs"), "internal.member_2(x, xs)");
  EXPECT_EQ(qterm("x == y in s"), "internal.member_2(equal(x, y), s)");
  EXPECT_EQ(qterm("1 + 1 in {2}"), "internal.member_2(plus(1, 1), {2})");
  EXPECT_EQ(qterm("x in a | b"), "internal.member_2(x, or(a, b))");
}

TEST(ParserOperators, KeyValueMembership) {
  EXPECT_EQ(qterm("k, v in xs"), "internal.member_3(k, v, xs)");
  EXPECT_EQ(qterm("\"a\", 1 + 0 in {\"a\": 1}"), "internal.member_3(\"a\", plus(1, 0), {\"a\": 1})");
}

TEST(ParserOperators, MembershipInsideCallArgumentsIsTwoArguments) {
  // inside argument lists a comma separates arguments
  EXPECT_EQ(qterm("f(k, v in xs)"), "f(k, internal.member_2(v, xs))");
  EXPECT_EQ(qterm("[k, v in xs]"), "[k, internal.member_2(v, xs)]");
}

TEST(ParserOperators, NegativeNumbers) {
  Query q = parse_query("x := -1.5");
  ASSERT_EQ(q.body.size(), 1u);
  EXPECT_EQ(q.body[0].rhs->kind, TermKind::Scalar);
  EXPECT_EQ(q.body[0].rhs->value, Value::number(-1.5));
  EXPECT_EQ(qterm("a - 1"), "minus(a, 1)");
  EXPECT_EQ(qterm("3 - -2"), "minus(3, -2)");
}

// BUG: `1.a` lexes as number 1, `.`, `a` and parses as a ref with a number
// head. OPA's scanner requires digits after the dot of a number and reports
// rego_parse_error "expected fraction".
TEST(ParserOperators, NumberDotWithoutFractionIsAnError) {
  auto e = first_error([] { parse_query("x := 1.a"); });
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 1);
  EXPECT_EQ(e.col, 6);
}

TEST(ParserOperators, CallLocationIsLeftOperand) {
  Query q = parse_query("  a + b");
  EXPECT_EQ(q.body[0].term->loc.col, 3);
}

// ------------------------------------------------------------ terms

TEST(ParserTerms, Scalars) {
  Query q = parse_query("x := [1, 2.5, 1e3, \"s\", `r`, true, false, null]");
  const Term& a = *q.body[0].rhs;
  ASSERT_EQ(a.kind, TermKind::Array);
  ASSERT_EQ(a.items.size(), 8u);
  EXPECT_EQ(a.items[0]->value, Value::integer(1));
  EXPECT_EQ(a.items[1]->value, Value::number(2.5));
  EXPECT_EQ(a.items[2]->value, Value::integer(1000));
  EXPECT_EQ(a.items[3]->value, Value::string("s"));
  EXPECT_EQ(a.items[4]->value, Value::string("r"));
  EXPECT_EQ(a.items[5]->value, Value::boolean(true));
  EXPECT_EQ(a.items[6]->value, Value::boolean(false));
  EXPECT_EQ(a.items[7]->value, Value::null());
  EXPECT_EQ(a.items[3]->loc.col, 20);
}

TEST(ParserTerms, Collections) {
  Query q = parse_query("x := [{}, {1, 2}, {\"a\": 1, \"b\": [2]}, set(), [], [1,],]");
  const Term& a = *q.body[0].rhs;
  ASSERT_EQ(a.items.size(), 6u);
  EXPECT_EQ(a.items[0]->kind, TermKind::Object);
  EXPECT_TRUE(a.items[0]->items.empty());
  EXPECT_EQ(a.items[1]->kind, TermKind::Set);
  EXPECT_EQ(a.items[1]->items.size(), 2u);
  EXPECT_EQ(a.items[2]->kind, TermKind::Object);
  EXPECT_EQ(a.items[2]->items.size(), 4u);
  EXPECT_EQ(a.items[2]->items[2]->value, Value::string("b"));
  EXPECT_EQ(a.items[3]->kind, TermKind::Set);
  EXPECT_TRUE(a.items[3]->items.empty());
  EXPECT_EQ(a.items[4]->kind, TermKind::Array);
  EXPECT_TRUE(a.items[4]->items.empty());
  EXPECT_EQ(a.items[5]->items.size(), 1u);
}

TEST(ParserTerms, SetWithArgumentIsACall) {
  EXPECT_EQ(qterm("set(x)"), "set(x)");
  Query q = parse_query("set(x)");
  EXPECT_EQ(q.body[0].term->kind, TermKind::Call);
}

TEST(ParserTerms, Comprehensions) {
  Query q = parse_query("a := [x | x := xs[_]]; s := {x | some x in xs; x > 1}; o := {k: v | some k, v in m}");
  ASSERT_EQ(q.body.size(), 3u);
  const Term& ac = *q.body[0].rhs;
  EXPECT_EQ(ac.kind, TermKind::ArrayCompr);
  EXPECT_EQ(term_text(*ac.head), "x");
  ASSERT_EQ(ac.body->size(), 1u);
  EXPECT_EQ((*ac.body)[0].kind, ExprKind::Assign);
  const Term& sc = *q.body[1].rhs;
  EXPECT_EQ(sc.kind, TermKind::SetCompr);
  ASSERT_EQ(sc.body->size(), 2u);
  EXPECT_EQ((*sc.body)[0].kind, ExprKind::SomeIn);
  const Term& oc = *q.body[2].rhs;
  EXPECT_EQ(oc.kind, TermKind::ObjectCompr);
  EXPECT_EQ(term_text(*oc.head), "k");
  EXPECT_EQ(term_text(*oc.value_term), "v");
  ASSERT_EQ(oc.body->size(), 1u);
}

TEST(ParserTerms, ComprehensionHeadMayUseSetOperators) {
  // parentheses allow `|` in the head; a multi-line body is allowed
  Query q = parse_query("[(a | b) | a := {1}\n  b := {2}\n]");
  const Term& c = *q.body[0].term;
  EXPECT_EQ(c.kind, TermKind::ArrayCompr);
  EXPECT_EQ(term_text(*c.head), "or(a, b)");
  EXPECT_EQ(c.body->size(), 2u);
}

TEST(ParserTerms, EmptyComprehensionBodyIsAnError) {
  auto e = first_error([] { parse_query("[x | ]"); });
  EXPECT_EQ(e.code, "rego_parse_error");
}

TEST(ParserTerms, RefsWithDotsBracketsAndVars) {
  Query q = parse_query("x := input.a[\"b c\"][i].d[0][_]");
  const Term& r = *q.body[0].rhs;
  ASSERT_EQ(r.kind, TermKind::Ref);
  ASSERT_EQ(r.items.size(), 7u);
  EXPECT_EQ(r.items[0]->kind, TermKind::Var);
  EXPECT_EQ(r.items[0]->name, "input");
  EXPECT_EQ(r.items[1]->value, Value::string("a"));
  EXPECT_EQ(r.items[2]->value, Value::string("b c"));
  EXPECT_EQ(r.items[3]->kind, TermKind::Var);
  EXPECT_EQ(r.items[3]->name, "i");
  EXPECT_EQ(r.items[4]->value, Value::string("d"));
  EXPECT_EQ(r.items[5]->value, Value::integer(0));
  EXPECT_EQ(r.items[6]->name, "_");
  EXPECT_EQ(term_text(r), "input.a[\"b c\"][i].d[0][_]");
}

TEST(ParserTerms, RefOnCompositeAndCallResult) {
  EXPECT_EQ(qterm("[1, 2][0]"), "[1, 2][0]");
  Query q = parse_query("f(x).y");
  const Term& r = *q.body[0].term;
  ASSERT_EQ(r.kind, TermKind::Ref);
  EXPECT_EQ(r.items[0]->kind, TermKind::Call);
}

TEST(ParserTerms, WhitespaceEndsARef) {
  // `a .b` is not a ref; the stray `.` is a syntax error
  auto e = first_error([] { parse_query("a .b"); });
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.col, 3);
}

TEST(ParserTerms, CallsWithDottedNames) {
  Query q = parse_query("count(xs); data.lib.f(1, 2); lib.g(); io.jwt.decode(t)");
  ASSERT_EQ(q.body.size(), 4u);
  const Term& c0 = *q.body[0].term;
  ASSERT_EQ(c0.kind, TermKind::Call);
  EXPECT_EQ(c0.name, "count");
  ASSERT_EQ(c0.items.size(), 2u);
  EXPECT_EQ(c0.items[0]->kind, TermKind::Var);
  const Term& c1 = *q.body[1].term;
  EXPECT_EQ(c1.name, "data.lib.f");
  EXPECT_EQ(c1.items[0]->kind, TermKind::Ref);
  EXPECT_EQ(c1.items.size(), 3u);
  const Term& c2 = *q.body[2].term;
  EXPECT_EQ(c2.name, "lib.g");
  EXPECT_EQ(c2.items.size(), 1u);
  EXPECT_EQ(q.body[3].term->name, "io.jwt.decode");
}

TEST(ParserTerms, CallOnNonNameIsNotACall) {
  // input.a[x](1): the operator has a variable key, so `(` is not a call suffix
  auto e = first_error([] { parse_query("input.a[x](1)"); });
  EXPECT_EQ(e.code, "rego_parse_error");
}

TEST(ParserTerms, KeywordsAreNotVariables) {
  auto e = first_error([] { parse_query("x := with"); });
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.col, 6);
}

// ------------------------------------------------------------ queries

TEST(ParserQuery, BodyAndTextSpans) {
  Query q = parse_query("x := 1; y = x\nz := y + 1");
  ASSERT_EQ(q.body.size(), 3u);
  EXPECT_EQ(q.body[0].kind, ExprKind::Assign);
  EXPECT_EQ(q.body[1].kind, ExprKind::Unify);
  EXPECT_EQ(q.body[2].loc.row, 2);
  EXPECT_EQ(q.source->substr(q.body[1].text_begin, q.body[1].text_end - q.body[1].text_begin), "y = x");
  EXPECT_EQ(q.source->substr(q.body[2].text_begin, q.body[2].text_end - q.body[2].text_begin), "z := y + 1");
}

TEST(ParserQuery, EmptyQueryIsAnError) {
  auto e = first_error([] { parse_query("  # nothing\n"); });
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 2);
}

TEST(ParserQuery, LexErrorsAreParseErrors) {
  auto e = first_error([] { parse_query("x := \"abc"); });
  EXPECT_EQ(e.code, "rego_parse_error");
  EXPECT_EQ(e.row, 1);
  EXPECT_EQ(e.col, 6);
  auto e2 = parse_error("package p\n\nx := 1 ^ 2");
  EXPECT_EQ(e2.code, "rego_parse_error");
  EXPECT_EQ(e2.row, 3);
  EXPECT_EQ(e2.col, 8);
}

TEST(ParserQuery, ErrorIsThrownAsWartburgError) {
  try {
    parse_module("f.rego", "package p\nx := }");
    FAIL() << "no error";
  } catch (const Error& e) {
    ASSERT_EQ(e.errors.size(), 1u);
    EXPECT_EQ(e.errors[0].code, "rego_parse_error");
    EXPECT_EQ(e.errors[0].file, "f.rego");
    EXPECT_EQ(e.errors[0].row, 2);
    EXPECT_EQ(e.errors[0].col, 6);
  }
}

}  // namespace
}  // namespace wartburg::lang
