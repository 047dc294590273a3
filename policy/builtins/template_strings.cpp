// internal.template_string: the value of a template string $"a{x}b" (the
// parser lowers it to internal.template_string(["a", {x | ...}, "b"])). Each
// part is a literal string, a set of the expression's values (its only value
// is printed; none prints "<undefined>"), or another value printed as is.
// Strings print their text, other values their Rego text, as print() does.
#include "policy/builtins/registry.h"
#include "policy/error.h"

namespace wartburg::builtins {

namespace {

void append_value(std::string& out, const Value& v) {
  if (v.is_string()) {
    out += v.str();
  } else {
    out += to_rego(v);
  }
}

Value template_string(Context&, const Value* args) {
  const Value& parts = need_array(args, 1);
  std::string out;
  for (const auto& p : parts.items()) {
    if (!p.is_set()) {
      append_value(out, p);
    } else if (p.items().empty()) {
      out += "<undefined>";
    } else if (p.items().size() == 1) {
      append_value(out, p.items().front());
    } else {
      // several values of one expression (e.g. `{xs[_]}`): OPA halts the evaluation
      throw Error(ErrorInfo{"eval_conflict_error", "template-strings must not produce multiple outputs", "", 0, 0});
    }
  }
  return Value::string(std::move(out));
}

}  // namespace

void register_template_strings(Registry& r) {
  r.add({"internal.template_string", 1, template_string, "(array) => string"});
}

}  // namespace wartburg::builtins
