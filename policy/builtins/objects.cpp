// Builtins: objects (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_objects(Registry&) {}

}  // namespace wartburg::builtins
