// json.match_schema and json.verify_schema (JSON Schema)
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_jsonschema(Registry&) {}

}  // namespace wartburg::builtins
