// Compiler strict mode (see strict.h): walks the resolved AST of every module
// for unused imports, input/data shadowing, duplicate imports, unused local
// assignments and function arguments, and deprecated builtin calls, with OPA's
// messages and locations.
#include "lang/strict.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "lang/parser.h"

namespace wartburg::lang {

namespace {

// Deprecated builtins (OPA's capabilities mark them `deprecated`).
const char* const kDeprecated[] = {"all",         "any",      "cast_array", "cast_boolean",
                                   "cast_null",   "cast_object", "cast_set", "cast_string",
                                   "set_diff",    "re_match", "net.cidr_overlap"};

bool is_deprecated(const std::string& name) {
  return std::any_of(std::begin(kDeprecated), std::end(kDeprecated), [&](const char* d) { return name == d; });
}

ErrorInfo make_error(const char* code, const std::string& msg, const Location& loc) {
  return ErrorInfo{code, msg, loc.file ? *loc.file : std::string(), loc.row, loc.col};
}

bool same_loc(const Location& a, const Location& b) {
  return a.file == b.file && a.row == b.row && a.col == b.col;
}

// Depth-first visit of terms and expressions (comprehension, every and not bodies,
// with targets and values included).
struct Visitor {
  std::function<void(const Term&)> on_term;
  std::function<void(const Expr&)> on_expr;

  void term(const Term& t) const {
    if (on_term) on_term(t);
    for (const auto& i : t.items) term(*i);
    if (t.head) term(*t.head);
    if (t.value_term) term(*t.value_term);
    if (t.body) body(*t.body);
  }
  void body(const Body& b) const {
    for (const auto& e : b) expr(e);
  }
  void expr(const Expr& e) const {
    if (on_expr) on_expr(e);
    for (const auto* p : {&e.term, &e.lhs, &e.rhs, &e.key, &e.val, &e.coll}) {
      if (*p) term(**p);
    }
    for (const auto& v : e.vars) term(*v);
    if (e.body) body(*e.body);
    for (const auto& w : e.withs) {
      term(*w.target);
      term(*w.value);
    }
  }
  // One definition of a rule (not its else branches); ref[0] is the rule name.
  void branch(const Rule& r) const {
    for (const auto& a : r.args) term(*a);
    for (size_t i = 1; i < r.ref.size(); ++i) term(*r.ref[i]);
    if (r.key) term(*r.key);
    if (r.value) term(*r.value);
    body(r.body);
  }
  void rule(const Rule& r) const {
    for (const Rule* e = &r; e; e = e->else_rule.get()) branch(*e);
  }
};

// Name an import binds: its alias, else the last path segment.
std::string import_name(const Import& imp) {
  if (!imp.alias.empty()) return imp.alias;
  const Term& p = *imp.path;
  if (p.kind == TermKind::Var) return p.name;
  if (p.kind != TermKind::Ref || p.items.empty()) return "";
  const Term& last = *p.items.back();
  if (last.kind == TermKind::Var) return last.name;
  if (last.kind == TermKind::Scalar && last.value.is_string()) return last.value.str();
  return "";
}

std::string import_text(const Import& imp) {
  std::string s = "import " + term_text(*imp.path);
  if (!imp.alias.empty()) s += " as " + imp.alias;
  return s;
}

std::string key_text(const Term& t) {
  if (t.kind == TermKind::Var) return t.name;
  if (t.kind == TermKind::Scalar && t.value.is_string()) return t.value.str();
  return term_text(t);
}

// Path of an import as segments: data.a.b -> {data, a, b}.
std::vector<std::string> import_path(const Import& imp) {
  const Term& p = *imp.path;
  if (p.kind != TermKind::Ref) return {key_text(p)};
  std::vector<std::string> out;
  for (const auto& i : p.items) out.push_back(key_text(*i));
  return out;
}

// First dotted segment of a (possibly dotted) name.
std::string head_segment(const std::string& name) { return name.substr(0, name.find('.')); }

// Head name of an unresolved function reference (with target / value).
std::string function_head(const Term& t) {
  if (!t.items.empty() && t.items[0]->kind == TermKind::Var) return t.items[0]->name;
  return head_segment(t.kind == TermKind::Var ? t.name : term_text(t));
}

// ---------------------------------------------------------------- unused imports

// resolve_refs replaces a name bound by an import with the import's path, every
// new item carrying the location of the name. A ref into input/data therefore
// came from the import when the identifier written at its location is the
// import's name and the items sharing that location spell the import's path.
class ImportUsage {
 public:
  explicit ImportUsage(const Module& m) : m_(m) {
    if (m.source) {
      line_starts_.push_back(0);
      for (size_t i = 0; i < m.source->size(); ++i) {
        if ((*m.source)[i] == '\n') line_starts_.push_back(i + 1);
      }
    }
    for (const auto& imp : m.imports) {
      std::string head = import_path(imp).front();
      checked_.push_back(head == "data" || head == "input");
      names_.push_back(import_name(imp));
      paths_.push_back(import_path(imp));
      used_.push_back(false);
    }
  }

