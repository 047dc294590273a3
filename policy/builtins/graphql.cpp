// graphql.*: GraphQL query/schema parsing and validation, as OPA's
// topdown/graphql.go: parse_query and parse_schema return AST objects;
// parse, parse_and_verify and is_valid check a query against a schema
// (each given as a string or as such an AST object); schema_is_valid checks
// a schema. Parsing lives in graphql_parser.cpp, the AST objects in
// graphql_convert.cpp, the validation rules in graphql_validate.cpp.
#include <memory>
#include <string>
#include <vector>

#include "policy/builtins/graphql_ast.h"
#include "policy/builtins/graphql_validate.h"
#include "policy/builtins/registry.h"

namespace wartburg::builtins {
namespace {

namespace gql = wartburg::graphql;

std::string location(const gql::Pos& p) {
  return std::to_string(p.line) + ":" + std::to_string(p.col);
}

// Syntax errors: "<message> in GraphQL string at location L:C".
[[noreturn]] void syntax_error(const gql::Error& e) {
  if (e.pos.line == 0) throw BuiltinError(std::string(e.what()) + " in GraphQL AST object");
  throw BuiltinError(std::string(e.what()) + " in GraphQL string at location " + location(e.pos));
}

gql::QueryDoc query_doc(const Value& v) {
  try {
    return v.is_string() ? gql::parse_query(v.str()) : gql::query_from_value(v);
  } catch (const gql::Error& e) {
    syntax_error(e);
  }
}

gql::SchemaDoc schema_doc(const Value& v) {
  try {
    return v.is_string() ? gql::parse_schema(v.str()) : gql::schema_from_value(v);
  } catch (const gql::Error& e) {
    syntax_error(e);
  }
}

std::shared_ptr<const gql::Schema> schema_of(const gql::SchemaDoc& doc) {
  try {
    return gql::build_schema(doc);
  } catch (const gql::Error& e) {
    std::string where = e.pos.line ? ":" + location(e.pos) : "";
    throw BuiltinError("Error in gqlparser SchemaDocument to Schema conversion: input" + where + ": " + e.what());
  }
}

// Validation errors. One: "<message without its final '.'> in GraphQL query
// string at location L:C". Several: OPA formats gqlparser's error list
// ("input:L:C: <message>\n" per error), cuts the first "input:L:C:" off,
// trims leading spaces and a final ".\n", and appends the first error's
// location: "<msg1>\ninput:L2:C2: <msg2 without '.'> in GraphQL query
// string at location L1:C1".
void validate(const gql::Schema& schema, const gql::QueryDoc& doc) {
  std::vector<gql::Error> errors = gql::query_errors(schema, doc);
  if (errors.empty()) return;
  const gql::Error& first = errors.front();
  std::string msg = first.what();
  // Without positions (a query given as an AST object) only the first
  // problem is reported; OPA has no defined text for that case.
  if (errors.size() == 1 || first.pos.line == 0) {
    if (!msg.empty() && msg.back() == '.') msg.pop_back();
    if (first.pos.line == 0) throw BuiltinError(msg + " in GraphQL query AST object");
    throw BuiltinError(msg + " in GraphQL query string at location " + location(first.pos));
  }
  size_t start = msg.find_first_not_of(' ');
  msg = start == std::string::npos ? "" : msg.substr(start);
  msg += "\n";
  for (size_t i = 1; i < errors.size(); ++i) {
    std::string where = errors[i].pos.line ? ":" + location(errors[i].pos) : "";
    msg += "input" + where + ": " + errors[i].what() + "\n";
  }
  if (msg.size() >= 2 && msg.compare(msg.size() - 2, 2, ".\n") == 0) msg.resize(msg.size() - 2);
  throw BuiltinError(msg + " in GraphQL query string at location " + location(first.pos));
}

void need_string_or_object(const Value* args, int pos) {
  const Value& v = args[pos - 1];
  if (!v.is_string() && !v.is_object()) operand_error(pos, "one of {string, object}", v);
}

bool string_or_object(const Value& v) { return v.is_string() || v.is_object(); }

Value parse_query(Context&, const Value* args) {
  need_string(args, 1);
  return gql::to_value(query_doc(args[0]));
}

Value parse_schema(Context&, const Value* args) {
  need_string(args, 1);
  return gql::to_value(schema_doc(args[0]));
}

Value parse(Context&, const Value* args) {
  need_string_or_object(args, 1);
  need_string_or_object(args, 2);
  gql::QueryDoc q = query_doc(args[0]);
  gql::SchemaDoc s = schema_doc(args[1]);
  Value q_ast = gql::to_value(q);
  Value s_ast = gql::to_value(s);
  validate(*schema_of(s), q);
  return Value::array({std::move(q_ast), std::move(s_ast)});
}

Value parse_and_verify(Context&, const Value* args) {
  Value unverified = Value::array({Value::boolean(false), Value::empty_object(), Value::empty_object()});
  if (!string_or_object(args[0]) || !string_or_object(args[1])) return unverified;
  try {
    gql::QueryDoc q = query_doc(args[0]);
    gql::SchemaDoc s = schema_doc(args[1]);
    validate(*schema_of(s), q);
    return Value::array({Value::boolean(true), gql::to_value(q), gql::to_value(s)});
  } catch (const BuiltinError&) {
    return unverified;
  }
}

Value is_valid(Context&, const Value* args) {
  if (!string_or_object(args[0]) || !string_or_object(args[1])) return Value::boolean(false);
  try {
    gql::QueryDoc q = query_doc(args[0]);
    validate(*schema_of(schema_doc(args[1])), q);
    return Value::boolean(true);
  } catch (const BuiltinError&) {
    return Value::boolean(false);
  }
}

Value schema_is_valid(Context&, const Value* args) {
  if (!string_or_object(args[0])) return Value::boolean(false);
  try {
    schema_of(schema_doc(args[0]));
    return Value::boolean(true);
  } catch (const BuiltinError&) {
    return Value::boolean(false);
  }
}

}  // namespace

void register_graphql(Registry& r) {
  r.add({"graphql.parse_query", 1, parse_query, "(string) => object"});
  r.add({"graphql.parse_schema", 1, parse_schema, "(string) => object"});
  r.add({"graphql.parse", 2, parse, "(string|object, string|object) => array"});
  r.add({"graphql.parse_and_verify", 2, parse_and_verify, "(string|object, string|object) => array"});
  r.add({"graphql.is_valid", 2, is_valid, "(string|object, string|object) => boolean"});
  r.add({"graphql.schema_is_valid", 1, schema_is_valid, "(string|object) => boolean"});
}

}  // namespace wartburg::builtins
