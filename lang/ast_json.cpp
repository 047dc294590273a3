// Converts a parsed module (lang/ast.h) into OPA's JSON AST, the document
// rego.parse_module returns, and installs that builtin's parse hook.
//
// The shape follows OPA's Go AST marshalling without locations:
//   term   {"type": "null"|"boolean"|"number"|"string"|"var"|"ref"|"array"|
//           "set"|"object"|"call"|"arraycomprehension"|..., "value": ...}
//          (null's value is {}, objects are [[key, value], ...] and sets are
//           arrays, both sorted in OPA's term order)
//   expr   {"index": i, "terms": term | [operator, operands...] | {"symbols": [...]}
//           | {"key", "value", "domain", "body"}, "negated"?, "with"?}
//   rule   {"head": {"name"?, "ref", "key"?, "value"?, "args"?, "assign"?},
//           "body": [...], "default"?, "else"?}
// Rule heads mirror how OPA's parser fills Name/Key for the various rule forms
// (e.g. `p[x] := y if ...` has name p and key x; `p.q := 1` without a body is
// a partial object rule with name p and key "q").
#include "lang/ast_json.h"

#include <algorithm>
#include <cctype>

#include "lang/lexer.h"
#include "lang/parser.h"
#include "policy/builtins/registry.h"

namespace wartburg::lang {

namespace {

Value str(std::string_view s) { return Value::string(s); }

Value typed(std::string_view type, Value v) {
  ObjectBuilder b;
  b.add("type", str(type));
  b.add("value", std::move(v));
  return b.build();
}

Value var_json(std::string_view name) { return typed("var", str(name)); }
Value string_json(std::string_view s) { return typed("string", str(s)); }

// Ref term of a dotted builtin name: "internal.member_2" -> [var internal, "member_2"].
Value dotted_ref(std::string_view name) {
  std::vector<Value> items;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string_view part = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    items.push_back(items.empty() ? var_json(part) : string_json(part));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return typed("ref", Value::array(std::move(items)));
}

Value true_json() { return typed("boolean", Value::boolean(true)); }

// The generated body `true` of rules written without one.
Value true_body() {
  ObjectBuilder e;
  e.add("index", Value::integer(0));
  e.add("terms", true_json());
  return Value::array({e.build()});
}

// ---- OPA's order of terms (ast.Compare), on their JSON form ----

int type_rank(const std::string& t) {
  static const char* const order[] = {"null",  "boolean", "number", "string",
                                      "templatestring", "var", "ref", "array",
                                      "object", "set",    "arraycomprehension",
                                      "objectcomprehension", "setcomprehension", "call"};
  for (size_t i = 0; i < std::size(order); ++i) {
    if (t == order[i]) return static_cast<int>(i);
  }
  return 100;
}

const Value& field(const Value& obj, std::string_view key) {
  static const Value undefined;
  const Value* v = obj.find(key);
  return v ? *v : undefined;
}

int compare_terms(const Value& a, const Value& b);

int compare_term_lists(const Value& a, const Value& b) {
  const auto& xa = a.items();
  const auto& xb = b.items();
  size_t n = std::min(xa.size(), xb.size());
  for (size_t i = 0; i < n; ++i) {
    if (int c = compare_terms(xa[i], xb[i])) return c;
  }
  return xa.size() < xb.size() ? -1 : (xa.size() > xb.size() ? 1 : 0);
}

int compare_terms(const Value& a, const Value& b) {
  const std::string& ta = field(a, "type").str();
  const std::string& tb = field(b, "type").str();
  int ra = type_rank(ta), rb = type_rank(tb);
  if (ra != rb) return ra < rb ? -1 : 1;
  const Value& va = field(a, "value");
  const Value& vb = field(b, "value");
  if (ta == "ref" || ta == "array" || ta == "set" || ta == "call") return compare_term_lists(va, vb);
  if (ta == "object") {
    const auto& pa = va.items();
    const auto& pb = vb.items();
    size_t n = std::min(pa.size(), pb.size());
    for (size_t i = 0; i < n; ++i) {
      if (int c = compare_terms(pa[i].items()[0], pb[i].items()[0])) return c;
      if (int c = compare_terms(pa[i].items()[1], pb[i].items()[1])) return c;
    }
    return pa.size() < pb.size() ? -1 : (pa.size() > pb.size() ? 1 : 0);
  }
  if (ta == "arraycomprehension" || ta == "setcomprehension") {
    if (int c = compare_terms(field(va, "term"), field(vb, "term"))) return c;
    return compare(field(va, "body"), field(vb, "body"));
  }
  if (ta == "objectcomprehension") {
    if (int c = compare_terms(field(va, "key"), field(vb, "key"))) return c;
    if (int c = compare_terms(field(va, "value"), field(vb, "value"))) return c;
    return compare(field(va, "body"), field(vb, "body"));
  }
  // null, boolean, number, string, var: the plain values compare as OPA's do.
  return compare(va, vb);
}

// ---- the converter ----

class Converter {
 public:
  explicit Converter(const Module& m) : m_(m) {
    if (m.source) {
      line_starts_.push_back(0);
      const std::string& s = *m.source;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n') line_starts_.push_back(i + 1);
      }
    }
  }

