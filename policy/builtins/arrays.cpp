// Builtins: arrays (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_arrays(Registry&) {}

}  // namespace wartburg::builtins
