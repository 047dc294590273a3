// Builtins: aggregates (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_aggregates(Registry&) {}

}  // namespace wartburg::builtins
