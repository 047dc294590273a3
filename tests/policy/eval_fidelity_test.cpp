// Engine tests for constructs of real policy repositories where Wartburg
// differed from OPA (issue #10): negation of expressions whose operands are
// undefined (OPA evaluates them before the negation), `with` values that
// iterate, `with` targets named through rules of the package or import
// aliases, `else` after a body whose head value is undefined, chained rule
// bodies, `|` inside array/object/set literals, v0 modules importing rego.v1,
// `in` as an ordinary name in v0, and the compile errors OPA raises.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/engine.h"
#include "policy/json.h"

namespace {

using wartburg::CompileOptions;
using wartburg::PreparedQuery;
using wartburg::Value;

// The value of `query` (one row, one expression), "undefined", or "error:<code>:<message>".
std::string eval(const std::string& module, const std::string& query, const std::string& input = "{}",
                 bool v0 = false) {
  try {
    CompileOptions o;
    o.v0_compatible = v0;
    PreparedQuery q(wartburg::compile({{"t.rego", module}}, o), query, o);
    auto rows = q.eval(wartburg::parse_json(input), Value::empty_object());
    if (rows.empty()) return "undefined";
    if (rows.size() != 1) return "rows:" + std::to_string(rows.size());
    return wartburg::to_json(rows[0].expressions.at(0).value);
  } catch (const wartburg::Error& e) {
    return "error:" + e.errors.at(0).code + ":" + e.errors.at(0).message;
  }
}

// ---------------------------------------------------------------- negation

// OPA binds the operands of a negated call to variables before the negation
// (RewriteDynamicTerms): an undefined operand makes the body fail (opa#1877).
TEST(Fidelity, UndefinedOperandOfANegatedCallFailsTheBody) {
  EXPECT_EQ(eval("package t\np if not startswith(input.missing, \"a\")", "data.t.p"), "undefined");
  EXPECT_EQ(eval("package t\np if not startswith(input.s, \"a\")", "data.t.p", R"({"s": "b"})"), "true");
  EXPECT_EQ(eval("package t\nf(_) := false\np if not f(input.missing)", "data.t.p"), "undefined");
  EXPECT_EQ(eval("package t\nf(_) := false\np if not f(input.x)", "data.t.p", R"({"x": 1})"), "true");
  EXPECT_EQ(eval("package t\ns := {\"a\"}\np if not s[input.missing]", "data.t.p"), "undefined");
  EXPECT_EQ(eval("package t\ns := {\"a\"}\np if not s[input.k]", "data.t.p", R"({"k": "b"})"), "true");
  EXPECT_EQ(eval("package t\np if not input.x != 1", "data.t.p"), "undefined");
  // nested calls are evaluated first too
  EXPECT_EQ(eval("package t\np if not startswith(lower(input.missing), \"a\")", "data.t.p"), "undefined");
  // an undefined reference on its own, or compared with `==` / `=`, stays inside
  EXPECT_EQ(eval("package t\np if not input.missing", "data.t.p"), "true");
  EXPECT_EQ(eval("package t\np if not input.missing == 1", "data.t.p"), "true");
  EXPECT_EQ(eval("package t\np if not input.missing = 1", "data.t.p"), "true");
}

// In queries `==` stays a call (OPA's query compiler does not rewrite it).
TEST(Fidelity, NegatedComparisonInAQuery) {
  EXPECT_EQ(eval("package t", "not input.x == 1"), "undefined");
  EXPECT_EQ(eval("package t", "not input.x == 1", R"({"x": 2})"), "true");
}

// `import future.keywords.not` (OPA 1.17) keeps every part inside the negation.
TEST(Fidelity, FutureKeywordsNotKeepsOperandsInside) {
  EXPECT_EQ(eval("package t\nimport future.keywords.not\np if not startswith(input.missing, \"a\")", "data.t.p"),
            "true");
  EXPECT_EQ(eval("package t\nimport future.keywords.not\np if not { input.x; input.y }", "data.t.p",
                 R"({"x": true})"),
            "true");
  // a negated body takes `with` modifiers (OPA: they apply to the whole body)
  EXPECT_EQ(eval("package t\nimport future.keywords.not\np if not { input.x; input.y } with input.y as true",
                 "data.t.p", R"({"x": true})"),
            "undefined");
}

// ---------------------------------------------------------------- with

TEST(Fidelity, WithValueThatIteratesTriesEachValue) {
  EXPECT_EQ(eval("package t\nw contains v if { v := input.x with input.x as [1, 2, 3][_] }", "data.t.w"), "[1,2,3]");
  EXPECT_EQ(eval("package t\nxs := [4, 5]\nw contains v if { v := input.x + 1 with input.x as xs[_] }", "data.t.w"),
            "[5,6]");
}

TEST(Fidelity, WithTargetsThroughRulesAndImportAliases) {
  EXPECT_EQ(eval("package t\nversions := [1]\np := x if { x := versions with versions as [2] }", "data.t.p"), "[2]");
  EXPECT_EQ(eval("package t\nimport data.t.fl\nfl := {\"flag\": 1}\np := x if { x := fl.flag with fl.flag as 5 }",
                 "data.t.p"),
            "5");
  EXPECT_EQ(eval("package t\nimport data.t.fl as alias\nfl := {\"flag\": 1}\np := x if { x := alias.flag with "
                 "alias.flag as 6 }",
                 "data.t.p"),
            "6");
  // a local variable is no target
  EXPECT_EQ(eval("package t\np if { x := 1; true with x as 2 }", "data.t.p").rfind("error:rego_", 0), 0u);
}

// ---------------------------------------------------------------- else

TEST(Fidelity, ElseWhenTheHeadValueIsUndefined) {
  EXPECT_EQ(eval("package t\np := input.x if { true } else := 5", "data.t.p"), "5");
  EXPECT_EQ(eval("package t\np := input.x if { true } else := 5", "data.t.p", R"({"x": 1})"), "1");
  EXPECT_EQ(eval("package t\nf(x) := input.y if { x > 0 } else := 5\np := f(1)", "data.t.p"), "5");
}

// ---------------------------------------------------------------- parser

TEST(Fidelity, ChainedRuleBodies) {
  EXPECT_EQ(eval("package t\nq if { input.a } { input.b }", "data.t.q", R"({"b": true})"), "true");
  EXPECT_EQ(eval("package t\nq if { input.a } { input.b }", "data.t.q", "{}"), "undefined");
  EXPECT_EQ(eval("package t\nq { input.a } { input.b }", "data.t.q", R"({"a": true})", true), "true");
  EXPECT_EQ(eval("package t\nf(x) := y if { y := x + 1 } { y := x + 1 }\nq := f(1)", "data.t.q"), "2");
}

TEST(Fidelity, SetUnionInsideCollectionLiterals) {
  EXPECT_EQ(eval("package t\nu := [{1} | {2}, 4]", "data.t.u"), "[[1,2],4]");
  EXPECT_EQ(eval("package t\nu := {\"k\": {1} | {2}, \"n\": 1}", "data.t.u"), R"({"k":[1,2],"n":1})");
  EXPECT_EQ(eval("package t\nu := {\"a\": {1} | {2},\n}", "data.t.u"), R"({"a":[1,2]})");
  EXPECT_EQ(eval("package t\nu := {{1} | {2}, {3}}", "data.t.u"), "[[1,2],[3]]");
  // still comprehensions when the body parses
  EXPECT_EQ(eval("package t\nu := [x | x := [1, 2][_]]", "data.t.u"), "[1,2]");
  EXPECT_EQ(eval("package t\nu := {x | some x in [1, 2]}", "data.t.u"), "[1,2]");
}

// `if {x | ...}` is a one-expression body (a comprehension, always true), as OPA reads it.
TEST(Fidelity, IfFollowedByABraceTermIsOneExpression) {
  EXPECT_EQ(eval("package t\np if {x | input.a[x]}", "data.t.p"), "true");
  EXPECT_EQ(eval("package t\np if {\"a\": 1}.a == 1", "data.t.p"), "true");
  EXPECT_EQ(eval("package t\np if { input.a }", "data.t.p"), "undefined");
  // a comprehension's head is one term: a union compared in a block body stays a body
  // (read as a comprehension it would always be true)
  const std::string sets = "package t\na := {1}\nb := {2}\n";
  EXPECT_EQ(eval(sets + "c := {1, 2}\np if {\n  c == a | b\n}", "data.t.p"), "true");
  EXPECT_EQ(eval(sets + "c := {3}\np if {\n  c == a | b\n}", "data.t.p"), "undefined");
  // an else body is always a block
  EXPECT_EQ(eval(sets + "p := 1 if { input.z } else := 2 if {\n  a | b\n}", "data.t.p"), "2");
  EXPECT_EQ(eval("package t\np := 1 if { input.z } else := 2 if {\n  input.a\n}", "data.t.p"), "undefined");
}

TEST(Fidelity, V0ModuleImportingRegoV1IsV1) {
  EXPECT_EQ(eval("package t\nimport rego.v1\np.a if true", "data.t.p", "{}", true), R"({"a":true})");
  // without the import, `p.a` in v0 is not a ref head with if (a v0 rule)
  EXPECT_EQ(eval("package t\np[x] { x := 1 }", "data.t.p", "{}", true), "[1]");
}

TEST(Fidelity, InIsANameInV0WithoutTheImport) {
  EXPECT_EQ(eval("package t\nin := 1\np := in", "data.t.p", "{}", true), "1");
  EXPECT_EQ(eval("package t\nimport future.keywords.in\np := 1 in [1]", "data.t.p", "{}", true), "true");
  EXPECT_EQ(eval("package t\nimport future.keywords\np := 1 in [1]", "data.t.p", "{}", true), "true");
}

// In v0 the other future keywords too are names until imported.
TEST(Fidelity, FutureKeywordsInV0NeedTheirImport) {
  EXPECT_EQ(eval("package t\np if { true }", "data.t.p", "{}", true).rfind("error:rego_parse_error:", 0), 0u);
  EXPECT_EQ(eval("package t\nimport future.keywords.if\np if { true }", "data.t.p", "{}", true), "true");
  EXPECT_EQ(eval("package t\nq contains 1 if { true }", "data.t.q", "{}", true).rfind("error:rego_parse_error:", 0),
            0u);
  EXPECT_EQ(eval("package t\nimport future.keywords.contains\nimport future.keywords.if\nq contains 1 if { true }",
                 "data.t.q", "{}", true),
            "[1]");
  EXPECT_EQ(eval("package t\nimport future.keywords.every\np { every x in [1] { x > 0 } }", "data.t.p", "{}", true),
            "true");
  EXPECT_EQ(eval("package t\nevery := 1\nif := 2\ncontains := 3", "data.t", "{}", true),
            R"({"contains":3,"every":1,"if":2})");
  // v1 keeps them keywords
  EXPECT_EQ(eval("package t\nif := 2", "data.t").rfind("error:rego_parse_error:", 0), 0u);
}

// ---------------------------------------------------------------- comprehension heads

// OPA binds an object comprehension's key and value in the body first
// (rewriteComprehensionTerms): a variable bound only by the head's reference is safe.
TEST(Fidelity, VariablesBoundByComprehensionHeadReferences) {
  EXPECT_EQ(eval("package t\nr := {k: x[k] | x := input.a}", "data.t.r", R"({"a": {"x": 1, "y": 2}})"),
            R"({"x":1,"y":2})");
  EXPECT_EQ(eval("package t\nr := {x[k]: k | x := input.a}", "data.t.r", R"({"a": {"x": 1}})"), R"({"1":"x"})");
  EXPECT_EQ(eval("package t\nr := {x[k] | x := input.a}", "data.t.r", R"({"a": {"x": 1}})"), "[1]");
  EXPECT_EQ(eval("package t", "{k: x[k] | x := input.a}", R"({"a": {"x": 1}})"), R"({"x":1})");
  // still unsafe when nothing binds it
  EXPECT_EQ(eval("package t\nr := {k: 1 | x := input.a}", "data.t.r").rfind("error:rego_unsafe_var_error", 0), 0u);
}

// ---------------------------------------------------------------- template strings

TEST(Fidelity, TemplateStrings) {
  EXPECT_EQ(eval("package t\nx := 3\np := $\"a {x} b\"", "data.t.p"), R"("a 3 b")");
  EXPECT_EQ(eval("package t\np := $\"hi {input.name}!\"", "data.t.p", R"({"name": "al"})"), R"("hi al!")");
  EXPECT_EQ(eval("package t\np := $\"hi {input.name}!\"", "data.t.p"), R"("hi \u003cundefined\u003e!")");  // to_json escapes < and > as Go
  // values print as Rego text, strings as their text; \{ \} are literal braces
  EXPECT_EQ(eval("package t\np := $\"{[1, {\"a\": \"b\"}]} \\{x\\} {1 + 2}\"", "data.t.p"),
            R"("[1, {\"a\": \"b\"}] {x} 3")");
  // raw template strings span lines and keep backslashes
  EXPECT_EQ(eval("package t\np := $`a\\n{input.x}\nb`", "data.t.p", R"({"x": "X"})"), R"("a\\nX\nb")");
  // nested template strings and braces inside the expression
  EXPECT_EQ(eval("package t\np := $\"{ {1} } {$\"in {2}\"}\"", "data.t.p"), R"("{1} in 2")");
  // an expression with several values is an error, as OPA
  EXPECT_EQ(eval("package t\np := $\"{input.xs[_]}\"", "data.t.p", R"({"xs": [1, 2]})"),
            "error:eval_conflict_error:template-strings must not produce multiple outputs");
  EXPECT_EQ(eval("package t\np := $\"{input.xs[_]}\"", "data.t.p", R"({"xs": [1, 1]})"), R"("1")");
  EXPECT_EQ(eval("package t\np := $\"x {1\"", "data.t.p").rfind("error:rego_parse_error:", 0), 0u);
  EXPECT_EQ(eval("package t\np := $\"x {1} y", "data.t.p"),
            "error:rego_parse_error:non-terminated template string");
}

// ---------------------------------------------------------------- compile errors

TEST(Fidelity, CompileErrorsAsOpa) {
  EXPECT_EQ(eval("package t\nx := bits.and(1, 1, 1)", "data.t.x").rfind("error:rego_type_error:bits.and: too many "
                                                                         "arguments",
                                                                         0),
            0u);
  EXPECT_EQ(eval("package t\np if { 1 := 2 }", "data.t.p"), "error:rego_compile_error:cannot assign to number");
  EXPECT_EQ(eval("package t\np if { x := 1; some x }", "data.t.p"), "error:rego_compile_error:var x assigned above");
  EXPECT_EQ(eval("package t\np if { some x; x := 1 }", "data.t.p"), "error:rego_compile_error:var x declared above");
  EXPECT_EQ(eval("package t\ndefault a := 5 + 6", "data.t.a"),
            "error:rego_parse_error:illegal default rule (value cannot contain call)");
  EXPECT_EQ(eval("package t\ndefault a := input.x", "data.t.a"),
            "error:rego_parse_error:illegal default rule (value cannot contain ref)");
  EXPECT_EQ(eval("package t\nimport foo", "data.t"),
            "error:rego_parse_error:unexpected import path, must begin with one of: {data, future, input, rego}, "
            "got: foo (hint: if this is unexpected, try updating OPA)");
  EXPECT_EQ(eval("package t\np if { [x, y] = [1, 2, 3] }", "data.t.p").rfind("error:rego_type_error:match error", 0),
            0u);
  // what is valid stays valid
  EXPECT_EQ(eval("package t\np if bits.and(1, 1, 1)", "data.t.p"), "true");
  EXPECT_EQ(eval("package t\ndefault a := {\"k\": [1, {2}]}", "data.t.a"), R"({"k":[1,[2]]})");
}

}  // namespace
