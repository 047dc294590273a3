// Parser: tokens -> AST for Rego modules (v1, or v0 on request) and queries.
// Syntax errors are thrown as wartburg::Error with code rego_parse_error and
// the file, row and column of the offending token.
#pragma once

#include <memory>
#include <string>

#include "lang/ast.h"
#include "policy/error.h"

namespace wartburg::lang {

struct ParseOptions {
  bool v0 = false;
};

ModulePtr parse_module(const std::string& file, const std::string& source, const ParseOptions& opts = {});

struct Query {
  std::shared_ptr<std::string> file;
  std::shared_ptr<std::string> source;
  Body body;
};
Query parse_query(const std::string& source, const ParseOptions& opts = {});

}  // namespace wartburg::lang
