// crypto.*: hashes, HMAC, x509 certificates and keys (OpenSSL)
#include "policy/builtins/registry.h"

namespace wartburg::builtins {

void register_crypto(Registry&) {}

}  // namespace wartburg::builtins
