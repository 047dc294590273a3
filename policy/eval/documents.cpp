// References into input, data and local values; the virtual documents that
// rules define (complete rules, partial sets, partial objects and ref heads),
// merged with base data and memoized per evaluation.
#include "policy/eval/evaluator.h"

#include <map>

namespace wartburg::eval {

using lang::RuleKind;
using lang::Target;
using lang::TermKind;

bool Evaluator::eval_ref(const Term& t, Frame& f, ValueCont k) {
  switch (t.target) {
    case Target::Input:
      if (!input_.defined()) return false;
      return walk(input_, t, 1, f, k);
    case Target::Data: {
      std::vector<Value> path;
      const RuleNode* n = t.node;
      if (overrides_.empty() && n && n->has_rules() && !n->dynamic) {
        // the constant prefix names a rule: its value does not depend on base data
        Value v = node_value(n, Value(), path);
        return v.defined() && walk(v, t, static_cast<size_t>(t.data_prefix) + 1, f, k);
      }
      return walk_data(policy_.root.get(), data_, path, t, 1, f, k);
    }
    default:
      return eval_term(*t.items[0], f, [&](const Value& head) { return walk(head, t, 1, f, k); });
  }
}

bool Evaluator::walk(const Value& cur, const Term& ref, size_t i, Frame& f, ValueCont k, bool base_doc) {
  if (i == ref.items.size()) return k(cur);
  const Term& key = *ref.items[i];
  if (key.ground) return walk_key(cur, ref, i, key.value, f, k, base_doc);
  if (key.kind == TermKind::Var && key.target == Target::Local) {
    const Value& bound = f.slots[key.slot];
    if (bound.defined()) return walk_key(cur, ref, i, bound, f, k, base_doc);
  }
  if (has_unbound(key, f)) {
    // iterate over the collection, unifying the key pattern with each key
    if (cur.is_object()) {
      for (const auto& kv : cur.entries()) {
        tick();
        if (unify_value(key, kv.first, f, [&] { return walk(kv.second, ref, i + 1, f, k); })) return true;
      }
    } else if (cur.is_array()) {
      const auto& items = cur.items();
      for (size_t j = 0; j < items.size(); ++j) {
        tick();
        if (unify_value(key, Value::integer(static_cast<int64_t>(j)), f,
                        [&] { return walk(items[j], ref, i + 1, f, k); })) {
          return true;
        }
      }
    } else if (cur.is_set()) {
      for (const auto& v : cur.items()) {
        tick();
        if (unify_value(key, v, f, [&] { return walk(v, ref, i + 1, f, k); })) return true;
      }
    }
    return false;
  }
  return eval_term(key, f, [&](const Value& kv) { return walk_key(cur, ref, i, kv, f, k, base_doc); });
}

bool Evaluator::walk_key(const Value& cur, const Term& ref, size_t i, const Value& key, Frame& f, ValueCont k,
                         bool base_doc) {
  const Value* next = cur.find(key);
  // base documents are JSON: as OPA's store does, a number key addresses the member named by its text
  if (!next && base_doc && key.is_number() && cur.is_object()) next = cur.find(number_text(key));
  if (!next) return false;
  return walk(*next, ref, i + 1, f, k, base_doc);
}

// ---------------------------------------------------------------- data tree

const Value* Evaluator::override_at(const std::vector<Value>& path) const {
  for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it) {
    if (it->path == path) return &it->value;
  }
  return nullptr;
}

Value set_path(const Value& doc, const std::vector<Value>& path, size_t i, const Value& v) {
  if (i == path.size()) return v;
  std::vector<std::pair<Value, Value>> entries;
  if (doc.is_object()) entries = doc.entries();
  Value child;
  for (auto& kv : entries) {
    if (kv.first == path[i]) child = kv.second;
  }
  Value updated = set_path(child, path, i + 1, v);
  bool replaced = false;
  for (auto& kv : entries) {
    if (kv.first == path[i]) {
      kv.second = updated;
      replaced = true;
    }
  }
  if (!replaced) entries.emplace_back(path[i], updated);
  return Value::object(std::move(entries));
}

