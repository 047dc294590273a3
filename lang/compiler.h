// Compiler: parsed modules -> an immutable compiled policy. It runs an
// explicit, ordered list of named stages (see kStages in compiler.cpp), each
// of which is also callable alone from tests:
//   build_rule_tree       place rules in the data tree, reject conflicting kinds
//   resolve_refs          imports, rule names, input/data, builtins; local var slots
//   fold_metadata         check METADATA annotations; rego.metadata.rule()/chain() -> constants (annotations.h)
//   check_safety          reorder body expressions so variables are bound before use
//   check_recursion       reject recursive rule dependencies
//   check_types           builtin/function arity and known functions
//   build_indexes         rule indexes on equality tests against constants
#pragma once

#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "lang/ast.h"
#include "lang/parser.h"

namespace wartburg::lang {

// Equality index over the rules of a node: every rule has a guard on the
// same path (e.g. input.user == "..."), so one lookup selects the candidates.
struct RuleIndex {
  Guard test;                                      // path of the common guard (value unused)
  std::map<Value, std::vector<const Rule*>> by_value;
};

// One node of the data tree that rules define. A node owns the rules whose
// constant head prefix ends at it; rules with variables in their head ref
// (partial objects, `a.b[x].c := v`) are "dynamic" rules of the node.
struct RuleNode {
  std::string key;
  std::vector<std::string> path;  // below data
  std::string path_text;          // data.a.b
  int id = 0;                     // dense index (0 = root), for per-evaluation memo tables
  std::map<std::string, std::unique_ptr<RuleNode>, std::less<>> children;
  std::vector<const Rule*> rules;   // non-default rules (each may have an else chain)
  const Rule* default_rule = nullptr;
  bool is_function = false;
  bool multi_value = false;         // partial set
  bool dynamic = false;             // some rule has head segments after this node
  bool package = false;             // a module declares this package (its document is an object)
  int arity = 0;
  std::unique_ptr<RuleIndex> index;

  const RuleNode* child(std::string_view k) const {
    auto it = children.find(k);
    return it == children.end() ? nullptr : it->second.get();
  }
  bool has_rules() const { return !rules.empty() || default_rule; }
};

struct CompiledModules {
  std::vector<ModulePtr> modules;
  std::set<std::string> disabled_builtins;  // switched off by configuration (queries check them too)
  std::unique_ptr<RuleNode> root;
  int num_nodes = 1;
};

struct CompiledQuery {
  Query query;
  int num_slots = 0;
  std::vector<std::pair<std::string, int>> outputs;  // user-visible variables and their slots
};

struct CompileSettings {
  bool v0 = false;
  std::set<std::string> disabled_builtins;  // calls to these are compile errors
  bool rename_duplicate_tests = false;       // test_x, test_x#01, test_x#02 (wartburg test)
};

// Full pipeline; throws wartburg::Error with every problem found.
std::shared_ptr<CompiledModules> compile_modules(std::vector<ModulePtr> modules, const CompileSettings& s = {});
CompiledQuery compile_query(const CompiledModules& policy, Query q, const CompileSettings& s = {});

// ---- the stages, exposed for unit tests ----
struct CompileState {
  CompiledModules* out = nullptr;
  const std::set<std::string>* disabled_builtins = nullptr;
  std::vector<ErrorInfo> errors;
  void error(const char* code, const std::string& msg, const Location& loc);
};

void build_rule_tree(CompileState& st);
void resolve_refs(CompileState& st);
void check_safety(CompileState& st);
void lift_dynamic_terms(CompileState& st);
void rewrite_comprehension_heads(CompileState& st);
void check_recursion(CompileState& st);
void check_types(CompileState& st);
void build_indexes(CompileState& st);

// Per-body pieces used by the stages and by compile_query.
struct Scope;
void resolve_rule(CompileState& st, const Module& m, Rule& r);
int resolve_query(CompileState& st, const CompiledModules& policy, Body& body,
                  std::vector<std::pair<std::string, int>>& outputs);
// Reorders `body` so that each expression's inputs are bound; `bound` holds the
// slots bound on entry and receives those bound after the body.
bool order_body(CompileState& st, Body& body, std::vector<bool>& bound);
void check_types_in_body(CompileState& st, const Body& body);
// lift_dynamic_terms for one (ordered) body; new variables get slots from num_slots on.
void lift_body(Body& body, int& num_slots, bool lift_negations);
void rewrite_comprehension_heads_in(Body& body, int& num_slots);

const RuleNode* find_node(const RuleNode& root, const std::vector<std::string>& path);

}  // namespace wartburg::lang
