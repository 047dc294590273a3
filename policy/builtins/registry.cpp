// The builtin table and the operand-checking helpers shared by all categories.
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void Registry::add(Builtin b) {
  std::string name = b.name;
  table_[name] = std::move(b);
}

const Builtin* Registry::find(std::string_view name) const {
  auto it = table_.find(name);
  return it == table_.end() ? nullptr : &it->second;
}

namespace {
// rego.metadata.rule() / rego.metadata.chain(): the compiler replaces calls in
// rule bodies by constants (lang/annotations.cpp); in a query there is no
// active rule, so they return an empty object / array.
Value metadata_rule(Context&, const Value*) { return Value::empty_object(); }
Value metadata_chain(Context&, const Value*) { return Value::array({}); }
}  // namespace

const Registry& registry() {
  static const Registry r = [] {
    Registry t;
    register_comparison(t);
    register_arithmetic(t);
    register_aggregates(t);
    register_arrays(t);
    register_sets(t);
    register_objects(t);
    register_strings(t);
    register_regex(t);
    register_glob(t);
    register_types(t);
    register_casts(t);
    register_encoding(t);
    register_bits(t);
    register_numbers(t);
    register_units(t);
    register_semver(t);
    register_uuid(t);
    register_graph(t);
    register_time(t);
    register_jwt(t);
    register_net(t);
    register_crypto(t);
    register_graphql(t);
    register_jsonschema(t);
    register_http(t);
    register_aws(t);
    register_template(t);
    register_template_strings(t);
    register_rego(t);
    t.add({"rego.metadata.rule", 0, metadata_rule, "() => any"});
    t.add({"rego.metadata.chain", 0, metadata_chain, "() => array"});
    return t;
  }();
  return r;
}

std::string type_name_for_error(const Value& v) { return kind_name(v.kind()); }

void operand_error(int pos, std::string_view want, const Value& got) {
  throw TypeError("operand " + std::to_string(pos) + " must be " + std::string(want) + " but got " +
                  type_name_for_error(got));
}

const std::string& need_string(const Value* args, int pos) {
  const Value& v = args[pos - 1];
  if (!v.is_string()) operand_error(pos, "string", v);
  return v.str();
}

const Value& need_number(const Value* args, int pos) {
  const Value& v = args[pos - 1];
  if (!v.is_number()) operand_error(pos, "number", v);
  return v;
}

int64_t need_int(const Value* args, int pos) {
  const Value& v = args[pos - 1];
  if (!v.is_number()) operand_error(pos, "number", v);
  int64_t i;
  if (!v.to_int64(i)) {
    throw TypeError("operand " + std::to_string(pos) + " must be integer number but got floating-point number");
  }
  return i;
}

const Value& need_array(const Value* args, int pos) {
  const Value& v = args[pos - 1];
  if (!v.is_array()) operand_error(pos, "array", v);
  return v;
}

const Value& need_object(const Value* args, int pos) {
  const Value& v = args[pos - 1];
  if (!v.is_object()) operand_error(pos, "object", v);
  return v;
}

const Value& need_set(const Value* args, int pos) {
  const Value& v = args[pos - 1];
  if (!v.is_set()) operand_error(pos, "set", v);
  return v;
}

boost::multiprecision::cpp_int need_bigint(const Value* args, int pos) {
  const Value& v = args[pos - 1];
  if (!v.is_number()) operand_error(pos, "integer", v);
  auto i = num::to_bigint(v);
  if (!i) {
    throw TypeError("operand " + std::to_string(pos) + " must be integer number but got floating-point number");
  }
  return *i;
}

bool need_bool(const Value* args, int pos) {
  const Value& v = args[pos - 1];
  if (!v.is_bool()) operand_error(pos, "boolean", v);
  return v.as_bool();
}

}  // namespace wartburg::builtins
