// Engine tests for precompiled plans (save_plan / load_plan): a policy loaded
// from its plan decides exactly as the compiled sources do — the policy
// library (sample admission reviews, API requests, every test_ rule) and
// tricky constructs (functions, else, every, with, comprehensions, ref heads,
// partial sets/objects, defaults, indexed rules) — with the same error
// locations, rule lists, coverage and print output; load_plan checks the Rego
// version and disabled builtins; edited plans never crash an evaluation.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/policy/plan_fixture.h"
#include "lang/plan.h"
#include "policy/engine.h"
#include "policy/json.h"
#include "policy/loader.h"

namespace {

namespace fs = std::filesystem;
using wartburg::CompileOptions;
using wartburg::Error;
using wartburg::EvalOptions;
using wartburg::Policy;
using wartburg::PreparedQuery;
using wartburg::QueryRow;
using wartburg::SourceFile;
using wartburg::Value;

const std::string kTricky = std::string(wartburg::testing_fixtures::kTrickyPolicyHead) + R"(grades := [grade(n) | some n in input.nums]
many := [f(n) | some n in input.nums]

consts := {1: "one", [1, 2]: {"a": {3, 4}}, {"x"}: null, 1.5: 12345678901234567890123, "f": 0.1,
  "exact": [0.1234567890123456789, 1e-400, 1e400]}

route := "a" if input.method == "GET"
route := "b" if input.method == "POST"
route := "c" if input.method == "PUT"
route := "d" if input.method == "DELETE"

kind(x) := 1 if x.type == "a"
kind(x) := 2 if x.type == "b"
kinds := [kind(s) | some s in input.servers]

base_and_rules := data.config.limit + 1

said if print("user", input.user)
)";

const char* kHelpers = R"(package lib.helpers

double(x) := x * 2
)";

const std::vector<std::string> kTrickyInputs = {
    R"({})",
    R"({"user": "admin", "method": "GET"})",
    R"({"user": "bob", "role": "ops", "groups": ["g"], "method": "POST", "names": ["ann", "bo"],
        "nums": [1, 2, 3, 95, 85], "map": {"a": 1, "b": [2]},
        "servers": [{"id": "s1", "env": "prod", "type": "a"}, {"id": "s2", "env": "dev", "type": "b"}]})",
    R"({"role": "sre", "groups": [], "method": "DELETE", "nums": [-1, 0], "servers": []})",
};

const char* kData = R"({"config": {"limit": 10}, "tricky": {"base": true}})";

fs::path policies_dir() { return fs::path(__FILE__).parent_path() / "../../policies"; }

std::shared_ptr<const Policy> from_plan(const std::shared_ptr<const Policy>& p, const CompileOptions& opts = {}) {
  return wartburg::load_plan(wartburg::save_plan(*p), opts);
}

// Everything a caller sees of an evaluation: rows (values, texts, positions,
// bindings), or the error text.
std::string outcome(const std::shared_ptr<const Policy>& policy, const std::string& query, const Value& input,
                    const Value& data, EvalOptions eo = {}) {
  std::ostringstream out, printed;
  if (!eo.print_to) eo.print_to = &printed;
  try {
    PreparedQuery q(policy, query);
    for (const QueryRow& row : q.eval(input, data, eo)) {
      out << "row:";
      for (const auto& e : row.expressions) {
        out << " [" << wartburg::to_rego(e.value) << " " << e.text << " " << e.row << ":" << e.col << "]";
      }
      for (const auto& [name, v] : row.bindings) out << " " << name << "=" << wartburg::to_rego(v);
      out << "\n";
    }
  } catch (const Error& e) {
    out << "error: " << e.what();
  }
  return out.str();
}

// Evaluates `query` on both policies and expects identical outcomes.
void expect_same(const std::shared_ptr<const Policy>& compiled, const std::shared_ptr<const Policy>& loaded,
                 const std::string& query, const Value& input, const Value& data = Value::empty_object()) {
  std::string want = outcome(compiled, query, input, data);
  EXPECT_EQ(outcome(loaded, query, input, data), want) << "query: " << query << "\ninput: " << to_json(input);
}

std::shared_ptr<const Policy> tricky() {
  return wartburg::compile({{"tricky.rego", kTricky}, {"lib/helpers.rego", kHelpers}});
}

TEST(EvalPlan, KubernetesAdmissionDecisions) {
  auto files = wartburg::load_paths({(policies_dir() / "kubernetes").string()});
  auto compiled = wartburg::compile(files.modules);
  auto loaded = from_plan(compiled);
  for (const char* review : {"denied", "allowed"}) {
    std::string text = wartburg::read_file((policies_dir() / "kubernetes/testdata" / review / "admission_review.json").string());
    Value input = wartburg::parse_json(text);
    expect_same(compiled, loaded, "data.kubernetes.admission.response", input, files.data);
    expect_same(compiled, loaded, "data.kubernetes.library.response", input, files.data);
    expect_same(compiled, loaded, "data.kubernetes", input, files.data);
    expect_same(compiled, loaded, "x := data.kubernetes.admission.deny[_]", input, files.data);
  }
  // the denied review is denied for three reasons
  std::string text = wartburg::read_file((policies_dir() / "kubernetes/testdata/denied/admission_review.json").string());
  EXPECT_EQ(outcome(loaded, "count(data.kubernetes.admission.deny)", wartburg::parse_json(text), files.data),
            "row: [3 count(data.kubernetes.admission.deny) 1:1]\n");
}

