// Engine tests for evaluation limits (policy/limits.h): the deadline is
// checked inside every loop of the evaluator and inside long-running builtins,
// the memory budget stops evaluations that build too much, a builtin may not
// build one oversized value, and each of these is an error that stops the
// evaluation (never a silently undefined or wrong result), also without
// strict builtin errors. Also the builtins whose sizes come from operands
// (substring, sprintf widths) with hostile values.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "policy/engine.h"
#include "policy/json.h"
#include "policy/limits.h"
#include "tests/policy/eval_outcome.h"

namespace {

using namespace std::chrono_literals;
using wartburg::EvalOptions;
using wartburg::PreparedQuery;
using wartburg::Value;

using wartburg::test_util::Outcome;
using wartburg::test_util::run;

EvalOptions with_timeout(std::chrono::milliseconds t) {
  EvalOptions o;
  o.timeout = t;
  return o;
}

const char* kPolicy = R"(package l
range_count := count([x | some x in numbers.range(0, input.n)])
pairs := count([1 | some i in numbers.range(0, input.n); some j in numbers.range(0, input.n)])
f(x) := y if { y := g(x) + g(x + 1) }
g(x) := y if { y := h(x) + h(x + 1) }
h(x) := y if { y := x + 1 }
fan := [f(x) | some x in numbers.range(0, input.n)]
nested := [[x] | some x in numbers.range(0, input.n)]
sub := substring("abcdef", 2, input.len)
obj[k] := v if { some k in numbers.range(0, input.n); v := k * 2 }
s contains k if { some k in numbers.range(0, input.n) }
)";

TEST(EvalLimits, HugeRangeIsAnErrorNotUndefined) {
  // ranges used to be silently undefined beyond 2^26 elements: count() was 0
  for (bool strict : {false, true}) {
    EvalOptions o;
    o.strict_builtin_errors = strict;
    Outcome r = run(kPolicy, "data.l.range_count", R"({"n": 1000000000})", o);
    EXPECT_EQ(r.error.code, "eval_builtin_error") << r.value;
    EXPECT_EQ(r.error.message, "numbers.range: result would exceed the maximum value size of 128 MiB (--max-value-size)");
    EXPECT_EQ(r.error.row, 2);
  }
  EXPECT_EQ(run(kPolicy, "data.l.range_count", R"({"n": 99999})", {}).value, "100000");
}

TEST(EvalLimits, DeadlineStopsAComprehensionLoop) {
  // 10^5 x 10^5 iterations: the deadline is checked inside the loop
  Outcome r = run(kPolicy, "data.l.pairs", R"({"n": 100000})", with_timeout(200ms));
  EXPECT_EQ(r.error.code, "eval_cancel_error");
  EXPECT_EQ(r.error.message, "context deadline exceeded");
  EXPECT_LT(r.seconds, 3.0);
}

TEST(EvalLimits, DeadlineStopsFunctionFanOut) {
  Outcome r = run(kPolicy, "data.l.fan", R"({"n": 2000000})", with_timeout(200ms));
  EXPECT_EQ(r.error.code, "eval_cancel_error");
  EXPECT_LT(r.seconds, 3.0);
}

TEST(EvalLimits, MemoryBudgetStopsTheEvaluation) {
  EvalOptions o;
  o.max_memory = 8 << 20;
  Outcome r = run(kPolicy, "data.l.nested", R"({"n": 200000})", o);
  EXPECT_EQ(r.error.code, "eval_cancel_error");
  EXPECT_EQ(r.error.message, "evaluation exceeded its memory limit of 8 MiB (values built; --max-eval-memory)");
  // the same evaluation within a budget that fits it
  o.max_memory = 512 << 20;
  EXPECT_EQ(run(kPolicy, "count(data.l.nested)", R"({"n": 99999})", o).value, "100000");
}

TEST(EvalLimits, MemoryBudgetCountsMemoizedCalls) {
  EvalOptions o;
  o.max_memory = 16 << 20;
  Outcome r = run(kPolicy, "data.l.fan", R"({"n": 1000000})", o);
  EXPECT_EQ(r.error.code, "eval_cancel_error");
}

TEST(EvalLimits, ZeroMeansUnlimited) {
  EvalOptions o;
  o.max_memory = 0;
  o.max_value_size = 0;
  EXPECT_EQ(run(kPolicy, "data.l.range_count", R"({"n": 100000})", o).value, "100001");
}

