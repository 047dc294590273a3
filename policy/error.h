// Errors in OPA's shape, shared by the front end and the engine: a code
// (rego_parse_error, rego_compile_error, rego_type_error, rego_unsafe_var_error,
// rego_recursion_error, eval_conflict_error, eval_type_error,
// eval_builtin_error, ...), a message and a location.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace wartburg {

struct ErrorInfo {
  std::string code;
  std::string message;
  std::string file;
  int row = 0;
  int col = 0;
  std::string to_string() const;  // "file:row:col: code: message"
};

struct Error : std::runtime_error {
  std::vector<ErrorInfo> errors;
  explicit Error(std::vector<ErrorInfo> e);
  explicit Error(ErrorInfo e) : Error(std::vector<ErrorInfo>{std::move(e)}) {}
};

}  // namespace wartburg
