// Engine tests for rules: complete rules, defaults, else chains, partial sets,
// partial objects, ref heads (`a.b[x].c := v`), conflicts (eval_conflict_error),
// functions with several definitions, function memoization correctness,
// package documents (data.pkg merging base data and rules), undefined vs false.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/engine.h"
#include "policy/json.h"

namespace {

using wartburg::ErrorInfo;
using wartburg::EvalOptions;
using wartburg::PreparedQuery;
using wartburg::QueryRow;
using wartburg::Value;

std::shared_ptr<const wartburg::Policy> mod(const std::string& text) { return wartburg::compile({{"t.rego", text}}); }

std::vector<QueryRow> run(const std::string& module, const std::string& query, const std::string& input = "",
                          const std::string& data = "{}") {
  PreparedQuery q(mod(module), query);
  return q.eval(input.empty() ? Value() : wartburg::parse_json(input), wartburg::parse_json(data));
}

// JSON of the first expression's value; "undefined" when there is no row.
std::string value(const std::string& module, const std::string& query, const std::string& input = "",
                  const std::string& data = "{}") {
  auto rows = run(module, query, input, data);
  if (rows.empty()) return "undefined";
  if (rows.size() != 1) return "rows:" + std::to_string(rows.size());
  return wartburg::to_json(rows[0].expressions.at(0).value);
}

// The bindings of every row as a JSON array of objects.
std::string bindings(const std::string& module, const std::string& query, const std::string& input = "",
                     const std::string& data = "{}") {
  std::vector<Value> out;
  for (const auto& r : run(module, query, input, data)) {
    std::vector<std::pair<Value, Value>> kv;
    for (const auto& [n, v] : r.bindings) kv.emplace_back(Value::string(n), v);
    out.push_back(Value::object(std::move(kv)));
  }
  return wartburg::to_json(Value::array(std::move(out)));
}

ErrorInfo error_of(const std::string& module, const std::string& query, const std::string& input = "",
                   const std::string& data = "{}") {
  try {
    run(module, query, input, data);
  } catch (const wartburg::Error& e) {
    return e.errors.at(0);
  }
  return ErrorInfo{"no error", "", "", 0, 0};
}

// ---------------------------------------------------------------- complete rules

TEST(EvalRules, ConstantCompleteRule) {
  EXPECT_EQ(value("package t\np := 7", "data.t.p"), "7");
  EXPECT_EQ(value("package t\np := {\"a\": [1, {\"b\": true}]}", "data.t.p.a[1].b"), "true");
}

TEST(EvalRules, CompleteRuleWithBody) {
  const char* m = "package t\nallow if input.user == \"admin\"";
  EXPECT_EQ(value(m, "data.t.allow", R"({"user":"admin"})"), "true");
  EXPECT_EQ(value(m, "data.t.allow", R"({"user":"bob"})"), "undefined");
  EXPECT_EQ(value(m, "data.t.allow"), "undefined");  // no input at all
}

TEST(EvalRules, RuleChainsThroughOtherRules) {
  const char* m = R"(package t
a := input.n * 2
b := a + 1
c := [a, b]
)";
  EXPECT_EQ(value(m, "data.t.c", R"({"n": 5})"), "[10,11]");
}

TEST(EvalRules, SeveralDefinitionsOfACompleteRuleAgreeing) {
  const char* m = R"(package t
p := 1 if input.a
p := 1 if input.b
)";
  EXPECT_EQ(value(m, "data.t.p", R"({"a": true, "b": true})"), "1");
  EXPECT_EQ(value(m, "data.t.p", R"({"a": false, "b": true})"), "1");
  EXPECT_EQ(value(m, "data.t.p", R"({"a": false, "b": false})"), "undefined");
}

TEST(EvalRules, CompleteRuleManySolutionsSameValue) {
  EXPECT_EQ(value("package t\np := 1 if some x in [1, 2, 3]", "data.t.p"), "1");
  EXPECT_EQ(value("package t\np := x if { some x in [1, 2, 3]; x > 2 }", "data.t.p"), "3");
}

