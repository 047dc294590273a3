// Evaluator: top-down evaluation of a compiled policy with OPA's semantics
// (unification and backtracking, undefined vs false, rules, functions,
// comprehensions, `with`, `not`, `every`). Search is written in
// continuation-passing style: every generator calls a continuation once per
// solution; a continuation returns true to stop the search early.
// One Evaluator serves one evaluation on one thread; the policy it reads is
// immutable and shared.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <new>
#include <ostream>
#include <random>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "lang/compiler.h"
#include "policy/builtins/registry.h"
#include "policy/engine.h"
#include "policy/limits.h"
#include "policy/eval/small_values.h"

namespace wartburg::eval {

using lang::Body;
using lang::Expr;
using lang::RuleNode;
using lang::Term;

// Non-owning reference to a callable (no allocation, two words).
template <class Sig>
class FnRef;
template <class R, class... A>
class FnRef<R(A...)> {
 public:
  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, FnRef>)
  FnRef(F&& f)  // NOLINT: implicit by design
      : obj_(const_cast<void*>(static_cast<const void*>(&f))),
        cb_([](void* o, A... a) -> R { return (*static_cast<std::remove_reference_t<F>*>(o))(std::forward<A>(a)...); }) {}
  R operator()(A... a) const { return cb_(obj_, std::forward<A>(a)...); }

 private:
  void* obj_;
  R (*cb_)(void*, A...);
};

using Cont = FnRef<bool()>;
using ValueCont = FnRef<bool(const Value&)>;

struct Frame {
  Value* slots;
};

// What a `with` replaces a function or builtin by.
struct Mock {
  const RuleNode* node = nullptr;
  const builtins::Builtin* builtin = nullptr;
  Value value;  // a constant result
};

// Slots of one rule or function body: on the C++ stack for small frames.
class FrameSlots {
 public:
  explicit FrameSlots(int n) : n_(static_cast<size_t>(n)) {
    if (n_ <= kInline) {
      p_ = std::launder(reinterpret_cast<Value*>(buf_));
      for (size_t i = 0; i < n_; ++i) new (p_ + i) Value();
    } else {
      heap_.resize(n_);
      p_ = heap_.data();
    }
  }
  ~FrameSlots() {
    if (n_ <= kInline) {
      for (size_t i = 0; i < n_; ++i) p_[i].~Value();
    }
  }
  FrameSlots(const FrameSlots&) = delete;
  FrameSlots& operator=(const FrameSlots&) = delete;
  Value* data() { return p_; }

 private:
  static constexpr size_t kInline = 24;
  alignas(Value) unsigned char buf_[kInline * sizeof(Value)];
  size_t n_;
  std::vector<Value> heap_;
  Value* p_;
};

// Memo key of a function call with scalar arguments; lookups use a view of
// the argument buffer so a cache hit allocates nothing.
struct CallKey {
  const RuleNode* node;
  std::vector<Value> args;
};
struct CallKeyView {
  const RuleNode* node;
  const Value* args;
  size_t n;
};
struct CallKeyHash {
  using is_transparent = void;
  static size_t of(const RuleNode* node, const Value* args, size_t n) {
    size_t h = std::hash<const void*>()(node);
    for (size_t i = 0; i < n; ++i) h = h * 31 + args[i].hash();
    return h;
  }
  size_t operator()(const CallKey& k) const { return of(k.node, k.args.data(), k.args.size()); }
  size_t operator()(const CallKeyView& k) const { return of(k.node, k.args, k.n); }
};
struct CallKeyEq {
  using is_transparent = void;
  static bool same(const RuleNode* a, const Value* x, size_t n, const RuleNode* b, const Value* y, size_t m) {
    if (a != b || n != m) return false;
    for (size_t i = 0; i < n; ++i) {
      if (x[i] != y[i]) return false;
    }
    return true;
  }
  bool operator()(const CallKey& a, const CallKey& b) const {
    return same(a.node, a.args.data(), a.args.size(), b.node, b.args.data(), b.args.size());
  }
  bool operator()(const CallKeyView& a, const CallKey& b) const {
    return same(a.node, a.args, a.n, b.node, b.args.data(), b.args.size());
  }
  bool operator()(const CallKey& a, const CallKeyView& b) const { return (*this)(b, a); }
};
using CallMemo = std::unordered_map<CallKey, Value, CallKeyHash, CallKeyEq>;
constexpr uint64_t kMemoEntryBytes = 96;  // hash node, key vector and value of one CallMemo entry

// The rules of one complete document (or of one function call) that produced
// values differing from the first value, collected so that the conflict error
// can name them, as OPA does. Only built once a conflict has been found.
struct ConflictSet {
  static constexpr size_t kMaxRules = 10;  // OPA lists at most this many rules
  const lang::Rule* at = nullptr;          // the first rule whose value differed: the error location
  std::vector<const lang::Rule*> rules;    // distinct rules involved, the first value's rule first
  bool more = false;                       // a further conflicting rule was left out
};

struct DataOverride {
  std::vector<Value> path;  // below data
  Value value;
};

class Evaluator {
 public:
  Evaluator(const lang::CompiledModules& policy, const Value& input, const Value& data, const EvalOptions& opts);

  // Evaluates a query body; `row` is called once per solution.
  void run_query(const lang::CompiledQuery& q, FnRef<void(const std::vector<Value>& slots,
                                                         const std::vector<Value>& expr_values)> row);

