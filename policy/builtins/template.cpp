// strings.render_template (Go text/template)
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_template(Registry&) {}

}  // namespace wartburg::builtins