TEST(EvalRules, CompleteRuleConflict) {
  auto e = error_of("package t\np := x if some x in [1, 2]", "data.t.p");
  EXPECT_EQ(e.code, "eval_conflict_error");
  EXPECT_EQ(e.message, "rule data.t.p produced conflicting values");
  EXPECT_EQ(e.row, 2);
}

TEST(EvalRules, CompleteRuleConflictAcrossDefinitions) {
  const char* m = R"(package t
p := 1 if input.a
p := 2 if input.b
)";
  EXPECT_EQ(value(m, "data.t.p", R"({"a": true, "b": false})"), "1");
  EXPECT_EQ(error_of(m, "data.t.p", R"({"a": true, "b": true})").code, "eval_conflict_error");
}

// ---------------------------------------------------------------- default

TEST(EvalRules, DefaultRule) {
  const char* m = R"(package t
default allow := false
allow if input.x == 1
)";
  EXPECT_EQ(value(m, "data.t.allow", R"({"x": 1})"), "true");
  EXPECT_EQ(value(m, "data.t.allow", R"({"x": 2})"), "false");
  EXPECT_EQ(value(m, "data.t.allow"), "false");
}

TEST(EvalRules, DefaultCompositeValue) {
  const char* m = R"(package t
default p := {"k": [1, 2]}
p := {"k": []} if input.empty
)";
  EXPECT_EQ(value(m, "data.t.p"), R"({"k":[1,2]})");
  EXPECT_EQ(value(m, "data.t.p", R"({"empty": true})"), R"({"k":[]})");
}

TEST(EvalRules, DefaultFunction) {
  const char* m = R"(package t
default f(_) := 0
f(x) := 1 if x > 5
)";
  EXPECT_EQ(value(m, "[data.t.f(1), data.t.f(9)]"), "[0,1]");
}

// ---------------------------------------------------------------- else

TEST(EvalRules, ElseChain) {
  const char* m = R"(package t
grade := "A" if input.s >= 90
else := "B" if input.s >= 80
else := "C"
)";
  EXPECT_EQ(value(m, "data.t.grade", R"({"s": 95})"), R"("A")");
  EXPECT_EQ(value(m, "data.t.grade", R"({"s": 85})"), R"("B")");
  EXPECT_EQ(value(m, "data.t.grade", R"({"s": 10})"), R"("C")");
}

TEST(EvalRules, ElseChainAllUndefined) {
  const char* m = R"(package t
p := 1 if input.a
else := 2 if input.b
)";
  EXPECT_EQ(value(m, "data.t.p", R"({"a": false, "b": false})"), "undefined");
  EXPECT_EQ(value(m, "data.t.p", R"({"a": false, "b": true})"), "2");
}

TEST(EvalRules, ElseWithDefault) {
  const char* m = R"(package t
default p := "d"
p := "x" if input.a
else := "y" if input.b
)";
  EXPECT_EQ(value(m, "data.t.p", R"({})"), R"("d")");
  EXPECT_EQ(value(m, "data.t.p", R"({"b": true})"), R"("y")");
}

TEST(EvalRules, FunctionElseChain) {
  const char* m = R"(package t
sign(x) := "neg" if x < 0
else := "zero" if x == 0
else := "pos"
)";
  EXPECT_EQ(value(m, "[data.t.sign(-3), data.t.sign(0), data.t.sign(4)]"), R"(["neg","zero","pos"])");
}

TEST(EvalRules, ElseWithoutValueIsTrue) {
  const char* m = R"(package t
p := false if input.deny
else if input.allow
)";
  EXPECT_EQ(value(m, "data.t.p", R"({"deny": true})"), "false");
  EXPECT_EQ(value(m, "data.t.p", R"({"allow": true})"), "true");
}

// ---------------------------------------------------------------- partial sets

TEST(EvalRules, PartialSet) {
  const char* m = R"(package t
s contains x if {
  some x in input.xs
  x > 1
}
)";
  EXPECT_EQ(value(m, "data.t.s", R"({"xs": [3, 1, 2, 3, 5]})"), "[2,3,5]");
  EXPECT_EQ(value(m, "data.t.s", R"({"xs": [0]})"), "[]");  // defined and empty
  EXPECT_EQ(value(m, "data.t.s"), "[]");
}

