// Parser: tokens -> AST for Rego modules (v1, or v0 on request) and queries.
// Syntax errors are thrown as wartburg::Error with code rego_parse_error and
// the file, row and column of the offending token.
#pragma once

#include <memory>
#include <string>

#include "lang/ast.h"
#include "policy/error.h"

namespace wartburg::lang {

// Maximum depth of the AST of one rule or query expression: nested terms,
// operators of a chain (`1 + 1 + ...`), reference suffixes, nested bodies
// (every, not, comprehensions) and with/else chains all count (parser.cpp).
// Deeper input is a rego_parse_error "... exceeds the maximum depth of 1000".
inline constexpr int kMaxNesting = 1000;

// A package path, and the path of a rule (package + head reference), has at
// most kMaxRulePathSegments segments and kMaxRulePathBytes bytes of text
// ("data.a.b.c"). Longer ones are a rego_parse_error: each segment becomes a
// node of the rule tree holding its full path, so unbounded paths made
// compilation quadratic in time and memory.
inline constexpr size_t kMaxRulePathSegments = 256;
inline constexpr size_t kMaxRulePathBytes = 4096;

struct ParseOptions {
  bool v0 = false;
  // For compiling (not for fmt or rego.parse_module, which need every term):
  // an array or set literal of kFoldMinElements or more plain constants
  // (numbers, strings, true/false/null) becomes one constant term instead of a
  // term per element. A large literal then costs 16 bytes per element instead
  // of a full AST term (a 1 MB literal took 200 MB to compile).
  bool fold_constants = false;
};
inline constexpr size_t kFoldMinElements = 32;

ModulePtr parse_module(const std::string& file, const std::string& source, const ParseOptions& opts = {});

struct Query {
  std::shared_ptr<std::string> file;
  std::shared_ptr<std::string> source;
  Body body;
};
Query parse_query(const std::string& source, const ParseOptions& opts = {});

}  // namespace wartburg::lang
