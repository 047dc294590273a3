// OPA's JSON form of a parsed module (what `opa parse --format json` and the
// rego.parse_module builtin give, locations omitted): {"package": {"path":
// [...]}, "imports": [...], "rules": [{"head": ..., "body": [...]}],
// "comments": [...]}, with every term as {"type": ..., "value": ...}.
// Also installs the parse hook the builtins library uses for rego.parse_module.
#pragma once

#include <string>
#include <vector>

#include "lang/ast.h"
#include "policy/error.h"
#include "policy/value.h"

namespace wartburg::lang {

// The module as OPA's JSON AST. Wildcards `_` are numbered `$0`, `$1`, ... in
// source order, as OPA's parser names them; bare `input` / `data` become refs.
Value module_to_opa_json(const Module& m);

// OPA's text for parse errors of `source`: "1 error occurred: file:row:
// rego_parse_error: message" followed by the offending line and a caret.
std::string opa_parse_errors_text(const std::vector<ErrorInfo>& errors, const std::string& source);

// Makes rego.parse_module available: registers with the builtins library a
// hook that parses a module (Rego v1) and returns module_to_opa_json of it.
// Parse errors become a BuiltinError carrying opa_parse_errors_text.
void install_builtin_hooks();

}  // namespace wartburg::lang
