// JSON and YAML text <-> Value. JSON parsing uses RapidJSON (numbers kept
// exact: integers beyond int64 become big integers); YAML uses yaml-cpp.
// Errors name the position: "line L, column C: <what>".
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "policy/value.h"

namespace wartburg {

struct ParseError : std::runtime_error {
  int line = 0, column = 0;
  ParseError(const std::string& msg, int l, int c) : std::runtime_error(msg), line(l), column(c) {}
};

// Parses one JSON document (RFC 8259). Throws ParseError with line/column.
Value parse_json(std::string_view text);
// Parses YAML (one document; JSON is valid YAML). Plain scalars follow YAML 1.2
// core schema like Go's yaml: true/false, null/~, ints, floats; the rest strings.
Value parse_yaml(std::string_view text);
// YAML text of a value (block style, keys sorted), as yaml.marshal prints.
std::string to_yaml(const Value& v);

}  // namespace wartburg
