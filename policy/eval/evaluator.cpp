// Evaluation of bodies, expressions, terms and unification; the conflict
// errors of complete rules and functions (OPA's wording, naming the rules).
#include "policy/eval/evaluator.h"

#include <pthread.h>

#include <algorithm>
#include <cctype>
#include <functional>

namespace wartburg::eval {

namespace {
// Native stack an evaluation may use at most (threads get 8 MiB by default).
// AddressSanitizer's redzones make frames several times larger.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::ptrdiff_t kStackLimit = std::ptrdiff_t{24} << 20;
#else
constexpr std::ptrdiff_t kStackLimit = std::ptrdiff_t{6} << 20;
#endif

// The lowest address this thread's evaluations may reach: the bottom of the
// thread's stack plus a margin for the builtins and library code called
// between two checks (a quarter of the stack, at most 2 MiB). Looked up once
// per thread (pthread_getattr_np reads /proc for the main thread); threads
// with small stacks (ulimit -s, a host's thread pool) get a guard that fits.
const char* thread_stack_floor() {
  thread_local const char* floor = nullptr;
  thread_local bool known = false;
  if (!known) {
    known = true;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* addr = nullptr;
      size_t size = 0;
      if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr != nullptr && size > 0) {
        floor = static_cast<const char*>(addr) + std::min<size_t>(size / 4, size_t{2} << 20);
      }
      pthread_attr_destroy(&attr);
    }
  }
  return floor;
}

// The frame address, not a local's: under ASan's use-after-return detection
// locals live on a heap "fake stack".
inline const char* frame_address() { return static_cast<const char*>(__builtin_frame_address(0)); }
}  // namespace

using lang::ExprKind;
using lang::Target;
using lang::TermKind;

Evaluator::Evaluator(const lang::CompiledModules& policy, const Value& input, const Value& data,
                     const EvalOptions& opts)
    : policy_(policy), input_(input), data_(data), opts_(opts),
      budget_(EvalLimits{opts.timeout, opts.max_memory, opts.max_value_size}) {
  // bctx_.now_ns is taken on first use (time.now_ns), once per evaluation
  bctx_.memo = &bmemo_;
}

void Evaluator::check_stack() const {
  if (frame_address() < stack_floor_) {
    throw Error(ErrorInfo{"eval_internal_error", "evaluation exceeds the maximum nesting depth", "", 0, 0});
  }
}


void Evaluator::conflict(const std::string& msg, const lang::Location& loc) {
  throw Error(ErrorInfo{"eval_conflict_error", msg, loc.file ? *loc.file : "", loc.row, loc.col});
}

bool Evaluator::note_conflict(std::unique_ptr<ConflictSet>& c, const lang::Rule& first, const lang::Rule& r) {
  if (!c) {
    c = std::make_unique<ConflictSet>();
    c->at = &r;
    c->rules.push_back(&first);
  }
  if (std::find(c->rules.begin(), c->rules.end(), &r) != c->rules.end()) return false;
  if (c->rules.size() == ConflictSet::kMaxRules) {
    c->more = true;
    return true;
  }
  c->rules.push_back(&r);
  return false;
}

namespace {
bool is_keyword(std::string_view s) {
  static constexpr std::string_view kWords[] = {"as",  "contains", "default", "else", "every", "false",
                                                "if",  "import",   "in",      "not",  "null",  "package",
                                                "some", "true",    "with"};
  return std::find(std::begin(kWords), std::end(kWords), s) != std::end(kWords);
}

bool is_ident(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return !is_keyword(s);
}

// The document's path as OPA prints a ref: data.a.b["not an identifier"].
std::string ref_text(const lang::RuleNode* node) {
  std::string out = "data";
  for (const auto& k : node->path) out += is_ident(k) ? "." + k : "[" + to_rego(Value::string(k)) + "]";
  return out;
}

std::string location_text(const lang::Location& l) {
  if (l.file && !l.file->empty()) return *l.file + ":" + std::to_string(l.row);
  return std::to_string(l.row) + ":" + std::to_string(l.col);
}
}  // namespace