  Value module() {
    ObjectBuilder out;
    std::vector<Value> path{var_json("data")};
    for (const auto& p : m_.package) path.push_back(string_json(p));
    ObjectBuilder pkg;
    pkg.add("path", Value::array(std::move(path)));
    out.add("package", pkg.build());

    if (!m_.imports.empty()) {
      std::vector<Value> imports;
      for (const auto& imp : m_.imports) imports.push_back(import_json(imp));
      out.add("imports", Value::array(std::move(imports)));
    }
    if (!m_.rules.empty()) {
      std::vector<Value> rules;
      for (const auto& r : m_.rules) rules.push_back(rule_json(*r));
      out.add("rules", Value::array(std::move(rules)));
    }
    if (!m_.comments.empty()) {
      std::vector<Value> comments;
      for (const auto& c : m_.comments) comments.push_back(comment_json(c));
      out.add("comments", Value::array(std::move(comments)));
    }
    return out.build();
  }

 private:
  const Module& m_;
  int wildcards_ = 0;
  std::vector<size_t> line_starts_;

  std::string file() const { return m_.file ? *m_.file : std::string(); }

  // Byte offset of a 1-based row/column in the source; npos when unknown.
  size_t offset_of(int row, int col) const {
    if (row < 1 || col < 1 || static_cast<size_t>(row) > line_starts_.size()) return std::string::npos;
    size_t off = line_starts_[static_cast<size_t>(row) - 1] + static_cast<size_t>(col) - 1;
    return m_.source && off <= m_.source->size() ? off : std::string::npos;
  }

  Value wildcard() { return var_json("$" + std::to_string(wildcards_++)); }

  // A variable as OPA's parseVar gives it (wildcards numbered).
  Value plain_var(const std::string& name) { return name == "_" ? wildcard() : var_json(name); }

  // ---- terms ----

  Value value_json(const Value& v) {
    switch (v.kind()) {
      case Kind::Null: return typed("null", Value::empty_object());
      case Kind::Bool: return typed("boolean", v);
      case Kind::Number: return typed("number", v);
      case Kind::String: return typed("string", v);
      case Kind::Array: {
        std::vector<Value> items;
        for (const auto& x : v.items()) items.push_back(value_json(x));
        return typed("array", Value::array(std::move(items)));
      }
      case Kind::Set: {
        std::vector<Value> items;
        for (const auto& x : v.items()) items.push_back(value_json(x));
        return typed("set", sorted_unique(std::move(items)));
      }
      case Kind::Object: {
        std::vector<std::pair<Value, Value>> pairs;
        for (const auto& [k, x] : v.entries()) pairs.emplace_back(value_json(k), value_json(x));
        return typed("object", sorted_pairs(std::move(pairs)));
      }
      case Kind::Undefined: break;
    }
    return typed("null", Value::empty_object());
  }