  void scan() {
    Visitor v;
    v.on_term = [this](const Term& t) { term(t); };
    v.on_expr = [this](const Expr& e) {
      for (const auto& w : e.withs) {
        for (const Term* t : {w.target.get(), w.value.get()}) {
          if (t->target == Target::Function || t->target == Target::Builtin) mark_name(function_head(*t), true);
        }
      }
    };
    for (const auto& r : m_.rules) v.rule(*r);
  }

  void report(std::vector<ErrorInfo>& out) const {
    for (size_t i = 0; i < m_.imports.size(); ++i) {
      if (checked_[i] && !used_[i]) {
        out.push_back(make_error("rego_compile_error", import_text(m_.imports[i]) + " unused", m_.imports[i].loc));
      }
    }
  }

 private:
  const Module& m_;
  std::vector<size_t> line_starts_;
  std::vector<bool> checked_, used_;
  std::vector<std::string> names_;
  std::vector<std::vector<std::string>> paths_;

  std::string identifier_at(const Location& loc) const {
    if (!m_.source || loc.row < 1 || static_cast<size_t>(loc.row) > line_starts_.size() || loc.col < 1) return "";
    size_t p = line_starts_[static_cast<size_t>(loc.row) - 1] + static_cast<size_t>(loc.col) - 1;
    const std::string& s = *m_.source;
    size_t e = p;
    while (e < s.size() && (std::isalnum(static_cast<unsigned char>(s[e])) || s[e] == '_')) ++e;
    return p < s.size() ? s.substr(p, e - p) : "";
  }

  void mark_name(const std::string& name, bool data_only) {
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name && (!data_only || paths_[i].front() == "data")) used_[i] = true;
    }
  }

  void term(const Term& t) {
    if (t.kind == TermKind::Call && t.target == Target::Function) {
      std::string head = head_segment(t.name);
      if (head != "data") mark_name(head, true);
      return;
    }
    if (t.kind != TermKind::Ref || (t.target != Target::Input && t.target != Target::Data)) return;
    const Term& h = *t.items[0];
    std::string ident = identifier_at(h.loc);
    std::vector<std::string> run{h.name};
    for (size_t i = 1; i < t.items.size() && same_loc(t.items[i]->loc, h.loc); ++i) {
      run.push_back(key_text(*t.items[i]));
    }
    // OPA tracks use per bound name: a use marks every import of that name
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == ident && paths_[i] == run) mark_name(ident, false);
    }
  }
};

// ---------------------------------------------------------------- input/data shadowing

bool is_root_name(const std::string& n) { return n == "input" || n == "data"; }

void keyword_overrides(const Module& m, std::vector<ErrorInfo>& out) {
  for (const auto& r : m.rules) {
    const std::string& name = r->ref[0]->name;
    if (is_root_name(name)) {
      out.push_back(make_error("rego_compile_error", "rules must not shadow " + name + " (use a different rule name)",
                               r->loc));
    }
    for (const auto& a : r->args) {
      if (a->kind == TermKind::Var && is_root_name(a->name)) {
        out.push_back(make_error("rego_compile_error",
                                 "args must not shadow " + a->name + " (use a different variable name)", a->loc));
      }
    }
  }
  Visitor v;
  v.on_expr = [&out](const Expr& e) {
    if (e.kind == ExprKind::Assign && e.lhs->kind == TermKind::Var && is_root_name(e.lhs->name)) {
      out.push_back(make_error("rego_compile_error",
                               "variables must not shadow " + e.lhs->name + " (use a different variable name)", e.loc));
    }
  };
  for (const auto& r : m.rules) v.rule(*r);
}

