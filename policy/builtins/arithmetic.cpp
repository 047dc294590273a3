// Builtins: arithmetic (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_arithmetic(Registry&) {}

}  // namespace wartburg::builtins
