// Builtins: semver (stub, to be filled).
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_semver(Registry&) {}

}  // namespace wartburg::builtins