void Evaluator::raise_conflict(const ConflictSet& c, const RuleNode* node) {
  std::string msg = node->is_function ? "function " + ref_text(node) + " produced conflicting values for the same inputs"
                                      : "rule " + ref_text(node) + " produced conflicting values";
  if (c.rules.size() > 1) {
    // the rules in source order; a single rule producing several values is not listed
    std::vector<const lang::Location*> locs;
    for (const lang::Rule* r : c.rules) locs.push_back(&r->loc);
    std::sort(locs.begin(), locs.end(), [](const lang::Location* a, const lang::Location* b) {
      std::string_view fa = a->file ? std::string_view(*a->file) : std::string_view();
      std::string_view fb = b->file ? std::string_view(*b->file) : std::string_view();
      if (fa != fb) return fa < fb;
      return a->row != b->row ? a->row < b->row : a->col < b->col;
    });
    msg += ":";
    for (const lang::Location* l : locs) msg += "\n  rule at " + location_text(*l);
    if (c.more) msg += "\n  ...";
  }
  conflict(msg, c.at->loc);
}

namespace {
// Whether a query term has variables (outside comprehensions), i.e. iterates.
bool binds_variables(const Term& t) {
  if (t.kind == TermKind::Var) return t.target == Target::Local;
  if (t.kind == TermKind::ArrayCompr || t.kind == TermKind::SetCompr || t.kind == TermKind::ObjectCompr) return false;
  for (const auto& i : t.items) {
    if (binds_variables(*i)) return true;
  }
  return false;
}
}  // namespace

void Evaluator::run_query(const lang::CompiledQuery& q,
                          FnRef<void(const std::vector<Value>&, const std::vector<Value>&)> row) {
  const char* base = frame_address();
  // stacks grow down: the guard trips kStackLimit below this frame, or near
  // the thread's own stack bottom if that comes first
  const char* floor = thread_stack_floor();
  stack_floor_ = base - kStackLimit;
  if (floor != nullptr && floor > stack_floor_) stack_floor_ = floor;
  EvalBudget::Scope budget_scope(budget_);
  std::vector<Value> slots(static_cast<size_t>(q.num_slots));
  Frame f{slots.data()};
  const Body& body = q.query.body;
  // Expressions are reported in source order; the body may have been
  // reordered, and expressions the compiler added are not reported.
  std::vector<size_t> order;
  for (size_t i = 0; i < body.size(); ++i) {
    if (!body[i].generated) order.push_back(i);
  }
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return body[a].text_begin < body[b].text_begin; });
  constexpr size_t kNotReported = static_cast<size_t>(-1);
  std::vector<size_t> pos(body.size(), kNotReported);
  for (size_t i = 0; i < order.size(); ++i) pos[order[i]] = i;
  std::vector<Value> values(order.size());

  FnRef<bool(size_t)>* step_ref = nullptr;
  auto step = [&](size_t i) -> bool {
    if (i == body.size()) {
      row(slots, values);
      return false;
    }
    const Expr& e = body[i];
    if (e.kind == ExprKind::Term) {
      // as OPA captures a single-expression query without iteration, its false value is a
      // result, not a failure
      bool keep_false = order.size() == 1 && !binds_variables(*e.term);
      auto on_value = [&](const Value& v) {
        if (v.is_false() && !keep_false) return false;
        if (pos[i] != kNotReported) values[pos[i]] = v;
        return (*step_ref)(i + 1);
      };
      if (e.withs.empty()) return eval_term(*e.term, f, on_value);
      ValueCont vc(on_value);
      return eval_with(e, f, [] { return false; }, &vc);
    }
    return eval_expr(e, f, [&] {
      if (pos[i] != kNotReported) values[pos[i]] = Value::boolean(true);
      return (*step_ref)(i + 1);
    });
  };
  FnRef<bool(size_t)> sr(step);
  step_ref = &sr;
  step(0);
}

bool Evaluator::eval_body(const Body& b, size_t i, Frame& f, Cont k) {
  // `not` binds nothing and has at most one solution: a run of them is a loop,
  // not a nesting of continuations (20,000 of them would exhaust the stack)
  while (i < b.size() && b[i].kind == ExprKind::Not && b[i].withs.empty()) {
    check_stack();
    tick();
    if (opts_.coverage && b[i].loc.file) opts_.coverage->emplace(*b[i].loc.file, b[i].loc.row);
    if (!eval_not(b[i], f, [] { return true; })) return false;
    ++i;
  }
  if (i == b.size()) return k();
  return eval_expr(b[i], f, [&] { return eval_body(b, i + 1, f, k); });
}

