// Builtins: types (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_types(Registry&) {}

}  // namespace wartburg::builtins
