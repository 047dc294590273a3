// Engine tests for evaluation errors: strict builtin errors
// (eval_builtin_error / eval_type_error, "name: message", location),
// non-strict builtin errors making the expression undefined, timeouts
// (an error, not a hang), deeply recursive or looping policies (a clean error
// or the right value, never a crash), compile-time errors of policies and
// queries, and print() output captured through EvalOptions::print_to.
#include <gtest/gtest.h>
#include <pthread.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "policy/engine.h"
#include "policy/json.h"

namespace {

using namespace std::chrono_literals;
using wartburg::ErrorInfo;
using wartburg::EvalOptions;
using wartburg::PreparedQuery;
using wartburg::QueryRow;
using wartburg::Value;

const char* kModule = R"(package t
c := count(input.x)
d := 1 / input.n
n := to_number(input.s)
neg if not count(input.x) == 1
both := [c, 1]
)";

const char* kInput = R"({"x": 1, "n": 0, "s": "abc"})";

std::vector<QueryRow> run(const std::string& module, const std::string& query, const std::string& input,
                          const EvalOptions& opts = {}) {
  PreparedQuery q(wartburg::compile({{"t.rego", module}}), query);
  return q.eval(input.empty() ? Value() : wartburg::parse_json(input), Value::empty_object(), opts);
}

std::string value(const std::string& module, const std::string& query, const std::string& input = "",
                  const EvalOptions& opts = {}) {
  auto rows = run(module, query, input, opts);
  if (rows.empty()) return "undefined";
  if (rows.size() != 1) return "rows:" + std::to_string(rows.size());
  return wartburg::to_json(rows[0].expressions.at(0).value);
}

ErrorInfo error_of(const std::string& module, const std::string& query, const std::string& input = "",
                   const EvalOptions& opts = {}) {
  try {
    run(module, query, input, opts);
  } catch (const wartburg::Error& e) {
    return e.errors.at(0);
  }
  return ErrorInfo{"no error", "", "", 0, 0};
}

EvalOptions strict() {
  EvalOptions o;
  o.strict_builtin_errors = true;
  return o;
}

// ---------------------------------------------------------------- strict builtin errors

TEST(EvalErrors, StrictTypeError) {
  auto e = error_of(kModule, "data.t.c", kInput, strict());
  EXPECT_EQ(e.code, "eval_type_error");
  EXPECT_EQ(e.message, "count: operand 1 must be one of {array, object, set, string} but got number");
  EXPECT_EQ(e.file, "t.rego");
  EXPECT_EQ(e.row, 2);
}

TEST(EvalErrors, StrictBuiltinError) {
  auto e = error_of(kModule, "data.t.d", kInput, strict());
  EXPECT_EQ(e.code, "eval_builtin_error");
  EXPECT_EQ(e.message, "div: divide by zero");
  EXPECT_EQ(e.row, 3);
  auto n = error_of(kModule, "data.t.n", kInput, strict());
  EXPECT_EQ(n.code, "eval_builtin_error");
  EXPECT_EQ(n.message, R"(to_number: strconv.ParseFloat: parsing "abc": invalid syntax)");
}

TEST(EvalErrors, StrictErrorInQueryExpression) {
  auto e = error_of("package t", "x := input.x; y := upper(x)", kInput, strict());
  EXPECT_EQ(e.code, "eval_type_error");
  EXPECT_EQ(e.message, "upper: operand 1 must be string but got number");
  EXPECT_EQ(e.row, 1);
}

TEST(EvalErrors, StrictErrorInsideNegation) {
  EXPECT_EQ(error_of(kModule, "data.t.neg", kInput, strict()).code, "eval_type_error");
}

TEST(EvalErrors, StrictModeWithoutErrorsIsUnaffected) {
  EXPECT_EQ(value(kModule, "data.t.both", R"({"x": [1, 2]})", strict()), "[2,1]");
}

// ---------------------------------------------------------------- non-strict: undefined

TEST(EvalErrors, NonStrictErrorsAreUndefined) {
  EXPECT_EQ(value(kModule, "data.t.c", kInput), "undefined");
  EXPECT_EQ(value(kModule, "data.t.d", kInput), "undefined");
  EXPECT_EQ(value(kModule, "data.t.n", kInput), "undefined");
  EXPECT_EQ(value(kModule, "data.t.both", kInput), "undefined");
  EXPECT_EQ(value("package t", "x := input.x; y := upper(x)", kInput), "undefined");
}

