// Compiler strict mode (`wartburg check --strict`, OPA's `opa check -S`): the
// extra checks OPA's strict mode enforces on modules that compile cleanly:
//   unused imports                     "import data.foo unused"
//   input/data shadowing               "rules must not shadow input (use a different rule name)",
//                                      "variables must not shadow data (use a different variable name)",
//                                      "args must not shadow input (use a different variable name)"
//   duplicate imports                  "import must not shadow import data.foo"
//   unused local assignments and args  "assigned var x unused",
//                                      "unused argument x. (hint: use _ (wildcard variable) instead)"
//   deprecated builtins                "deprecated built-in function calls in expression: any"
// All are rego_compile_error except the last (rego_type_error). As OPA runs
// them in separate compiler stages and stops after the first stage that
// fails, only the errors of the first failing group (in the order above) are
// returned.
#pragma once

#include <vector>

#include "lang/compiler.h"
#include "policy/error.h"

namespace wartburg::lang {

// Strict-mode errors of successfully compiled modules. The rule index stage
// moves guard expressions out of rule bodies, so the modules are parsed again
// from their sources and resolved (build_rule_tree, resolve_refs) before the
// walk; `compiled` itself is not modified.
std::vector<ErrorInfo> strict_checks(const CompiledModules& compiled);

// The same checks on modules after resolve_refs and before build_indexes
// (the AST still holds every body expression).
std::vector<ErrorInfo> strict_checks_resolved(const CompiledModules& resolved);

// OPA's CheckRegoV1 as `opa fmt --v0-v1` runs it on a module parsed as v0:
// duplicate imports, input/data shadowing, deprecated builtins (by name) and
// v1 keywords as rule or variable names ("if keyword cannot be used for rule
// name", "... as a variable name").
std::vector<ErrorInfo> rego_v1_checks(const Module& m);

}  // namespace wartburg::lang
