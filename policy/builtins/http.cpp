// http.send
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_http(Registry&) {}

}  // namespace wartburg::builtins
