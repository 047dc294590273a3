// Stages check_types and build_indexes: calls name known functions with the
// right number of operands; equality tests against constants are indexed.
#include <algorithm>
#include <map>
#include <memory>

#include "lang/compiler.h"
#include "policy/builtins/registry.h"

namespace wartburg::lang {

namespace {

// Types of local variables known from constants they were assigned
// (`x := "a"`), by frame slot: a later `x + 1` is a type error at compile
// time, as in OPA's type checker. Nested bodies start from a copy.
using VarTypes = std::map<int, std::string>;

void check_term(CompileState& st, const Term& t, const VarTypes& types, bool statement = false);

void learn_type(const TermPtr& var, const TermPtr& value, VarTypes& types) {
  if (var && value && var->kind == TermKind::Var && var->slot >= 0 && value->ground && value->value.defined()) {
    types[var->slot] = kind_name(value->value.kind());
  }
}

// The static type of a term as OPA prints it, where this checker knows it.
std::string static_type(const Term& t, const VarTypes& types) {
  if (t.ground && t.value.defined()) {
    if (!t.value.is_array()) return kind_name(t.value.kind());
    std::string s = "array<";
    for (size_t i = 0; i < t.value.items().size(); ++i) {
      s += (i ? ", " : "") + std::string(kind_name(t.value.items()[i].kind()));
    }
    return s + ">";
  }
  if (t.kind == TermKind::Array) {
    std::string s = "array<";
    for (size_t i = 0; i < t.items.size(); ++i) s += (i ? ", " : "") + static_type(*t.items[i], types);
    return s + ">";
  }
  if (t.kind == TermKind::Var && t.slot >= 0) {
    auto it = types.find(t.slot);
    if (it != types.end()) return it->second;
  }
  return "any";
}

// Length of an array literal (or constant array) term; -1 for anything else.
long array_length(const Term& t) {
  if (t.ground && t.value.defined()) return t.value.is_array() ? static_cast<long>(t.value.items().size()) : -1;
  return t.kind == TermKind::Array ? static_cast<long>(t.items.size()) : -1;
}

// `[x, y] = [1, 2, 3]` can never unify: OPA's type checker reports a match error.
void check_unify(CompileState& st, const Expr& e, const VarTypes& types) {
  long a = array_length(*e.lhs), b = array_length(*e.rhs);
  if (a < 0 || b < 0 || a == b) return;
  st.error("rego_type_error",
           "match error\n\tleft  : " + static_type(*e.lhs, types) + "\n\tright : " + static_type(*e.rhs, types), e.loc);
}

void check_body(CompileState& st, const Body& b, VarTypes types = {}) {
  for (const auto& e : b) {
    if (e.kind == ExprKind::Unify || e.kind == ExprKind::Assign) check_unify(st, e, types);
    for (const auto* t : {&e.term, &e.lhs, &e.rhs, &e.key, &e.val, &e.coll}) {
      // only a call that is the expression itself may have an output operand
      if (*t) check_term(st, **t, types, t == &e.term && e.kind == ExprKind::Term);
    }
    if (e.body) check_body(st, *e.body, types);
    for (const auto& w : e.withs) check_term(st, *w.value, types);
    if ((e.kind == ExprKind::Assign || e.kind == ExprKind::Unify) && e.withs.empty()) {
      learn_type(e.lhs, e.rhs, types);
      learn_type(e.rhs, e.lhs, types);
    }
  }
}

// As OPA, which lifts a nested call `f(a, b)` into `f(a, b, __local0__)`:
// a call used as a term takes exactly its arity, one that is the expression
// itself may add the output operand.
void check_call(CompileState& st, const Term& t, bool statement) {
  int arity = -1;
  if (t.target == Target::Function && t.node) arity = t.node->arity;
  else if (t.builtin) arity = t.builtin->arity;
  else if (t.name == "internal.member_2") arity = 2;
  if (arity < 0) return;
  int n = static_cast<int>(t.items.size()) - 1;
  if (n == arity || (statement && n == arity + 1)) return;
  std::string msg = t.name + (n < arity ? ": too few arguments" : ": too many arguments") + "\n\thave: (";
  for (int i = 0; i < n; ++i) msg += i ? ", any" : "any";
  msg += ")\n\twant: (";
  for (int i = 0; i < arity; ++i) msg += i ? ", any" : "any";
  msg += ")";
  st.error("rego_type_error", msg, t.loc);
}

// Operand types of a builtin signature "(string, array|set) => boolean".
std::vector<std::vector<std::string>> signature_operands(const std::string& sig) {
  std::vector<std::vector<std::string>> out;
  size_t open = sig.find('('), close = sig.find(')');
  if (open == std::string::npos || close == std::string::npos) return out;
  std::string inner = sig.substr(open + 1, close - open - 1);
  size_t start = 0;
  while (start <= inner.size() && !inner.empty()) {
    size_t comma = inner.find(',', start);
    std::string one = inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!one.empty() && one.front() == ' ') one.erase(one.begin());
    std::vector<std::string> kinds;
    size_t p = 0;
    while (true) {
      size_t bar = one.find('|', p);
      kinds.push_back(one.substr(p, bar == std::string::npos ? std::string::npos : bar - p));
      if (bar == std::string::npos) break;
      p = bar + 1;
    }
    out.push_back(std::move(kinds));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string join_kinds(const std::vector<std::string>& kinds) {
  std::string s;
  for (const auto& k : kinds) s += (s.empty() ? "" : "|") + k;
  return s;
}

// Constant operands whose type the builtin's signature excludes are rejected at
// compile time (rego_type_error), as OPA's type checker does.
void check_operand_types(CompileState& st, const Term& t, const VarTypes& types) {
  if (t.target != Target::Builtin || !t.builtin) return;
  const std::string& name = t.builtin->name;
  // deprecated builtins take any operand statically and check at evaluation (as OPA)
  if (name.rfind("cast_", 0) == 0 || name == "set_diff" || name == "all" || name == "any" || name == "re_match") return;
  size_t nargs = t.items.size() - 1;
  if (nargs != static_cast<size_t>(t.builtin->arity) && nargs != static_cast<size_t>(t.builtin->arity) + 1) return;
  auto want = signature_operands(t.builtin->signature);
  size_t n = std::min(want.size(), t.items.size() - 1);
  bool bad = false;
  // the type of an operand, if known: a constant's, or a variable's assigned constant's
  auto known = [&](const Term& a) -> std::string {
    if (a.ground && a.value.defined()) return kind_name(a.value.kind());
    if (a.kind == TermKind::Var && a.slot >= 0) {
      auto it = types.find(a.slot);
      if (it != types.end()) return it->second;
    }
    return "";
  };
  for (size_t i = 0; i < n; ++i) {
    const Term& a = *t.items[i + 1];
    std::string have = known(a);
    if (have.empty()) continue;
    const auto& kinds = want[i];
    if (std::find(kinds.begin(), kinds.end(), "any") != kinds.end()) continue;
    if (std::find(kinds.begin(), kinds.end(), have) == kinds.end()) bad = true;
  }
  if (!bad) return;
  std::string have = "(", wants = "(";
  for (size_t i = 0; i + 1 < t.items.size() && i < want.size(); ++i) {
    const Term& a = *t.items[i + 1];
    std::string k = known(a);
    have += (i ? ", " : "") + (k.empty() ? std::string("any") : k);
    wants += (i ? ", " : "") + join_kinds(want[i]);
  }
  st.error("rego_type_error", t.builtin->name + ": invalid argument(s)\n\thave: " + have + ")\n\twant: " + wants + ")",
           t.loc);
}

void check_term(CompileState& st, const Term& t, const VarTypes& types, bool statement) {
  if (t.kind == TermKind::Call) {
    check_call(st, t, statement);
    check_operand_types(st, t, types);
  }
  for (const auto& i : t.items) check_term(st, *i, types);
  if (t.head) check_term(st, *t.head, types);
  if (t.value_term) check_term(st, *t.value_term, types);
  if (t.body) check_body(st, *t.body, types);
}

}  // namespace

void check_types_in_body(CompileState& st, const Body& body) { check_body(st, body); }

void check_types(CompileState& st) {
  for (const auto& m : st.out->modules) {
    for (const auto& r : m->rules) {
      for (const Rule* e = r.get(); e; e = e->else_rule.get()) {
        check_body(st, e->body);
        if (e->value) check_term(st, *e->value, {});
        if (e->key) check_term(st, *e->key, {});
      }
    }
  }
}

namespace {

// The guard an expression provides, if it is `<ref> == <constant>` (or `=`)
// over the input or a function argument with constant keys.
bool guard_side(const Rule& r, const Term& t, Guard& g) {
  const Term* head = &t;
  size_t first_key = 0;
  if (t.kind == TermKind::Ref) {
    head = t.items[0].get();
    first_key = 1;
    if (t.target == Target::Input) {
      g.arg = -1;
    } else if (t.target != Target::Local) {
      return false;
    }
  }
  if (t.kind == TermKind::Var || (t.kind == TermKind::Ref && t.target == Target::Local)) {
    if (head->kind != TermKind::Var || head->slot < 0) return false;
    g.arg = -1;
    for (size_t i = 0; i < r.args.size(); ++i) {
      if (r.args[i]->kind == TermKind::Var && r.args[i]->slot == head->slot) g.arg = static_cast<int>(i);
    }
    if (g.arg < 0) return false;
  } else if (t.kind != TermKind::Ref) {
    return false;
  }
  if (t.kind == TermKind::Ref) {
    for (size_t i = first_key; i < t.items.size(); ++i) {
      if (!t.items[i]->ground || t.items[i]->kind != TermKind::Scalar) return false;
      g.path.push_back(t.items[i]->value);
    }
  }
  return true;
}

bool expr_guard(const Rule& r, const Expr& e, Guard& g) {
  if (!e.withs.empty()) return false;
  const Term *a = nullptr, *b = nullptr;
  if (e.kind == ExprKind::Unify) {
    a = e.lhs.get();
    b = e.rhs.get();
  } else if (e.kind == ExprKind::Term && e.term->kind == TermKind::Call && e.term->name == "equal" &&
             e.term->items.size() == 3) {
    a = e.term->items[1].get();
    b = e.term->items[2].get();
  } else {
    return false;
  }
  if (a->ground) std::swap(a, b);
  if (!b->ground || a->ground) return false;
  g = Guard{};
  if (!guard_side(r, *a, g)) return false;
  g.value = b->value;
  return true;
}

// Guards move out of the body: the evaluator checks them before it runs the body
// (every path that evaluates a rule body calls guards_pass first).
void index_rule(Rule& r) {
  Body rest;
  for (auto& e : r.body) {
    Guard g;
    if (expr_guard(r, e, g)) {
      g.loc = e.loc;
      r.guards.push_back(std::move(g));
    } else {
      rest.push_back(std::move(e));
    }
  }
  r.body = std::move(rest);
}

// A node-level index when several rules (without else chains) test the same path.
std::unique_ptr<RuleIndex> node_index(const RuleNode& n) {
  if (n.rules.size() < 4 || n.is_function || n.rules.front()->guards.empty()) return nullptr;
  auto idx = std::make_unique<RuleIndex>();
  idx->test = n.rules.front()->guards.front();
  for (const Rule* r : n.rules) {
    if (r->else_rule) return nullptr;
    const Guard* match = nullptr;
    for (const auto& g : r->guards) {
      if (g.same_test(idx->test)) match = &g;
    }
    if (!match) return nullptr;
    idx->by_value[match->value].push_back(r);
  }
  return idx;
}

void index_node(RuleNode& n) {
  for (const Rule* r : n.rules) {
    for (Rule* e = const_cast<Rule*>(r); e; e = e->else_rule.get()) index_rule(*e);
  }
  n.index = node_index(n);
  for (auto& [k, c] : n.children) index_node(*c);
}

}  // namespace

void build_indexes(CompileState& st) { index_node(*st.out->root); }

}  // namespace wartburg::lang