// Applies `with data...` overrides that lie strictly below `path` to `v`.
Value Evaluator::apply_overrides(Value v, const std::vector<Value>& path) {
  for (const auto& o : overrides_) {
    if (o.path.size() <= path.size()) continue;
    if (!std::equal(path.begin(), path.end(), o.path.begin())) continue;
    std::vector<Value> rest(o.path.begin() + static_cast<std::ptrdiff_t>(path.size()), o.path.end());
    v = set_path(v, rest, 0, o.value);
  }
  return v;
}

bool Evaluator::walk_data(const RuleNode* node, const Value& base, std::vector<Value>& path, const Term& ref,
                          size_t i, Frame& f, ValueCont k) {
  if (!overrides_.empty()) {
    if (const Value* o = override_at(path)) return walk(*o, ref, i, f, k);
  }
  if (!node) {
    // overrides below this path may create documents that base data lacks
    Value doc = overrides_.empty() ? base : apply_overrides(base, path);
    if (!doc.defined()) return false;
    return walk(doc, ref, i, f, k, true);
  }
  if (i == ref.items.size() || node->has_rules() || node->dynamic) {
    Value v = node_value(node, base, path);
    if (!v.defined()) return false;
    return walk(v, ref, i, f, k);
  }
  const Term& key = *ref.items[i];
  const Value* kv = nullptr;
  if (key.ground) {
    kv = &key.value;
  } else if (key.kind == TermKind::Var && key.target == Target::Local && f.slots[key.slot].defined()) {
    kv = &f.slots[key.slot];
  }
  if (!kv) {
    if (!has_unbound(key, f)) {
      return eval_term(key, f, [&](const Value& v) {
        if (!overrides_.empty()) path.push_back(v);
        const RuleNode* child = v.is_string() ? node->child(v.str()) : nullptr;
        const Value* b = base.find(v);
        bool stop = walk_data(child, b ? *b : Value(), path, ref, i + 1, f, k);
        if (!overrides_.empty()) path.pop_back();
        return stop;
      });
    }
    Value v = node_value(node, base, path);
    if (!v.defined()) return false;
    return walk(v, ref, i, f, k);
  }
  const RuleNode* child = kv->is_string() ? node->child(kv->str()) : nullptr;
  const Value* b = base.find(*kv);
  if (!b && kv->is_number() && base.is_object()) b = base.find(number_text(*kv));
  // the path is only needed to apply `with data...` overrides
  bool track = !overrides_.empty();
  if (track) path.push_back(*kv);
  bool stop = walk_data(child, b ? *b : Value(), path, ref, i + 1, f, k);
  if (track) path.pop_back();
  return stop;
}

// The whole document at a node: base data merged with the rules' values.
Value Evaluator::node_value(const RuleNode* node, const Value& base, std::vector<Value>& path) {
  check_stack();
  if (!overrides_.empty()) {
    if (const Value* o = override_at(path)) return *o;
  }
  bool cacheable = overrides_.empty();
  if (cacheable) {
    if (node_memo_.done.empty()) {
      node_memo_.done.assign(static_cast<size_t>(policy_.num_nodes), 0);
      node_memo_.values.resize(static_cast<size_t>(policy_.num_nodes));
    }
    if (node_memo_.done[static_cast<size_t>(node->id)]) return node_memo_.values[static_cast<size_t>(node->id)];
  }
  Value result;
  if (node->has_rules() && !node->dynamic) {
    if (!node->is_function) {
      result = rules_value(node);
    } else if (node->arity == 0) {
      result = function_result(node, nullptr, 0);
    }
  } else {
    std::vector<std::pair<Value, Value>> entries;
    for (const auto& [key, child] : node->children) {
      Value kv = Value::string(key);
      const Value* b = base.find(kv);
      bool track = !overrides_.empty();
      if (track) path.push_back(kv);
      Value cv = node_value(child.get(), b ? *b : Value(), path);
      if (track) path.pop_back();
      if (!cv.defined()) continue;
      entries.emplace_back(kv, cv);
    }
    if (node->dynamic) dynamic_values(node, entries);
    // base documents take precedence over rules with the same path (OPA merges them this way);
    // below an inner node the child's value already merges the base document
    for (const auto& kv : base.entries()) {
      const RuleNode* c = kv.first.is_string() ? node->child(kv.first.str()) : nullptr;
      if (c && !(c->has_rules() && !c->dynamic)) continue;
      entries.push_back(kv);
    }
    if (!entries.empty() || base.is_object() || !node->children.empty() || node->dynamic || node->package) {
      result = Value::object(std::move(entries));
    } else {
      result = base;
    }
  }
  if (!overrides_.empty()) result = apply_overrides(result, path);
  if (cacheable) {
    node_memo_.done[static_cast<size_t>(node->id)] = 1;
    node_memo_.values[static_cast<size_t>(node->id)] = result;
  }
  return result;
}

