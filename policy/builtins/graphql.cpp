// graphql.*: GraphQL query/schema parsing and validation
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_graphql(Registry&) {}

}  // namespace wartburg::builtins