// OPA evaluates the nested call `count(input.x)` before the negation
// (RewriteExprTerms lifts it out of `not`): its non-strict error makes the
// body fail, the negation is never reached.
TEST(EvalErrors, NonStrictErrorInsideNotFailsTheBody) {
  EXPECT_EQ(value(kModule, "data.t.neg", kInput), "undefined");
  // a reference compared with `==` stays inside the negation (OPA's
  // RewriteEquals makes it `=` first): not succeeds
  EXPECT_EQ(value("package t\nneg if not input.missing_one == 2", "data.t.neg", kInput), "true");
}

TEST(EvalErrors, NonStrictPackageOmitsFailingRules) {
  EXPECT_EQ(value(kModule, "data.t", R"({"x": "ab", "n": 4, "s": "7"})"),
            R"({"both":[2,1],"c":2,"d":0.25,"n":7,"neg":true})");
  EXPECT_EQ(value(kModule, "data.t", kInput), "{}");
}

// ---------------------------------------------------------------- conflicts carry locations

TEST(EvalErrors, ConflictLocation) {
  auto e = error_of("package t\n\np := x if some x in [1, 2]", "data.t.p", "");
  EXPECT_EQ(e.code, "eval_conflict_error");
  EXPECT_EQ(e.file, "t.rego");
  EXPECT_EQ(e.row, 3);
}

// ---------------------------------------------------------------- compile errors

TEST(EvalErrors, RecursionIsACompileError) {
  try {
    wartburg::compile({{"t.rego", "package t\np := q\nq := p"}});
    FAIL() << "expected rego_recursion_error";
  } catch (const wartburg::Error& e) {
    ASSERT_FALSE(e.errors.empty());
    EXPECT_EQ(e.errors[0].code, "rego_recursion_error");
    EXPECT_NE(e.errors[0].message.find("is recursive"), std::string::npos);
  }
}

TEST(EvalErrors, RecursiveFunctionIsACompileError) {
  try {
    wartburg::compile({{"t.rego", "package t\nf(x) := f(x - 1) if x > 0"}});
    FAIL() << "expected rego_recursion_error";
  } catch (const wartburg::Error& e) {
    EXPECT_EQ(e.errors.at(0).code, "rego_recursion_error");
    EXPECT_EQ(e.errors.at(0).message, "rule data.t.f is recursive: data.t.f -> data.t.f");
  }
}

TEST(EvalErrors, QueryErrorsAtPrepare) {
  auto policy = wartburg::compile({{"t.rego", "package t"}});
  try {
    PreparedQuery q(policy, "x := ");
    FAIL() << "expected rego_parse_error";
  } catch (const wartburg::Error& e) {
    EXPECT_EQ(e.errors.at(0).code, "rego_parse_error");
  }
  try {
    PreparedQuery q(policy, "nosuchfn(1)");
    FAIL() << "expected rego_type_error";
  } catch (const wartburg::Error& e) {
    EXPECT_EQ(e.errors.at(0).code, "rego_type_error");
    EXPECT_EQ(e.errors.at(0).message, "undefined function nosuchfn");
  }
  try {
    PreparedQuery q(policy, "x == 1");
    FAIL() << "expected rego_unsafe_var_error";
  } catch (const wartburg::Error& e) {
    EXPECT_EQ(e.errors.at(0).code, "rego_unsafe_var_error");
    EXPECT_EQ(e.errors.at(0).message, "var x is unsafe");
  }
}

// OPA type-checks queries: `x := "a"; y := x + 1` is a rego_type_error
// ("plus: invalid argument(s)") before evaluation.
TEST(EvalErrors, QueryTypeErrorAtPrepare) {
  auto policy = wartburg::compile({{"t.rego", "package t"}});
  try {
    PreparedQuery q(policy, R"(x := "a"; y := x + 1)");
    FAIL() << "expected rego_type_error";
  } catch (const wartburg::Error& e) {
    EXPECT_EQ(e.errors.at(0).code, "rego_type_error");
    EXPECT_EQ(e.errors.at(0).message, "plus: invalid argument(s)\n\thave: (string, number)\n\twant: (number, number)");
  }
  // the same in a rule body; a variable assigned a number is fine
  try {
    wartburg::compile({{"t.rego", "package t\np if {\n  x := \"a\"\n  count(x) > 0\n  z := x + 1\n}\n"}});
    FAIL() << "expected rego_type_error";
  } catch (const wartburg::Error& e) {
    ASSERT_EQ(e.errors.size(), 1u);
    EXPECT_EQ(e.errors[0].row, 5);
  }
  EXPECT_NO_THROW(wartburg::compile({{"t.rego", "package t\np := y if {\n  x := 1\n  y := x + 1\n}\n"}}));
}

