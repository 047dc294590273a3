// Builtins: type predicates (is_number, is_string, ...) and type_name. The
// predicates return false (not undefined) for values of other types, as OPA.
#include "policy/builtins/registry.h"

namespace wartburg::builtins {
namespace {

template <Kind K>
Value is_kind(Context&, const Value* a) {
  return Value::boolean(a[0].kind() == K);
}

Value type_name(Context&, const Value* a) { return Value::string(kind_name(a[0].kind())); }

}  // namespace

void register_types(Registry& r) {
  r.add({"is_number", 1, is_kind<Kind::Number>, "(any) => boolean"});
  r.add({"is_string", 1, is_kind<Kind::String>, "(any) => boolean"});
  r.add({"is_boolean", 1, is_kind<Kind::Bool>, "(any) => boolean"});
  r.add({"is_array", 1, is_kind<Kind::Array>, "(any) => boolean"});
  r.add({"is_set", 1, is_kind<Kind::Set>, "(any) => boolean"});
  r.add({"is_object", 1, is_kind<Kind::Object>, "(any) => boolean"});
  r.add({"is_null", 1, is_kind<Kind::Null>, "(any) => boolean"});
  r.add({"type_name", 1, type_name, "(any) => string"});
}

}  // namespace wartburg::builtins
