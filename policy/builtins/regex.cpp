// Builtins: regex (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_regex(Registry&) {}

}  // namespace wartburg::builtins