TEST(EvalLimits, LargePartialObjectsAndSetsAreBuiltInLinearTime) {
  // each key used to be inserted with a linear scan (10^5 keys: minutes)
  Outcome r = run(kPolicy, "[count(data.l.obj), data.l.obj[99999], count(data.l.s)]", R"({"n": 200000})",
                  with_timeout(20s));
  EXPECT_EQ(r.value, "[200001,199998,200001]") << r.error.message;
  EXPECT_LT(r.seconds, 10.0);
}

TEST(EvalLimits, ObjectComprehensionConflictsAreStillFound) {
  Outcome r = run("package l\no := {k: v | some v in [1, 2]; k := \"a\"}", "data.l.o", "", {});
  EXPECT_EQ(r.error.code, "eval_conflict_error");
  EXPECT_EQ(r.error.message, "object keys must be unique");
  EXPECT_EQ(run("package l\no := {k: 1 | some k in [\"b\", \"a\", \"b\"]}", "data.l.o", "", {}).value,
            R"({"a":1,"b":1})");
}

TEST(EvalLimits, SubstringWithHugeLengthDoesNotOverflow) {
  EXPECT_EQ(run(kPolicy, "data.l.sub", R"({"len": 9223372036854775807})", {}).value, R"("cdef")");
  EXPECT_EQ(run(kPolicy, "data.l.sub", R"({"len": 9223372036854775806})", {}).value, R"("cdef")");
  EXPECT_EQ(run(kPolicy, "data.l.sub", R"({"len": 2})", {}).value, R"("cd")");
  EXPECT_EQ(run(kPolicy, "data.l.sub", R"({"len": -1})", {}).value, R"("cdef")");
}

TEST(EvalLimits, SprintfWidthsAreBoundedAsInGo) {
  // Go's fmt: a width or precision over 10^6 is rejected
  EXPECT_EQ(run("package l", R"(sprintf("%2000000000d", [1]))", "", {}).value, R"x("%!(NOVERB)%!(EXTRA int=1)")x");
  EXPECT_EQ(run("package l", R"(sprintf("%*d", [2000000000, 1]))", "", {}).value, R"x("%!(BADWIDTH)1")x");
  EXPECT_EQ(run("package l", R"(sprintf("%.*f", [2000000000, 1.5]))", "", {}).value, R"x("%!(BADPREC)1.500000")x");
  EXPECT_EQ(run("package l", R"(sprintf("%5d|%-4d|", [42, 7]))", "", {}).value, R"("   42|7   |")");
  EXPECT_EQ(run("package l", R"(count(sprintf("%1000000d", [1])))", "", {}).value, "1000000");
}

TEST(EvalLimits, StringBuildersStopAtTheValueLimit) {
  EvalOptions o;
  o.max_value_size = 1 << 20;
  const std::string module = R"(package l
s0 := concat("", ["abcdefgh", "ijklmnop"])
s1 := concat("", [s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0])
s2 := concat("", [s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1])
s3 := concat("", [s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2])
s4 := concat("", [s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3])
r := strings.replace_n({"a": s2, "b": s2}, s2)
)";
  Outcome r = run(module, "count(data.l.s4)", "", o);
  EXPECT_EQ(r.error.code, "eval_builtin_error");
  EXPECT_EQ(r.error.message, "concat: result would exceed the maximum value size of 1 MiB (--max-value-size)");
  EXPECT_EQ(run(module, "count(data.l.s3)", "", o).value, "65536");
  o.max_value_size = 64 << 10;
  Outcome rn = run(module, "count(data.l.r)", "", o);
  EXPECT_EQ(rn.error.code, "eval_builtin_error") << rn.value;
}

TEST(EvalLimits, GlobMatchHonoursTheDeadline) {
  std::string pattern, s(200000, 'a');
  for (int i = 0; i < 5000; i++) pattern += "*a";
  std::string input = "{\"p\": \"" + pattern + "\", \"s\": \"" + s + "b\"}";
  Outcome r = run("package l", "glob.match(input.p, [], input.s)", input, with_timeout(200ms));
  EXPECT_EQ(r.error.code, "eval_cancel_error") << r.value;
  EXPECT_LT(r.seconds, 3.0);
  // and still matches what it should
  EXPECT_EQ(run("package l", R"(glob.match("*a*a", [], "xxaya"))", "", {}).value, "true");
  EXPECT_EQ(run("package l", R"(glob.match("{a,{b,c}}.x", [], "c.x"))", "", {}).value, "true");
}