TEST(EvalRules, PartialSetSeveralDefinitionsAndLookup) {
  const char* m = R"(package t
s contains "a"
s contains x if some x in ["b", "a"]
s contains 7 if input.seven
)";
  EXPECT_EQ(value(m, "data.t.s"), R"(["a","b"])");
  EXPECT_EQ(value(m, "data.t.s", R"({"seven": true})"), R"([7,"a","b"])");
  EXPECT_EQ(value(m, "data.t.s[\"b\"]"), R"("b")");
  EXPECT_EQ(value(m, "data.t.s[\"z\"]"), "undefined");
  EXPECT_EQ(bindings(m, "data.t.s[x]"), R"([{"x":"a"},{"x":"b"}])");
}

TEST(EvalRules, PartialSetOfComposites) {
  const char* m = R"(package t
pairs contains [k, v] if some k, v in input
)";
  EXPECT_EQ(value(m, "data.t.pairs", R"({"b": 2, "a": 1})"), R"([["a",1],["b",2]])");
}

// ---------------------------------------------------------------- partial objects

TEST(EvalRules, PartialObject) {
  const char* m = R"(package t
o[k] := v if {
  some k, v in input
  v > 0
}
)";
  EXPECT_EQ(value(m, "data.t.o", R"({"a": 1, "b": 0, "c": 2})"), R"({"a":1,"c":2})");
  EXPECT_EQ(value(m, "data.t.o", R"({"b": 0})"), "{}");
  EXPECT_EQ(value(m, "data.t.o.c", R"({"a": 1, "c": 2})"), "2");
  EXPECT_EQ(value(m, "data.t.o.b", R"({"a": 1, "b": 0})"), "undefined");
  EXPECT_EQ(bindings(m, "data.t.o[k] = 2", R"({"a": 1, "c": 2, "d": 2})"), R"([{"k":"c"},{"k":"d"}])");
}

TEST(EvalRules, PartialObjectConflict) {
  auto e = error_of("package t\no[k] := v if { some v in [1, 2]; k := \"a\" }", "data.t.o");
  EXPECT_EQ(e.code, "eval_conflict_error");
  EXPECT_EQ(e.message, "object keys must be unique");
}

TEST(EvalRules, PartialObjectSameKeySameValueIsNoConflict) {
  EXPECT_EQ(value("package t\no[k] := 1 if { some _ in [1, 2]; k := \"a\" }", "data.t.o"), R"({"a":1})");
}

TEST(EvalRules, PartialObjectNonStringKeys) {
  EXPECT_EQ(value("package t\no[x] := x * 10 if some x in [2, 1]", "data.t.o[2]"), "20");
  EXPECT_EQ(value("package t\no[x] := x * 10 if some x in [2, 1]", "data.t.o"), R"({"1":10,"2":20})");
}

// ---------------------------------------------------------------- ref heads

TEST(EvalRules, RefHeadWithVariableInTheMiddle) {
  const char* m = R"(package t
a.b[x].c := v if some x, v in input
)";
  EXPECT_EQ(value(m, "data.t.a", R"({"k1": 1, "k2": 2})"), R"({"b":{"k1":{"c":1},"k2":{"c":2}}})");
  EXPECT_EQ(value(m, "data.t.a.b.k2.c", R"({"k1": 1, "k2": 2})"), "2");
  EXPECT_EQ(value(m, "data.t.a.b.k3", R"({"k1": 1, "k2": 2})"), "undefined");
}

TEST(EvalRules, RefHeadConstantPathsMerge) {
  const char* m = R"(package t
a.b.c := 1
a.b.d := 2
a.e := "x"
)";
  EXPECT_EQ(value(m, "data.t.a"), R"({"b":{"c":1,"d":2},"e":"x"})");
  EXPECT_EQ(value(m, "data.t"), R"({"a":{"b":{"c":1,"d":2},"e":"x"}})");
}