// ---------------------------------------------------------------- duplicate imports

void duplicate_imports(const Module& m, std::vector<ErrorInfo>& out) {
  std::map<std::string, const Import*> seen;
  for (const auto& imp : m.imports) {
    std::string name = import_name(imp);
    auto [it, fresh] = seen.emplace(name, &imp);
    if (!fresh) {
      out.push_back(make_error("rego_compile_error", "import must not shadow " + import_text(*it->second), imp.loc));
    }
  }
}

// ---------------------------------------------------------------- unused locals

bool reportable_var(const Term& t) {
  return t.kind == TermKind::Var && t.target == Target::Local && t.slot >= 0 && !t.name.empty() && t.name != "_" &&
         t.name[0] != '$';
}

// Variables a pattern (assignment left-hand side, function argument) declares.
void pattern_vars(const Term& t, std::vector<const Term*>& out) {
  if (t.kind == TermKind::Var) {
    if (reportable_var(t)) out.push_back(&t);
    return;
  }
  if (t.kind == TermKind::Array || t.kind == TermKind::Object || t.kind == TermKind::Set) {
    for (const auto& i : t.items) pattern_vars(*i, out);
  }
}

// Occurrences of each local slot in one rule definition. Slots are unique within
// a definition (comprehension and every scopes get slots of their own), so an
// assigned variable is read when its slot occurs more than once.
std::map<int, int> slot_counts(const Rule& r) {
  std::map<int, int> counts;
  Visitor v;
  v.on_term = [&counts](const Term& t) {
    // `_` is skipped: else branches share the argument terms, whose wildcards keep
    // the fresh slot of the last branch resolved
    if (t.kind == TermKind::Var && t.target == Target::Local && t.slot >= 0 && t.name != "_") ++counts[t.slot];
  };
  v.branch(r);
  return counts;
}

class UnusedLocals {
 public:
  UnusedLocals(const std::map<int, int>& counts, std::vector<ErrorInfo>& out) : counts_(counts), out_(out) {}

  // Head comprehensions first, then the body; inner bodies report before the
  // body that holds them (as OPA's rewrite of local variables does).
  void branch(const Rule& r) {
    for (size_t i = 1; i < r.ref.size(); ++i) nested(*r.ref[i]);
    if (r.key) nested(*r.key);
    if (r.value) nested(*r.value);
    body(r.body);
  }

 private:
  const std::map<int, int>& counts_;
  std::vector<ErrorInfo>& out_;
  std::set<int> reported_;

  int count(int slot) const {
    auto it = counts_.find(slot);
    return it == counts_.end() ? 0 : it->second;
  }

  void nested(const Term& t) {
    if (t.body) body(*t.body);
    for (const auto& i : t.items) nested(*i);
    if (t.head) nested(*t.head);
    if (t.value_term) nested(*t.value_term);
  }

  void body(const Body& b) {
    for (const auto& e : b) {
      for (const auto* p : {&e.term, &e.lhs, &e.rhs, &e.key, &e.val, &e.coll}) {
        if (*p) nested(**p);
      }
      if (e.body) body(*e.body);
      for (const auto& w : e.withs) nested(*w.value);
    }
    for (const auto& e : b) {
      if (e.kind != ExprKind::Assign) continue;
      std::vector<const Term*> vars;
      pattern_vars(*e.lhs, vars);
      for (const Term* v : vars) {
        if (count(v->slot) <= 1 && reported_.insert(v->slot).second) {
          out_.push_back(make_error("rego_compile_error", "assigned var " + v->name + " unused", e.loc));
        }
      }
    }
  }
};

