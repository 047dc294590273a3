// Formatter: canonical Rego v1 text of a module, as `opa fmt` prints it (tabs,
// `if`/`contains`, `:=` heads, sorted and grouped imports, one expression per
// line, comments kept in place). Used by `wartburg fmt` (cli/fmt_command.cpp).
#pragma once

#include <string>

#include "lang/ast.h"

namespace wartburg::lang {

struct FormatOptions {
  bool v0 = false;  // the input is Rego v0 (the output is always v1)
};

// Formats a module parsed by parse_module (uses its source text and comments).
// `import rego.v1` is kept (as opa fmt does); `future.keywords` imports are
// dropped where rego.v1 is imported or the input is v0, kept otherwise.
std::string format_module(const Module& m);

// Parses `source` and formats it. Throws wartburg::Error (rego_parse_error with
// file, row and column) when the source does not parse, or when the formatted
// text would not parse back (a formatter bug; code "rego_format_error").
std::string format_source(const std::string& file, const std::string& source, const FormatOptions& opts = {});

}  // namespace wartburg::lang
