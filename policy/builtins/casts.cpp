// Builtins: casts (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_casts(Registry&) {}

}  // namespace wartburg::builtins