bool Evaluator::eval_expr(const Expr& e, Frame& f, Cont k) {
  check_stack();
  tick();
  // coverage, as OPA's: an expression's line counts once it is evaluated
  if (opts_.coverage && e.loc.file) opts_.coverage->emplace(*e.loc.file, e.loc.row);
  if (!e.withs.empty()) return eval_with(e, f, k);
  switch (e.kind) {
    case ExprKind::Term:
      return eval_term(*e.term, f, [&](const Value& v) {
        if (v.is_false()) return false;
        return k();
      });
    case ExprKind::Unify:
    case ExprKind::Assign: return unify_terms(*e.lhs, *e.rhs, f, k);
    case ExprKind::SomeDecl: return k();
    case ExprKind::SomeIn: return eval_some_in(e, f, k);
    case ExprKind::Every: return eval_every(e, f, k);
    case ExprKind::Not: return eval_not(e, f, k);
  }
  return false;
}

bool Evaluator::eval_not(const Expr& e, Frame& f, Cont k) {
  bool found = false;
  eval_body(*e.body, 0, f, [&] {
    found = true;
    return true;
  });
  if (found) return false;
  return k();
}

bool Evaluator::eval_some_in(const Expr& e, Frame& f, Cont k) {
  return eval_term(*e.coll, f, [&](const Value& coll) {
    auto each = [&](const Value& key, const Value& val) {
      tick();
      if (e.key) {
        return unify_value(*e.key, key, f, [&] { return unify_value(*e.val, val, f, k); });
      }
      return unify_value(*e.val, val, f, k);
    };
    if (coll.is_object()) {
      for (const auto& kv : coll.entries()) {
        if (each(kv.first, kv.second)) return true;
      }
    } else if (coll.is_array()) {
      const auto& it = coll.items();
      for (size_t i = 0; i < it.size(); ++i) {
        if (each(Value::integer(static_cast<int64_t>(i)), it[i])) return true;
      }
    } else if (coll.is_set()) {
      for (const auto& v : coll.items()) {
        if (each(v, v)) return true;
      }
    }
    return false;
  });
}

bool Evaluator::eval_every(const Expr& e, Frame& f, Cont k) {
  return eval_term(*e.coll, f, [&](const Value& coll) {
    bool all = true;
    auto check = [&](const Value& key, const Value& val) {
      tick();
      bool ok = false;
      auto body = [&] {
        eval_body(*e.body, 0, f, [&] {
          ok = true;
          return true;
        });
        return true;
      };
      if (e.key) {
        unify_value(*e.key, key, f, [&] { return unify_value(*e.val, val, f, body); });
      } else {
        unify_value(*e.val, val, f, body);
      }
      return ok;
    };
    if (coll.is_object()) {
      for (const auto& kv : coll.entries()) {
        if (!(all = check(kv.first, kv.second))) break;
      }
    } else if (coll.is_array()) {
      const auto& it = coll.items();
      for (size_t i = 0; i < it.size() && all; ++i) all = check(Value::integer(static_cast<int64_t>(i)), it[i]);
    } else if (coll.is_set()) {
      for (const auto& v : coll.items()) {
        if (!(all = check(v, v))) break;
      }
    } else {
      return false;
    }
    if (!all) return false;
    return k();
  });
}

// ---------------------------------------------------------------- terms

Evaluator::Simple Evaluator::eval_simple(const Term& t, const Frame& f, const Value*& out, Value& tmp) {
  if (t.ground) {
    out = &t.value;
    return Simple::Value;
  }
  if (t.kind == TermKind::Var) {
    out = &f.slots[t.slot];
    return out->defined() ? Simple::Value : Simple::No;
  }
  if (t.kind != TermKind::Ref) return Simple::No;
  const Value* cur;
  size_t first;
  if (t.target == Target::Input) {
    cur = &input_;
    first = 1;
  } else if (t.target == Target::Local && t.items[0]->kind == TermKind::Var) {
    cur = &f.slots[t.items[0]->slot];
    first = 1;
  } else if (t.target == Target::Data && overrides_.empty() && t.node && t.node->has_rules() && !t.node->dynamic) {
    first = static_cast<size_t>(t.data_prefix) + 1;
    for (size_t i = first; i < t.items.size(); ++i) {
      const Term& key = *t.items[i];
      if (!key.ground && !(key.kind == TermKind::Var && f.slots[key.slot].defined())) return Simple::No;
    }
    std::vector<Value> no_path;
    tmp = node_value(t.node, Value(), no_path);
    cur = &tmp;
  } else {
    return Simple::No;
  }
  for (size_t i = first; i < t.items.size(); ++i) {
    const Term& key = *t.items[i];
    const Value* kv;
    if (key.ground) {
      kv = &key.value;
    } else if (key.kind == TermKind::Var && f.slots[key.slot].defined()) {
      kv = &f.slots[key.slot];
    } else {
      return Simple::No;
    }
    if (!cur->defined()) return Simple::Undefined;
    cur = cur->find(*kv);
    if (!cur) return Simple::Undefined;
  }
  if (!cur->defined()) return Simple::Undefined;
  out = cur;
  return Simple::Value;
}

