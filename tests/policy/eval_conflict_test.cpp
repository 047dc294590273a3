// Engine tests for eval_conflict_error: complete rules and functions that
// produce differing values. As OPA, the error names the document ("rule
// data.t.p produced conflicting values", "function data.t.f produced
// conflicting values for the same inputs"), points at the first rule whose
// value differed and, when several rules conflict, lists them in source
// order. The wording is the same whether the document is evaluated at the top
// of a query or inside an early-exit rule that already used its first value.
// Partial objects keep "object keys must be unique".
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/engine.h"
#include "policy/json.h"

namespace {

using wartburg::ErrorInfo;
using wartburg::PreparedQuery;
using wartburg::SourceFile;
using wartburg::Value;

ErrorInfo error_of(const std::string& query, const std::vector<SourceFile>& modules,
                   const std::string& input = "") {
  try {
    PreparedQuery q(wartburg::compile(modules), query);
    q.eval(input.empty() ? Value() : wartburg::parse_json(input), Value::empty_object());
  } catch (const wartburg::Error& e) {
    return e.errors.at(0);
  }
  return ErrorInfo{"no error", "", "", 0, 0};
}

ErrorInfo error_of(const std::string& query, const std::string& module, const std::string& input = "") {
  return error_of(query, {{"t.rego", module}}, input);
}

// ---------------------------------------------------------------- complete rules

TEST(EvalConflict, CompleteRulesNameTheDocumentAndListTheRules) {
  auto e = error_of("data.t.p = x", R"(package t

p := 1

p := 2
)");
  EXPECT_EQ(e.code, "eval_conflict_error");
  EXPECT_EQ(e.message, "rule data.t.p produced conflicting values:\n  rule at t.rego:3\n  rule at t.rego:5");
  EXPECT_EQ(e.file, "t.rego");
  EXPECT_EQ(e.row, 5);  // the first rule whose value differed
}

TEST(EvalConflict, SingleRuleWithSeveralValuesIsNotListed) {
  auto e = error_of("data.t.p = x", R"(package t

p := x if some x in [1, 2]
)");
  EXPECT_EQ(e.code, "eval_conflict_error");
  EXPECT_EQ(e.message, "rule data.t.p produced conflicting values");
  EXPECT_EQ(e.row, 3);
}

TEST(EvalConflict, ObjectValuesOfOneRule) {
  auto e = error_of("data.t.p = x", R"(package t

p := {"a": [x, y]} if {
	x := [1, 2][_]
	y := [1, 2][_]
}
)");
  EXPECT_EQ(e.message, "rule data.t.p produced conflicting values");
}

TEST(EvalConflict, SameWordingInsideAnEarlyExitRuleWhicheverValueComesFirst) {
  // p only needs one value of q: OPA (at the conformance snapshot) still names q
  for (const char* order : {"q := true\n\nq := false\n", "q := false\n\nq := true\n"}) {
    auto e = error_of("data.t.p = x", std::string("package t\n\np if q\n\n") + order);
    EXPECT_EQ(e.code, "eval_conflict_error") << order;
    EXPECT_EQ(e.message, "rule data.t.q produced conflicting values:\n  rule at t.rego:5\n  rule at t.rego:7")
        << order;
    EXPECT_EQ(e.row, 7) << order;
  }
}

TEST(EvalConflict, IterationInsideAnEarlyExitRule) {
  auto e = error_of("data.t.p = x", R"(package t

p if q

xs := {1, 2}

q := xs[_]
)");
  EXPECT_EQ(e.message, "rule data.t.q produced conflicting values");
}

TEST(EvalConflict, ElseBranchesAreListedAtTheirElse) {
  const char* policy = R"(package ex

allow := 1 if input.a
else := 2

allow := 3 if input.b
)";
  auto e = error_of("data.ex.allow", policy, R"({"b": true})");
  EXPECT_EQ(e.message, "rule data.ex.allow produced conflicting values:\n  rule at t.rego:4\n  rule at t.rego:6");
  EXPECT_EQ(e.row, 6);
  EXPECT_EQ(error_of("data.ex.allow", policy, R"({"a": true})").code, "no error");
}

TEST(EvalConflict, RulesInSeveralFilesAreListedInFileOrder) {
  auto e = error_of("data.ex.allow", {{"b.rego", "package ex\n\nallow := 2\n"}, {"a.rego", "package ex\n\nallow := 1\n"}});
  EXPECT_EQ(e.code, "eval_conflict_error");
  EXPECT_NE(e.message.find("rule data.ex.allow produced conflicting values:\n  rule at a.rego:3\n  rule at b.rego:3"),
            std::string::npos)
      << e.message;
}

