// Builtins: strings (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_strings(Registry&) {}

}  // namespace wartburg::builtins
