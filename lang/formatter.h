// Formatter: canonical Rego v1 text of a module, as `opa fmt` prints it (tabs,
// `if`/`contains`, `:=` heads, sorted and grouped imports, one expression per
// line, comments kept in place). Used by `wartburg fmt` (cli/fmt_command.cpp).
#pragma once

#include <string>

#include "lang/ast.h"

namespace wartburg::lang {

// The Rego version written, as `opa fmt`'s modes: V1 (`opa fmt`), V0
// (`opa fmt --v0-compatible`: v0 formatted as v0) and V0V1 (`opa fmt --v0-v1`:
// v1 syntax that v0 parsers accept too, with `import rego.v1`).
enum class FormatOutput { V1, V0, V0V1 };

struct FormatOptions {
  bool v0 = false;  // the input is Rego v0
  FormatOutput output = FormatOutput::V1;
  bool drop_v0_imports = false;  // V1 output: no `import rego.v1` / future.keywords imports
  bool check_result = true;      // the result must parse back (else rego_format_error)
};

// Formats a module parsed by parse_module (uses its source text and comments).
// `import rego.v1` is kept (as opa fmt does); `future.keywords` imports are
// dropped where rego.v1 is imported (or added: V0V1), kept otherwise. In V0
// output, `if` and `contains` are written only where imported (as OPA).
std::string format_module(const Module& m, FormatOutput output = FormatOutput::V1, bool drop_v0_imports = false);

// Parses `source` and formats it. Throws wartburg::Error (rego_parse_error with
// file, row and column) when the source does not parse, or when the formatted
// text would not parse back (a formatter bug; code "rego_format_error").
std::string format_source(const std::string& file, const std::string& source, const FormatOptions& opts = {});

}  // namespace wartburg::lang
