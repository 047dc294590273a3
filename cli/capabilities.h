// Capabilities: the builtins (with OPA type declarations), future keywords
// and features this build supports, in OPA's capabilities JSON format, as
// printed by `wartburg capabilities`; and reading a capabilities file given
// with --capabilities to restrict what a policy may call.
#pragma once

#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "policy/value.h"

namespace wartburg::cli {

// {"builtins": [{"name", "decl": {"type": "function", "args": [...], "result": ...}}, ...],
//  "future_keywords": [...], "features": [...]}
Value capabilities_document();

// OPA type declaration of a builtin signature such as "(string, array|set) => boolean".
Value signature_decl(const std::string& signature);

// The builtins a capabilities file does not list (they are disabled for the
// compile). Throws std::runtime_error naming the file for unreadable or malformed files.
std::set<std::string> disabled_by_capabilities(const std::string& path);

std::string capabilities_usage();
int run_capabilities(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace wartburg::cli
