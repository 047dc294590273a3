// Precompiled plans: a compact binary form of compiled modules (the annotated
// AST after every compiler stage: slots, resolved targets, reordered bodies,
// guards), so a policy can be loaded without parsing and compiling it again.
// `wartburg build` stores one in bundles as /plan.wartburg.
//
// Layout: "WBGPLAN\0", format version (u32), wartburg version, AST layout
// fingerprint, the digest of the module sources the plan was compiled from,
// flags (v0), the module table (file, package) and then the modules; the last
// 8 bytes are a checksum of everything before them. Builtins are stored by name
// and relinked through the builtin registry; rule-tree pointers are stored as
// node paths and relinked after the rule tree is rebuilt (build_rule_tree,
// build_indexes). Reading never trusts the bytes: every read is bounds-checked
// and the structure the evaluator relies on is validated; any problem throws
// wartburg::Error with code "plan_error".
#pragma once

#include "policy/version.h"
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lang/compiler.h"

namespace wartburg::lang {

// The wartburg release that writes and reads plans (a plan from another
// release is rejected: the AST and its annotations may differ).
inline constexpr std::string_view kWartburgVersion = wartburg::kVersion;
inline constexpr uint32_t kPlanFormatVersion = 1;
// Name of the plan file inside a bundle (at its root).
inline constexpr std::string_view kPlanFileName = "plan.wartburg";

// The header of a plan: readable without loading the modules.
struct PlanInfo {
  uint32_t format_version = 0;
  std::string wartburg_version;
  std::string sources_digest;  // see sources_digest(); empty when unknown
  bool v0 = false;             // the modules were compiled as Rego v0
  struct ModuleEntry {
    std::string file;
    std::vector<std::string> package;  // path below data
  };
  std::vector<ModuleEntry> modules;
};

// Hex SHA-256 over (name, text) of every module, taken in name order: ties a
// plan to the exact sources it was compiled from.
std::string sources_digest(std::vector<std::pair<std::string_view, std::string_view>> files);

// Serializes compiled modules. `digest` is recorded as the sources digest; when
// empty it is computed from the modules' file names and sources (left empty if
// a module has no source text, e.g. one that was itself loaded from a plan).
std::string write_plan(const CompiledModules& compiled, std::string_view digest = {});

// The header and module table; checks magic, versions and the checksum.
// Throws Error (plan_error).
PlanInfo read_plan_info(std::string_view bytes);

// Loads compiled modules from a plan (the header is checked as read_plan_info
// does). Throws Error (plan_error) for another version, corruption, an unknown
// builtin or an inconsistent structure.
std::shared_ptr<CompiledModules> read_plan(std::string_view bytes);

// Recomputes the trailing checksum of edited plan bytes (for tests that check
// the reader's validation beyond the checksum).
void seal_plan(std::string& bytes);

// Names of the builtins the compiled modules call (for disabled-builtin checks).
std::vector<std::string> called_builtins(const CompiledModules& compiled);

}  // namespace wartburg::lang
