// Unit tests for compiler strict mode (lang/strict.h): unused imports, input/data
// shadowing, duplicate imports, unused local assignments and function
// arguments, deprecated builtins — each with OPA's message, code and location,
// and clean policies that produce no strict errors.
#include "lang/strict.h"

#include <gtest/gtest.h>

#include "tests/lang/lang_test_util.h"

namespace wartburg::lang {
namespace {

using testing::stage;
using testing::Upto;

// Strict errors of modules that compile cleanly (full pipeline, as `check --strict`).
std::vector<ErrorInfo> strict_modules(const std::vector<std::string>& sources, bool v0 = false) {
  std::vector<ModulePtr> mods;
  ParseOptions po;
  po.v0 = v0;
  for (size_t i = 0; i < sources.size(); ++i) {
    mods.push_back(parse_module("m" + std::to_string(i) + ".rego", sources[i], po));
  }
  CompileSettings cs;
  cs.v0 = v0;
  auto compiled = compile_modules(std::move(mods), cs);
  return strict_checks(*compiled);
}

std::vector<ErrorInfo> strict(const std::string& source) { return strict_modules({source}); }
// Deprecated builtins exist only for v0 modules (OPA 1.0 removed them from v1).
std::vector<ErrorInfo> strict_v0(const std::string& source) { return strict_modules({source}, true); }

std::string text(const std::vector<ErrorInfo>& errs) {
  std::string s;
  for (const auto& e : errs) s += e.to_string() + "\n";
  return s;
}

void expect_error(const ErrorInfo& e, const std::string& code, const std::string& msg, int row, int col) {
  EXPECT_EQ(e.code, code);
  EXPECT_EQ(e.message, msg);
  EXPECT_EQ(e.file, "m0.rego");
  EXPECT_EQ(e.row, row);
  EXPECT_EQ(e.col, col);
}

// ---------------------------------------------------------------- clean

TEST(StrictClean, PolicyWithoutProblemsHasNoErrors) {
  auto errs = strict_modules({
      "package p\n"
      "import rego.v1\n"
      "import data.lib\n"
      "import data.lib.util as u\n"
      "import input.request as req\n"
      "default allow := false\n"
      "allow if {\n"
      "  some role in req.roles\n"
      "  x := lib.grants[role]\n"
      "  ys := [y | some y in x; y != \"\"]\n"
      "  count(ys) > 0\n"
      "  u.ok(x)\n"
      "}\n"
      "f(a, _) := b if { b := a + 1 }\n"
      "g(a) := a\n"
      "h([k, v]) := k if v\n"
      "s contains n if { n := input.names[_] }\n"
      "every_ok if { every k, v in input.m { k != v } }\n",
      "package lib.util\nok(x) if x\n"});
  EXPECT_TRUE(errs.empty()) << text(errs);
}

TEST(StrictClean, ResolvedEntryPointAgreesOnCleanModule) {
  auto s = stage("package p\nimport data.q\nx := q.y\n", Upto::Resolve);
  ASSERT_TRUE(s->st.errors.empty()) << s->errors_text();
  EXPECT_TRUE(strict_checks_resolved(*s->cm).empty());
}

// ---------------------------------------------------------------- unused imports

TEST(StrictUnusedImports, ReportsEachUnusedImport) {
  auto errs = strict("package play\n\nimport input.foo\nimport data.bar as b\n\nx := 1\n");
  ASSERT_EQ(errs.size(), 2u) << text(errs);
  expect_error(errs[0], "rego_compile_error", "import input.foo unused", 3, 1);
  expect_error(errs[1], "rego_compile_error", "import data.bar as b unused", 4, 1);
}

TEST(StrictUnusedImports, FutureAndRegoImportsAreIgnored) {
  auto errs = strict("package p\nimport future.keywords.in\nimport rego.v1\nx := 1\n");
  EXPECT_TRUE(errs.empty()) << text(errs);
}

TEST(StrictUnusedImports, UsesAsVarRefCallAliasHeadAndWith) {
  auto errs = strict_modules({
      "package p\n"
      "import data.lib.f\n"       // call
      "import data.lib as l\n"    // ref with alias
      "import input.a\n"          // bare var in a head
      "import data.lib.mock\n"    // with value (function mock)
      "import input.b\n"          // inside a comprehension
      "x := a\n"
      "y if f(1)\n"
      "z := [v | v := b[_]]\n"
      "w if { l.g(1) with l.g as mock }\n",
      "package lib\nf(x) := x\ng(x) := x\nmock(_) := true\n"});
  EXPECT_TRUE(errs.empty()) << text(errs);
}

TEST(StrictUnusedImports, FullPathOrShadowingLocalDoesNotUseImport) {
  auto errs = strict("package p\nimport data.q.r\nx := data.q.r\ny if { r := 1; r == 1 }\n");
  ASSERT_EQ(errs.size(), 1u) << text(errs);
  expect_error(errs[0], "rego_compile_error", "import data.q.r unused", 2, 1);
}

TEST(StrictUnusedImports, RuleOfSamePathDoesNotUseAliasedImport) {
  auto errs = strict("package p\nimport data.p.q as other\nq := 1\nx := q\n");
  ASSERT_EQ(errs.size(), 1u) << text(errs);
  expect_error(errs[0], "rego_compile_error", "import data.p.q as other unused", 2, 1);
}

TEST(StrictUnusedImports, ImportUsedOnlyInIndexedGuardCounts) {
  // build_indexes moves `r.user == "a"` out of the body; strict mode still sees it
  auto errs = strict("package p\nimport input.r\nallow if r.user == \"a\"\n");
  EXPECT_TRUE(errs.empty()) << text(errs);
}

// ---------------------------------------------------------------- input/data shadowing

TEST(StrictKeywordOverrides, RuleNamedInputOrData) {
  auto errs = strict("package play\n\ninput := 1\n");
  ASSERT_EQ(errs.size(), 1u) << text(errs);
  expect_error(errs[0], "rego_compile_error", "rules must not shadow input (use a different rule name)", 3, 1);
  errs = strict("package play\n\ndata := 1\n");
  ASSERT_EQ(errs.size(), 1u) << text(errs);
  expect_error(errs[0], "rego_compile_error", "rules must not shadow data (use a different rule name)", 3, 1);
}

TEST(StrictKeywordOverrides, AssignedVariablesInBodiesAndComprehensions) {
  auto errs = strict(
      "package test\n"
      "p if {\n"
      "  [ x |\n"
      "    input := 1\n"
      "    x := input\n"
      "    data := 3\n"
      "    data > x\n"
      "  ]\n"
      "}\n");
  ASSERT_EQ(errs.size(), 2u) << text(errs);
  expect_error(errs[0], "rego_compile_error", "variables must not shadow input (use a different variable name)", 4, 5);
  expect_error(errs[1], "rego_compile_error", "variables must not shadow data (use a different variable name)", 6, 5);
}

TEST(StrictKeywordOverrides, FunctionArgs) {
  auto errs = strict("package p\nf(input) := 1\n");
  ASSERT_EQ(errs.size(), 1u) << text(errs);
  expect_error(errs[0], "rego_compile_error", "args must not shadow input (use a different variable name)", 2, 3);
}

TEST(StrictKeywordOverrides, ReadingInputAndDataIsFine) {
  auto errs = strict("package p\nx := input.a\ny if { z := data.p.x; z == 1 }\n");
  EXPECT_TRUE(errs.empty()) << text(errs);
}

// ---------------------------------------------------------------- duplicate imports

TEST(StrictDuplicateImports, SecondImportOfSameName) {
  auto errs = strict("package play\n\nimport input.foo\nimport data.foo\n\nx := 1 if { foo }\n");
  ASSERT_EQ(errs.size(), 1u) << text(errs);
  expect_error(errs[0], "rego_compile_error", "import must not shadow import input.foo", 4, 1);
}

TEST(StrictDuplicateImports, AliasCollision) {
  auto errs = strict("package p\nimport data.a as x\nimport data.b.x\ny := x\n");
  ASSERT_EQ(errs.size(), 1u) << text(errs);
  expect_error(errs[0], "rego_compile_error", "import must not shadow import data.a as x", 3, 1);
}

TEST(StrictDuplicateImports, DistinctNamesAreFine) {
  auto errs = strict("package p\nimport data.a.x\nimport data.b.x as y\nz := [x, y]\n");
  EXPECT_TRUE(errs.empty()) << text(errs);
}

// ---------------------------------------------------------------- unused locals

TEST(StrictUnusedLocals, AssignedVarNeverRead) {
  auto errs = strict("package play\n\np if {\n\tx := 1\n}\n");
  ASSERT_EQ(errs.size(), 1u) << text(errs);
  expect_error(errs[0], "rego_compile_error", "assigned var x unused", 4, 2);
}

TEST(StrictUnusedLocals, PatternAndComprehensionScopes) {
  auto errs = strict(
      "package p\n"
      "p if {\n"
      "  [a, b] := [1, 2]\n"
      "  a > 0\n"
      "  ys := [1 | z := 2]\n"
      "  count(ys) > 0\n"
      "}\n");
  ASSERT_EQ(errs.size(), 2u) << text(errs);
  expect_error(errs[0], "rego_compile_error", "assigned var z unused", 5, 14);
  expect_error(errs[1], "rego_compile_error", "assigned var b unused", 3, 3);
}

TEST(StrictUnusedLocals, UsesInHeadNestedBodiesAndWithCount) {
  auto errs = strict(
      "package p\n"
      "a := x if { x := 1 }\n"
      "b contains y if { y := 2 }\n"
      "c if { x := 1; [z | z := x] }\n"
      "d if { x := {1}; every v in x { v > 0 } }\n"
      "e if { x := 1; not x == 2 }\n"
      "f if { x := {\"a\": 1}; input.a with input as x }\n"
      "g := [y | x := 1; y := x]\n");
  EXPECT_TRUE(errs.empty()) << text(errs);
}

TEST(StrictUnusedLocals, UnusedFunctionArgument) {
  auto errs = strict("package p\n\nf(x, y) := 1 if { y > 0 }\n");
  ASSERT_EQ(errs.size(), 1u) << text(errs);
  expect_error(errs[0], "rego_compile_error", "unused argument x. (hint: use _ (wildcard variable) instead)", 3, 1);
}

TEST(StrictUnusedLocals, ArgumentsUsedInElseHeadGuardOrWildcard) {
  auto errs = strict(
      "package p\n"
      "f(x) := 1 if { input.a == 1 } else := 2 if { x > 1 }\n"
      "g(x) := x\n"
      "h(_, y) := y\n"
      "k(x) := true if x == \"a\"\n");  // indexed guard on an argument
  EXPECT_TRUE(errs.empty()) << text(errs);
}

// ---------------------------------------------------------------- deprecated builtins

TEST(StrictDeprecatedBuiltins, CallsInHeadAndBody) {
  auto errs = strict_v0("package test\np {\n\tany([true, false])\n}\n\nq := all([true, false])\n");
  ASSERT_EQ(errs.size(), 2u) << text(errs);
  expect_error(errs[0], "rego_type_error", "deprecated built-in function calls in expression: any", 3, 2);
  expect_error(errs[1], "rego_type_error", "deprecated built-in function calls in expression: all", 6, 6);
}

TEST(StrictDeprecatedBuiltins, NestedCallsAndOtherNames) {
  auto errs = strict_v0("package p\nx := [re_match(\"a\", \"a\"), cast_string(\"s\")]\n");
  ASSERT_EQ(errs.size(), 2u) << text(errs);
  EXPECT_EQ(errs[0].message, "deprecated built-in function calls in expression: re_match");
  EXPECT_EQ(errs[1].message, "deprecated built-in function calls in expression: cast_string");
}

TEST(StrictDeprecatedBuiltins, V1ModulesCannotCallThem) {
  try {
    compile_modules({parse_module("m.rego", "package p\nx := any([true])\n")});
    FAIL() << "expected a compile error";
  } catch (const Error& e) {
    ASSERT_EQ(e.errors.size(), 1u);
    EXPECT_EQ(e.errors[0].code, "rego_type_error");
    EXPECT_EQ(e.errors[0].message, "undefined function any (deprecated builtin, only available to v0 modules)");
  }
}

TEST(StrictDeprecatedBuiltins, UserFunctionOfSameNameIsFine) {
  auto errs = strict("package test\nany(arr) := true if { true in arr }\np := any([true, false])\n");
  EXPECT_TRUE(errs.empty()) << text(errs);
}

// ---------------------------------------------------------------- stage order

TEST(StrictStages, OnlyFirstFailingGroupIsReported) {
  // as OPA, whose compiler stops after the stage that found errors
  auto errs = strict_v0("package p\nimport data.unused\nx := any([true])\np { y := 1 }\n");
  ASSERT_EQ(errs.size(), 1u) << text(errs);
  EXPECT_EQ(errs[0].message, "import data.unused unused");
  errs = strict_v0("package p\nx := any([true])\np { y := 1 }\n");
  ASSERT_EQ(errs.size(), 1u) << text(errs);
  EXPECT_EQ(errs[0].message, "assigned var y unused");
}

TEST(StrictStages, ModulesInFileOrder) {
  auto errs = strict_modules({"package a\nimport data.x\n", "package b\nimport data.y\n"});
  ASSERT_EQ(errs.size(), 2u) << text(errs);
  EXPECT_EQ(errs[0].file, "m0.rego");
  EXPECT_EQ(errs[1].file, "m1.rego");
}

}  // namespace
}  // namespace wartburg::lang