 private:
  // ---- bodies and expressions (evaluator.cpp) ----
  bool eval_body(const Body& b, size_t i, Frame& f, Cont k);
  bool eval_expr(const Expr& e, Frame& f, Cont k);
  bool eval_some_in(const Expr& e, Frame& f, Cont k);
  bool eval_every(const Expr& e, Frame& f, Cont k);
  bool eval_not(const Expr& e, Frame& f, Cont k);
  bool eval_term(const Term& t, Frame& f, ValueCont k);
  // Terms with at most one value and no iteration (constants, bound variables,
  // refs with constant or bound keys): evaluated directly, without continuations.
  enum class Simple { No, Value, Undefined };
  Simple eval_simple(const Term& t, const Frame& f, const Value*& out, Value& tmp);
  bool eval_items(const lang::TermPtr* items, size_t n, size_t i, SmallValues& out, Frame& f,
                  FnRef<bool()> k);
  bool eval_items(const std::vector<lang::TermPtr>& items, size_t i, SmallValues& out, Frame& f,
                  FnRef<bool()> k) {
    return eval_items(items.data(), items.size(), i, out, f, k);
  }
  bool eval_compr(const Term& t, Frame& f, ValueCont k);
  bool unify_terms(const Term& a, const Term& b, Frame& f, Cont k);
  bool unify_objects(const Term& a, const Term& b, Frame& f, Cont k);
  bool unify_value(const Term& pattern, const Value& v, Frame& f, Cont k);
  bool unify_items(const Term& pattern, const Value& v, size_t i, Frame& f, Cont k);
  bool unify_object(const Term& pattern, const Value& v, size_t i, Frame& f, Cont k);
  bool has_unbound(const Term& t, const Frame& f) const;
  bool bind(const Term& var, const Value& v, Frame& f, Cont k);

  // ---- references and documents (documents.cpp) ----
  bool eval_ref(const Term& t, Frame& f, ValueCont k);
  bool walk(const Value& cur, const Term& ref, size_t i, Frame& f, ValueCont k, bool base_doc = false);
  bool walk_key(const Value& cur, const Term& ref, size_t i, const Value& key, Frame& f, ValueCont k,
                bool base_doc);
  bool walk_data(const RuleNode* node, const Value& base, std::vector<Value>& path, const Term& ref, size_t i,
                 Frame& f, ValueCont k);
  Value node_value(const RuleNode* node, const Value& base, std::vector<Value>& path);
  Value rules_value(const RuleNode* node);
  Value complete_value(const RuleNode* node);
  Value multi_value(const RuleNode* node);
  void dynamic_values(const RuleNode* node, std::vector<std::pair<Value, Value>>& into);
  bool rule_solutions(const lang::Rule& r, FnRef<bool(const lang::Rule&, Frame&)> k);
  bool guards_pass(const lang::Rule& r, const Value* args) const;
  const std::vector<const lang::Rule*>& candidates(const RuleNode* node) const;
  Value apply_overrides(Value v, const std::vector<Value>& path);
  const Value* override_at(const std::vector<Value>& path) const;

  // ---- calls (calls.cpp) ----
  bool eval_call(const Term& t, Frame& f, ValueCont k);
  bool eval_call_late(const Term& t, size_t n_in, bool has_output, Frame& f, ValueCont k);
  bool call_with_args(const Term& t, SmallValues& args, Frame& f, ValueCont k);
  bool call_builtin(const Term& t, const builtins::Builtin& b, SmallValues& args, Frame& f, ValueCont k);
  bool call_function(const RuleNode* node, const Value* args, size_t n, ValueCont k);
  Value function_result(const RuleNode* node, const Value* args, size_t n);
  bool unify_args(const lang::Rule& r, const Value* args, size_t i, Frame& f, Cont k);
  bool eval_print(const Term& t, Frame& f, ValueCont k);
  bool eval_member(const Term& t, SmallValues& args, Frame& f, ValueCont k);
  bool eval_with(const Expr& e, Frame& f, Cont k, const ValueCont* term_k = nullptr);
  [[noreturn]] void builtin_failure(const Term& t, const std::string& name, const builtins::BuiltinError& e);
  // In every loop of the evaluator: the evaluation's deadline and memory budget.
  void tick() { budget_.tick(); }
  // An element added to a collection being built (comprehension, partial set): its slot is charged.
  void collected(uint64_t bytes) {
    budget_.charge(bytes);
    budget_.tick();
  }
  void check_stack() const;  // throws when the native stack is nearly used up

  [[noreturn]] void conflict(const std::string& msg, const lang::Location& loc);
  // Records that `r` produced a value differing from the one `first` produced;
  // true when the list is full and evaluation should stop.
  static bool note_conflict(std::unique_ptr<ConflictSet>& c, const lang::Rule& first, const lang::Rule& r);
  // OPA's "rule data.x.p produced conflicting values" / "function data.x.f produced
  // conflicting values for the same inputs", listing the rules when several conflict.
  [[noreturn]] void raise_conflict(const ConflictSet& c, const RuleNode* node);

  const lang::CompiledModules& policy_;
  Value input_;
  const Value& data_;
  EvalOptions opts_;
  EvalBudget budget_;
  const char* stack_floor_ = nullptr;  // native stack guard: check_stack throws below it
  builtins::Context bctx_;
  std::map<Value, Value> bmemo_;

  // caches (cleared around `with`)
  // node values computed in this evaluation, indexed by RuleNode::id (sized on first use)
  struct NodeMemo {
    std::vector<Value> values;
    std::vector<uint8_t> done;
  };
  NodeMemo node_memo_;
  CallMemo fn_memo_;
  std::vector<DataOverride> overrides_;
  std::map<const void*, Mock> mocks_;
};

}  // namespace wartburg::eval
