// The compiler pipeline: an ordered list of named stages over all modules,
// plus the stages that act on the whole rule tree (build_rule_tree,
// check_recursion, build_indexes).
#include "lang/compiler.h"

#include "lang/annotations.h"
#include "lang/ast_json.h"

#include <cstdio>
#include <functional>
#include <map>
#include <set>

namespace wartburg::lang {

void CompileState::error(const char* code, const std::string& msg, const Location& loc) {
  errors.push_back(ErrorInfo{code, msg, loc.file ? *loc.file : std::string(), loc.row, loc.col});
}

namespace {

struct Stage {
  const char* name;
  void (*run)(CompileState&);
};

const Stage kStages[] = {
    {"build_rule_tree", build_rule_tree}, {"resolve_refs", resolve_refs},     {"fold_metadata", fold_metadata},
    {"rewrite_comprehension_heads", rewrite_comprehension_heads},
    {"check_safety", check_safety},           {"lift_dynamic_terms", lift_dynamic_terms},
    {"check_recursion", check_recursion}, {"check_types", check_types},       {"build_indexes", build_indexes},
};

std::string join_path(const std::vector<std::string>& path) {
  std::string s = "data";
  for (const auto& p : path) s += "." + p;
  return s;
}

void number_nodes(RuleNode& n, int& next) {
  n.id = next++;
  for (auto& [k, c] : n.children) number_nodes(*c, next);
}

RuleNode* ensure_node(RuleNode& root, const std::vector<std::string>& path) {
  RuleNode* n = &root;
  for (size_t i = 0; i < path.size(); ++i) {
    auto it = n->children.find(path[i]);
    if (it == n->children.end()) {
      auto c = std::make_unique<RuleNode>();
      c->key = path[i];
      c->path.assign(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      c->path_text = join_path(c->path);
      it = n->children.emplace(path[i], std::move(c)).first;
    }
    n = it->second.get();
  }
  return n;
}

void place_rule(CompileState& st, const Module& m, const RulePtr& r) {
  std::vector<std::string> path = m.package;
  path.push_back(r->ref[0]->name);
  size_t i = 1;
  for (; i < r->ref.size(); ++i) {
    const Term& t = *r->ref[i];
    if (t.kind != TermKind::Scalar || !t.value.is_string()) break;
    path.push_back(t.value.str());
  }
  RuleNode* node = ensure_node(*st.out->root, path);
  for (Rule* e = r.get(); e; e = e->else_rule.get()) {
    if (!e->value && e->kind != RuleKind::MultiValue) e->value = make_scalar(Value::boolean(true), e->loc);
    e->dyn_from = i;
    e->node = node;
    e->module = &m;
    e->path_text = node->path_text;
  }
  if (i < r->ref.size()) node->dynamic = true;
  const Rule* existing = node->rules.empty() ? node->default_rule : node->rules.front();
  if (existing && (existing->kind != r->kind || (existing->dyn_from < existing->ref.size()) != (i < r->ref.size()))) {
    st.error("rego_type_error", "conflicting rules " + node->path_text + " found", r->loc);
    return;
  }
  if (r->kind == RuleKind::Function) {
    node->is_function = true;
    if (existing && existing->args.size() != r->args.size()) {
      st.error("rego_type_error", "conflicting rules " + node->path_text + " found", r->loc);
      return;
    }
    node->arity = static_cast<int>(r->args.size());
  }
  if (r->kind == RuleKind::MultiValue) node->multi_value = true;
  if (r->is_default) {
    if (node->default_rule) {
      st.error("rego_type_error", "multiple default rules " + node->path_text + " found", r->loc);
      return;
    }
    node->default_rule = r.get();
  } else {
    node->rules.push_back(r.get());
  }
}

// A node with rules of its own must not also have children defined by rules.
void check_overlaps(CompileState& st, const RuleNode& n) {
  if (n.has_rules() && !n.children.empty() && !n.dynamic) {
    const Rule* r = n.rules.empty() ? n.default_rule : n.rules.front();
    std::string kids;
    for (const auto& [k, c] : n.children) kids += (kids.empty() ? "" : ", ") + c->path_text;
    st.error("rego_type_error", "rule " + n.path_text + " conflicts with [" + kids + "]", r->loc);
  }
  for (const auto& [k, c] : n.children) check_overlaps(st, *c);
}

}  // namespace

void build_rule_tree(CompileState& st) {
  st.out->root = std::make_unique<RuleNode>();
  st.out->root->path_text = "data";
  for (const auto& m : st.out->modules) {
    ensure_node(*st.out->root, m->package)->package = true;
    for (const auto& r : m->rules) place_rule(st, *m, r);
  }
  check_overlaps(st, *st.out->root);
  int next = 0;
  number_nodes(*st.out->root, next);
  st.out->num_nodes = next;
}

const RuleNode* find_node(const RuleNode& root, const std::vector<std::string>& path) {
  const RuleNode* n = &root;
  for (const auto& k : path) {
    n = n->child(k);
    if (!n) return nullptr;
  }
  return n;
}

// ---------------------------------------------------------------- recursion

namespace {

// The dependency graph has two vertices per rule-tree node: R(n), the rules
// of n, and T(n), the whole subtree of n (T(n) -> R(n) and T(n) -> T(child)).
// A reference to a whole document (data.p) is one edge to T(p), not an edge
// to every rule below it: the graph stays linear in the size of the policy
// where expanding each reference was quadratic (10 000 rules reading a
// 10 000-rule package: 10^8 edges, gigabytes).
int rules_vertex(const RuleNode* n) { return 2 * n->id; }
int tree_vertex(const RuleNode* n) { return 2 * n->id + 1; }

void term_deps(const Term& t, std::set<int>& out);

void body_deps(const Body& b, std::set<int>& out) {
  for (const auto& e : b) {
    for (const auto* t : {&e.term, &e.lhs, &e.rhs, &e.key, &e.val, &e.coll}) {
      if (*t) term_deps(**t, out);
    }
    if (e.body) body_deps(*e.body, out);
    for (const auto& w : e.withs) {
      term_deps(*w.value, out);
    }
  }
}

void term_deps(const Term& t, std::set<int>& out) {
  if (t.kind == TermKind::Call && t.target == Target::Function && t.node) out.insert(tree_vertex(t.node));
  if (t.kind == TermKind::Ref && t.target == Target::Data && t.node) {
    // a constant key that leaves the rule tree at a node without rules reads base data only
    size_t next = static_cast<size_t>(t.data_prefix) + 1;
    bool base_only = next < t.items.size() && t.items[next]->kind == TermKind::Scalar && !t.node->has_rules() &&
                     !t.node->dynamic;
    // a variable key selects among the node's children at run time: only the node itself is a
    // static dependency (recursion through such refs is caught by the evaluator's depth guard)
    bool dynamic_key = next < t.items.size() && t.items[next]->kind != TermKind::Scalar && !t.node->has_rules();
    if (dynamic_key) {
      if (t.node->has_rules()) out.insert(rules_vertex(t.node));
    } else if (!base_only) {
      out.insert(tree_vertex(t.node));
    }
  }
  for (const auto& i : t.items) term_deps(*i, out);
  if (t.head) term_deps(*t.head, out);
  if (t.value_term) term_deps(*t.value_term, out);
  if (t.body) body_deps(*t.body, out);
}

void rule_deps(const Rule& r, std::set<int>& out) {
  for (const Rule* e = &r; e; e = e->else_rule.get()) {
    body_deps(e->body, out);
    if (e->value) term_deps(*e->value, out);
    if (e->key) term_deps(*e->key, out);
    for (const auto& t : e->ref) term_deps(*t, out);
    for (const auto& t : e->args) term_deps(*t, out);
  }
}

struct RecursionCheck {
  CompileState& st;
  std::vector<const RuleNode*> node_of;  // vertex / 2 -> node
  std::vector<std::vector<int>> edges;   // vertex -> successors, in order
  std::vector<uint8_t> color;
  std::vector<int> stack;
  std::set<const RuleNode*> reported;

