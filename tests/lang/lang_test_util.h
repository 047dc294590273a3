// Shared helpers for the front-end unit tests (tests/lang/*_test.cpp): parse
// modules, run the compiler stages in order up to a chosen one, and find
// terms/rules/nodes in the annotated AST.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lang/compiler.h"
#include "lang/parser.h"
#include "policy/error.h"

namespace wartburg::lang::testing {

enum class Upto { RuleTree, Resolve, Safety, Recursion, Types, Indexes };

// Parsed modules plus the compile state after running stages up to `upto`.
struct Staged {
  std::unique_ptr<CompiledModules> cm = std::make_unique<CompiledModules>();
  CompileState st;

  const Module& mod(size_t i = 0) const { return *cm->modules.at(i); }
  Rule& rule(size_t i, size_t m = 0) const { return *cm->modules.at(m)->rules.at(i); }
  const RuleNode* node(const std::vector<std::string>& path) const { return find_node(*cm->root, path); }
  bool has_error(const std::string& code) const {
    for (const auto& e : st.errors) {
      if (e.code == code) return true;
    }
    return false;
  }
  std::string errors_text() const {
    std::string s;
    for (const auto& e : st.errors) s += e.to_string() + "\n";
    return s;
  }
};

inline std::unique_ptr<Staged> stage_modules(const std::vector<std::string>& sources, Upto upto, bool v0 = false) {
  auto s = std::make_unique<Staged>();
  ParseOptions po;
  po.v0 = v0;
  for (size_t i = 0; i < sources.size(); ++i) {
    s->cm->modules.push_back(parse_module("m" + std::to_string(i) + ".rego", sources[i], po));
  }
  s->st.out = s->cm.get();
  void (*stages[])(CompileState&) = {build_rule_tree, resolve_refs,  check_safety,
                                     check_recursion, check_types,   build_indexes};
  for (int i = 0; i <= static_cast<int>(upto); ++i) stages[i](s->st);
  return s;
}

inline std::unique_ptr<Staged> stage(const std::string& source, Upto upto, bool v0 = false) {
  return stage_modules(std::vector<std::string>{source}, upto, v0);
}

// Depth-first visit of every term below `t` (including comprehension bodies).
inline void visit_term(const Term& t, const std::function<void(const Term&)>& f);

inline void visit_body(const Body& b, const std::function<void(const Term&)>& f) {
  for (const auto& e : b) {
    for (const auto* p : {&e.term, &e.lhs, &e.rhs, &e.key, &e.val, &e.coll}) {
      if (*p) visit_term(**p, f);
    }
    for (const auto& v : e.vars) visit_term(*v, f);
    if (e.body) visit_body(*e.body, f);
    for (const auto& w : e.withs) {
      visit_term(*w.target, f);
      visit_term(*w.value, f);
    }
  }
}

inline void visit_term(const Term& t, const std::function<void(const Term&)>& f) {
  f(t);
  for (const auto& i : t.items) visit_term(*i, f);
  if (t.head) visit_term(*t.head, f);
  if (t.value_term) visit_term(*t.value_term, f);
  if (t.body) visit_body(*t.body, f);
}

inline void visit_rule(const Rule& r, const std::function<void(const Term&)>& f) {
  for (const auto& t : r.ref) visit_term(*t, f);
  for (const auto& t : r.args) visit_term(*t, f);
  if (r.key) visit_term(*r.key, f);
  if (r.value) visit_term(*r.value, f);
  visit_body(r.body, f);
}

// All Var terms named `name` in a rule.
inline std::vector<const Term*> vars_named(const Rule& r, const std::string& name) {
  std::vector<const Term*> out;
  visit_rule(r, [&](const Term& t) {
    if (t.kind == TermKind::Var && t.name == name) out.push_back(&t);
  });
  return out;
}

// All Call terms whose operator text is `name` in a rule.
inline std::vector<const Term*> calls_named(const Rule& r, const std::string& name) {
  std::vector<const Term*> out;
  visit_rule(r, [&](const Term& t) {
    if (t.kind == TermKind::Call && t.name == name) out.push_back(&t);
  });
  return out;
}

// Runs `f` and returns the first error of the wartburg::Error it throws
// (fails the test if nothing is thrown).
template <class F>
ErrorInfo first_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    if (e.errors.empty()) return ErrorInfo{"<no errors>", "", "", 0, 0};
    return e.errors.front();
  }
  ADD_FAILURE() << "expected wartburg::Error";
  return ErrorInfo{};
}

inline ErrorInfo parse_error(const std::string& src, bool v0 = false) {
  ParseOptions po;
  po.v0 = v0;
  return first_error([&] { parse_module("p.rego", src, po); });
}

}  // namespace wartburg::lang::testing