TEST(EvalRules, RefHeadMultiValue) {
  const char* m = R"(package t
by_len[n] contains s if {
  some s in input
  n := count(s)
}
)";
  EXPECT_EQ(value(m, "data.t.by_len", R"(["ab", "c", "de", "f"])"), R"({"1":["c","f"],"2":["ab","de"]})");
  EXPECT_EQ(value(m, "data.t.by_len[2]", R"(["ab", "c", "de", "f"])"), R"(["ab","de"])");
}

TEST(EvalRules, RefHeadConflict) {
  const char* m = R"(package t
a.b[x] := v if { some v in [1, 2]; x := "k" }
)";
  EXPECT_EQ(error_of(m, "data.t.a").code, "eval_conflict_error");
}

// ---------------------------------------------------------------- functions

TEST(EvalRules, FunctionWithSeveralDefinitions) {
  const char* m = R"(package t
f(1) := "one"
f(2) := "two"
f(x) := "many" if x > 2
)";
  EXPECT_EQ(value(m, "[data.t.f(1), data.t.f(2), data.t.f(3)]"), R"(["one","two","many"])");
  EXPECT_EQ(value(m, "data.t.f(0)"), "undefined");
}

TEST(EvalRules, FunctionDefinitionsAgreeingIsNoConflict) {
  const char* m = R"(package t
f(x) := true if x > 0
f(x) := true if x > 10
)";
  EXPECT_EQ(value(m, "data.t.f(20)"), "true");
}

TEST(EvalRules, FunctionConflict) {
  const char* m = R"(package t
f(x) := 1 if x > 0
f(x) := 2 if x > 10
)";
  EXPECT_EQ(value(m, "data.t.f(5)"), "1");
  auto e = error_of(m, "data.t.f(20)");
  EXPECT_EQ(e.code, "eval_conflict_error");
  EXPECT_EQ(e.message,
            "function data.t.f produced conflicting values for the same inputs:\n  rule at t.rego:2\n  rule at t.rego:3");
}

TEST(EvalRules, FunctionWithCompositeArgumentPatterns) {
  const char* m = R"(package t
first([x, _]) := x
get({"k": v}) := v
)";
  EXPECT_EQ(value(m, "[data.t.first([7, 8]), data.t.get({\"k\": \"v\"})]"), R"([7,"v"])");
  EXPECT_EQ(value(m, "data.t.first([1, 2, 3])"), "undefined");
}

TEST(EvalRules, BooleanFunctionWithOutputArgument) {
  const char* m = R"(package t
double(x) := x * 2
)";
  EXPECT_EQ(bindings(m, "data.t.double(4, y)"), R"([{"y":8}])");
  EXPECT_EQ(value(m, "data.t.double(4, 8)"), "true");
  EXPECT_EQ(value(m, "data.t.double(4, 9)"), "undefined");
}

TEST(EvalRules, MemoDistinguishesArgumentTypes) {
  const char* m = "package t\nf(x) := type_name(x)";
  EXPECT_EQ(value(m, R"([data.t.f(1), data.t.f("1"), data.t.f(true), data.t.f(null), data.t.f(1)])"),
            R"(["number","string","boolean","null","number"])");
}

TEST(EvalRules, MemoIsNotSharedAcrossWithInput) {
  const char* m = "package t\nf(x) := x + input.n";
  auto b = bindings(m, "a := data.t.f(1) with input.n as 1; b := data.t.f(1) with input.n as 10; c := data.t.f(1)",
                    R"({"n": 100})");
  EXPECT_EQ(b, R"([{"a":2,"b":11,"c":101}])");
}

TEST(EvalRules, MemoIsNotSharedAcrossEvaluations) {
  PreparedQuery q(mod("package t\nf(x) := x + input.n\np := f(1)"), "data.t.p");
  for (int n : {1, 2, 3, 2, 1}) {
    auto rows = q.eval(wartburg::parse_json("{\"n\": " + std::to_string(n) + "}"), Value::empty_object());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(wartburg::to_json(rows[0].expressions[0].value), std::to_string(n + 1));
  }
}

