// Stage check_safety: orders the expressions of every body so that each one
// runs only when the variables it reads are bound (OPA's reordering), and
// reports `var x is unsafe` (rego_unsafe_var_error) when no order exists.
#include <functional>
#include <queue>
#include <set>

#include "lang/compiler.h"
#include "policy/builtins/registry.h"

namespace wartburg::lang {

namespace {

using Slots = std::set<int>;

struct Analyzer {
  CompileState& st;
  std::map<int, std::string> names;
  // When set, a comprehension reads only these variables from outside (the
  // variables of its enclosing body and those bound already); others it uses
  // but does not bind are its own unsafe variables, reported at the
  // comprehension (OPA: closure inputs are intersected with the body's vars).
  const Slots* scope = nullptr;

  // Variables a term reads (in) and may bind while being evaluated (out).
  void term_io(const Term& t, Slots& in, Slots& out) {
    switch (t.kind) {
      case TermKind::Scalar: return;
      case TermKind::Var:
        if (t.target == Target::Local && t.slot >= 0) {
          in.insert(t.slot);
          names[t.slot] = t.name;
        }
        return;
      case TermKind::Ref: ref_io(t, in, out); return;
      case TermKind::Call: call_io(t, in, out); return;
      case TermKind::Array:
      case TermKind::Set:
      case TermKind::Object:
        for (const auto& i : t.items) term_io(*i, in, out);
        return;
      case TermKind::ArrayCompr:
      case TermKind::SetCompr:
      case TermKind::ObjectCompr: compr_io(t, in); return;
    }
  }

  void ref_io(const Term& t, Slots& in, Slots& out) {
    const Term& head = *t.items[0];
    if (t.target == Target::Local) term_io(head, in, out);
    for (size_t i = 1; i < t.items.size(); ++i) {
      const Term& k = *t.items[i];
      if (k.kind == TermKind::Var || k.kind == TermKind::Array || k.kind == TermKind::Object) {
        pattern_vars(k, out, in);
      } else {
        term_io(k, in, out);
      }
    }
  }

  int call_arity(const Term& t) const {
    if (t.target == Target::Function && t.node) return t.node->arity;
    if (t.builtin) return t.builtin->arity;
    if (t.special == SpecialCall::Member2) return 2;
    if (t.special == SpecialCall::Member3) return 3;
    return -1;  // print: variadic
  }

  void call_io(const Term& t, Slots& in, Slots& out) {
    int arity = call_arity(t);
    size_t nargs = t.items.size() - 1;
    for (size_t i = 1; i < t.items.size(); ++i) {
      if (arity >= 0 && static_cast<int>(nargs) == arity + 1 && i == nargs) {
        pattern_vars(*t.items[i], out, in);
      } else {
        term_io(*t.items[i], in, out);
      }
    }
  }

  // Variables bound by unifying `t` as a pattern: vars and composite members.
  void pattern_vars(const Term& t, Slots& out, Slots& in) {
    switch (t.kind) {
      case TermKind::Var:
        if (t.target == Target::Local && t.slot >= 0) {
          out.insert(t.slot);
          names[t.slot] = t.name;
        }
        return;
      case TermKind::Array:
        for (const auto& i : t.items) pattern_vars(*i, out, in);
        return;
      case TermKind::Object:
        for (size_t i = 0; i + 1 < t.items.size(); i += 2) {
          term_io(*t.items[i], in, out);
          pattern_vars(*t.items[i + 1], out, in);
        }
        return;
      default: term_io(t, in, out);
    }
  }

  // A comprehension reads the variables it uses but does not bind itself.
  void compr_io(const Term& t, Slots& in) {
    Slots used, bound_inside, dummy;
    body_io(*t.body, used, bound_inside);
    term_io(*t.head, used, dummy);
    if (t.value_term) term_io(*t.value_term, used, dummy);
    for (int s : used) {
      if (!bound_inside.count(s) && (!scope || scope->count(s))) in.insert(s);
    }
  }

  void body_io(const Body& b, Slots& used, Slots& bound) {
    for (const auto& e : b) {
      Slots in, out;
      expr_io(e, in, out);
      used.insert(in.begin(), in.end());
      bound.insert(out.begin(), out.end());
    }
  }

