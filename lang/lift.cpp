// Stage lift_dynamic_terms: OPA's RewriteWithValues, RewriteExprTerms and
// RewriteDynamicTerms, as far as they change results. OPA binds the dynamic
// terms of an expression (references, calls, and those inside composite
// operands) to generated variables in expressions placed before it. Our
// evaluator evaluates nested terms in place, which gives the same results
// except in two places, and only those are rewritten here:
//
// - a negated expression: `not f(input.missing)` is
//   `__local0__ = input.missing; not f(__local0__)` in OPA, so an undefined
//   operand makes the body fail instead of making the negation succeed
//   (opa#1877). Modules importing `future.keywords.not` (OPA 1.17) or
//   rego.v2 keep every part inside the negation, and are left alone.
// - a `with` value that needs evaluation: `with input.x as xs[_]` binds the
//   value first, so each value of `xs` is tried, not only the first.
//
// Runs after check_safety (the order of the body is final; the generated
// variables are bound by construction) and allocates frame slots after the
// rule's own. Stage rewrite_comprehension_heads (before check_safety) is
// OPA's rewriteComprehensionTerms for object comprehensions.
#include "lang/compiler.h"

namespace wartburg::lang {

namespace {

// `<name> = value` (a new variable with a new frame slot) appended to `out`,
// marked as added by the compiler; returns a reference to the variable.
TermPtr bind_to_new_var(const std::string& name, const TermPtr& value, int& slots, const std::vector<With>& withs,
                        Body& out) {
  auto lhs = make_var(name, value->loc);
  lhs->target = Target::Local;
  lhs->slot = slots++;
  Expr e;
  e.kind = ExprKind::Unify;
  e.loc = value->loc;
  e.lhs = lhs;
  e.rhs = value;
  e.withs = withs;
  e.generated = true;
  out.push_back(std::move(e));
  auto ref = make_var(name, value->loc);
  ref->target = Target::Local;
  ref->slot = lhs->slot;
  return ref;
}

class Lifter {
 public:
  Lifter(int& slots, bool lift_negations, bool equal_as_unify)
      : slots_(slots), lift_negations_(lift_negations), equal_as_unify_(equal_as_unify) {}

  void body(Body& b) {
    Body out;
    out.reserve(b.size());
    for (auto& e : b) {
      nested_in_expr(e);
      Body extras;
      for (auto& w : e.withs) {
        if (is_mock(*w.value) || !requires_eval(*w.value)) continue;
        w.value = bind(w.value, {}, extras);
      }
      if (e.kind == ExprKind::Not && lift_negations_ && e.body && e.body->size() == 1) {
        negated(e.body->front(), e.withs, extras);
      }
      for (auto& x : extras) out.push_back(std::move(x));
      out.push_back(std::move(e));
    }
    b = std::move(out);
  }

 private:
  int& slots_;
  bool lift_negations_;
  bool equal_as_unify_;  // modules: OPA's RewriteEquals makes `a == b` a unification first
  int next_name_ = 0;

  static bool is_mock(const Term& t) { return t.target == Target::Function || t.target == Target::Builtin; }

  // OPA's requiresEval: the term contains a reference or a comprehension (or a call).
  static bool requires_eval(const Term& t) {
    switch (t.kind) {
      case TermKind::Scalar: return false;
      case TermKind::Var: return false;
      case TermKind::Array:
      case TermKind::Set:
      case TermKind::Object:
        if (t.ground) return false;
        for (const auto& i : t.items) {
          if (requires_eval(*i)) return true;
        }
        return false;
      default: return true;
    }
  }

  // Binds `value` to a new variable in an expression appended to `extras`.
  TermPtr bind(const TermPtr& value, const std::vector<With>& withs, Body& extras) {
    return bind_to_new_var("__local" + std::to_string(next_name_++) + "__", value, slots_, withs, extras);
  }

  // The expression inside `not`: OPA's rewriteDynamics{Eq,Call,Term}Expr
  // after expandExpr has lifted the nested calls.
  void negated(Expr& inner, const std::vector<With>& withs, Body& extras) {
    switch (inner.kind) {
      case ExprKind::Term: {
        Term& t = *inner.term;
        if (t.kind == TermKind::Call && equal_as_unify_ && t.name == "equal" && t.items.size() == 3) {
          t.items[1] = in_unify(t.items[1], withs, extras);
          t.items[2] = in_unify(t.items[2], withs, extras);
        } else if (t.kind == TermKind::Call) {
          for (size_t i = 1; i < t.items.size(); ++i) t.items[i] = one(t.items[i], withs, extras);
        } else if (t.kind == TermKind::Ref) {
          operands(t, withs, extras);
        } else if (t.kind == TermKind::Array || t.kind == TermKind::Set || t.kind == TermKind::Object) {
          inner.term = one(inner.term, withs, extras);
        }
        return;
      }
      case ExprKind::Unify:
        inner.lhs = in_unify(inner.lhs, withs, extras);
        inner.rhs = in_unify(inner.rhs, withs, extras);
        return;
      default: return;
    }
  }

  // An operand of `=`: a reference keeps its place (only its dynamic
  // operands move); a call is lifted whole; composites element-wise.
  TermPtr in_unify(const TermPtr& t, const std::vector<With>& withs, Body& extras) {
    if (t->kind == TermKind::Ref) {
      operands(*t, withs, extras);
      return t;
    }
    return one(t, withs, extras);
  }