bool Evaluator::eval_term(const Term& t, Frame& f, ValueCont k) {
  if (t.ground) return k(t.value);
  if (t.kind == TermKind::Ref) {
    const Value* v;
    Value tmp;
    switch (eval_simple(t, f, v, tmp)) {
      case Simple::Value: return k(*v);
      case Simple::Undefined: return false;
      case Simple::No: break;
    }
  }
  switch (t.kind) {
    case TermKind::Scalar: return k(t.value);
    case TermKind::Var: {
      const Value& v = f.slots[t.slot];
      if (!v.defined()) return false;
      return k(v);
    }
    case TermKind::Ref: return eval_ref(t, f, k);
    case TermKind::Call: return eval_call(t, f, k);
    case TermKind::Array:
    case TermKind::Set: {
      SmallValues vals;
      return eval_items(t.items, 0, vals, f, [&] {
        return k(t.kind == TermKind::Array ? Value::array(vals.to_vector()) : Value::set(vals.to_vector()));
      });
    }
    case TermKind::Object: {
      SmallValues vals;
      return eval_items(t.items, 0, vals, f, [&] {
        std::vector<std::pair<Value, Value>> kv;
        kv.reserve(vals.size() / 2);
        for (size_t i = 0; i + 1 < vals.size(); i += 2) kv.emplace_back(vals[i], vals[i + 1]);
        return k(Value::object(std::move(kv)));
      });
    }
    case TermKind::ArrayCompr:
    case TermKind::SetCompr:
    case TermKind::ObjectCompr: return eval_compr(t, f, k);
  }
  return false;
}

bool Evaluator::eval_items(const lang::TermPtr* items, size_t n, size_t i, SmallValues& out, Frame& f,
                           FnRef<bool()> k) {
  // terms with exactly one value (constants, bound variables) need no continuation
  size_t pushed = 0;
  bool undefined = false;
  for (; i < n; ++i, ++pushed) {
    const Value* v;
    Value tmp;
    Simple s = eval_simple(*items[i], f, v, tmp);
    if (s == Simple::No) break;
    if (s == Simple::Undefined) {
      undefined = true;
      break;
    }
    out.push_back(*v);
  }
  bool stop;
  if (undefined) {
    stop = false;
  } else if (i == n) {
    stop = k();
  } else {
    stop = eval_term(*items[i], f, [&](const Value& v) {
      out.push_back(v);
      bool s = eval_items(items, n, i + 1, out, f, k);
      out.pop_back();
      return s;
    });
  }
  out.resize_down(out.size() - pushed);
  return stop;
}