TEST(EvalPlan, ApiDecisions) {
  auto files = wartburg::load_paths({(policies_dir() / "api").string()});
  auto compiled = wartburg::compile(files.modules);
  auto loaded = from_plan(compiled);
  for (const char* req : {"allowed", "denied"}) {
    Value input = wartburg::parse_json(wartburg::read_file((policies_dir() / "api/testdata" / req / "request.json").string()));
    expect_same(compiled, loaded, "data.envoy.authz.allow", input, files.data);
    expect_same(compiled, loaded, "data.api.rbac.decision", input, files.data);
    expect_same(compiled, loaded, "data.api", input, files.data);
  }
}

TEST(EvalPlan, EveryLibraryTestPassesOnThePlan) {
  auto files = wartburg::load_paths({policies_dir().string()});
  auto compiled = wartburg::compile(files.modules);
  auto loaded = from_plan(compiled);
  int tests = 0;
  for (const auto& r : wartburg::list_rules(*loaded)) {
    if (r.name.rfind("test_", 0) != 0) continue;
    ++tests;
    std::string got = outcome(loaded, r.path, Value(), files.data);
    EXPECT_EQ(got, outcome(compiled, r.path, Value(), files.data)) << r.path;
    EXPECT_EQ(got.rfind("row: [true ", 0), 0u) << r.path << ": " << got;
  }
  EXPECT_GT(tests, 50);
}

TEST(EvalPlan, TrickyConstructsDecideTheSame) {
  auto compiled = tricky();
  auto loaded = from_plan(compiled);
  Value data = wartburg::parse_json(kData);
  const std::vector<std::string> queries = {
      "data.tricky",
      "data.tricky.allow",
      "data.tricky.servers",
      "data.tricky.servers.prod[id]",
      "x := [1, 2, 3, 4][_]; y := data.tricky.f(x)",
      "data.tricky.grade(85, g)",
      "data.tricky.names[n]",
      "data.tricky.by_len[k] = v",
      "some k; data.tricky.kinds[k] == 2",
      "data.tricky.route",
      "data.tricky.consts[k]",
      "data.tricky.mocked_allow with input.user as \"x\"",
      "data.tricky.allow with data.tricky.grade as \"mock\"",
      "data.tricky.grades with data.tricky.grade as data.tricky.mock_grade",
      "not data.tricky.all_positive",
      "data.lib.helpers.double(input.nums[_], d)",
      "data.tricky.base_and_rules",
  };
  for (const auto& in : kTrickyInputs) {
    Value input = wartburg::parse_json(in);
    for (const auto& q : queries) expect_same(compiled, loaded, q, input, data);
  }
  // spot checks of the loaded policy itself
  Value input = wartburg::parse_json(kTrickyInputs[2]);
  EXPECT_EQ(outcome(loaded, "data.tricky.grades", input, data),
            "row: [[\"C\", \"C\", \"C\", \"A\", \"B\"] data.tricky.grades 1:1]\n");
  EXPECT_EQ(outcome(loaded, "data.tricky.mocked_count", input, data), "row: [42 data.tricky.mocked_count 1:1]\n");
  EXPECT_EQ(outcome(loaded, "data.tricky.route", input, data), "row: [\"b\" data.tricky.route 1:1]\n");
}