TEST(EvalLimits, GlobNestingIsBounded) {
  std::string pattern(100000, '{');
  EvalOptions o;
  o.strict_builtin_errors = true;
  Outcome r = run("package l", "glob.match(input.p, [], \"a\")", "{\"p\": \"" + pattern + "\"}", o);
  EXPECT_EQ(r.error.code, "eval_builtin_error");
  EXPECT_NE(r.error.message.find("deeper than 100 levels"), std::string::npos);
}

TEST(EvalLimits, ByteSizesParse) {
  using wartburg::limits::parse_byte_size;
  EXPECT_EQ(parse_byte_size("1048576"), 1048576u);
  EXPECT_EQ(parse_byte_size("64MiB"), 64u << 20);
  EXPECT_EQ(parse_byte_size("1GB"), 1000000000u);
  EXPECT_EQ(parse_byte_size("2 gib"), 2ull << 30);
  EXPECT_EQ(parse_byte_size("0"), 0u);
  EXPECT_THROW(parse_byte_size("ten"), std::invalid_argument);
  EXPECT_THROW(parse_byte_size("10x"), std::invalid_argument);
  EXPECT_THROW(parse_byte_size("99999999999999999999"), std::invalid_argument);
  EXPECT_THROW(parse_byte_size("99999999999GiB"), std::invalid_argument);
}

}  // namespace

namespace {

// a0 = [0..7], a<k+1> = [a<k>, a<k>]: 40 rules stand for 2^43 elements, in a few hundred bytes
std::string doubling_policy() {
  std::string m = "package l\na0 := [0, 1, 2, 3, 4, 5, 6, 7]\n";
  for (int i = 1; i <= 40; i++) {
    m += "a" + std::to_string(i) + " := [a" + std::to_string(i - 1) + ", a" + std::to_string(i - 1) + "]\n";
  }
  return m;
}

TEST(EvalLimits, TextOfSharedValuesIsBounded) {
  std::string m = doubling_policy();
  EvalOptions o;
  o.timeout = 20s;
  o.max_value_size = 16 << 20;
  for (const char* q : {"count(json.marshal(data.l.a40))", "count(sprintf(\"%v\", [data.l.a40]))",
                        "count(yaml.marshal(data.l.a40))"}) {
    Outcome r = run(m, q, "", o);
    EXPECT_EQ(r.error.code, "eval_builtin_error") << q << " " << r.value;
    EXPECT_NE(r.error.message.find("would exceed the maximum value size of 16 MiB"), std::string::npos)
        << r.error.message;
    EXPECT_LT(r.seconds, 10.0) << q;
  }
  EXPECT_EQ(run(m, "count(json.marshal(data.l.a3))", "", o).value, "157");
  // outside an evaluation (a server serializing a result) the text is bounded too
  PreparedQuery q(wartburg::compile({{"l.rego", m}}), "data.l.a40");
  auto rows = q.eval(Value(), Value::empty_object());
  ASSERT_EQ(rows.size(), 1u);
  wartburg::limits::set_max_text_bytes(1 << 20);
  EXPECT_THROW(wartburg::to_json(rows[0].expressions[0].value), wartburg::LimitError);
  EXPECT_THROW(wartburg::to_yaml(rows[0].expressions[0].value), wartburg::LimitError);
  PreparedQuery small(wartburg::compile({{"l.rego", m}}), "data.l.a3");
  EXPECT_EQ(wartburg::to_json(small.eval(Value(), Value::empty_object())[0].expressions[0].value).size(), 157u);
  wartburg::limits::set_max_text_bytes(wartburg::limits::kDefaultMaxTextBytes);
}

TEST(EvalLimits, YamlOfDeepValuesTakesLinearTime) {
  std::string deep = std::string(1500, '[') + "1" + std::string(1500, ']');
  Outcome r = run("package l", "count(yaml.marshal(input.x))", "{\"x\": " + deep + "}", {});
  // one line "- - - ... - 1" written once, not copied per level
  EXPECT_EQ(r.value, "3002") << r.error.message;
  EXPECT_LT(r.seconds, 5.0);
}

}  // namespace

namespace {

TEST(EvalLimits, LongRunsOfNegationsDoNotNest) {
  // each expression of a body used to add a continuation to the native stack
  std::string m = "package l\nx if {\n";
  for (int i = 0; i < 20000; i++) m += "  not input.a" + std::to_string(i) + "\n";
  m += "}\n";
  EXPECT_EQ(run(m, "data.l.x", "{}", {}).value, "true");
  EXPECT_EQ(run(m, "data.l.x", R"({"a19999": true})", {}).value, "undefined");
}

}  // namespace
