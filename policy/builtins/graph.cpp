// Builtins: graph (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_graph(Registry&) {}

}  // namespace wartburg::builtins