TEST(EvalPlan, ErrorsKeepTheirLocations) {
  std::vector<SourceFile> src = {{"errs.rego", R"(package errs

half := input.n / input.d

p := 1 if input.a
p := 2 if input.b

v := x if {
  x := to_number(input.s)
}
)"}};
  auto compiled = wartburg::compile(src);
  auto loaded = from_plan(compiled);
  Value input = wartburg::parse_json(R"({"n": 1, "d": 0, "a": true, "b": true, "s": "nope"})");
  EvalOptions strict;
  strict.strict_builtin_errors = true;
  for (const char* q : {"data.errs.half", "data.errs.p", "data.errs.v"}) {
    std::string want = outcome(compiled, q, input, Value::empty_object(), strict);
    EXPECT_NE(want.find("error: errs.rego:"), std::string::npos) << want;
    EXPECT_EQ(outcome(loaded, q, input, Value::empty_object(), strict), want);
  }
}

TEST(EvalPlan, RulesCoverageAndPrintAreTheSame) {
  auto compiled = tricky();
  auto loaded = from_plan(compiled);
  auto a = wartburg::list_rules(*compiled), b = wartburg::list_rules(*loaded);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(b[i].path, a[i].path);
    EXPECT_EQ(b[i].name, a[i].name);
    EXPECT_EQ(b[i].file, a[i].file);
    EXPECT_EQ(b[i].row, a[i].row);
    EXPECT_EQ(b[i].col, a[i].col);
    EXPECT_EQ(b[i].is_function, a[i].is_function);
  }
  EXPECT_EQ(wartburg::coverable_lines(*loaded), wartburg::coverable_lines(*compiled));

  Value input = wartburg::parse_json(kTrickyInputs[2]);
  wartburg::SourceLines cov_a, cov_b;
  std::ostringstream print_a, print_b;
  EvalOptions ea, eb;
  ea.coverage = &cov_a;
  ea.print_to = &print_a;
  eb.coverage = &cov_b;
  eb.print_to = &print_b;
  Value data = wartburg::parse_json(kData);
  EXPECT_EQ(outcome(loaded, "data.tricky", input, data, eb), outcome(compiled, "data.tricky", input, data, ea));
  EXPECT_EQ(cov_b, cov_a);
  EXPECT_FALSE(cov_a.empty());
  EXPECT_EQ(print_b.str(), print_a.str());
  EXPECT_NE(print_a.str().find("user bob"), std::string::npos);
}

TEST(EvalPlan, PlanOfAPlanLoadedPolicyStillLoads) {
  auto twice = from_plan(from_plan(tricky()));
  Value input = wartburg::parse_json(kTrickyInputs[2]);
  EXPECT_EQ(outcome(twice, "data.tricky.route", input, Value::empty_object()), "row: [\"b\" data.tricky.route 1:1]\n");
}

TEST(EvalPlan, LoadChecksRegoVersionAndDisabledBuiltins) {
  std::string plan = wartburg::save_plan(*tricky());
  CompileOptions v0;
  v0.v0_compatible = true;
  try {
    wartburg::load_plan(plan, v0);
    FAIL() << "a v1 plan loaded as v0";
  } catch (const Error& e) {
    EXPECT_EQ(e.errors.front().code, "plan_error");
    EXPECT_EQ(e.errors.front().message, "plan was compiled as Rego v1, wanted Rego v0");
  }
  CompileOptions disabled;
  disabled.disabled_builtins = {"upper"};
  try {
    wartburg::load_plan(plan, disabled);
    FAIL() << "a plan calling a disabled builtin loaded";
  } catch (const Error& e) {
    EXPECT_EQ(e.errors.front().message, "plan calls builtin upper, which is disabled");
  }
  disabled.disabled_builtins = {"http.send"};
  auto p = wartburg::load_plan(plan, disabled);
  // queries against the loaded policy may not call them either (as after compile)
  try {
    PreparedQuery q(p, "http.send({\"method\": \"get\", \"url\": \"http://127.0.0.1:1\"})");
    FAIL() << "a query calling a disabled builtin compiled";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("builtin http.send is disabled by configuration"), std::string::npos)
        << e.what();
  }
  CompileOptions rename;
  rename.rename_duplicate_tests = true;
  EXPECT_THROW(wartburg::load_plan(plan, rename), Error);

  auto v0_policy = wartburg::compile({{"v0.rego", "package v0\n\np[x] { x := input.xs[_] }\n"}}, v0);
  auto loaded = from_plan(v0_policy, v0);
  Value input = wartburg::parse_json(R"({"xs": [2, 1]})");
  expect_same(v0_policy, loaded, "data.v0.p", input);
  EXPECT_THROW(from_plan(v0_policy), Error);
}

TEST(EvalPlan, ForeignBytesAreAClearError) {
  try {
    wartburg::load_plan("package x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "plan_error: not a wartburg plan (bad magic bytes)");
  }
}

// Plans edited past the checksum either fail to load or evaluate without crashing.
TEST(EvalPlan, EditedPlansNeverCrashEvaluation) {
  std::string plan = wartburg::save_plan(*tricky());
  size_t start = plan.find("lib/helpers.rego");
  ASSERT_NE(start, std::string::npos);
  Value input = wartburg::parse_json(kTrickyInputs[2]);
  Value data = wartburg::parse_json(kData);
  EvalOptions eo;
  eo.timeout = std::chrono::seconds(2);
  std::ostringstream sink;
  eo.print_to = &sink;
  int evaluated = 0;
  for (size_t i = start; i + 8 < plan.size(); i += 5) {
    for (uint8_t edit : {0x00, 0x01, 0x03, 0x41, 0x80}) {
      std::string bad = plan;
      bad[i] = static_cast<char>(edit);
      wartburg::lang::seal_plan(bad);
      std::shared_ptr<const Policy> p;
      try {
        p = wartburg::load_plan(bad);
      } catch (const Error&) {
        continue;
      }
      ++evaluated;
      outcome(p, "data.tricky", input, data, eo);  // any result or error, but no crash
      outcome(p, "data.lib", input, data, eo);
    }
  }
  EXPECT_GT(evaluated, 10);
}

}  // namespace
