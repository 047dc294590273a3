// Builtins: encoding (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_encoding(Registry&) {}

}  // namespace wartburg::builtins