// ---------------------------------------------------------------- timeouts

const char* kLoop = R"(package t
r := numbers.range(1, 1000)
loop := count([1 | some a in r; some b in r; some c in r])
slow if { some a in r; some b in r; some c in r; a + b + c == -1 }
)";

TEST(EvalErrors, TimeoutIsAnErrorNotAHang) {
  for (const char* q : {"data.t.loop", "data.t.slow"}) {
    EvalOptions o;
    o.timeout = 100ms;
    auto start = std::chrono::steady_clock::now();
    auto e = error_of(kLoop, q, "", o);
    auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(e.code, "eval_cancel_error") << q;
    EXPECT_LT(elapsed, 5s) << q;
  }
}

TEST(EvalErrors, GenerousTimeoutDoesNotFire) {
  EvalOptions o;
  o.timeout = 60s;
  EXPECT_EQ(value("package t\np := count([x | some x in numbers.range(1, 1000)])", "data.t.p", "", o), "1000");
}

// Since OPA v0.71 (PR #7202) a deadline is reported as
// "eval_cancel_error: context deadline exceeded".
TEST(EvalErrors, TimeoutMessageAsOpa) {
  EvalOptions o;
  o.timeout = 50ms;
  EXPECT_EQ(error_of(kLoop, "data.t.slow", "", o).message, "context deadline exceeded");
}

// ---------------------------------------------------------------- deep recursion

std::string rule_chain(int n, bool with_body) {
  std::string m = "package t\n";
  for (int i = 0; i < n; ++i) {
    std::string next = "p" + std::to_string(i + 1);
    m += "p" + std::to_string(i) + (with_body ? " := x if x := " + next + " + 1\n" : " := " + next + " + 1\n");
  }
  return m + "p" + std::to_string(n) + " := 0\n";
}

// The right value or an Error; anything else (a crash) fails the test run.
std::string value_or_error(const std::string& module, const std::string& query) {
  try {
    return value(module, query);
  } catch (const wartburg::Error& e) {
    return "error:" + e.errors.at(0).code;
  }
}

TEST(EvalErrors, ModeratelyDeepRuleChains) {
  EXPECT_EQ(value(rule_chain(1000, false), "data.t.p0"), "1000");
  EXPECT_EQ(value(rule_chain(1000, true), "data.t.p0"), "1000");
}

TEST(EvalErrors, VeryDeepRuleChainWithBodiesIsCleanError) {
  auto r = value_or_error(rule_chain(20000, true), "data.t.p0");
  EXPECT_TRUE(r == "20000" || r == "error:eval_internal_error") << r;
}

// A chain of 5000 `pN := pN+1 + 1` rules (no bodies) gives its value or a clean error.
TEST(EvalErrors, VeryDeepRuleChainWithoutBodiesDoesNotCrash) {
  auto r = value_or_error(rule_chain(5000, false), "data.t.p0");
  EXPECT_TRUE(r == "5000" || r.rfind("error:", 0) == 0) << r;
}

// 100 000 chained rules: the compiler's recursion check walks the dependency
// graph without native recursion, and evaluation stops with a clean error.
TEST(EvalErrors, HugeRuleChainCompilesAndFailsCleanly) {
  auto r = value_or_error(rule_chain(100000, false), "data.t.p0");
  EXPECT_EQ(r, "error:eval_internal_error");
}

// The native-stack guard follows the thread's own stack: on a thread with a
// 512 KiB stack (a host's small thread pool, `ulimit -s 512`) a deep chain is
// a clean error, not a stack overflow. The guard once assumed 8 MiB stacks.
TEST(EvalErrors, DeepRuleChainOnASmallThreadStackIsCleanError) {
  struct Job {
    std::string module = rule_chain(20000, true);
    std::string result;
    static void* run(void* self) {
      auto* job = static_cast<Job*>(self);
      try {
        job->result = value_or_error(job->module, "data.t.p0");
      } catch (const std::exception& e) {
        job->result = std::string("unexpected: ") + e.what();
      }
      return nullptr;
    }
  } job;
#if defined(__SANITIZE_ADDRESS__)
  const size_t stack = size_t{4} << 20;  // ASan's frames are about 4x larger
#else
  const size_t stack = size_t{512} << 10;
#endif
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, &Job::run, &job), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_EQ(job.result, "error:eval_internal_error");
}