  static Value sorted_unique(std::vector<Value> items) {
    std::stable_sort(items.begin(), items.end(), [](const Value& a, const Value& b) { return compare_terms(a, b) < 0; });
    std::vector<Value> out;
    for (auto& x : items) {
      if (out.empty() || compare_terms(out.back(), x) != 0) out.push_back(std::move(x));
    }
    return Value::array(std::move(out));
  }

  // Object items in key order; of equal keys the one written last wins.
  static Value sorted_pairs(std::vector<std::pair<Value, Value>> pairs) {
    std::vector<std::pair<Value, Value>> unique;
    for (auto& p : pairs) {
      auto it = std::find_if(unique.begin(), unique.end(),
                             [&](const auto& u) { return compare_terms(u.first, p.first) == 0; });
      if (it != unique.end()) {
        it->second = std::move(p.second);
      } else {
        unique.push_back(std::move(p));
      }
    }
    std::stable_sort(unique.begin(), unique.end(),
                     [](const auto& a, const auto& b) { return compare_terms(a.first, b.first) < 0; });
    std::vector<Value> out;
    for (auto& [k, v] : unique) out.push_back(Value::array({std::move(k), std::move(v)}));
    return Value::array(std::move(out));
  }

  // A missing term (not produced by the parser) is written as null.
  Value term(const TermPtr& p) { return p ? term(*p) : typed("null", Value::empty_object()); }
  Value body_json(const BodyPtr& b) { return b ? body_json(*b) : Value::empty_array(); }

  Value term(const Term& t) {
    switch (t.kind) {
      case TermKind::Scalar: return value_json(t.value);
      case TermKind::Var:
        if (t.name == "input" || t.name == "data") return typed("ref", Value::array({var_json(t.name)}));
        return plain_var(t.name);
      case TermKind::Ref: {
        std::vector<Value> items;
        for (size_t i = 0; i < t.items.size(); ++i) {
          const Term& it = *t.items[i];
          items.push_back(i == 0 && it.kind == TermKind::Var ? plain_var(it.name) : term(it));
        }
        return typed("ref", Value::array(std::move(items)));
      }
      case TermKind::Array: {
        std::vector<Value> items;
        for (const auto& it : t.items) items.push_back(term(it));
        return typed("array", Value::array(std::move(items)));
      }
      case TermKind::Set: {
        std::vector<Value> items;
        for (const auto& it : t.items) items.push_back(term(it));
        return typed("set", sorted_unique(std::move(items)));
      }
      case TermKind::Object: {
        std::vector<std::pair<Value, Value>> pairs;
        for (size_t i = 0; i + 1 < t.items.size(); i += 2) {
          Value k = term(t.items[i]);
          pairs.emplace_back(std::move(k), term(t.items[i + 1]));
        }
        return typed("object", sorted_pairs(std::move(pairs)));
      }
      case TermKind::ArrayCompr:
      case TermKind::SetCompr: {
        ObjectBuilder c;
        c.add("term", term(t.head));
        c.add("body", body_json(t.body));
        return typed(t.kind == TermKind::ArrayCompr ? "arraycomprehension" : "setcomprehension", c.build());
      }
      case TermKind::ObjectCompr: {
        ObjectBuilder c;
        c.add("key", term(t.head));
        c.add("value", term(t.value_term));
        c.add("body", body_json(t.body));
        return typed("objectcomprehension", c.build());
      }
      case TermKind::Call: return typed("call", Value::array(call_items(t)));
    }
    return typed("null", Value::empty_object());
  }

  // [operator ref, operands...] of a call.
  std::vector<Value> call_items(const Term& t) {
    std::vector<Value> items;
    if (t.items.empty() || !t.items[0]) return items;
    const Term& op = *t.items[0];
    items.push_back(op.kind == TermKind::Var ? dotted_ref(op.name) : term(op));
    for (size_t i = 1; i < t.items.size(); ++i) items.push_back(term(t.items[i]));
    return items;
  }

  // ---- expressions ----

  Value body_json(const Body& b) {
    std::vector<Value> out;
    for (size_t i = 0; i < b.size(); ++i) out.push_back(expr_json(b[i], static_cast<int64_t>(i)));
    return Value::array(std::move(out));
  }

