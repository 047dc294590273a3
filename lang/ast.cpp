// AST construction helpers and the Rego text of terms.
#include "lang/ast.h"

namespace wartburg::lang {

TermPtr make_scalar(Value v, Location loc) {
  auto t = std::make_shared<Term>();
  t->kind = TermKind::Scalar;
  t->loc = loc;
  t->value = std::move(v);
  t->ground = true;
  return t;
}

TermPtr make_var(std::string name, Location loc) {
  auto t = std::make_shared<Term>();
  t->kind = TermKind::Var;
  t->loc = loc;
  t->name = std::move(name);
  return t;
}

TermPtr make_term(TermKind kind, Location loc) {
  auto t = std::make_shared<Term>();
  t->kind = kind;
  t->loc = loc;
  return t;
}

namespace {
bool is_ident_text(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

void join(std::string& out, const std::vector<TermPtr>& items, size_t from, const char* sep) {
  for (size_t i = from; i < items.size(); ++i) {
    if (i > from) out += sep;
    out += term_text(*items[i]);
  }
}
}  // namespace

std::string term_text(const Term& t) {
  std::string out;
  switch (t.kind) {
    case TermKind::Scalar: return to_rego(t.value);
    case TermKind::Var: return t.name;
    case TermKind::Ref:
      out = term_text(*t.items[0]);
      for (size_t i = 1; i < t.items.size(); ++i) {
        const Term& k = *t.items[i];
        if (k.kind == TermKind::Scalar && k.value.is_string() && is_ident_text(k.value.str())) {
          out += "." + k.value.str();
        } else {
          out += "[" + term_text(k) + "]";
        }
      }
      return out;
    case TermKind::Array:
      out = "[";
      join(out, t.items, 0, ", ");
      return out + "]";
    case TermKind::Set:
      if (t.items.empty()) return "set()";
      out = "{";
      join(out, t.items, 0, ", ");
      return out + "}";
    case TermKind::Object:
      out = "{";
      for (size_t i = 0; i + 1 < t.items.size(); i += 2) {
        if (i) out += ", ";
        out += term_text(*t.items[i]) + ": " + term_text(*t.items[i + 1]);
      }
      return out + "}";
    case TermKind::ArrayCompr: return "[" + term_text(*t.head) + " | ...]";
    case TermKind::SetCompr: return "{" + term_text(*t.head) + " | ...}";
    case TermKind::ObjectCompr: return "{" + term_text(*t.head) + ": " + term_text(*t.value_term) + " | ...}";
    case TermKind::Call:
      out = t.name + "(";
      join(out, t.items, 1, ", ");
      return out + ")";
  }
  return out;
}

}  // namespace wartburg::lang
