// The engine API (policy/engine.h): compile modules into a Policy, prepare
// queries against it, evaluate them.
#include "policy/engine.h"

#include <algorithm>

#include "lang/compiler.h"
#include "lang/parser.h"
#include "lang/plan.h"
#include "lang/strict.h"
#include "policy/eval/evaluator.h"

namespace wartburg {

class Policy {
 public:
  std::shared_ptr<lang::CompiledModules> compiled;
};

std::shared_ptr<const Policy> compile(const std::vector<SourceFile>& modules, const CompileOptions& opts) {
  std::vector<lang::ModulePtr> parsed;
  std::vector<ErrorInfo> errors;
  lang::ParseOptions po;
  po.v0 = opts.v0_compatible;
  po.fold_constants = true;
  for (const auto& m : modules) {
    try {
      parsed.push_back(lang::parse_module(m.name, m.text, po));
    } catch (const Error& e) {
      errors.insert(errors.end(), e.errors.begin(), e.errors.end());
    }
  }
  if (!errors.empty()) throw Error(std::move(errors));
  auto p = std::make_shared<Policy>();
  lang::CompileSettings cs;
  cs.v0 = opts.v0_compatible;
  cs.disabled_builtins = opts.disabled_builtins;
  cs.rename_duplicate_tests = opts.rename_duplicate_tests;
  p->compiled = lang::compile_modules(std::move(parsed), cs);
  return p;
}

std::vector<RuleInfo> list_rules(const Policy& policy) {
  std::vector<RuleInfo> out;
  for (const auto& m : policy.compiled->modules) {
    for (const auto& r : m->rules) {
      RuleInfo info;
      info.path = r->path_text;
      info.name = r->node ? r->node->key : r->ref[0]->name;
      info.file = m->file ? *m->file : "";
      info.row = r->loc.row;
      info.col = r->loc.col;
      info.is_function = r->kind == lang::RuleKind::Function;
      out.push_back(std::move(info));
    }
  }
  return out;
}

namespace {
void body_lines(const lang::Body& b, SourceLines& out);

void term_lines(const lang::Term& t, SourceLines& out) {
  if (t.body) body_lines(*t.body, out);
  for (const auto& i : t.items) term_lines(*i, out);
  if (t.head) term_lines(*t.head, out);
  if (t.value_term) term_lines(*t.value_term, out);
}

void body_lines(const lang::Body& b, SourceLines& out) {
  for (const auto& e : b) {
    if (e.loc.file) out.emplace(*e.loc.file, e.loc.row);
    for (const auto* t : {&e.term, &e.lhs, &e.rhs, &e.coll}) {
      if (*t) term_lines(**t, out);
    }
    if (e.body) body_lines(*e.body, out);
  }
}
}  // namespace

std::vector<ErrorInfo> strict_errors(const Policy& policy) { return lang::strict_checks(*policy.compiled); }

SourceLines coverable_lines(const Policy& policy) {
  SourceLines out;
  for (const auto& m : policy.compiled->modules) {
    for (const auto& r : m->rules) {
      for (const lang::Rule* e = r.get(); e; e = e->else_rule.get()) {
        if (e->loc.file) out.emplace(*e->loc.file, e->loc.row);
        for (const auto& g : e->guards) {
          if (g.loc.file) out.emplace(*g.loc.file, g.loc.row);
        }
        body_lines(e->body, out);
      }
    }
  }
  return out;
}

class PreparedQueryImpl {
 public:
  std::shared_ptr<const Policy> policy;
  lang::CompiledQuery query;
  std::vector<std::string> texts;  // expression texts in source order
  std::vector<std::pair<int, int>> locations;
};

PreparedQuery::PreparedQuery(std::shared_ptr<const Policy> policy, const std::string& query,
                             const CompileOptions& opts)
    : impl_(std::make_unique<PreparedQueryImpl>()) {
  if (!policy) policy = compile({}, opts);
  impl_->policy = policy;
  lang::ParseOptions po;
  po.v0 = opts.v0_compatible;
  po.fold_constants = true;
  lang::Query q = lang::parse_query(query, po);
  for (const auto& e : q.body) {
    impl_->texts.push_back(query.substr(e.text_begin, e.text_end - e.text_begin));
    impl_->locations.emplace_back(e.loc.row, e.loc.col);
  }
  impl_->query = lang::compile_query(*policy->compiled, std::move(q));
}

PreparedQuery::~PreparedQuery() = default;
PreparedQuery::PreparedQuery(PreparedQuery&&) noexcept = default;
PreparedQuery& PreparedQuery::operator=(PreparedQuery&&) noexcept = default;

std::vector<QueryRow> PreparedQuery::eval(const Value& input, const Value& data, const EvalOptions& opts) const {
  std::vector<QueryRow> rows;
  eval::Evaluator ev(*impl_->policy->compiled, input, data, opts);
  ev.run_query(impl_->query, [&](const std::vector<Value>& slots, const std::vector<Value>& values) {
    QueryRow row;
    for (size_t i = 0; i < values.size(); ++i) {
      row.expressions.push_back(
          ExpressionValue{values[i], impl_->texts[i], impl_->locations[i].first, impl_->locations[i].second});
    }
    for (const auto& [name, slot] : impl_->query.outputs) {
      const Value& v = slots[static_cast<size_t>(slot)];
      if (v.defined()) row.bindings.emplace_back(name, v);
    }
    rows.push_back(std::move(row));
  });
  return rows;
}

std::string save_plan(const Policy& policy) { return lang::write_plan(*policy.compiled); }

std::shared_ptr<const Policy> load_plan(std::string_view bytes, const CompileOptions& opts) {
  auto compiled = lang::read_plan(bytes);
  bool v0 = std::any_of(compiled->modules.begin(), compiled->modules.end(), [](const auto& m) { return m->v0; });
  if (!compiled->modules.empty() && v0 != opts.v0_compatible) {
    throw Error(ErrorInfo{"plan_error", std::string("plan was compiled as Rego ") + (v0 ? "v0" : "v1") + ", wanted Rego " +
                                            (opts.v0_compatible ? "v0" : "v1"), "", 0, 0});
  }
  if (opts.rename_duplicate_tests) {  // plans are compiled without (as `wartburg build` does)
    throw Error(ErrorInfo{"plan_error", "plan was compiled without renaming duplicate tests", "", 0, 0});
  }
  if (!opts.disabled_builtins.empty()) {
    for (const auto& name : lang::called_builtins(*compiled)) {
      if (opts.disabled_builtins.count(name)) {
        throw Error(ErrorInfo{"plan_error", "plan calls builtin " + name + ", which is disabled", "", 0, 0});
      }
    }
  }
  compiled->disabled_builtins = opts.disabled_builtins;  // queries check them too
  auto p = std::make_shared<Policy>();
  p->compiled = std::move(compiled);
  return p;
}

}  // namespace wartburg
