// Builtins: sets (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_sets(Registry&) {}

}  // namespace wartburg::builtins
