// The public face of the decision engine: compile Rego modules once into an
// immutable Policy, prepare a query against it once, evaluate it many times
// (from many threads) with an input and a data document.
#pragma once

#include <chrono>
#include <memory>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "policy/error.h"
#include "policy/limits.h"
#include "policy/value.h"

namespace wartburg {

struct SourceFile {
  std::string name;  // file name as shown in errors
  std::string text;
};

struct CompileOptions {
  bool v0_compatible = false;
  // Builtins switched off by configuration (e.g. http.send, net.lookup_ip_addr,
  // time.now_ns): a policy that calls one fails to compile with a clear error.
  std::set<std::string> disabled_builtins;
  // `wartburg test`: the 2nd, 3rd, ... definition of a test_* rule in a package
  // is renamed test_x#01, test_x#02, ... so each definition runs as its own test (as opa test).
  bool rename_duplicate_tests = false;
};

class Policy;  // immutable compiled modules (opaque)

// Parses and compiles modules. Throws Error with every problem found.
std::shared_ptr<const Policy> compile(const std::vector<SourceFile>& modules, const CompileOptions& opts = {});

// A rule of a compiled policy, for tools (`wartburg test` finds test_* rules).
struct RuleInfo {
  std::string path;     // "data.pkg.test_x" (the rule's document)
  std::string name;     // last segment, e.g. "test_x"
  std::string file;
  int row = 0;
  int col = 0;
  bool is_function = false;
};
// Every rule definition (each definition of a multi-definition rule is listed once, in source order).
std::vector<RuleInfo> list_rules(const Policy& policy);

// Source lines as (file, row): for coverage reports.
using SourceLines = std::set<std::pair<std::string, int>>;
// Lines a coverage report counts: every rule head and every body expression.
SourceLines coverable_lines(const Policy& policy);

// Compiler strict mode (`check --strict`): OPA's strict-mode errors of a compiled
// policy (unused imports and locals, input/data shadowing, duplicate imports,
// deprecated builtins). Empty when the policy is strict-clean.
std::vector<ErrorInfo> strict_errors(const Policy& policy);

struct EvalOptions {
  SourceLines* coverage = nullptr;       // when set: receives the lines of expressions evaluated
                                          // and of rule heads that produced a value (as OPA's coverage)
  bool strict_builtin_errors = false;
  // Limits (policy/limits.h): a deadline, the bytes of values the evaluation
  // may build, the size of one value a builtin may produce; 0: no limit.
  // Exceeding one raises eval_cancel_error / eval_builtin_error naming it.
  std::chrono::nanoseconds timeout{0};  // 0: no deadline
  uint64_t max_memory = EvalLimits::kDefaultMemoryBytes;
  uint64_t max_value_size = EvalLimits::kDefaultValueBytes;
  std::ostream* print_to = nullptr;      // print() output; nullptr: stderr
};

// The limits as evaluation options (servers keep one EvalLimits per endpoint).
inline EvalOptions eval_options(const EvalLimits& l) {
  EvalOptions o;
  o.timeout = l.timeout;
  o.max_memory = l.memory_bytes;
  o.max_value_size = l.value_bytes;
  return o;
}

struct ExpressionValue {
  Value value;
  std::string text;
  int row = 1;
  int col = 1;
};

struct QueryRow {
  std::vector<ExpressionValue> expressions;
  std::vector<std::pair<std::string, Value>> bindings;  // user-visible query variables
};

class PreparedQueryImpl;

// A query compiled against a policy. Immutable, thread-safe to evaluate.
class PreparedQuery {
 public:
  // Throws Error (rego_parse_error, rego_compile_error, ...).
  PreparedQuery(std::shared_ptr<const Policy> policy, const std::string& query, const CompileOptions& opts = {});
  ~PreparedQuery();
  PreparedQuery(PreparedQuery&&) noexcept;
  PreparedQuery& operator=(PreparedQuery&&) noexcept;

  // input: Undefined when there is no input. Throws Error for evaluation errors.
  std::vector<QueryRow> eval(const Value& input, const Value& data, const EvalOptions& opts = {}) const;

 private:
  std::unique_ptr<PreparedQueryImpl> impl_;
};

// Precompiled plans (lang/plan.h; `wartburg build` puts one in bundles).
// save_plan serializes a compiled policy; load_plan loads one without parsing
// or compiling and stands for compile(sources, opts): it throws Error
// (plan_error) when the plan is from another wartburg version, corrupt, was
// compiled for another Rego version than opts.v0_compatible, or calls a
// builtin in opts.disabled_builtins.
std::string save_plan(const Policy& policy);
std::shared_ptr<const Policy> load_plan(std::string_view bytes, const CompileOptions& opts = {});

}  // namespace wartburg