  Value expr_terms(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Term:
        if (e.term && e.term->kind == TermKind::Call) return Value::array(call_items(*e.term));
        return term(e.term);
      case ExprKind::Unify:
      case ExprKind::Assign: {
        Value op = dotted_ref(e.kind == ExprKind::Unify ? "eq" : "assign");
        Value lhs = term(e.lhs);
        return Value::array({op, lhs, term(e.rhs)});
      }
      case ExprKind::SomeDecl: {
        std::vector<Value> symbols;
        for (const auto& v : e.vars) symbols.push_back(plain_var(v->name));
        ObjectBuilder s;
        s.add("symbols", Value::array(std::move(symbols)));
        return s.build();
      }
      case ExprKind::SomeIn: {
        std::vector<Value> items{dotted_ref(e.key ? "internal.member_3" : "internal.member_2")};
        if (e.key) items.push_back(term(e.key));
        items.push_back(term(e.val));
        items.push_back(term(e.coll));
        ObjectBuilder s;
        s.add("symbols", Value::array({typed("call", Value::array(std::move(items)))}));
        return s.build();
      }
      case ExprKind::Every: {
        ObjectBuilder ev;
        ev.add("key", e.key ? term(e.key) : Value::null());
        ev.add("value", term(e.val));
        ev.add("domain", term(e.coll));
        ev.add("body", body_json(e.body));
        return ev.build();
      }
      case ExprKind::Not:
        if (e.body && !e.body->empty()) return expr_terms(e.body->front());
        return true_json();
    }
    return true_json();
  }

  Value expr_json(const Expr& e, int64_t index) {
    ObjectBuilder out;
    out.add("index", Value::integer(index));
    out.add("terms", expr_terms(e));
    if (e.kind == ExprKind::Not) out.add("negated", Value::boolean(true));
    if (!e.withs.empty()) {
      std::vector<Value> withs;
      for (const auto& w : e.withs) {
        ObjectBuilder wb;
        wb.add("target", term(w.target));
        wb.add("value", term(w.value));
        withs.push_back(wb.build());
      }
      out.add("with", Value::array(std::move(withs)));
    }
    return out.build();
  }

  // ---- rules ----

  struct Head {
    std::string name;
    std::vector<Value> ref;
    Value key, value;  // Undefined when absent
    std::vector<Value> args;
    bool assign = false;

    Value json() const {
      ObjectBuilder h;
      if (!name.empty()) h.add("name", str(name));
      h.add("ref", Value::array(ref));
      if (key.defined()) h.add("key", key);
      if (value.defined()) h.add("value", value);
      if (!args.empty()) h.add("args", Value::array(args));
      if (assign) h.add("assign", Value::boolean(true));
      return h.build();
    }
  };

  // OPA's Ref.IsGround (the head of a ref does not count).
  static bool is_ground(const Term& t) {
    switch (t.kind) {
      case TermKind::Scalar: return true;
      case TermKind::Var: return false;
      case TermKind::Ref:
      case TermKind::Call:
        return std::all_of(t.items.begin() + (t.items.empty() ? 0 : 1), t.items.end(),
                           [](const TermPtr& x) { return is_ground(*x); });
      case TermKind::Array:
      case TermKind::Set:
      case TermKind::Object:
        return std::all_of(t.items.begin(), t.items.end(), [](const TermPtr& x) { return is_ground(*x); });
      default: return false;
    }
  }

