// providers.aws.sign_req (AWS Signature Version 4)
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_aws(Registry&) {}

}  // namespace wartburg::builtins