TEST(EvalConflict, OnlyRulesDifferingFromTheFirstValueAreListed) {
  auto e = error_of("data.t.p = x", R"(package t

p := 1

p := 1 if true

p := 2

p := 3
)");
  EXPECT_EQ(e.message,
            "rule data.t.p produced conflicting values:\n  rule at t.rego:3\n  rule at t.rego:7\n  rule at t.rego:9");
  EXPECT_EQ(e.row, 7);
}

TEST(EvalConflict, AtMostTenRulesAreListed) {
  std::string policy = "package t\n";
  for (int i = 0; i < 12; ++i) policy += "\np := " + std::to_string(i) + "\n";
  auto e = error_of("data.t.p = x", policy);
  std::string want = "rule data.t.p produced conflicting values:";
  for (int i = 0; i < 10; ++i) want += "\n  rule at t.rego:" + std::to_string(3 + 2 * i);
  want += "\n  ...";
  EXPECT_EQ(e.message, want);
}

TEST(EvalConflict, AnErrorWhileCollectingReportsTheConflict) {
  // evaluating the third rule of p runs into q's conflict: p's conflict came first
  auto e = error_of("data.t.p = x", R"(package t

p := 1

p := 2

p := y if y := q

q := 3

q := 4
)");
  EXPECT_EQ(e.message,
            "rule data.t.p produced conflicting values:\n  rule at t.rego:3\n  rule at t.rego:5");
}

TEST(EvalConflict, RefHeadPathsPrintAsRefs) {
  auto e = error_of("data.x.q = y", R"(package x

p["x"] := 1

p["x"] := 2

p["a-b"] := 3

q if p == {}
)");
  EXPECT_EQ(e.message, "rule data.x.p.x produced conflicting values:\n  rule at t.rego:3\n  rule at t.rego:5");
  e = error_of("data.x.p = y", R"(package x

p["a-b"] := 1

p["a-b"] := 2
)");
  EXPECT_EQ(e.message.substr(0, e.message.find(':')), R"(rule data.x.p["a-b"] produced conflicting values)");
}

TEST(EvalConflict, PartialObjectsKeepObjectKeysMustBeUnique) {
  auto e = error_of("data.t.p = x", R"(package t

p[k] := v if {
	some v in [1, 2]
	k := "a"
}
)");
  EXPECT_EQ(e.code, "eval_conflict_error");
  EXPECT_EQ(e.message, "object keys must be unique");
}

// ---------------------------------------------------------------- functions

TEST(EvalConflict, FunctionsNameTheFunctionAndListTheRules) {
  auto e = error_of("data.ex.f(3)", R"(package ex

f(x) := 1 if x > 0

f(x) := 2 if x > 1

f(x) := 3 if x > 2
)");
  EXPECT_EQ(e.code, "eval_conflict_error");
  EXPECT_EQ(e.message,
            "function data.ex.f produced conflicting values for the same inputs:\n"
            "  rule at t.rego:3\n  rule at t.rego:5\n  rule at t.rego:7");
  EXPECT_EQ(e.row, 5);
  EXPECT_EQ(error_of("data.ex.f(1)", "package ex\n\nf(x) := 1 if x > 0\n\nf(x) := 2 if x > 1\n").code, "no error");
}

TEST(EvalConflict, FunctionWithSeveralValuesFromOneRule) {
  auto e = error_of("data.ex.f(2)", "package ex\n\nf(_) := x if some x in [1, 2]\n");
  EXPECT_EQ(e.message, "function data.ex.f produced conflicting values for the same inputs");
}

TEST(EvalConflict, FunctionUsedAsBooleanWithFalseAndTrue) {
  // both orders of false and true conflict, also when the caller only tests the result
  for (const char* arg : {"\"1\"", "\"2\""}) {
    auto e = error_of("data.test.p = x", std::string(R"(package test

o := ["1", "2"]

f(x) := o[_] == x

p if f()") + arg + ")\n");
    EXPECT_EQ(e.code, "eval_conflict_error") << arg;
    EXPECT_EQ(e.message, "function data.test.f produced conflicting values for the same inputs") << arg;
  }
}

TEST(EvalConflict, FunctionInsideAnEarlyExitRule) {
  auto e = error_of("data.test.p = x", R"(package test

p if {
	x := data.test.q(1)
	x == true
}

q(_) := true

q(_) := false
)");
  EXPECT_EQ(e.message,
            "function data.test.q produced conflicting values for the same inputs:\n"
            "  rule at t.rego:8\n  rule at t.rego:10");
}

TEST(EvalConflict, FunctionElseChains) {
  auto e = error_of("data.test.p = x", R"(package test

p if data.test.q(1)

q(_) if {
	false
} else := true

q(_) if {
	false
} else := false
)");
  EXPECT_EQ(e.message,
            "function data.test.q produced conflicting values for the same inputs:\n"
            "  rule at t.rego:7\n  rule at t.rego:11");
  EXPECT_EQ(e.row, 11);
}

}  // namespace