  Value rule_json(const Rule& r) {
    const size_t n = r.ref.size();
    const bool has_body = !r.body.empty();
    Head h;
    if (n == 0) return Value::empty_object();  // not produced by the parser
    h.ref.push_back(var_json(r.ref[0]->name));
    for (size_t i = 1; i < n; ++i) h.ref.push_back(term(r.ref[i]));
    for (const auto& a : r.args) h.args.push_back(term(a));
    if (n == 1) h.name = r.ref[0]->name;

    switch (r.kind) {
      case RuleKind::MultiValue:
        h.key = term(r.key);
        break;
      case RuleKind::Function:
        h.assign = r.assign;
        h.value = r.value ? term(r.value) : true_json();
        // `a.f(x) := v if ...`: OPA names two-part heads with an explicit value
        if (has_body && !m_.v0 && n == 2 && r.value) h.name = r.ref[0]->name;
        break;
      case RuleKind::Complete:
        h.assign = r.assign;
        h.value = r.value ? term(r.value) : true_json();
        if (n != 2 || r.is_default) break;
        if (has_body && !m_.v0) {
          // `p[x] if ...` / `p[x] := y if ...`
          const Term& k = *r.ref[1];
          if (!is_ground(k) || k.kind == TermKind::Ref) h.key = h.ref[1];
          if (r.value) h.name = r.ref[0]->name;
        } else if (r.value || m_.v0) {
          // `p[k] := v` without a body (a partial object rule), or v0 `p[k] = v { ... }`
          h.name = r.ref[0]->name;
          h.key = h.ref[1];
        }
        break;
    }

    ObjectBuilder out;
    out.add("head", h.json());
    out.add("body", has_body ? body_json(r.body) : true_body());
    if (r.is_default) out.add("default", Value::boolean(true));
    if (r.else_rule) out.add("else", else_json(*r.else_rule, h, r));
    return out.build();
  }

  // An `else` branch: the main head with fresh wildcard arguments and its own value.
  Value else_json(const Rule& e, const Head& main, const Rule& main_rule) {
    Head h = main;
    for (size_t i = 0; i < h.args.size() && i < main_rule.args.size(); ++i) {
      const Term& a = *main_rule.args[i];
      if (a.kind == TermKind::Var && a.name == "_") h.args[i] = wildcard();
    }
    if (e.value) {
      h.value = term(e.value);
      h.assign = else_uses_assign(e);
    } else {
      h.value = true_json();
    }
    ObjectBuilder out;
    out.add("head", h.json());
    out.add("body", e.body.empty() ? true_body() : body_json(e.body));
    if (e.else_rule) out.add("else", else_json(*e.else_rule, main, main_rule));
    return out.build();
  }

  // Whether `else` is followed by `:=` (the AST does not record it).
  bool else_uses_assign(const Rule& e) const {
    size_t off = offset_of(e.loc.row, e.loc.col);
    if (off == std::string::npos) return false;
    const std::string& s = *m_.source;
    if (s.compare(off, 4, "else") != 0) return false;
    size_t p = off + 4;
    while (p < s.size()) {
      if (std::isspace(static_cast<unsigned char>(s[p]))) {
        ++p;
      } else if (s[p] == '#') {
        while (p < s.size() && s[p] != '\n') ++p;
      } else {
        break;
      }
    }
    return s.compare(p, 2, ":=") == 0;
  }

  // ---- imports and comments ----

  Value import_json(const Import& imp) {
    std::vector<Value> path;
    if (!imp.path) {
      path.push_back(var_json("data"));
    } else if (imp.path->kind == TermKind::Ref) {
      for (size_t i = 0; i < imp.path->items.size(); ++i) {
        const Term& it = *imp.path->items[i];
        path.push_back(i == 0 && it.kind == TermKind::Var ? var_json(it.name) : term(it));
      }
    } else {
      path.push_back(var_json(imp.path->name));
    }
    ObjectBuilder out;
    out.add("path", typed("ref", Value::array(std::move(path))));
    if (!imp.alias.empty()) out.add("alias", str(imp.alias));
    return out.build();
  }

