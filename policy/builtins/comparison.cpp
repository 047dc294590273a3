// Builtins: comparison (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_comparison(Registry&) {}

}  // namespace wartburg::builtins
