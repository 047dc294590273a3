// Builtins: uuid (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_uuid(Registry&) {}

}  // namespace wartburg::builtins