bool Evaluator::eval_compr(const Term& t, Frame& f, ValueCont k) {
  std::vector<Value> vals;
  std::vector<std::pair<Value, Value>> kvs;
  eval_body(*t.body, 0, f, [&] {
    if (t.kind == TermKind::ObjectCompr) {
      eval_term(*t.head, f, [&](const Value& key) {
        return eval_term(*t.value_term, f, [&](const Value& val) {
          collected(limits::kEntryBytes);
          kvs.emplace_back(key, val);
          return false;
        });
      });
    } else {
      eval_term(*t.head, f, [&](const Value& v) {
        collected(limits::kItemBytes);
        vals.push_back(v);
        return false;
      });
    }
    return false;
  });
  switch (t.kind) {
    case TermKind::ArrayCompr: return k(Value::array(std::move(vals)));
    case TermKind::SetCompr: return k(Value::set(std::move(vals)));
    default: {
      // one key with two different values is a conflict (sorted once: no quadratic scan)
      std::stable_sort(kvs.begin(), kvs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (size_t i = 1; i < kvs.size(); ++i) {
        if (kvs[i].first == kvs[i - 1].first && kvs[i].second != kvs[i - 1].second) {
          conflict("object keys must be unique", t.loc);
        }
      }
      return k(Value::object(std::move(kvs)));
    }
  }
}

// ---------------------------------------------------------------- unification

bool Evaluator::bind(const Term& var, const Value& v, Frame& f, Cont k) {
  Value& slot = f.slots[var.slot];
  if (slot.defined()) return slot == v ? k() : false;
  slot = v;
  bool stop = k();
  slot = Value();
  return stop;
}

bool Evaluator::has_unbound(const Term& t, const Frame& f) const {
  switch (t.kind) {
    case TermKind::Var: return t.target == Target::Local && !f.slots[t.slot].defined();
    case TermKind::Array:
    case TermKind::Object:
    case TermKind::Set:
      if (t.ground) return false;
      for (const auto& i : t.items) {
        if (has_unbound(*i, f)) return true;
      }
      return false;
    default: return false;
  }
}

bool Evaluator::unify_terms(const Term& a, const Term& b, Frame& f, Cont k) {
  bool ua = has_unbound(a, f);
  bool ub = has_unbound(b, f);
  if (ua && ub && a.kind == TermKind::Array && b.kind == TermKind::Array) {
    if (a.items.size() != b.items.size()) return false;
    // element-wise, in an order where each pair has an evaluable side
    std::function<bool(size_t)> pair = [&](size_t i) -> bool {
      if (i == a.items.size()) return k();
      return unify_terms(*a.items[i], *b.items[i], f, [&] { return pair(i + 1); });
    };
    return pair(0);
  }
  if (ua && ub && a.kind == TermKind::Object && b.kind == TermKind::Object) return unify_objects(a, b, f, k);
  if (ua && !ub) return eval_term(b, f, [&](const Value& v) { return unify_value(a, v, f, k); });
  return eval_term(a, f, [&](const Value& v) { return unify_value(b, v, f, k); });
}

// Two object literals with variables on both sides: keys must match, values unify pairwise.
bool Evaluator::unify_objects(const Term& a, const Term& b, Frame& f, Cont k) {
  if (a.items.size() != b.items.size()) return false;
  std::vector<std::pair<const Term*, const Term*>> pairs;
  for (size_t i = 0; i < a.items.size(); i += 2) {
    const Term* match = nullptr;
    for (size_t j = 0; j < b.items.size(); j += 2) {
      if (a.items[i]->ground && b.items[j]->ground && a.items[i]->value == b.items[j]->value) {
        match = b.items[j + 1].get();
      }
    }
    if (!match) return false;
    pairs.emplace_back(a.items[i + 1].get(), match);
  }
  std::function<bool(size_t)> step = [&](size_t i) -> bool {
    if (i == pairs.size()) return k();
    return unify_terms(*pairs[i].first, *pairs[i].second, f, [&] { return step(i + 1); });
  };
  return step(0);
}

bool Evaluator::unify_value(const Term& p, const Value& v, Frame& f, Cont k) {
  switch (p.kind) {
    case TermKind::Var:
      if (p.target == Target::Local) return bind(p, v, f, k);
      break;
    case TermKind::Array:
      if (p.ground) return p.value == v ? k() : false;
      if (!v.is_array() || v.size() != p.items.size()) return false;
      return unify_items(p, v, 0, f, k);
    case TermKind::Object:
      if (p.ground) return p.value == v ? k() : false;
      if (!v.is_object() || v.size() != p.items.size() / 2) return false;
      return unify_object(p, v, 0, f, k);
    default: break;
  }
  return eval_term(p, f, [&](const Value& pv) { return pv == v ? k() : false; });
}

bool Evaluator::unify_items(const Term& p, const Value& v, size_t i, Frame& f, Cont k) {
  if (i == p.items.size()) return k();
  return unify_value(*p.items[i], v.items()[i], f, [&] { return unify_items(p, v, i + 1, f, k); });
}

bool Evaluator::unify_object(const Term& p, const Value& v, size_t i, Frame& f, Cont k) {
  if (i >= p.items.size()) return k();
  return eval_term(*p.items[i], f, [&](const Value& key) {
    const Value* val = v.find(key);
    if (!val) return false;
    return unify_value(*p.items[i + 1], *val, f, [&] { return unify_object(p, v, i + 2, f, k); });
  });
}

}  // namespace wartburg::eval