  void expr_io(const Expr& e, Slots& in, Slots& out) {
    switch (e.kind) {
      case ExprKind::Term: term_io(*e.term, in, out); break;
      case ExprKind::Unify:
      case ExprKind::Assign:
        pattern_vars(*e.lhs, out, in);
        pattern_vars(*e.rhs, out, in);
        break;
      case ExprKind::SomeDecl: break;
      case ExprKind::SomeIn:
        if (e.key) pattern_vars(*e.key, out, in);
        pattern_vars(*e.val, out, in);
        term_io(*e.coll, in, out);
        break;
      case ExprKind::Every: {
        term_io(*e.coll, in, out);
        Slots used, bound;
        body_io(*e.body, used, bound);
        if (e.key) pattern_vars(*e.key, bound, used);
        pattern_vars(*e.val, bound, used);
        for (int s : used) {
          if (!bound.count(s)) in.insert(s);
        }
        break;
      }
      case ExprKind::Not: {
        Slots i2, o2;
        for (const auto& x : *e.body) expr_io(x, i2, o2);
        in.insert(i2.begin(), i2.end());
        in.insert(o2.begin(), o2.end());
        break;
      }
    }
    for (const auto& w : e.withs) {
      if (w.value->target != Target::Function && w.value->target != Target::Builtin) term_io(*w.value, in, out);
    }
  }
};

bool subset(const Slots& s, const std::vector<bool>& bound) {
  for (int x : s) {
    if (!bound[static_cast<size_t>(x)]) return false;
  }
  return true;
}

void mark(const Slots& s, std::vector<bool>& bound) {
  for (int x : s) bound[static_cast<size_t>(x)] = true;
}

struct Orderer {
  CompileState& st;
  Analyzer an{st, {}};
  std::map<int, int> local_use;  // slot -> number of expressions of the current body that use it

  // Can `e` run now? On success fills the slots it binds.
  bool ready(const Expr& e, const std::vector<bool>& bound, Slots& binds) {
    Slots in, out;
    switch (e.kind) {
      case ExprKind::Unify:
      case ExprKind::Assign: return unify_ready(*e.lhs, *e.rhs, bound, binds, e.kind == ExprKind::Assign);
      case ExprKind::Not: {
        // variables used only inside the negation are local to it
        Slots i2, o2;
        for (const auto& x : *e.body) an.expr_io(x, i2, o2);
        i2.insert(o2.begin(), o2.end());
        // named variables in a negation never get bound by it; `_` wildcards are local to it
        for (int s : i2) {
          if (local_use[s] > 1 || bound[static_cast<size_t>(s)] || an.names[s] != "_") in.insert(s);
        }
        for (const auto& w : e.withs) an.term_io(*w.value, in, out);
        break;
      }
      case ExprKind::Term: {
        // a variable the expression itself binds (e.g. `x == xs[x]`) need not be bound before
        an.expr_io(e, in, out);
        for (int s : out) in.erase(s);
        break;
      }
      default: an.expr_io(e, in, out);
    }
    if (!subset(in, bound)) return false;
    binds = out;
    return true;
  }

  bool evaluable(const Term& t, const std::vector<bool>& bound, Slots& binds) {
    Slots in, out;
    an.term_io(t, in, out);
    if (!subset(in, bound)) return false;
    binds.insert(out.begin(), out.end());
    return true;
  }

  bool unify_ready(const Term& a, const Term& b, const std::vector<bool>& bound, Slots& binds, bool assign) {
    Slots pa, ia, pb, ib;
    if (evaluable(b, bound, binds)) {
      an.pattern_vars(a, pa, ia);
      if (subset(ia, bound)) {
        binds.insert(pa.begin(), pa.end());
        return true;
      }
    }
    binds.clear();
    if (assign) return false;
    if (evaluable(a, bound, binds)) {
      an.pattern_vars(b, pb, ib);
      if (subset(ib, bound)) {
        binds.insert(pb.begin(), pb.end());
        return true;
      }
    }
    binds.clear();
    // element-wise for two array literals of equal length, or two objects with the same constant keys
    if (a.kind == b.kind && (a.kind == TermKind::Array || a.kind == TermKind::Object) &&
        a.items.size() == b.items.size()) {
      bool object = a.kind == TermKind::Object;
      std::vector<bool> tmp = bound;
      for (size_t i = object ? 1 : 0; i < a.items.size(); i += object ? 2 : 1) {
        const Term* other = b.items[i].get();
        if (object) {
          other = nullptr;
          for (size_t j = 0; j < b.items.size(); j += 2) {
            if (a.items[i - 1]->ground && b.items[j]->ground && a.items[i - 1]->value == b.items[j]->value) {
              other = b.items[j + 1].get();
            }
          }
          if (!other) return false;
        }
        Slots s;
        if (!unify_ready(*a.items[i], *other, tmp, s, false)) return false;
        mark(s, tmp);
        binds.insert(s.begin(), s.end());
      }
      return true;
    }
    return false;
  }

