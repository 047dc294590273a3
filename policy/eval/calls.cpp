// Calls: builtins (with OPA's strict/non-strict error handling), user
// functions (memoized per evaluation), print, membership (`in`), and the
// `with` modifier that replaces input, data, functions or builtins for one
// expression.
#include <algorithm>
#include <functional>
#include <iostream>

#include "policy/eval/evaluator.h"

namespace wartburg::eval {

using lang::Target;
using lang::TermKind;

namespace {
int call_arity(const Term& t) {
  if (t.target == Target::Function && t.node) return t.node->arity;
  if (t.builtin) return t.builtin->arity;
  if (t.special == lang::SpecialCall::Member2) return 2;
  if (t.special == lang::SpecialCall::Member3) return 3;
  return -1;
}
}  // namespace

bool Evaluator::eval_call(const Term& t, Frame& f, ValueCont k) {
  if (t.special == lang::SpecialCall::Print) return eval_print(t, f, k);
  int arity = call_arity(t);
  size_t nargs = t.items.size() - 1;
  bool has_output = arity >= 0 && nargs == static_cast<size_t>(arity) + 1;
  const lang::TermPtr* in_terms = t.items.data() + 1;
  size_t n_in = nargs - (has_output ? 1 : 0);
  SmallValues args;
  bool late = false;  // an argument is a variable that another argument binds, e.g. `x == xs[x]`
  for (size_t i = 0; i < n_in; ++i) late = late || (in_terms[i]->kind == TermKind::Var && has_unbound(*in_terms[i], f));
  if (late) return eval_call_late(t, n_in, has_output, f, k);
  return eval_items(in_terms, n_in, 0, args, f, [&] {
    if (!has_output) return call_with_args(t, args, f, k);
    return call_with_args(t, args, f, [&](const Value& result) {
      return unify_value(*t.items.back(), result, f, [&] { return k(Value::boolean(true)); });
    });
  });
}

// Arguments that are unbound variables are evaluated after the others, which may bind them.
bool Evaluator::eval_call_late(const Term& t, size_t n_in, bool has_output, Frame& f, ValueCont k) {
  std::vector<lang::TermPtr> reordered;
  for (size_t i = 1; i <= n_in; ++i) {
    if (!(t.items[i]->kind == TermKind::Var && has_unbound(*t.items[i], f))) reordered.push_back(t.items[i]);
  }
  for (size_t i = 1; i <= n_in; ++i) {
    if (t.items[i]->kind == TermKind::Var && has_unbound(*t.items[i], f)) reordered.push_back(t.items[i]);
  }
  SmallValues tmp;
  return eval_items(reordered, 0, tmp, f, [&] {
    SmallValues ordered;
    for (size_t i = 1; i <= n_in; ++i) {
      size_t j = static_cast<size_t>(std::find(reordered.begin(), reordered.end(), t.items[i]) - reordered.begin());
      ordered.push_back(tmp[j]);
    }
    if (!has_output) return call_with_args(t, ordered, f, k);
    return call_with_args(t, ordered, f, [&](const Value& result) {
      return unify_value(*t.items.back(), result, f, [&] { return k(Value::boolean(true)); });
    });
  });
}

bool Evaluator::call_with_args(const Term& t, SmallValues& args, Frame& f, ValueCont k) {
  if (!mocks_.empty()) {
    const void* key = t.target == Target::Function ? static_cast<const void*>(t.node)
                                                   : static_cast<const void*>(t.builtin);
    auto it = mocks_.find(key);
    if (it != mocks_.end()) {
      const Mock m = it->second;
      if (m.node) {
        // inside a mock function no mock applies: it sees the originals (as OPA)
        std::map<const void*, Mock> saved;
        std::swap(saved, mocks_);
        Value r;
        try {
          r = function_result(m.node, args.data(), args.size());
        } catch (...) {
          std::swap(saved, mocks_);
          throw;
        }
        std::swap(saved, mocks_);
        return r.defined() && k(r);
      }
      if (m.builtin) return call_builtin(t, *m.builtin, args, f, k);
      return k(m.value);
    }
  }
  if (t.special == lang::SpecialCall::Member2 || t.special == lang::SpecialCall::Member3) {
    return eval_member(t, args, f, k);
  }
  if (t.target == Target::Function) return call_function(t.node, args.data(), args.size(), k);
  if (t.builtin) return call_builtin(t, *t.builtin, args, f, k);
  return false;
}

void Evaluator::builtin_failure(const Term& t, const std::string& name, const builtins::BuiltinError& e) {
  bool type = dynamic_cast<const builtins::TypeError*>(&e) != nullptr;
  throw Error(ErrorInfo{type ? "eval_type_error" : "eval_builtin_error", name + ": " + e.what(),
                        t.loc.file ? *t.loc.file : "", t.loc.row, t.loc.col});
}

bool Evaluator::call_builtin(const Term& t, const builtins::Builtin& b, SmallValues& args, Frame&,
                             ValueCont k) {
  Value r;
  try {
    r = b.fn(bctx_, args.data());
  } catch (const builtins::BuiltinError& e) {
    if (opts_.strict_builtin_errors) builtin_failure(t, b.name, e);
    return false;
  } catch (const LimitError& e) {
    // a limit stops the evaluation whatever strict-builtin-errors says
    std::string msg = e.code == "eval_cancel_error" && std::string_view(e.what()) == "context deadline exceeded"
                          ? std::string(e.what())
                          : b.name + ": " + e.what();
    throw Error(ErrorInfo{e.code, msg, t.loc.file ? *t.loc.file : "", t.loc.row, t.loc.col});
  }
  tick();  // the memory the result took
  if (!r.defined()) return false;
  if (b.relation) {
    for (const auto& v : r.items()) {
      tick();
      if (k(v)) return true;
    }
    return false;
  }
  return k(r);
}

bool Evaluator::call_function(const RuleNode* node, const Value* args, size_t n, ValueCont k) {
  tick();
  // calls with scalar arguments are memoized for the evaluation
  bool scalar = true;
  for (size_t i = 0; i < n; ++i) scalar = scalar && args[i].kind() <= Kind::String;
  if (!scalar || !overrides_.empty()) {
    Value r = function_result(node, args, n);
    return r.defined() && k(r);
  }
  auto it = fn_memo_.find(CallKeyView{node, args, n});
  if (it != fn_memo_.end()) return it->second.defined() && k(it->second);
  Value r = function_result(node, args, n);
  budget_.charge(kMemoEntryBytes + n * limits::kItemBytes);  // the memo entry lives as long as the evaluation
  fn_memo_.emplace(CallKey{node, std::vector<Value>(args, args + n)}, r);
  return r.defined() && k(r);
}

bool Evaluator::unify_args(const lang::Rule& r, const Value* args, size_t i, Frame& f, Cont k) {
  if (i == r.args.size()) return eval_body(r.body, 0, f, k);
  return unify_value(*r.args[i], args[i], f, [&] { return unify_args(r, args, i + 1, f, k); });
}

Value Evaluator::function_result(const RuleNode* node, const Value* args, size_t) {
  check_stack();
  Value result;
  const lang::Rule* first = nullptr;   // the rule that produced `result`
  std::unique_ptr<ConflictSet> clash;  // from the first differing value on (see complete_value)
  try {
    bool full = false;
    for (const lang::Rule* r : node->rules) {
      for (const lang::Rule* cur = r; cur; cur = cur->else_rule.get()) {
        if (!guards_pass(*cur, args)) continue;
        FrameSlots slots(cur->num_slots);
        Frame f{slots.data()};
        bool any = false;
        unify_args(*cur, args, 0, f, [&] {
          if (opts_.coverage && cur->loc.file) opts_.coverage->emplace(*cur->loc.file, cur->loc.row);
          eval_term(*cur->value, f, [&](const Value& v) {
            any = true;  // a solution with a defined value: the else chain ends here
            if (!result.defined()) {
              result = v;
              first = cur;
            } else if (result != v) {
              full = note_conflict(clash, *first, *cur);
            }
            return full;
          });
          return full || cur->value->ground;  // early exit for a constant value
        });
        if (any) break;
      }
      if (full) break;
    }
  } catch (const Error&) {
    if (!clash) throw;  // an error while collecting conflicts: report the conflict (as OPA)
  }
  if (clash) raise_conflict(*clash, node);
  if (!result.defined() && node->default_rule) {
    const lang::Rule& d = *node->default_rule;
    if (opts_.coverage && d.loc.file) opts_.coverage->emplace(*d.loc.file, d.loc.row);
    result = d.value->value;
  }
  return result;
}

bool Evaluator::eval_print(const Term& t, Frame& f, ValueCont k) {
  std::string line;
  for (size_t i = 1; i < t.items.size(); ++i) {
    if (i > 1) line += " ";
    std::string text = "<undefined>";
    eval_term(*t.items[i], f, [&](const Value& v) {
      text = v.is_string() ? v.str() : to_rego(v);
      return true;
    });
    line += text;
  }
  std::ostream& out = opts_.print_to ? *opts_.print_to : std::cerr;
  out << line << "\n";
  return k(Value::boolean(true));
}

bool Evaluator::eval_member(const Term& t, SmallValues& args, Frame&, ValueCont k) {
  bool found = false;
  if (t.special == lang::SpecialCall::Member2) {
    const Value& x = args[0];
    const Value& c = args[1];
    if (c.is_set()) {
      found = c.contains(x);
    } else if (c.is_array()) {
      for (const auto& v : c.items()) found = found || v == x;
    } else if (c.is_object()) {
      for (const auto& kv : c.entries()) found = found || kv.second == x;
    }
  } else {
    const Value* v = args[2].is_set() ? nullptr : args[2].find(args[0]);
    found = v && *v == args[1];
  }
  return k(Value::boolean(found));
}

// ---------------------------------------------------------------- with

Value set_path(const Value& doc, const std::vector<Value>& path, size_t i, const Value& v);

bool Evaluator::eval_with(const Expr& e, Frame& f, Cont k, const ValueCont* term_k) {
  // 1. the replacement values, computed in the current state
  struct Change {
    const lang::With* w;
    Value value;
    Mock mock;
  };
  std::vector<Change> changes;
  for (const auto& w : e.withs) {
    Change c{&w, {}, {}};
    const Term& v = *w.value;
    if (v.target == Target::Function && v.kind == TermKind::Var) {
      c.mock.node = v.node;
    } else if (v.target == Target::Builtin && v.kind == TermKind::Var) {
      c.mock.builtin = v.builtin;
    } else {
      bool got = false;
      eval_term(v, f, [&](const Value& x) {
        c.value = x;
        got = true;
        return true;
      });
      if (!got) return false;
      c.mock.value = c.value;
    }
    changes.push_back(std::move(c));
  }
  // 2. the modified state
  Value input = input_;
  std::vector<DataOverride> overrides = overrides_;
  std::map<const void*, Mock> mocks = mocks_;
  for (const auto& c : changes) {
    const Term& target = *c.w->target;
    if (target.target == Target::Input || target.target == Target::Data) {
      std::vector<Value> path;
      for (size_t i = 1; i < target.items.size(); ++i) path.push_back(target.items[i]->value);
      if (target.target == Target::Input) {
        input = set_path(input, path, 0, c.value);
      } else {
        overrides.push_back(DataOverride{std::move(path), c.value});
      }
    } else if (target.target == Target::Function) {
      mocks[target.node] = c.mock;
    } else {
      mocks[target.builtin] = c.mock;
    }
  }
  NodeMemo node_memo;
  CallMemo fn_memo;
  auto swap_state = [&] {
    std::swap(input_, input);
    std::swap(overrides_, overrides);
    std::swap(mocks_, mocks);
    std::swap(node_memo_, node_memo);
    std::swap(fn_memo_, fn_memo);
  };
  // 3. the expression in the modified state; the rest of the body in the old one
  Expr inner = e;
  inner.withs.clear();
  swap_state();
  bool stop;
  try {
    if (term_k && inner.kind == lang::ExprKind::Term) {
      // the caller wants the term's value (a query expression), false included
      stop = eval_term(*inner.term, f, [&](const Value& v) {
        swap_state();
        bool s = (*term_k)(v);
        swap_state();
        return s;
      });
    } else {
      stop = eval_expr(inner, f, [&] {
        swap_state();
        bool s = k();
        swap_state();
        return s;
      });
    }
  } catch (...) {
    swap_state();
    throw;
  }
  swap_state();
  return stop;
}

}  // namespace wartburg::eval
