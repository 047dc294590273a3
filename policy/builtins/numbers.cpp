// Builtins: numbers (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_numbers(Registry&) {}

}  // namespace wartburg::builtins