void unused_locals(const Module& m, std::vector<ErrorInfo>& out) {
  for (const auto& r : m.rules) {
    std::vector<const Term*> args;
    for (const auto& a : r->args) pattern_vars(*a, args);
    std::set<std::string> used_args;
    for (const Rule* e = r.get(); e; e = e->else_rule.get()) {
      auto counts = slot_counts(*e);
      UnusedLocals(counts, out).branch(*e);
      for (const Term* a : args) {
        auto it = counts.find(a->slot);
        if (it != counts.end() && it->second > 1) used_args.insert(a->name);
      }
    }
    std::set<std::string> reported;
    for (const Term* a : args) {
      if (!used_args.count(a->name) && reported.insert(a->name).second) {
        out.push_back(make_error("rego_compile_error",
                                 "unused argument " + a->name + ". (hint: use _ (wildcard variable) instead)", r->loc));
      }
    }
  }
}

// ---------------------------------------------------------------- deprecated builtins

void deprecated_builtins(const Module& m, std::vector<ErrorInfo>& out) {
  Visitor v;
  v.on_term = [&out](const Term& t) {
    if (t.kind == TermKind::Call && t.target == Target::Builtin && t.builtin && is_deprecated(t.name)) {
      out.push_back(make_error("rego_type_error", "deprecated built-in function calls in expression: " + t.name, t.loc));
    }
  };
  for (const auto& r : m.rules) v.rule(*r);
}

}  // namespace

std::vector<ErrorInfo> rego_v1_checks(const Module& m) {
  std::vector<ErrorInfo> out;
  duplicate_imports(m, out);
  keyword_overrides(m, out);
  std::set<std::string> own;
  for (const auto& r : m.rules) own.insert(r->ref[0]->name);
  static const char* const kV1Keywords[] = {"if", "contains", "in", "every"};
  auto v1_keyword = [](const std::string& n) {
    return std::any_of(std::begin(kV1Keywords), std::end(kV1Keywords), [&](const char* k) { return n == k; });
  };
  Visitor v;
  v.on_term = [&](const Term& t) {
    if (t.kind == TermKind::Call && is_deprecated(t.name) && !own.count(t.name)) {
      out.push_back(make_error("rego_type_error", "deprecated built-in function calls in expression: " + t.name, t.loc));
    }
    // a v0 name that v1 reads as a keyword (`concat(x, if)`): no v1 text can say it
    if (t.kind == TermKind::Var && v1_keyword(t.name)) {
      out.push_back(make_error("rego_parse_error", t.name + " keyword cannot be used as a variable name", t.loc));
    }
  };
  for (const auto& r : m.rules) v.rule(*r);
  for (const auto& r : m.rules) {
    const std::string& name = r->ref[0]->name;
    if (v1_keyword(name)) {
      out.push_back(make_error("rego_parse_error", name + " keyword cannot be used for rule name", r->loc));
    }
  }
  return out;
}

std::vector<ErrorInfo> strict_checks_resolved(const CompiledModules& resolved) {
  std::vector<const Module*> mods;
  for (const auto& m : resolved.modules) mods.push_back(m.get());
  std::stable_sort(mods.begin(), mods.end(), [](const Module* a, const Module* b) {
    return (a->file ? *a->file : std::string()) < (b->file ? *b->file : std::string());
  });
  using Check = std::function<void(const Module&, std::vector<ErrorInfo>&)>;
  const Check checks[] = {
      [](const Module& m, std::vector<ErrorInfo>& out) {
        ImportUsage u(m);
        u.scan();
        u.report(out);
      },
      keyword_overrides,
      duplicate_imports,
      unused_locals,
      deprecated_builtins,
  };
  // OPA stops after the first compiler stage that reports errors.
  for (const auto& check : checks) {
    std::vector<ErrorInfo> out;
    for (const Module* m : mods) check(*m, out);
    if (!out.empty()) return out;
  }
  return {};
}

std::vector<ErrorInfo> strict_checks(const CompiledModules& compiled) {
  CompiledModules fresh;
  try {
    for (const auto& m : compiled.modules) {
      if (!m->source) continue;
      ParseOptions po;
      po.v0 = m->v0;
      fresh.modules.push_back(parse_module(m->file ? *m->file : std::string(), *m->source, po));
    }
  } catch (const Error& e) {
    return e.errors;
  }
  CompileState st;
  st.out = &fresh;
  build_rule_tree(st);
  if (st.errors.empty()) resolve_refs(st);
  if (!st.errors.empty()) return st.errors;
  return strict_checks_resolved(fresh);
}

}  // namespace wartburg::lang