Value Evaluator::rules_value(const RuleNode* node) {
  return node->multi_value ? multi_value(node) : complete_value(node);
}

// Runs a rule (and its else chain when it has no solution); calls k with the
// frame of each solution.
// Rule indexing: a rule whose guard fails has no solution, so its body is not run.
bool Evaluator::guards_pass(const lang::Rule& r, const Value* args) const {
  for (const auto& g : r.guards) {
    if (opts_.coverage && g.loc.file) opts_.coverage->emplace(*g.loc.file, g.loc.row);
    const Value* cur = g.arg < 0 ? &input_ : (args ? &args[g.arg] : nullptr);
    if (!cur) continue;
    for (const auto& key : g.path) {
      cur = cur->find(key);
      if (!cur) return false;
    }
    if (*cur != g.value) return false;
  }
  return true;
}

// The rules of a node that may apply to the current input.
const std::vector<const lang::Rule*>& Evaluator::candidates(const RuleNode* node) const {
  if (!node->index) return node->rules;
  static const std::vector<const lang::Rule*> none;
  const Value* cur = &input_;
  for (const auto& key : node->index->test.path) {
    cur = cur->find(key);
    if (!cur) return none;
  }
  auto it = node->index->by_value.find(*cur);
  return it == node->index->by_value.end() ? none : it->second;
}

bool Evaluator::rule_solutions(const lang::Rule& r, FnRef<bool(const lang::Rule&, Frame&)> k) {
  for (const lang::Rule* cur = &r; cur; cur = cur->else_rule.get()) {
    if (!guards_pass(*cur, nullptr)) continue;
    FrameSlots slots(cur->num_slots);
    Frame f{slots.data()};
    bool any = false;
    const bool chained = r.else_rule != nullptr;
    bool stop = eval_body(cur->body, 0, f, [&] {
      // in an else chain a solution counts only if the head value is defined
      // (OPA moves the value into the body): else `p := input.x if {...} else := 5`
      // with input.x undefined would never reach the else
      if (chained && cur->value && !cur->value->ground) {
        bool defined = false;
        eval_term(*cur->value, f, [&](const Value&) {
          defined = true;
          return true;
        });
        if (!defined) return false;
      }
      any = true;
      if (opts_.coverage && cur->loc.file) opts_.coverage->emplace(*cur->loc.file, cur->loc.row);
      return k(*cur, f);
    });
    if (stop || any) return stop;
  }
  return false;
}

Value Evaluator::complete_value(const RuleNode* node) {
  Value result;
  const lang::Rule* first = nullptr;   // the rule that produced `result`
  std::unique_ptr<ConflictSet> clash;  // from the first differing value on; the rules
                                       // are still all evaluated, to name every conflicting one
  try {
    for (const lang::Rule* r : candidates(node)) {
      tick();
      bool full = false;
      rule_solutions(*r, [&](const lang::Rule& solved, Frame& f) {
        eval_term(*solved.value, f, [&](const Value& v) {
          if (!result.defined()) {
            result = v;
            first = &solved;
          } else if (result != v) {
            full = note_conflict(clash, *first, solved);
          }
          return full;
        });
        // early exit: a constant value cannot change with further solutions of this rule
        return full || solved.value->ground;
      });
      if (full) break;
    }
  } catch (const Error&) {
    if (!clash) throw;  // an error while collecting conflicts: report the conflict (as OPA)
  }
  if (clash) raise_conflict(*clash, node);
  if (!result.defined() && node->default_rule) {
    const lang::Rule& d = *node->default_rule;
    if (opts_.coverage && d.loc.file) opts_.coverage->emplace(*d.loc.file, d.loc.row);
    FrameSlots slots(node->default_rule->num_slots);
    Frame f{slots.data()};
    eval_term(*node->default_rule->value, f, [&](const Value& v) {
      result = v;
      return true;
    });
  }
  return result;
}