  // Depth-first search with an explicit stack (a chain of 100 000 rules must
  // not exhaust the native stack): `stack` holds the path, `next` each path
  // vertex's position in its successor list.
  void visit(int start) {
    std::vector<size_t> next;
    color[static_cast<size_t>(start)] = 1;
    stack.push_back(start);
    next.push_back(0);
    while (!stack.empty()) {
      int v = stack.back();
      size_t& it = next.back();
      const auto& succ = edges[static_cast<size_t>(v)];
      if (it == succ.size()) {
        color[static_cast<size_t>(v)] = 2;
        stack.pop_back();
        next.pop_back();
        continue;
      }
      int d = succ[it++];
      uint8_t& c = color[static_cast<size_t>(d)];
      if (c == 1) {
        report(d);
      } else if (c == 0) {
        c = 1;
        stack.push_back(d);
        next.push_back(0);
      }
    }
  }

  // The cycle is the stack from `d` on; it names the rule nodes on it.
  void report(int d) {
    std::vector<const RuleNode*> rules;
    bool on = false;
    for (int v : stack) {
      if (v == d) on = true;
      if (on && v % 2 == 0) rules.push_back(node_of[static_cast<size_t>(v / 2)]);
    }
    if (rules.empty()) return;  // subtree vertices alone form no cycle
    const RuleNode* first = rules.front();
    if (reported.count(first)) return;
    reported.insert(first);
    std::string chain;
    for (const RuleNode* n : rules) chain += n->path_text + " -> ";
    chain += first->path_text;
    const Rule* r = first->rules.empty() ? first->default_rule : first->rules.front();
    st.error("rego_recursion_error", "rule " + first->path_text + " is recursive: " + chain, r->loc);
  }
};

void index_nodes(const RuleNode& n, std::vector<const RuleNode*>& by_id, std::vector<const RuleNode*>& with_rules) {
  // iterative: the tree is as deep as the longest package/rule path
  std::vector<const RuleNode*> todo{&n};
  while (!todo.empty()) {
    const RuleNode* x = todo.back();
    todo.pop_back();
    by_id[static_cast<size_t>(x->id)] = x;
    for (auto it = x->children.rbegin(); it != x->children.rend(); ++it) todo.push_back(it->second.get());
  }
  // nodes with rules in tree order (depth first, keys in order), as the search starts from them
  todo.push_back(&n);
  while (!todo.empty()) {
    const RuleNode* x = todo.back();
    todo.pop_back();
    if (x->has_rules()) with_rules.push_back(x);
    for (auto it = x->children.rbegin(); it != x->children.rend(); ++it) todo.push_back(it->second.get());
  }
}

}  // namespace

void check_recursion(CompileState& st) {
  size_t num = static_cast<size_t>(st.out->num_nodes);
  RecursionCheck rc{st, std::vector<const RuleNode*>(num), std::vector<std::vector<int>>(2 * num),
                    std::vector<uint8_t>(2 * num, 0), {}, {}};
  std::vector<const RuleNode*> with_rules;
  index_nodes(*st.out->root, rc.node_of, with_rules);
  for (size_t i = 0; i < num; ++i) {
    const RuleNode* n = rc.node_of[i];
    if (!n) continue;
    auto& tree = rc.edges[static_cast<size_t>(tree_vertex(n))];
    if (n->has_rules()) tree.push_back(rules_vertex(n));
    for (const auto& [k, c] : n->children) tree.push_back(tree_vertex(c.get()));
    if (!n->has_rules()) continue;
    std::set<int> d;
    for (const Rule* r : n->rules) rule_deps(*r, d);
    if (n->default_rule) rule_deps(*n->default_rule, d);
    rc.edges[static_cast<size_t>(rules_vertex(n))].assign(d.begin(), d.end());
  }
  for (const RuleNode* n : with_rules) {
    if (rc.color[static_cast<size_t>(rules_vertex(n))] == 0) rc.visit(rules_vertex(n));
  }
}

// ---------------------------------------------------------------- pipeline

namespace {

// As opa test: every definition of a test rule is a test of its own; the
// second and later definitions of test_x in a package become test_x#01, ...
void rename_duplicate_tests(std::vector<ModulePtr>& modules) {
  std::map<std::pair<std::vector<std::string>, std::string>, int> seen;
  for (auto& m : modules) {
    for (auto& r : m->rules) {
      if (r->kind != RuleKind::Complete || r->ref.size() != 1 || r->ref[0]->kind != TermKind::Var) continue;
      const std::string& name = r->ref[0]->name;
      if (name.rfind("test_", 0) != 0 && name.rfind("todo_test_", 0) != 0) continue;
      int n = seen[{m->package, name}]++;
      if (n == 0) continue;
      char suffix[16];
      std::snprintf(suffix, sizeof suffix, "#%02d", n);
      r->ref[0]->name = name + suffix;
    }
  }
}

}  // namespace

std::shared_ptr<CompiledModules> compile_modules(std::vector<ModulePtr> modules, const CompileSettings& s) {
  install_builtin_hooks();  // rego.parse_module needs the front end
  if (s.rename_duplicate_tests) rename_duplicate_tests(modules);
  auto out = std::make_shared<CompiledModules>();
  out->modules = std::move(modules);
  out->disabled_builtins = s.disabled_builtins;
  CompileState st;
  st.out = out.get();
  st.disabled_builtins = &out->disabled_builtins;
  for (const auto& stage : kStages) {
    stage.run(st);
    if (!st.errors.empty()) throw Error(std::move(st.errors));
  }
  return out;
}

CompiledQuery compile_query(const CompiledModules& policy, Query q, const CompileSettings&) {
  CompiledQuery cq;
  CompileState st;
  st.disabled_builtins = &policy.disabled_builtins;
  cq.num_slots = resolve_query(st, policy, q.body, cq.outputs);
  if (st.errors.empty()) rewrite_comprehension_heads_in(q.body, cq.num_slots);
  if (st.errors.empty()) {
    std::vector<bool> bound(static_cast<size_t>(cq.num_slots), false);
    if (order_body(st, q.body, bound)) lift_body(q.body, cq.num_slots, true);
  }
  if (st.errors.empty()) check_types_in_body(st, q.body);
  if (!st.errors.empty()) throw Error(std::move(st.errors));
  cq.query = std::move(q);
  return cq;
}

}  // namespace wartburg::lang