  Value comment_json(const Comment& c) {
    // The text after '#' up to the end of the line (OPA keeps trailing blanks,
    // drops the carriage return of a CRLF line end).
    std::string text = c.text;
    if (m_.source && c.offset < m_.source->size() && (*m_.source)[c.offset] == '#') {
      size_t end = m_.source->find('\n', c.offset);
      if (end == std::string::npos) end = m_.source->size();
      if (end > c.offset + 1 && (*m_.source)[end - 1] == '\r') --end;
      text = m_.source->substr(c.offset + 1, end - c.offset - 1);
    }
    // OPA counts columns in characters, not bytes.
    int col = c.col;
    if (c.row >= 1 && static_cast<size_t>(c.row) <= line_starts_.size() && m_.source) {
      size_t begin = line_starts_[static_cast<size_t>(c.row) - 1];
      col = 1;
      for (size_t i = begin; i < c.offset && i < m_.source->size(); ++i) {
        if ((static_cast<unsigned char>((*m_.source)[i]) & 0xC0) != 0x80) ++col;
      }
    }
    ObjectBuilder loc;
    loc.add("file", str(file()));
    loc.add("row", Value::integer(c.row));
    loc.add("col", Value::integer(col));
    ObjectBuilder out;
    out.add("Text", text.empty() ? Value::null() : str(builtins::encode_base64(text, false, true)));
    out.add("Location", loc.build());
    return out.build();
  }
};

// ---- parse error text ----

// The source line of an error and the caret under its column, as OPA prints
// parser error details (leading tabs of the line removed).
std::string error_detail(const std::string& src, int row, int col) {
  if (src.empty() || row < 1) return "";
  size_t off = 0;
  for (int r = 1; r < row; ++r) {
    size_t nl = src.find('\n', off);
    if (nl == std::string::npos) return "";
    off = nl + 1;
  }
  off += static_cast<size_t>(std::max(col, 1) - 1);
  if (off >= src.size()) off = src.size() - 1;
  while (off > 0 && std::isspace(static_cast<unsigned char>(src[off]))) --off;
  auto is_nl = [](char ch) { return ch == '\n' || ch == '\r'; };
  size_t begin = off;
  while (begin > 0 && !is_nl(src[begin])) --begin;
  if (is_nl(src[begin])) ++begin;
  size_t end = off;
  while (end < src.size() && !is_nl(src[end])) ++end;
  if (begin > end) begin = end;
  std::string line = src.substr(begin, end - begin);
  size_t idx = off >= begin ? off - begin : 0;
  size_t tabs = 0;
  while (tabs < line.size() && line[tabs] == '\t') ++tabs;
  size_t indent = idx > tabs ? idx - tabs : 0;
  return "\n\t" + line.substr(tabs) + "\n\t" + std::string(indent, ' ') + "^";
}

std::string error_text(const ErrorInfo& e, const std::string& src, bool details) {
  std::string out;
  if (!e.file.empty()) {
    out = e.file + ":" + std::to_string(e.row) + ": ";
  } else {
    out = std::to_string(e.row) + ":" + std::to_string(e.col) + ": ";
  }
  out += (e.code.empty() ? std::string("rego_parse_error") : e.code) + ": " + e.message;
  if (details) out += error_detail(src, e.row, e.col);
  return out;
}

Value parse_module_hook(const std::string& filename, const std::string& text) {
  // A module with no statements: OPA reports "empty module" without a position.
  std::vector<Token> toks;
  LexError lex_err;
  if (tokenize(text, toks, lex_err) && (toks.empty() || toks.front().kind == Tok::End)) {
    ErrorInfo e{"rego_parse_error", "empty module", filename, 0, 0};
    throw builtins::BuiltinError("1 error occurred: " + error_text(e, text, false));
  }
  ModulePtr m;
  try {
    m = parse_module(filename, text);
  } catch (const Error& e) {
    throw builtins::BuiltinError(opa_parse_errors_text(e.errors, text));
  }
  return module_to_opa_json(*m);
}

}  // namespace

Value module_to_opa_json(const Module& m) { return Converter(m).module(); }

std::string opa_parse_errors_text(const std::vector<ErrorInfo>& errors, const std::string& source) {
  if (errors.empty()) return "no error(s)";
  if (errors.size() == 1) return "1 error occurred: " + error_text(errors[0], source, true);
  std::string out = std::to_string(errors.size()) + " errors occurred:";
  for (const auto& e : errors) out += "\n" + error_text(e, source, true);
  return out;
}

void install_builtin_hooks() { builtins::set_parse_module_hook(&parse_module_hook); }

}  // namespace wartburg::lang