Value Evaluator::multi_value(const RuleNode* node) {
  std::vector<Value> out;
  for (const lang::Rule* r : candidates(node)) {
    if (!guards_pass(*r, nullptr)) continue;
    FrameSlots slots(r->num_slots);
    Frame f{slots.data()};
    eval_body(r->body, 0, f, [&] {
      if (opts_.coverage && r->loc.file) opts_.coverage->emplace(*r->loc.file, r->loc.row);
      eval_term(*r->key, f, [&](const Value& v) {
        collected(limits::kItemBytes);
        out.push_back(v);
        return false;
      });
      return false;
    });
  }
  return Value::set(std::move(out));
}

namespace {
// The values rules with variables in their head refs produce, collected as a
// trie keyed by the head's keys (insertion is logarithmic: a rule producing n
// keys costs n log n, not n^2) and turned into nested objects once.
struct DynSlot;
using DynLevel = std::map<Value, DynSlot>;
struct DynSlot {
  Value value;                      // a single value (or a value given before rules added below it)
  std::unique_ptr<DynLevel> inner;  // keys built below this one
  std::vector<Value> members;       // a multi-value rule's set members
  bool is_set = false;
};

Value materialize(const DynSlot& s);
Value materialize(const DynLevel& level) {
  std::vector<std::pair<Value, Value>> entries;
  entries.reserve(level.size());
  for (const auto& [k, slot] : level) entries.emplace_back(k, materialize(slot));
  return Value::object(std::move(entries));
}
Value materialize(const DynSlot& s) {
  if (s.inner) return materialize(*s.inner);
  if (s.is_set) return Value::set(s.members);
  return s.value;
}

// Adds v at keys[0..n) (n >= 1); conflict is set when a key already holds another value.
void insert_nested(DynLevel& root, const Value* keys, size_t n, const Value& v, bool multi, bool& conflict) {
  DynLevel* level = &root;
  for (size_t i = 0;; ++i) {
    auto [it, fresh] = level->try_emplace(keys[i]);
    DynSlot& s = it->second;
    if (i + 1 == n) {
      if (fresh) {
        if (multi) {
          s.is_set = true;
          s.members.push_back(v);
        } else {
          s.value = v;
        }
      } else if (multi && !s.inner && (s.is_set || s.value.is_set())) {
        if (!s.is_set) {
          s.members = s.value.items();
          s.is_set = true;
          s.value = Value();
        }
        s.members.push_back(v);
      } else if (materialize(s) != v) {
        conflict = true;
      }
      return;
    }
    if (!s.inner) {
      // descend: an object given here is merged, anything else is replaced
      s.inner = std::make_unique<DynLevel>();
      Value given = s.is_set ? Value() : s.value;
      if (given.is_object()) {
        for (const auto& [k, x] : given.entries()) (*s.inner)[k].value = x;
      }
      s.value = Value();
      s.members.clear();
      s.is_set = false;
    }
    level = s.inner.get();
  }
}
}  // namespace

// Values of rules whose head ref continues past this node with variables,
// e.g. `p[x] := v` or `a.b[x].c := v`.
void Evaluator::dynamic_values(const RuleNode* node, std::vector<std::pair<Value, Value>>& into) {
  DynLevel root;
  for (auto& [k, v] : into) root[k].value = std::move(v);
  for (const lang::Rule* r : node->rules) {
    tick();
    if (r->dyn_from >= r->ref.size()) continue;
    bool multi = r->kind == RuleKind::MultiValue;
    std::vector<lang::TermPtr> key_terms(r->ref.begin() + static_cast<std::ptrdiff_t>(r->dyn_from), r->ref.end());
    rule_solutions(*r, [&](const lang::Rule& solved, Frame& f) {
      SmallValues keys;
      return eval_items(key_terms, 0, keys, f, [&] {
        const Term& vt = multi ? *solved.key : *solved.value;
        return eval_term(vt, f, [&](const Value& v) {
          bool clash = false;
          collected(limits::kEntryBytes);
          insert_nested(root, keys.data(), keys.size(), v, multi, clash);
          if (clash) conflict("object keys must be unique", r->loc);
          return false;
        });
      });
    });
  }
  into.clear();
  into.reserve(root.size());
  for (const auto& [k, slot] : root) into.emplace_back(k, materialize(slot));
}

}  // namespace wartburg::eval
