// GraphQL schema building and query validation for the graphql.* builtins:
// build_schema() merges a schema document with the built-in definitions
// (scalars, @include/@skip/@deprecated/@specifiedBy, introspection types)
// and checks it; validate_query() applies the GraphQL specification's
// validation rules to a query document. build_schema() throws graphql::Error
// with the first problem found; query_errors() lists a query's problems
// (messages as gqlparser words them).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "policy/builtins/graphql_ast.h"

namespace wartburg::graphql {

struct Schema {
  std::map<std::string, Definition> types;
  std::map<std::string, DirectiveDef> directives;
  std::string query, mutation, subscription;  // root type names ("" when none)
  // Interface / union name -> the types that can stand for it (object types
  // list themselves).
  std::map<std::string, std::vector<std::string>> possible;

  const Definition* type(const std::string& name) const {
    auto it = types.find(name);
    return it == types.end() ? nullptr : &it->second;
  }
};

std::shared_ptr<const Schema> build_schema(const SchemaDoc& doc);
// All problems of a query (empty when it is valid). Like gqlparser, it goes
// on after a field unknown on its type; any other problem is the last one
// listed.
std::vector<Error> query_errors(const Schema& schema, const QueryDoc& doc);
// Throws the first problem of query_errors().
void validate_query(const Schema& schema, const QueryDoc& doc);

}  // namespace wartburg::graphql
