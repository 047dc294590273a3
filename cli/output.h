// Output formats of `wartburg eval`, printed exactly as `opa eval` prints
// them: json (the full result document), values, bindings, raw, pretty and
// discard; and errors, either as OPA's {"errors": [...]} document or as its
// "1 error occurred: ..." text.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "policy/engine.h"

namespace wartburg::cli {

enum class OutputFormat { Json, Values, Bindings, Pretty, Raw, Discard };

// Parses a --format value; false when the name is not a format.
bool parse_output_format(const std::string& name, OutputFormat& out);

// The outcome of one evaluation: either rows (possibly none: undefined) or errors.
struct EvalOutcome {
  std::vector<QueryRow> rows;
  std::vector<ErrorInfo> errors;
};

// Prints the outcome in the given format. Results go to `out`; errors go to
// `out` for json/discard (as a JSON document) and to `err` otherwise (as text).
void print_outcome(const EvalOutcome& outcome, OutputFormat format, std::ostream& out, std::ostream& err);

// OPA's text form of a list of errors: "1 error occurred: file:row: code: message".
std::string errors_text(const std::vector<ErrorInfo>& errors);

// JSON text in Go's json.Encoder style with a 2-space indent: the value
// re-indented so that it can be embedded at the given nesting depth.
std::string indented_json(const Value& v, int depth);

}  // namespace wartburg::cli
