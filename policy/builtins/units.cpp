// Builtins: units (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_units(Registry&) {}

}  // namespace wartburg::builtins
