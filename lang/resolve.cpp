// Stage resolve_refs: rewrites every variable of a rule or query into either
// a local slot or a global reference (input, data, an imported path, a rule of
// the same package), resolves call operators to builtins or user functions,
// and folds constant composite terms into values.
#include <algorithm>
#include <set>

#include "lang/compiler.h"
#include "policy/builtins/registry.h"

namespace wartburg::lang {

namespace {
bool is_deprecated_builtin(const std::string& name) {
  static const char* const kDeprecated[] = {"all",       "any",          "cast_array", "cast_boolean",
                                            "cast_null", "cast_object",  "cast_set",   "cast_string",
                                            "set_diff",  "re_match",     "net.cidr_overlap"};
  for (const char* d : kDeprecated) {
    if (name == d) return true;
  }
  return false;
}
}  // namespace

struct Scope {
  Scope* parent = nullptr;
  std::map<std::string, int> vars;
};

namespace {

class Resolver {
 public:
  using ImportMap = std::map<std::string, TermPtr>;

  // `imports`: the module's import map when the caller built it already (once
  // per module: rebuilding it for each rule made 20 000 imports take minutes).
  Resolver(CompileState& st, const RuleNode* root, const Module* mod, const ImportMap* imports = nullptr)
      : st_(st), root_(root), mod_(mod) {
    if (mod_) {
      pkg_node_ = find_node(*root_, mod_->package);
      if (imports) {
        imports_ = imports;
      } else {
        own_imports_ = import_map(*mod_);
      }
    }
  }

  static ImportMap import_map(const Module& m) {
    ImportMap out;
    for (const auto& imp : m.imports) add_import(out, imp);
    return out;
  }

  int slots() const { return next_slot_; }

  void rule(Rule& r) {
    Scope sc;
    for (auto& a : r.args) declare_pattern(*a, &sc);
    collect_body(r.body, &sc);
    for (size_t i = 1; i < r.ref.size(); ++i) collect_term(*r.ref[i], &sc);
    if (r.key) collect_term(*r.key, &sc);
    if (r.value) collect_term(*r.value, &sc);
    for (auto& a : r.args) term(a, &sc);
    resolve_body(r.body, &sc);
    for (size_t i = 1; i < r.ref.size(); ++i) term(r.ref[i], &sc);
    if (r.key) term(r.key, &sc);
    if (r.value) term(r.value, &sc);
  }