TEST(EvalErrors, DeepInputDocument) {
  std::string deep = std::string(3000, '[') + std::string(3000, ']');
  PreparedQuery q(wartburg::compile({}), "x := count([p | walk(input, [p, v])]); y := input == input");
  auto rows = q.eval(wartburg::parse_json(deep), Value::empty_object());
  ASSERT_EQ(rows.size(), 1u);
  std::string x, y;
  for (const auto& [name, v] : rows[0].bindings) (name == "x" ? x : y) = wartburg::to_json(v);
  EXPECT_EQ(x, "3000");  // one path per nested array
  EXPECT_EQ(y, "true");
}

// BUG: the query parser recurses without a depth limit: a 10000-deep array literal in a
// query overflows the stack (SIGSEGV in Parser::term_atom/term_relation) instead of a
// rego_parse_error or a result.
TEST(EvalErrors, DeeplyNestedQueryLiteralDoesNotCrash) {
  std::string q = "x := " + std::string(10000, '[') + std::string(10000, ']');
  try {
    PreparedQuery pq(wartburg::compile({}), q);
    ADD_FAILURE() << "a 10000-deep literal should be rejected";
  } catch (const wartburg::Error& e) {
    ASSERT_FALSE(e.errors.empty());
    EXPECT_EQ(e.errors[0].code, "rego_parse_error");
    EXPECT_NE(e.errors[0].message.find("maximum depth"), std::string::npos) << e.errors[0].message;
  }
  // 500 levels are fine
  std::string ok = "x := " + std::string(500, '[') + std::string(500, ']');
  PreparedQuery pq(wartburg::compile({}), ok);
  EXPECT_EQ(pq.eval(Value(), Value::empty_object()).size(), 1u);
}

// walk and json.marshal recurse over their operand: on the deepest input the
// JSON reader accepts they still work (walk's 5*10^7 path elements need more
// than the default memory budget: a clean error with it, a result without).
TEST(EvalErrors, BuiltinsOnVeryDeepInputDoNotCrash) {
  // beyond the JSON nesting limit the input is rejected when parsed
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_THROW(wartburg::parse_json(deep), wartburg::ParseError);
  std::string limit = std::string(10000, '[') + std::string(10000, ']');
  Value input = wartburg::parse_json(limit);
  PreparedQuery marshal(wartburg::compile({}), "x := count(json.marshal(input))");
  EXPECT_EQ(marshal.eval(input, Value::empty_object()).size(), 1u);
  PreparedQuery walk(wartburg::compile({}), "x := count([p | walk(input, [p, v])])");
  try {
    walk.eval(input, Value::empty_object());
    ADD_FAILURE() << "walk over 10000 levels fit the default memory budget";
  } catch (const wartburg::Error& e) {
    EXPECT_EQ(e.errors.at(0).code, "eval_cancel_error");
  }
  EvalOptions unlimited;
  unlimited.max_memory = 0;
  EXPECT_EQ(walk.eval(input, Value::empty_object(), unlimited).size(), 1u);
}

// ---------------------------------------------------------------- print

TEST(EvalErrors, PrintGoesToPrintTo) {
  std::ostringstream out;
  EvalOptions o;
  o.print_to = &out;
  const char* m = R"(package t
p if {
  print("hello", 1, [1, "a"], {2, 1}, set(), {"k": "v"}, null, input.missing)
}
)";
  EXPECT_EQ(value(m, "data.t.p", "{}", o), "true");
  EXPECT_EQ(out.str(), "hello 1 [1, \"a\"] {1, 2} set() {\"k\": \"v\"} null <undefined>\n");
}

TEST(EvalErrors, PrintPerIterationAndInQuery) {
  std::ostringstream out;
  EvalOptions o;
  o.print_to = &out;
  const char* m = R"(package t
s contains x if {
  some x in [2, 1]
  print("x =", x)
}
)";
  EXPECT_EQ(value(m, "data.t.s; print(\"done\")", "", o), "[1,2]");
  EXPECT_EQ(out.str(), "x = 2\nx = 1\ndone\n");
}

TEST(EvalErrors, PrintInUndefinedRuleStillPrints) {
  std::ostringstream out;
  EvalOptions o;
  o.print_to = &out;
  EXPECT_EQ(value("package t\np if { print(\"before\"); false }", "data.t.p", "", o), "undefined");
  EXPECT_EQ(out.str(), "before\n");
}

TEST(EvalErrors, PrintNothing) {
  std::ostringstream out;
  EvalOptions o;
  o.print_to = &out;
  EXPECT_EQ(value("package t", "print()", "", o), "true");
  EXPECT_EQ(out.str(), "\n");
}

}  // namespace