TEST(EvalRules, MemoOfUndefinedResult) {
  const char* m = R"(package t
f(x) := y if { y := x; x > 1 }
p := [v | some i in [1, 2, 1, 3]; v := f(i)]
)";
  EXPECT_EQ(value(m, "data.t.p"), "[2,3]");
}

TEST(EvalRules, FunctionReadsDataWithOverride) {
  const char* m = R"(package t
f(x) := data.limits[x]
)";
  EXPECT_EQ(bindings(m, R"(a := data.t.f("k"); b := data.t.f("k") with data.limits as {"k": 2})", "",
                     R"({"limits": {"k": 1}})"),
            R"([{"a":1,"b":2}])");
}

// ---------------------------------------------------------------- package documents

TEST(EvalRules, PackageDocumentMergesBaseDataAndRules) {
  const char* m = "package t\np := 2\nq contains 1";
  EXPECT_EQ(value(m, "data.t", "", R"({"t": {"base": 1}, "other": true})"), R"({"base":1,"p":2,"q":[1]})");
  EXPECT_EQ(value(m, "data.t.base", "", R"({"t": {"base": 1}})"), "1");
}

TEST(EvalRules, NestedPackages) {
  auto policy = wartburg::compile({{"a.rego", "package t\np := 1"}, {"b.rego", "package t.sub\nq := 2"},
                                   {"c.rego", "package t.sub\nr := data.t.p + data.t.sub.q"}});
  PreparedQuery q(policy, "data.t");
  auto rows = q.eval(Value(), wartburg::parse_json(R"({"t": {"sub": {"base": 0}}})"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(wartburg::to_json(rows[0].expressions[0].value), R"({"p":1,"sub":{"base":0,"q":2,"r":3}})");
}

TEST(EvalRules, UndefinedRulesAreAbsentFromThePackage) {
  const char* m = "package t\np := 1 if false\nq := 2\ns contains 1 if false\nf(x) := x";
  EXPECT_EQ(value(m, "data.t"), R"({"q":2,"s":[]})");
}

TEST(EvalRules, EmptyPackageIsAnEmptyObject) {
  EXPECT_EQ(value("package t\np := 1 if false", "data.t"), "{}");
}

TEST(EvalRules, IterateOverPackageDocument) {
  const char* m = "package t\na := 1\nb := 2";
  EXPECT_EQ(bindings(m, "data.t[k] = v", "", R"({"t": {"c": 3}})"),
            R"([{"k":"a","v":1},{"k":"b","v":2},{"k":"c","v":3}])");
}

TEST(EvalRules, WholeDataDocument) {
  EXPECT_EQ(value("package t.u\np := 1", "data", "", R"({"x": [1]})"), R"({"t":{"u":{"p":1}},"x":[1]})");
}

// ---------------------------------------------------------------- undefined vs false

TEST(EvalRules, FalseRuleValueIsDefined) {
  const char* m = "package t\np := false\nq if false\nr := input.missing";
  EXPECT_EQ(value(m, "data.t.p"), "false");
  EXPECT_EQ(value(m, "data.t.q"), "undefined");
  EXPECT_EQ(value(m, "data.t.r", "{}"), "undefined");
  EXPECT_EQ(value(m, "data.t.p == false"), "true");
  EXPECT_EQ(value(m, "data.t.q == false"), "undefined");
}

TEST(EvalRules, NotOfUndefinedAndFalse) {
  const char* m = R"(package t
p := false
deny if not p
deny2 if not q
q if false
)";
  EXPECT_EQ(value(m, "data.t.deny"), "true");
  EXPECT_EQ(value(m, "data.t.deny2"), "true");
}

TEST(EvalRules, FalseBodyExpressionFailsTheRule) {
  const char* m = R"(package t
p if {
  true
  input.flag
}
)";
  EXPECT_EQ(value(m, "data.t.p", R"({"flag": false})"), "undefined");
  EXPECT_EQ(value(m, "data.t.p", R"({"flag": 0})"), "true");  // only false fails; 0 is truthy in Rego
}

}  // namespace
