// Builtins: bits (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_bits(Registry&) {}

}  // namespace wartburg::builtins