  void operands(Term& ref, const std::vector<With>& withs, Body& extras) {
    if (ref.items[0]->kind == TermKind::Call) ref.items[0] = one(ref.items[0], withs, extras);
    for (size_t i = 1; i < ref.items.size(); ++i) ref.items[i] = one(ref.items[i], withs, extras);
  }

  // OPA's rewriteDynamicsOne (and expandExprTerm for calls).
  TermPtr one(const TermPtr& tp, const std::vector<With>& withs, Body& extras) {
    Term& t = *tp;
    switch (t.kind) {
      case TermKind::Ref:
        operands(t, withs, extras);
        return bind(tp, withs, extras);
      case TermKind::Call:
        if (t.special == SpecialCall::Print) return tp;
        for (size_t i = 1; i < t.items.size(); ++i) t.items[i] = one(t.items[i], withs, extras);
        return bind(tp, withs, extras);
      case TermKind::Array:
      case TermKind::Set:
      case TermKind::Object:
        if (t.ground) return tp;
        for (auto& i : t.items) i = one(i, withs, extras);
        return tp;
      default: return tp;  // scalars, variables; comprehensions are always defined
    }
  }

  // Bodies nested in the expression's terms (comprehensions) and in `every`.
  void nested_in_expr(Expr& e) {
    auto visit = [&](const TermPtr& t) {
      if (t) nested_in_term(*t);
    };
    visit(e.term);
    visit(e.lhs);
    visit(e.rhs);
    visit(e.key);
    visit(e.val);
    visit(e.coll);
    for (auto& w : e.withs) visit(w.value);
    if (e.body) {
      if (e.kind == ExprKind::Not && lift_negations_ && e.body->size() == 1) {
        nested_in_expr(e.body->front());  // the expression itself: negated()
      } else {
        body(*e.body);
      }
    }
  }

  void nested_in_term(Term& t) {
    for (auto& i : t.items) nested_in_term(*i);
    if (t.head) nested_in_term(*t.head);
    if (t.value_term) nested_in_term(*t.value_term);
    if (t.body) body(*t.body);
  }
};

// OPA's rewriteComprehensionTerms for object comprehensions: a key or value
// that needs evaluation (`{k: x[k] | x := input.a}`) is bound to a new variable
// by an expression appended to the body, so that the variables its references
// bind (here k) are bound for the rest of the head. (Array and set heads are
// evaluated with their references enumerating already.)
class ComprehensionHeads {
 public:
  explicit ComprehensionHeads(int& slots) : slots_(slots) {}

  void term(Term& t) {
    for (auto& i : t.items) term(*i);
    if (t.head) term(*t.head);
    if (t.value_term) term(*t.value_term);
    if (t.body) body(*t.body);
    if (t.kind != TermKind::ObjectCompr) return;
    if (needs_eval(*t.value_term)) t.value_term = bind(t.value_term, *t.body);
    if (needs_eval(*t.head)) t.head = bind(t.head, *t.body);
  }

  void body(Body& b) {
    for (auto& e : b) {
      for (auto* t : {&e.term, &e.lhs, &e.rhs, &e.key, &e.val, &e.coll}) {
        if (*t) term(**t);
      }
      for (auto& w : e.withs) term(*w.value);
      if (e.body) body(*e.body);
    }
  }

 private:
  int& slots_;
  int next_name_ = 0;

  static bool needs_eval(const Term& t) {
    switch (t.kind) {
      case TermKind::Ref:
      case TermKind::Call: return true;
      case TermKind::Array:
      case TermKind::Set:
      case TermKind::Object:
        for (const auto& i : t.items) {
          if (needs_eval(*i)) return true;
        }
        return false;
      default: return false;
    }
  }

  TermPtr bind(const TermPtr& value, Body& b) {
    return bind_to_new_var("__chead" + std::to_string(next_name_++) + "__", value, slots_, {}, b);
  }
};

bool keeps_negation_whole(const Module& m) {
  for (const auto& imp : m.imports) {
    std::string p = term_text(*imp.path);
    if (p == "future.keywords.not" || p == "rego.v2") return true;
  }
  return false;
}

}  // namespace

void rewrite_comprehension_heads_in(Body& body, int& num_slots) { ComprehensionHeads(num_slots).body(body); }

void rewrite_comprehension_heads(CompileState& st) {
  for (const auto& m : st.out->modules) {
    for (const auto& r : m->rules) {
      for (Rule* e = r.get(); e; e = e->else_rule.get()) {
        ComprehensionHeads h(e->num_slots);
        h.body(e->body);
        for (auto& t : e->ref) h.term(*t);
        for (auto& t : e->args) h.term(*t);
        if (e->key) h.term(*e->key);
        if (e->value) h.term(*e->value);
      }
    }
  }
}

void lift_body(Body& body, int& num_slots, bool lift_negations) {
  Lifter l(num_slots, lift_negations, false);  // queries: `==` stays a call (OPA's query compiler)
  l.body(body);
}

void lift_dynamic_terms(CompileState& st) {
  for (const auto& m : st.out->modules) {
    bool negations = !keeps_negation_whole(*m);
    for (const auto& r : m->rules) {
      for (Rule* e = r.get(); e; e = e->else_rule.get()) {
        Lifter l(e->num_slots, negations, true);
        l.body(e->body);
      }
    }
  }
}

}  // namespace wartburg::lang