  void count_uses(const Body& body) {
    local_use.clear();
    for (const auto& e : body) {
      Slots in, out;
      an.expr_io(e, in, out);
      in.insert(out.begin(), out.end());
      for (int s : in) local_use[s]++;
    }
  }

  // The variables of `body` outside its comprehensions, and those bound already.
  Slots body_scope(const Body& body, const std::vector<bool>& bound) {
    Slots none, vars;
    const Slots* saved = an.scope;
    an.scope = &none;
    for (const auto& e : body) {
      Slots in, out;
      an.expr_io(e, in, out);
      vars.insert(in.begin(), in.end());
      vars.insert(out.begin(), out.end());
    }
    an.scope = saved;
    for (size_t i = 0; i < bound.size(); ++i) {
      if (bound[i]) vars.insert(static_cast<int>(i));
    }
    return vars;
  }

  bool order(Body& body, std::vector<bool>& bound) {
    Slots scope = body_scope(body, bound);
    const Slots* saved_scope = an.scope;
    an.scope = &scope;
    bool ok = order_in_scope(body, bound);
    an.scope = saved_scope;
    return ok;
  }

  // Picks, again and again, the first expression (in source order) that is
  // ready. Readiness only grows as variables get bound, so an expression is
  // checked again only when one of its own variables was just bound, and the
  // ready ones wait in a min-heap: linear in the body for any order, where
  // rescanning the whole body after each pick was quadratic.
  bool order_in_scope(Body& body, std::vector<bool>& bound) {
    auto saved = local_use;
    count_uses(body);
    const size_t n = body.size();
    std::vector<std::vector<size_t>> watchers(bound.size());  // slot -> expressions that mention it
    for (size_t i = 0; i < n; ++i) {
      Slots in, out;
      an.expr_io(body[i], in, out);
      in.insert(out.begin(), out.end());
      for (int s : in) {
        if (s >= 0 && static_cast<size_t>(s) < watchers.size()) watchers[static_cast<size_t>(s)].push_back(i);
      }
    }
    std::vector<bool> pending(n, true), queued(n, false);
    std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready_q;
    auto consider = [&](size_t i) {
      if (!pending[i] || queued[i]) return;
      Slots binds;
      if (!ready(body[i], bound, binds)) return;
      queued[i] = true;
      ready_q.push(i);
    };
    for (size_t i = 0; i < n; ++i) consider(i);
    Body done;
    done.reserve(n);
    while (!ready_q.empty()) {
      size_t i = ready_q.top();
      ready_q.pop();
      Slots binds;
      ready(body[i], bound, binds);  // again: what it binds depends on what is bound now
      nested(body[i], bound);
      std::vector<int> fresh;
      for (int s : binds) {
        if (!bound[static_cast<size_t>(s)]) fresh.push_back(s);
      }
      mark(binds, bound);
      done.push_back(std::move(body[i]));
      pending[i] = false;
      for (int s : fresh) {
        if (static_cast<size_t>(s) >= watchers.size()) continue;
        for (size_t j : watchers[static_cast<size_t>(s)]) consider(j);
      }
    }
    if (done.size() < n) {
      report_unsafe(body, pending, bound);
      // leave the body whole (ordered part first): later walks over it
      // (the enclosing body's checks, other stages) must not see the
      // moved-from expressions
      for (size_t i = 0; i < n; ++i) {
        if (pending[i]) done.push_back(std::move(body[i]));
      }
      body = std::move(done);
      local_use = saved;
      return false;
    }
    body = std::move(done);
    local_use = saved;
    return true;
  }

