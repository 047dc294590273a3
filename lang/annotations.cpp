// `# METADATA` annotations: parsing and checking (module_annotations) and the
// compiler stage that folds rego.metadata.rule() / rego.metadata.chain() into
// constants (fold_metadata). See annotations.h.
#include "lang/annotations.h"

#include <algorithm>
#include <map>

#include "lang/compiler.h"
#include "policy/builtins/registry.h"
#include "policy/json.h"

namespace wartburg::lang {

namespace {

Value str(std::string_view s) { return Value::string(std::string(s)); }

// "Jane Doe <jane@example.com>" -> {"name": "Jane Doe", "email": "jane@example.com"}.
Value author(const Value& v) {
  if (!v.is_string()) return v;
  std::string s = v.str();
  std::vector<std::pair<Value, Value>> kv;
  auto lt = s.find('<');
  auto gt = s.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
    kv.emplace_back(str("email"), str(s.substr(lt + 1, gt - lt - 1)));
    s = s.substr(0, lt);
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (!s.empty()) kv.emplace_back(str("name"), str(s));
  return Value::object(std::move(kv));
}

// "input.a.b" -> [{"type": "var", "value": "input"}, {"type": "string", "value": "a"}, ...]
Value ref_terms(const std::string& ref) {
  std::vector<Value> items;
  size_t start = 0;
  while (start <= ref.size()) {
    size_t dot = ref.find('.', start);
    std::string seg = ref.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    items.push_back(Value::object({{str("type"), str(items.empty() ? "var" : "string")}, {str("value"), str(seg)}}));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return Value::array(std::move(items));
}

Value string_path(const std::string& ref) {
  std::vector<Value> items;
  size_t start = 0;
  while (start <= ref.size()) {
    size_t dot = ref.find('.', start);
    items.push_back(str(ref.substr(start, dot == std::string::npos ? std::string::npos : dot - start)));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return Value::array(std::move(items));
}

const char* type_word(const Value& v) {
  if (v.is_string()) return "string";
  if (v.is_array()) return "list";
  if (v.is_object()) return "map";
  if (v.is_bool()) return "boolean";
  if (v.is_null()) return "null";
  return "number";
}

struct Parsed {
  Value fields;
  std::string scope;
  std::string error;  // non-empty: the block is invalid
};

// Checks the YAML mapping of one block and normalizes it as OPA returns it.
Parsed normalize(const Value& yaml, bool on_package) {
  Parsed p;
  std::vector<std::pair<Value, Value>> kv;
  auto fail = [&](std::string msg) {
    p.error = std::move(msg);
    return p;
  };
  for (const auto& [k, v] : yaml.entries()) {
    if (!k.is_string()) return fail("invalid annotation key " + to_json(k));
    const std::string& key = k.str();
    // OPA reads the block into typed fields (yaml.Unmarshal): null is the
    // zero value, so any field may be null and is then absent (the default
    // scope, no title, no lists).
    if (v.is_null()) continue;
    Value out = v;
    if (key == "scope") {
      if (!v.is_string()) return fail("invalid annotation scope: expected string");
      if (v.str().empty()) continue;  // "" is the default scope too
      p.scope = v.str();
      if (p.scope != "rule" && p.scope != "document" && p.scope != "package" && p.scope != "subpackages") {
        return fail("invalid annotation scope '" + p.scope +
                    "'. Use one of 'rule', 'document', 'package', or 'subpackages'");
      }
    } else if (key == "title" || key == "description") {
      if (!v.is_string()) return fail("invalid " + key + ": expected string, got " + type_word(v));
    } else if (key == "entrypoint") {
      if (!v.is_bool()) return fail("invalid entrypoint: expected boolean, got " + std::string(type_word(v)));
    } else if (key == "organizations") {
      if (!v.is_array()) return fail("invalid organizations: expected list, got " + std::string(type_word(v)));
      for (const auto& o : v.items()) {
        if (!o.is_string()) return fail("invalid organizations: expected list of strings");
      }
    } else if (key == "authors") {
      if (!v.is_array()) return fail("invalid authors: expected list, got " + std::string(type_word(v)));
      std::vector<Value> items;
      for (const auto& a : v.items()) {
        Value n = author(a);
        if (!n.is_object() || (!n.find("name") && !n.find("email"))) {
          return fail("invalid authors: an author needs a name or an email");
        }
        items.push_back(std::move(n));
      }
      out = Value::array(std::move(items));
    } else if (key == "related_resources") {
      if (!v.is_array()) return fail("invalid related_resources: expected list, got " + std::string(type_word(v)));
      std::vector<Value> items;
      for (const auto& r : v.items()) {
        Value n = r.is_string() ? Value::object({{str("ref"), r}}) : r;
        const Value* ref = n.is_object() ? n.find("ref") : nullptr;
        if (!ref || !ref->is_string() || ref->str().empty()) {
          return fail("invalid related-resource: a related resource needs a 'ref'");
        }
        items.push_back(std::move(n));
      }
      out = Value::array(std::move(items));
    } else if (key == "schemas") {
      if (!v.is_array()) return fail("invalid schemas: expected list, got " + std::string(type_word(v)));
      std::vector<Value> items;
      for (const auto& s : v.items()) {
        if (!s.is_object() || s.entries().size() != 1 || !s.entries()[0].first.is_string()) {
          return fail("invalid schema annotation: expected a single `<ref>: <schema>` entry");
        }
        const auto& [ref, def] = s.entries()[0];
        std::vector<std::pair<Value, Value>> e = {{str("path"), ref_terms(ref.str())}};
        if (def.is_string()) {
          e.emplace_back(str("schema"), string_path(def.str()));
        } else {
          e.emplace_back(str("definition"), def);
        }
        items.push_back(Value::object(std::move(e)));
      }
      out = Value::array(std::move(items));
    } else if (key == "custom") {
      if (!v.is_object()) return fail("invalid custom: expected map, got " + std::string(type_word(v)));
    }
    // as OPA's Annotations render: empty text, false and empty lists or maps are left out
    bool zero = (out.is_string() && out.str().empty() && key != "scope") || out.is_false() ||
                ((out.is_array() || out.is_object()) && out.size() == 0 &&
                 (key == "organizations" || key == "authors" || key == "related_resources" ||
                  key == "schemas" || key == "custom"));
    if (!zero) kv.emplace_back(k, out);
  }
  if (p.scope.empty()) {
    p.scope = on_package ? "package" : "rule";
    kv.emplace_back(str("scope"), str(p.scope));
  }
  bool package_scope = p.scope == "package" || p.scope == "subpackages";
  if (package_scope != on_package) {
    return fail("annotation scope '" + p.scope + "' must be applied to " + (package_scope ? "package" : "rule") +
                " (have " + (on_package ? "package" : "rule") + ")");
  }
  p.fields = Value::object(std::move(kv));
  return p;
}

std::vector<std::string> rule_path(const Module& m, const Rule& r) {
  std::vector<std::string> path = m.package;
  for (size_t k = 0; k < r.ref.size(); ++k) {
    const auto& t = r.ref[k];
    if (k == 0 && t->kind == TermKind::Var) {
      path.push_back(t->name);
    } else if (t->kind == TermKind::Scalar && t->value.is_string()) {
      path.push_back(t->value.str());
    } else {
      break;
    }
  }
  return path;
}

}  // namespace

std::vector<AnnotationBlock> module_annotations(const Module& m, std::vector<ErrorInfo>& errors) {
  std::vector<AnnotationBlock> out;
  const auto& cs = m.comments;
  std::string file = m.file ? *m.file : "";
  for (size_t i = 0; i < cs.size(); ++i) {
    std::string head = cs[i].text;
    while (!head.empty() && head.front() == ' ') head.erase(head.begin());
    if (head != "METADATA") continue;
    // the block: the comment lines directly below, in the same column
    std::vector<std::string> lines;
    size_t j = i + 1;
    int last_row = cs[i].row;
    for (; j < cs.size() && cs[j].row == last_row + 1 && cs[j].col == cs[i].col; ++j) {
      lines.push_back(cs[j].text);
      last_row = cs[j].row;
    }
    bool indented = std::all_of(lines.begin(), lines.end(), [](const std::string& l) { return l.empty() || l[0] == ' '; });
    std::string yaml;
    for (const auto& l : lines) yaml += (indented && !l.empty() ? l.substr(1) : l) + "\n";
    AnnotationBlock a;
    a.loc = Location{m.file.get(), cs[i].row, cs[i].col};
    auto err = [&](const std::string& msg) { errors.push_back(ErrorInfo{"rego_parse_error", msg, file, a.loc.row, a.loc.col}); };
    // the statement the block annotates: the first one after it
    int target_row = last_row + 1;
    const Rule* rule = nullptr;
    bool on_package = false;
    for (const auto& r : m.rules) {
      if (r->loc.row > last_row && (!rule || r->loc.row < rule->loc.row)) rule = r.get();
    }
    if (m.package_loc.row > last_row && (!rule || m.package_loc.row < rule->loc.row)) {
      on_package = true;
      rule = nullptr;
      target_row = m.package_loc.row;
    } else if (rule) {
      target_row = rule->loc.row;
    }
    (void)target_row;
    if (!on_package && !rule) {
      err("invalid annotation: a METADATA block must be followed by a package or a rule");
      i = j - 1;
      continue;
    }
    Value parsed;
    try {
      parsed = yaml.empty() ? Value::empty_object() : parse_yaml(yaml);
    } catch (const std::exception& e) {
      err(std::string("yaml: ") + e.what());
      i = j - 1;
      continue;
    }
    if (parsed.is_null()) parsed = Value::empty_object();
    if (!parsed.is_object()) {
      err("invalid annotation: a METADATA block must be a YAML mapping");
      i = j - 1;
      continue;
    }
    Parsed p = normalize(parsed, on_package);
    if (!p.error.empty()) {
      err(p.error);
      i = j - 1;
      continue;
    }
    a.scope = p.scope;
    a.fields = std::move(p.fields);
    a.rule = rule;
    a.path = on_package ? m.package : rule_path(m, *rule);
    out.push_back(std::move(a));
    i = j - 1;
  }
  return out;
}

namespace {

struct MetadataIndex {
  std::map<const Rule*, Value> rule_scope;                          // rule-scope annotations per rule
  std::map<std::vector<std::string>, std::vector<Value>> document;  // document-scope, by rule path
  std::map<std::vector<std::string>, std::vector<Value>> package;   // package-scope, by package path
  std::map<std::vector<std::string>, std::vector<Value>> subpackages;
};

Value chain_entry(const std::vector<std::string>& path, const Value* annotations) {
  std::vector<Value> p;
  for (const auto& s : path) p.push_back(str(s));
  std::vector<std::pair<Value, Value>> kv = {{str("path"), Value::array(std::move(p))}};
  if (annotations) kv.emplace_back(str("annotations"), *annotations);
  return Value::object(std::move(kv));
}

Value chain_for(const MetadataIndex& idx, const Module& m, const Rule& r) {
  std::vector<Value> chain;
  std::vector<std::string> path = rule_path(m, r);
  auto rs = idx.rule_scope.find(&r);
  chain.push_back(chain_entry(path, rs == idx.rule_scope.end() ? nullptr : &rs->second));
  if (auto d = idx.document.find(path); d != idx.document.end()) {
    for (const auto& a : d->second) chain.push_back(chain_entry(path, &a));
  }
  if (auto p = idx.package.find(m.package); p != idx.package.end()) {
    for (const auto& a : p->second) chain.push_back(chain_entry(m.package, &a));
  }
  for (size_t n = m.package.size() + 1; n-- > 0;) {
    std::vector<std::string> prefix(m.package.begin(), m.package.begin() + static_cast<long>(n));
    if (auto s = idx.subpackages.find(prefix); s != idx.subpackages.end()) {
      for (const auto& a : s->second) chain.push_back(chain_entry(prefix, &a));
    }
  }
  return Value::array(std::move(chain));
}

// The constants of one rule's metadata calls, computed on first use.
struct MetadataValues {
  const MetadataIndex& idx;
  const Module& m;
  const Rule& r;  // the rule (else branches share its annotations)
  Value rule_value, chain_value;

  const Value& get(bool rule) {
    if (rule) {
      if (!rule_value.defined()) {
        auto rs = idx.rule_scope.find(&r);
        rule_value = rs == idx.rule_scope.end() ? Value::empty_object() : rs->second;
      }
      return rule_value;
    }
    if (!chain_value.defined()) chain_value = chain_for(idx, m, r);
    return chain_value;
  }
};

// Replaces metadata calls below `t` with constants.
void fold_term(const TermPtr& t, MetadataValues& mv);

void fold_body(const Body& b, MetadataValues& mv) {
  for (const auto& e : b) {
    for (const auto* p : {&e.term, &e.lhs, &e.rhs, &e.key, &e.val, &e.coll}) {
      if (*p) fold_term(*p, mv);
    }
    for (const auto& v : e.vars) fold_term(v, mv);
    if (e.body) fold_body(*e.body, mv);
    for (const auto& w : e.withs) {
      if (w.value) fold_term(w.value, mv);
    }
  }
}

void fold_term(const TermPtr& t, MetadataValues& mv) {
  if (t->kind == TermKind::Call && t->target == Target::Builtin && t->builtin && t->items.size() == 1 &&
      (t->builtin->name == "rego.metadata.rule" || t->builtin->name == "rego.metadata.chain")) {
    Value v = mv.get(t->builtin->name == "rego.metadata.rule");
    Location loc = t->loc;
    *t = Term{};
    t->kind = TermKind::Scalar;
    t->loc = loc;
    t->value = std::move(v);
    t->ground = true;
    return;
  }
  for (const auto& i : t->items) fold_term(i, mv);
  if (t->head) fold_term(t->head, mv);
  if (t->value_term) fold_term(t->value_term, mv);
  if (t->body) fold_body(*t->body, mv);
}

}  // namespace

void fold_metadata(CompileState& st) {
  MetadataIndex idx;
  for (const auto& m : st.out->modules) {
    for (auto& a : module_annotations(*m, st.errors)) {
      if (a.scope == "rule") {
        idx.rule_scope[a.rule] = a.fields;
      } else if (a.scope == "document") {
        idx.document[a.path].push_back(a.fields);
      } else if (a.scope == "package") {
        idx.package[a.path].push_back(a.fields);
      } else {
        idx.subpackages[a.path].push_back(a.fields);
      }
    }
  }
  if (!st.errors.empty()) return;
  for (const auto& m : st.out->modules) {
    for (const auto& r : m->rules) {
      MetadataValues mv{idx, *m, *r, Value(), Value()};
      for (Rule* x = r.get(); x; x = x->else_rule.get()) {
        fold_body(x->body, mv);
        if (x->value) fold_term(x->value, mv);
        if (x->key) fold_term(x->key, mv);
      }
    }
  }
}

}  // namespace wartburg::lang
