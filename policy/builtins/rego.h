// Runtime document for opa.runtime() (see set_runtime_info in registry.h).
#pragma once

#include <string>

#include "policy/value.h"

namespace wartburg::builtins {

// The runtime document OPA builds at start-up: {"env": {NAME: value, ...} of
// the process environment, "version": version, "commit": "",
// "authorization_enabled": false, "skip_known_schema_check": false}, plus
// "config": config when `config` is defined. Pass it to set_runtime_info().
Value default_runtime_info(std::string version, const Value& config = Value());

}  // namespace wartburg::builtins