  void query(Body& b, std::vector<std::pair<std::string, int>>& outputs) {
    Scope sc;
    collect_body(b, &sc);
    resolve_body(b, &sc);
    for (const auto& [name, slot] : sc.vars) {
      if (!name.empty() && name[0] != '_' && name[0] != '$') outputs.emplace_back(name, slot);
    }
    std::sort(outputs.begin(), outputs.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  }

 private:
  CompileState& st_;
  const RuleNode* root_;
  const Module* mod_;
  const RuleNode* pkg_node_ = nullptr;
  ImportMap own_imports_;
  const ImportMap* imports_ = &own_imports_;
  int next_slot_ = 0;

  static void add_import(ImportMap& imports, const Import& imp) {
    const Term& p = *imp.path;
    std::string head = p.kind == TermKind::Ref ? p.items[0]->name : p.name;
    if (head != "data" && head != "input") return;  // future.keywords, rego.v1
    std::string alias = imp.alias;
    if (alias.empty()) {
      if (p.kind == TermKind::Var) {
        alias = p.name;
      } else {
        const Term& last = *p.items.back();
        if (last.kind == TermKind::Scalar && last.value.is_string()) alias = last.value.str();
      }
    }
    if (!alias.empty()) imports[alias] = imp.path;
  }

  bool is_global(const std::string& name) const {
    if (name == "input" || name == "data") return true;
    if (imports_->count(name)) return true;
    return pkg_node_ && pkg_node_->child(name);
  }

  static int lookup(const Scope* sc, const std::string& name) {
    for (; sc; sc = sc->parent) {
      auto it = sc->vars.find(name);
      if (it != sc->vars.end()) return it->second;
    }
    return -1;
  }

  int declare(Scope* sc, const std::string& name) {
    int s = next_slot_++;
    sc->vars[name] = s;
    return s;
  }

  // ---- phase 1: which names are locals of which scope ----

  void declare_pattern(const Term& t, Scope* sc) {
    if (t.kind == TermKind::Var) {
      if (t.name != "_") declare(sc, t.name);
      return;
    }
    if (t.kind == TermKind::Ref) return;  // refs are not declarations
    for (const auto& i : t.items) declare_pattern(*i, sc);
  }

  void collect_body(const Body& b, Scope* sc) {
    check_assignments(b);
    for (const auto& e : b) collect_decls(e, sc);
    for (const auto& e : b) collect_expr(e, sc);
  }

  // `x := ...` declares x once per body, before any use (OPA's rego_compile_error).
  // A name declared by `:=` or `some` must not be assigned, declared or
  // referenced above it in the body (OPA's rewriteDeclaredVar).
  void check_assignments(const Body& b) {
    std::set<std::string> assigned, declared, used;
    auto redeclared = [&](const std::string& n, const Location& loc) {
      if (assigned.count(n)) {
        st_.error("rego_compile_error", "var " + n + " assigned above", loc);
      } else if (declared.count(n)) {
        st_.error("rego_compile_error", "var " + n + " declared above", loc);
      } else if (used.count(n)) {
        st_.error("rego_compile_error", "var " + n + " referenced above", loc);
      }
    };
    for (const auto& e : b) {
      if (e.kind == ExprKind::Assign) {
        direct_names(*e.rhs, used);
        assign_target(*e.lhs);
        std::set<std::string> lhs;
        direct_names(*e.lhs, lhs);
        for (const auto& n : lhs) {
          redeclared(n, e.loc);
          assigned.insert(n);
        }
        continue;
      }
      if (e.kind == ExprKind::SomeDecl) {
        for (const auto& v : e.vars) {
          redeclared(v->name, e.loc);
          declared.insert(v->name);
        }
        continue;
      }
      if (e.kind == ExprKind::SomeIn) {
        direct_names(*e.coll, used);
        std::set<std::string> vars;
        if (e.key) direct_names(*e.key, vars);
        direct_names(*e.val, vars);
        for (const auto& n : vars) {
          redeclared(n, e.loc);
          declared.insert(n);
        }
        continue;
      }
      if (e.kind == ExprKind::Every) {
        direct_names(*e.coll, used);  // the key and value are declarations of their own scope
        continue;
      }
      for (const auto* t : {&e.term, &e.lhs, &e.rhs}) {
        if (*t) direct_names(**t, used);
      }
      if (e.kind == ExprKind::Not) {
        for (const auto& x : *e.body) {
          for (const auto* t : {&x.term, &x.lhs, &x.rhs}) {
            if (*t) direct_names(**t, used);
          }
        }
      }
    }
  }

  // The left side of `:=`: variables, in arrays and object values (OPA:
  // "cannot assign to number" and the like for anything else).
  void assign_target(const Term& t) {
    switch (t.kind) {
      case TermKind::Var: return;
      case TermKind::Array:
        for (const auto& i : t.items) assign_target(*i);
        return;
      case TermKind::Object:
        for (size_t i = 1; i < t.items.size(); i += 2) assign_target(*t.items[i]);
        return;
      case TermKind::Ref:
        if (t.items.size() == 1 && t.items[0]->kind == TermKind::Var) return;  // input / data
        break;
      case TermKind::Scalar:
        if (t.value.is_array() && t.value.size() > 0) {
          st_.error("rego_compile_error", std::string("cannot assign to ") + kind_name(t.value.items().front().kind()), t.loc);
          return;
        }
        break;
      default: break;
    }
    const char* what = "term";
    switch (t.kind) {
      case TermKind::Scalar: what = kind_name(t.value.kind()); break;
      case TermKind::Ref: what = "ref"; break;
      case TermKind::Call: what = "call"; break;
      case TermKind::Set: what = "set"; break;
      case TermKind::ArrayCompr: what = "arraycomprehension"; break;
      case TermKind::SetCompr: what = "setcomprehension"; break;
      case TermKind::ObjectCompr: what = "objectcomprehension"; break;
      default: break;
    }
    st_.error("rego_compile_error", std::string("cannot assign to ") + what, t.loc);
  }

  // Variable names in a term, outside nested comprehensions.
  static void direct_names(const Term& t, std::set<std::string>& out) {
    if (t.kind == TermKind::Var) {
      if (t.name != "_") out.insert(t.name);
      return;
    }
    if (t.kind == TermKind::ArrayCompr || t.kind == TermKind::SetCompr || t.kind == TermKind::ObjectCompr) return;
    for (size_t i = t.kind == TermKind::Call ? 1 : 0; i < t.items.size(); ++i) direct_names(*t.items[i], out);
  }

  void collect_decls(const Expr& e, Scope* sc) {
    switch (e.kind) {
      case ExprKind::SomeDecl:
        for (const auto& v : e.vars) declare(sc, v->name);
        break;
      case ExprKind::Assign: declare_pattern(*e.lhs, sc); break;
      case ExprKind::SomeIn:
        if (e.key) declare_pattern(*e.key, sc);
        declare_pattern(*e.val, sc);
        break;
      default: break;
    }
  }

  void collect_expr(const Expr& e, Scope* sc) {
    switch (e.kind) {
      case ExprKind::Term: collect_term(*e.term, sc); break;
      case ExprKind::Unify:
      case ExprKind::Assign:
        collect_term(*e.lhs, sc);
        collect_term(*e.rhs, sc);
        break;
      case ExprKind::SomeDecl: break;
      case ExprKind::SomeIn:
        if (e.key) collect_term(*e.key, sc);
        collect_term(*e.val, sc);
        collect_term(*e.coll, sc);
        break;
      case ExprKind::Every: collect_term(*e.coll, sc); break;
      case ExprKind::Not:
        for (const auto& x : *e.body) collect_expr(x, sc);
        break;
    }
    for (const auto& w : e.withs) {
      if (!is_with_function_target(*w.target)) collect_term(*w.value, sc);
    }
  }

  void collect_term(const Term& t, Scope* sc) {
    switch (t.kind) {
      case TermKind::Var:
        if (t.name != "_" && lookup(sc, t.name) < 0 && !is_global(t.name)) declare(sc, t.name);
        return;
      case TermKind::Ref:
        if (t.items[0]->kind == TermKind::Var) {
          collect_term(*t.items[0], sc);
        } else {
          collect_term(*t.items[0], sc);
        }
        for (size_t i = 1; i < t.items.size(); ++i) collect_term(*t.items[i], sc);
        return;
      case TermKind::Call:
        for (size_t i = 1; i < t.items.size(); ++i) collect_term(*t.items[i], sc);
        return;
      case TermKind::ArrayCompr:
      case TermKind::SetCompr:
      case TermKind::ObjectCompr:
        return;  // own scope, resolved later
      default:
        for (const auto& i : t.items) collect_term(*i, sc);
    }
  }

  // ---- phase 2: rewrite ----

  void resolve_body(Body& b, Scope* sc) {
    for (auto& e : b) resolve_expr(e, sc);
  }

  void resolve_expr(Expr& e, Scope* sc) {
    switch (e.kind) {
      case ExprKind::Term: term(e.term, sc); break;
      case ExprKind::Unify:
      case ExprKind::Assign:
        term(e.lhs, sc);
        term(e.rhs, sc);
        break;
      case ExprKind::SomeDecl:
        for (auto& v : e.vars) term(v, sc);
        break;
      case ExprKind::SomeIn:
        if (e.key) term(e.key, sc);
        term(e.val, sc);
        term(e.coll, sc);
        break;
      case ExprKind::Every: {
        term(e.coll, sc);
        Scope inner{sc, {}};
        if (e.key) declare_pattern(*e.key, &inner);
        declare_pattern(*e.val, &inner);
        collect_body(*e.body, &inner);
        if (e.key) term(e.key, &inner);
        term(e.val, &inner);
        resolve_body(*e.body, &inner);
        break;
      }
      case ExprKind::Not: resolve_body(*e.body, sc); break;
    }
    for (auto& w : e.withs) resolve_with(w, sc);
  }

  bool is_with_function_target(const Term& t) const {
    std::string name = t.kind == TermKind::Var ? t.name : (t.kind == TermKind::Ref ? term_text(t) : "");
    if (name.empty()) return false;
    std::string head = name.substr(0, name.find('.'));
    if (head == "input") return false;
    if (head == "data") {
      const RuleNode* n = node_for_name(name);
      return n && n->is_function;
    }
    if (builtins::registry().find(name)) return true;
    const RuleNode* n = node_for_name(name);
    return n && n->is_function;
  }

  void resolve_with(With& w, Scope* sc) {
    Term& t = *w.target;
    std::string name = t.kind == TermKind::Var ? t.name : term_text(t);
    std::string head = name.substr(0, name.find('.'));
    if (head == "input" || (head == "data" && !is_with_function_target(t))) {
      term(w.target, sc);
      if (w.target->kind == TermKind::Var) {
        st_.error("rego_type_error", "with keyword target must reference existing input, data, or a function", w.loc);
      }
    } else if (const RuleNode* n = node_for_name(name); n && n->is_function) {
      t.target = Target::Function;
      t.node = n;
    } else if (const auto* b = builtins::registry().find(name)) {
      t.target = Target::Builtin;
      t.builtin = b;
    } else if (name == "print" || name == "internal.print") {
      t.target = Target::Builtin;
    } else if (head != "_" && lookup(sc, head) < 0 && is_global(head)) {
      // a rule of this package or an import alias (`with versions as ...`,
      // `with fl.flag as 5`): resolved like any reference, as OPA does
      term(w.target, sc);
      if (w.target->kind != TermKind::Ref ||
          (w.target->target != Target::Input && w.target->target != Target::Data)) {
        st_.error("rego_type_error", "with keyword target must reference existing input, data, or a function", w.loc);
        return;
      }
    } else {
      st_.error("rego_compile_error",
                "with keyword target must reference existing input, data, or a function", w.loc);
      return;
    }
    // a function mock may be given as a function or builtin name
    // (w.target, not t: term() above may have replaced the target term)
    Term& v = *w.value;
    if (w.target->target == Target::Function || w.target->target == Target::Builtin) {
      std::string vname = v.kind == TermKind::Var ? v.name : (v.kind == TermKind::Ref ? term_text(v) : "");
      if (!vname.empty() && lookup(sc, vname.substr(0, vname.find('.'))) < 0) {
        if (const RuleNode* n = node_for_name(vname); n && n->is_function) {
          v.target = Target::Function;
          v.node = n;
          v.kind = TermKind::Var;
          return;
        }
        if (const auto* b = builtins::registry().find(vname)) {
          v.target = Target::Builtin;
          v.builtin = b;
          v.kind = TermKind::Var;
          return;
        }
      }
    }
    term(w.value, sc);
  }

  // The rule node a (possibly dotted) name refers to: a rule of this package,
  // an import alias, or an absolute data path.
  const RuleNode* node_for_name(const std::string& dotted) const {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
      size_t dot = dotted.find('.', start);
      parts.push_back(dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    std::vector<std::string> path;
    if (parts[0] == "data") {
      path.assign(parts.begin() + 1, parts.end());
    } else if (auto it = imports_->find(parts[0]); it != imports_->end()) {
      const Term& p = *it->second;
      if (p.kind != TermKind::Ref || p.items[0]->name != "data") return nullptr;
      for (size_t i = 1; i < p.items.size(); ++i) {
        if (!p.items[i]->value.is_string()) return nullptr;
        path.push_back(p.items[i]->value.str());
      }
      path.insert(path.end(), parts.begin() + 1, parts.end());
    } else if (mod_ && pkg_node_ && pkg_node_->child(parts[0])) {
      path = mod_->package;
      path.insert(path.end(), parts.begin(), parts.end());
    } else {
      return nullptr;
    }
    return find_node(*root_, path);
  }

  // The data reference a name stands for (an import alias or a rule of this
  // package), as OPA names it in errors: `f` imported from data.lib.x is
  // data.lib.x.f; other names as written.
  std::string global_name(const std::string& dotted) const {
    std::string head = dotted.substr(0, dotted.find('.'));
    std::string rest = head.size() < dotted.size() ? dotted.substr(head.size()) : std::string();
    if (auto it = imports_->find(head); it != imports_->end()) return term_text(*it->second) + rest;
    if (mod_ && pkg_node_ && pkg_node_->child(head)) {
      std::string out = "data";
      for (const auto& p : mod_->package) out += "." + p;
      return out + "." + dotted;
    }
    return dotted;
  }

  // Expansion of a global name into ref items.
  std::vector<TermPtr> expand_global(const std::string& name, const Location& loc) {
    std::vector<TermPtr> items;
    if (name == "input" || name == "data") {
      items.push_back(make_var(name, loc));
      return items;
    }
    if (auto it = imports_->find(name); it != imports_->end()) {
      const Term& p = *it->second;
      if (p.kind == TermKind::Var) {
        items.push_back(make_var(p.name, loc));
      } else {
        items.push_back(make_var(p.items[0]->name, loc));
        for (size_t i = 1; i < p.items.size(); ++i) items.push_back(make_scalar(p.items[i]->value, loc));
      }
      return items;
    }
    items.push_back(make_var("data", loc));
    for (const auto& k : mod_->package) items.push_back(make_scalar(Value::string(k), loc));
    items.push_back(make_scalar(Value::string(name), loc));
    return items;
  }

  void term(TermPtr& tp, Scope* sc) {
    Term& t = *tp;
    switch (t.kind) {
      case TermKind::Scalar: t.ground = true; return;
      case TermKind::Var: resolve_var(tp, sc); return;
      case TermKind::Ref: resolve_ref(tp, sc); return;
      case TermKind::Call: resolve_call(t, sc); return;
      case TermKind::Array:
      case TermKind::Set:
      case TermKind::Object: resolve_composite(t, sc); return;
      case TermKind::ArrayCompr:
      case TermKind::SetCompr:
      case TermKind::ObjectCompr: resolve_compr(t, sc); return;
    }
  }

  void resolve_var(TermPtr& tp, Scope* sc) {
    Term& t = *tp;
    if (t.name == "_") {
      t.slot = next_slot_++;
      t.target = Target::Local;
      return;
    }
    int s = lookup(sc, t.name);
    if (s >= 0) {
      t.slot = s;
      t.target = Target::Local;
      return;
    }
    if (is_global(t.name)) {
      auto r = make_term(TermKind::Ref, t.loc);
      r->items = expand_global(t.name, t.loc);
      tp = r;
      finish_global_ref(*tp);
      return;
    }
    t.slot = declare(sc, t.name);
    t.target = Target::Local;
  }

  void resolve_ref(TermPtr& tp, Scope* sc) {
    Term& t = *tp;
    TermPtr head = t.items[0];
    if (head->kind == TermKind::Var && head->name != "_" && lookup(sc, head->name) < 0 && is_global(head->name)) {
      auto items = expand_global(head->name, head->loc);
      items.insert(items.end(), t.items.begin() + 1, t.items.end());
      t.items = std::move(items);
      for (size_t i = 1; i < t.items.size(); ++i) term(t.items[i], sc);
      finish_global_ref(t);
      return;
    }
    term(t.items[0], sc);
    for (size_t i = 1; i < t.items.size(); ++i) term(t.items[i], sc);
    t.target = Target::Local;
  }

  // Sets the target of a ref whose head is input or data, and for data the
  // deepest rule node its constant prefix reaches.
  void finish_global_ref(Term& t) {
    t.target = t.items[0]->name == "input" ? Target::Input : Target::Data;
    if (t.target != Target::Data) return;
    const RuleNode* n = root_;
    size_t i = 1;
    for (; i < t.items.size(); ++i) {
      const Term& k = *t.items[i];
      if (k.kind != TermKind::Scalar || !k.value.is_string()) break;
      const RuleNode* c = n->child(k.value.str());
      if (!c) break;
      n = c;
    }
    t.node = n;
    t.data_prefix = static_cast<int>(i - 1);
  }

  void resolve_call(Term& t, Scope* sc) {
    const std::string& name = t.name;
    std::string head = name.substr(0, name.find('.'));
    bool local_head = lookup(sc, head) >= 0;
    if (!local_head) {
      if (const RuleNode* n = node_for_name(name); n && n->is_function) {
        t.target = Target::Function;
        t.node = n;
      } else if (const auto* b = builtins::registry().find(name)) {
        t.target = Target::Builtin;
        t.builtin = b;
        if (st_.disabled_builtins && st_.disabled_builtins->count(name)) {
          st_.error("rego_type_error", "builtin " + name + " is disabled by configuration", t.loc);
        } else if (mod_ && !mod_->v0 && is_deprecated_builtin(name)) {
          // OPA 1.0 removed the deprecated builtins from Rego v1; v0 modules keep them
          st_.error("rego_type_error",
                    "undefined function " + name + " (deprecated builtin, only available to v0 modules)", t.loc);
        }
      } else if (name == "print" || name == "internal.print") {
        t.target = Target::Builtin;  // handled by the evaluator
        t.special = SpecialCall::Print;
      } else if (name == "internal.member_2" || name == "internal.member_3") {
        t.target = Target::Builtin;
        t.special = name == "internal.member_2" ? SpecialCall::Member2 : SpecialCall::Member3;
      }
    }
    if (t.target == Target::None) {
      st_.error("rego_type_error", "undefined function " + (local_head ? name : global_name(name)), t.loc);
    }
    for (size_t i = 1; i < t.items.size(); ++i) term(t.items[i], sc);
  }

  void resolve_composite(Term& t, Scope* sc) {
    bool ground = true;
    for (auto& i : t.items) {
      term(i, sc);
      ground = ground && i->ground;
    }
    t.ground = ground;
    if (!ground) return;
    std::vector<Value> vals;
    vals.reserve(t.items.size());
    for (const auto& i : t.items) vals.push_back(i->value);
    if (t.kind == TermKind::Array) {
      t.value = Value::array(std::move(vals));
    } else if (t.kind == TermKind::Set) {
      t.value = Value::set(std::move(vals));
    } else {
      std::vector<std::pair<Value, Value>> kv;
      for (size_t i = 0; i + 1 < vals.size(); i += 2) kv.emplace_back(vals[i], vals[i + 1]);
      t.value = Value::object(std::move(kv));
    }
  }

  void resolve_compr(Term& t, Scope* sc) {
    Scope inner{sc, {}};
    collect_body(*t.body, &inner);
    collect_term(*t.head, &inner);
    if (t.value_term) collect_term(*t.value_term, &inner);
    resolve_body(*t.body, &inner);
    term(t.head, &inner);
    if (t.value_term) term(t.value_term, &inner);
  }
};

}  // namespace

void resolve_rule(CompileState& st, const Module& m, Rule& r) {
  Resolver res(st, st.out->root.get(), &m);
  res.rule(r);
  r.num_slots = res.slots();
}

int resolve_query(CompileState& st, const CompiledModules& policy, Body& body,
                  std::vector<std::pair<std::string, int>>& outputs) {
  Resolver res(st, policy.root.get(), nullptr);
  res.query(body, outputs);
  return res.slots();
}

void resolve_refs(CompileState& st) {
  for (const auto& m : st.out->modules) {
    const Resolver::ImportMap imports = Resolver::import_map(*m);
    for (const auto& r : m->rules) {
      for (Rule* e = r.get(); e; e = e->else_rule.get()) {
        Resolver res(st, st.out->root.get(), m.get(), &imports);
        res.rule(*e);
        e->num_slots = res.slots();
      }
    }
  }
}

}  // namespace wartburg::lang
