// Engine tests for builtins on hostile operands (operands from input): the
// limits a builtin hits surface through the evaluator as errors naming the
// builtin and the limit, whatever strict-builtin-errors says, and the
// evaluation ends quickly. The unit tests in tests/policy/builtins/ cover
// each builtin; these check the path through the evaluator.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "policy/engine.h"
#include "policy/json.h"
#include "tests/policy/eval_outcome.h"

namespace {

using namespace std::chrono_literals;
using wartburg::EvalOptions;
using wartburg::Value;

using wartburg::test_util::Outcome;
using wartburg::test_util::run;

EvalOptions non_strict(std::chrono::milliseconds timeout = 0ms) {
  EvalOptions o;
  o.strict_builtin_errors = false;
  o.timeout = timeout;
  return o;
}

const char* kPolicy = R"(package l
square(x) := x * x
big := square(square(square(square(square(input.n)))))
patched := json.patch({"a": input.s}, [op | some i in numbers.range(1, input.k); op := {"op": "copy", "from": "", "path": sprintf("/%d", [i % 2])}])
filtered := json.filter({"a": 1}, [input.path])
paths := count(graph.reachable_paths(input.g, ["0"]))
found := count(regex.find_n("a*b|a", input.s, -1))
marshalled := json.marshal(input.deep)
)";

TEST(EvalBuiltinLimits, IntegerGrowthIsAnError) {
  // 10^400 squared: 800, 1,600, 3,200 digits, then 6,400 (over the bound)
  std::string n = "1" + std::string(400, '0');
  Outcome r = run(kPolicy, "count(format_int(data.l.big, 10))", "{\"n\": " + n + "}", non_strict());
  EXPECT_EQ(r.error.code, "eval_builtin_error") << r.value;
  EXPECT_EQ(r.error.message, "mul: result would exceed the maximum integer size of 5000 digits");
  EXPECT_EQ(run(kPolicy, "data.l.big", R"({"n": 2})", non_strict()).value, "4294967296");
}

TEST(EvalBuiltinLimits, PatchCopiesAreCounted) {
  Outcome r = run(kPolicy, "count(data.l.patched)", R"({"s": "0123456789", "k": 80})", non_strict());
  EXPECT_EQ(r.error.code, "eval_builtin_error") << r.value;
  EXPECT_EQ(r.error.message, "json.patch: result would exceed the maximum value size of 128 MiB (--max-value-size)");
  EXPECT_EQ(run(kPolicy, "count(data.l.patched)", R"({"s": "x", "k": 4})", non_strict()).value, "3");
}

TEST(EvalBuiltinLimits, LongPathsAndChainsDoNotCrash) {
  std::string path = "[";
  for (int i = 0; i < 300000; ++i) path += i ? ",0" : "0";
  path += "]";
  EXPECT_EQ(run(kPolicy, "data.l.filtered", "{\"path\": " + path + "}", non_strict()).value, "{}");
  std::string g = "{";
  for (int i = 0; i < 100000; ++i) g += (i ? ",\"" : "\"") + std::to_string(i) + "\": [\"" + std::to_string(i + 1) + "\"]";
  g += "}";
  Outcome r = run(kPolicy, "data.l.paths", "{\"g\": " + g + "}", non_strict());
  EXPECT_EQ(r.value, "1") << r.error.message;
}

TEST(EvalBuiltinLimits, DeadlineInsideBuiltins) {
  std::string s(300000, 'a');
  Outcome r = run(kPolicy, "data.l.found", "{\"s\": \"" + s + "\"}", non_strict(200ms));
  EXPECT_EQ(r.error.code, "eval_cancel_error");
  EXPECT_EQ(r.error.message, "context deadline exceeded");
  EXPECT_LT(r.seconds, 2.0);
}

TEST(EvalBuiltinLimits, DeepInputMarshalsOrFailsCleanly) {
  std::string deep = std::string(9000, '[') + "1" + std::string(9000, ']');
  Outcome r = run(kPolicy, "count(data.l.marshalled)", "{\"deep\": " + deep + "}", non_strict());
  EXPECT_EQ(r.value, "18001") << r.error.message;
  Outcome y = run("package l", "yaml.marshal(input.deep)", "{\"deep\": " + deep + "}", non_strict());
  EXPECT_EQ(y.value, "undefined");  // a builtin error, not a limit: undefined without strict errors
  EvalOptions strict = non_strict();
  strict.strict_builtin_errors = true;
  y = run("package l", "yaml.marshal(input.deep)", "{\"deep\": " + deep + "}", strict);
  EXPECT_EQ(y.error.message, "yaml.marshal: yaml: value nested deeper than 2000 levels");
}

}  // namespace
