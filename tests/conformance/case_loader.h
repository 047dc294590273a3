// Loads OPA-format conformance cases (YAML files holding `cases:`) into plain
// structs, converting YAML documents to Values the way OPA's loader sees them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "policy/value.h"

namespace wartburg::conformance {

struct Case {
  std::string file;   // the YAML file it came from
  std::string area;   // "v1/aggregates", "v0/every", ...
  bool v0 = false;    // a path component is `v0`: compile v0-compatible
  std::string note;
  std::vector<std::string> modules;
  Value data;                      // default {}
  Value input;                     // Undefined when absent
  std::optional<std::string> input_term;  // Rego term text, when given
  std::string query;
  std::optional<std::vector<Value>> want_result;  // binding objects
  bool sort_bindings = false;
  std::optional<std::string> want_error_code;
  std::optional<std::string> want_error;
  bool strict_error = false;
  bool skip = false;
  std::string load_error;  // non-empty: the case could not be read
};

// YAML node -> Value. Plain scalars resolve like the YAML 1.2 core schema
// (null/~, true/false, ints incl. 0x/0o, floats incl. .inf/.nan); quoted or
// !!str-tagged scalars stay strings; mappings become objects, sequences arrays.
Value yaml_to_value(const YAML::Node& node);

// Every *.yaml under `dir` (recursively, sorted by path), all cases in each.
// A file that fails to parse yields one case with load_error set.
std::vector<Case> load_cases(const std::string& dir);

// Area of a case file: "<v0|v1>/<folder after it>", else the parent folder name.
std::string area_of(const std::string& path, bool& v0);

}  // namespace wartburg::conformance
