// Builtins: glob (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_glob(Registry&) {}

}  // namespace wartburg::builtins