  void report_unsafe(const Body& body, const std::vector<bool>& pending, const std::vector<bool>& bound) {
    std::set<std::string> reported;
    for (size_t i = 0; i < body.size(); ++i) {
      if (!pending[i]) continue;
      Slots in, out;
      an.expr_io(body[i], in, out);
      if (body[i].kind == ExprKind::Unify || body[i].kind == ExprKind::Assign) in.insert(out.begin(), out.end());
      for (int s : in) {
        if (bound[static_cast<size_t>(s)]) continue;
        const std::string& n = an.names[s];
        if (n.empty() || n == "_" || reported.count(n)) continue;
        reported.insert(n);
        st.error("rego_unsafe_var_error", "var " + n + " is unsafe", body[i].loc);
      }
      if (!reported.empty()) return;
    }
    st.error("rego_unsafe_var_error", "expression is unsafe", body.front().loc);
  }

  // Orders the bodies nested in an expression (comprehensions, not, every).
  void nested(Expr& e, const std::vector<bool>& bound) {
    for (auto* t : {&e.term, &e.lhs, &e.rhs, &e.key, &e.val, &e.coll}) {
      if (*t) nested_term(**t, bound);
    }
    for (auto& w : e.withs) nested_term(*w.value, bound);
    if (e.kind == ExprKind::Not) {
      std::vector<bool> b = bound;
      order(*e.body, b);
    } else if (e.kind == ExprKind::Every) {
      std::vector<bool> b = bound;
      Slots s, in;
      if (e.key) an.pattern_vars(*e.key, s, in);
      an.pattern_vars(*e.val, s, in);
      mark(s, b);
      order(*e.body, b);
    }
  }

  void nested_term(Term& t, const std::vector<bool>& bound) {
    for (auto& i : t.items) nested_term(*i, bound);
    if (t.body) {
      std::vector<bool> b = bound;
      if (order(*t.body, b)) {
        Slots in, out;
        an.term_io(*t.head, in, out);
        if (t.value_term) an.term_io(*t.value_term, in, out);
        head_safe(in, b, t.loc);
      }
      nested_term(*t.head, b);
      if (t.value_term) nested_term(*t.value_term, b);
    }
  }

  void head_safe(const Slots& in, const std::vector<bool>& bound, const Location& loc) {
    for (int s : in) {
      if (!bound[static_cast<size_t>(s)]) st.error("rego_unsafe_var_error", "var " + an.names[s] + " is unsafe", loc);
    }
  }
};

void check_rule(CompileState& st, Rule& r) {
  Orderer o{st, {st, {}}, {}};
  std::vector<bool> bound(static_cast<size_t>(r.num_slots), false);
  Slots args, in;
  for (const auto& a : r.args) o.an.pattern_vars(*a, args, in);
  mark(args, bound);
  if (!o.order(r.body, bound)) return;
  // the head needs its own variables bound; those only inside a comprehension
  // of the head are the comprehension's (reported there, once)
  Slots scope = o.body_scope(r.body, bound), none, head_out;
  o.an.scope = &none;
  for (size_t i = r.dyn_from; i < r.ref.size(); ++i) o.an.term_io(*r.ref[i], scope, head_out);
  if (r.key) o.an.term_io(*r.key, scope, head_out);
  if (r.value) o.an.term_io(*r.value, scope, head_out);
  scope.insert(head_out.begin(), head_out.end());
  o.an.scope = &scope;
  Slots need, out;
  for (size_t i = r.dyn_from; i < r.ref.size(); ++i) o.an.term_io(*r.ref[i], need, out);
  if (r.key) o.an.term_io(*r.key, need, out);
  if (r.value) o.an.term_io(*r.value, need, out);
  o.an.scope = nullptr;
  o.head_safe(need, bound, r.loc);
  for (size_t i = r.dyn_from; i < r.ref.size(); ++i) o.nested_term(*r.ref[i], bound);
  if (r.key) o.nested_term(*r.key, bound);
  if (r.value) o.nested_term(*r.value, bound);
}

}  // namespace

bool order_body(CompileState& st, Body& body, std::vector<bool>& bound) {
  Orderer o{st, {st, {}}, {}};
  return o.order(body, bound);
}

void check_safety(CompileState& st) {
  for (const auto& m : st.out->modules) {
    for (const auto& r : m->rules) {
      for (Rule* e = r.get(); e; e = e->else_rule.get()) check_rule(st, *e);
    }
  }
}

}  // namespace wartburg::lang
