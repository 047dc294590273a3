// GraphQL syntax trees for the graphql.* builtins: query documents
// (operations, fragments, selections) and schema documents (type, directive
// and schema definitions and their extensions), plus the shared error type.
// The shapes follow the objects OPA returns (field names of the gqlparser Go
// structs); graphql_convert.cpp turns them into Rego values and back,
// graphql_parser.cpp builds them from text, graphql_validate.cpp checks them.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "policy/value.h"

namespace wartburg::graphql {

// A source position: 1-based line and column (in characters). 0:0 when the
// node came from an AST object rather than from text.
struct Pos {
  int line = 0;
  int col = 0;
};

// A parse or validation failure at a position.
struct Error : std::runtime_error {
  Pos pos;
  Error(std::string msg, Pos p) : std::runtime_error(std::move(msg)), pos(p) {}
};

// Nesting limit for selection sets, value literals and type references (in
// text and in AST objects): deeper input is rejected instead of exhausting
// the stack.
constexpr int kMaxDepth = 500;

// Literal kinds, numbered as gqlparser's ast.ValueKind ("Kind" in the AST).
enum class LitKind { Variable = 0, Int, Float, String, Block, Boolean, Null, Enum, List, Object };

struct Literal;
using LitPtr = std::shared_ptr<Literal>;

struct ChildLiteral {
  std::string name;  // "" for list elements
  LitPtr value;
  Pos pos;
};

struct Literal {
  LitKind kind = LitKind::Null;
  std::string raw;  // variable name without '$', string contents, number text, ...
  std::vector<ChildLiteral> children;
  Pos pos;
};

struct TypeRef;
using TypePtr = std::shared_ptr<TypeRef>;

// A type reference: a named type or a list, possibly non-null.
struct TypeRef {
  std::string named;  // "" for a list type
  TypePtr elem;       // list element type
  bool non_null = false;
  Pos pos;
  const std::string& base_name() const { return elem ? elem->base_name() : named; }
};
std::string type_string(const TypeRef& t);  // "[Int!]!"

struct Argument {
  std::string name;
  LitPtr value;
  Pos pos;
};

struct Directive {
  std::string name;
  std::vector<Argument> args;
  Pos pos;
};

struct VariableDef {
  std::string name;
  TypePtr type;
  LitPtr default_value;  // may be null
  std::vector<Directive> directives;
  Pos pos;
};

struct Selection;
using SelPtr = std::shared_ptr<Selection>;

struct Selection {
  enum Kind { Field, Spread, Inline } kind = Field;
  std::string alias;           // Field
  std::string name;            // Field name; fragment name for Spread
  std::vector<Argument> args;  // Field
  std::vector<Directive> directives;
  std::string type_condition;  // Inline ("" when absent)
  std::vector<SelPtr> selections;
  Pos pos;
};

struct Operation {
  std::string operation;  // "query", "mutation" or "subscription"
  std::string name;
  std::vector<VariableDef> vars;
  std::vector<Directive> directives;
  std::vector<SelPtr> selections;
  Pos pos;
};

struct Fragment {
  std::string name;
  std::vector<VariableDef> vars;  // experimental fragment variables
  std::string type_condition;
  std::vector<Directive> directives;
  std::vector<SelPtr> selections;
  Pos pos;
};

struct QueryDoc {
  std::vector<Operation> operations;
  std::vector<Fragment> fragments;
};

// ---- schema documents ----

struct ArgumentDef {
  std::string description;
  std::string name;
  LitPtr default_value;
  TypePtr type;
  std::vector<Directive> directives;
  Pos pos;
};

struct FieldDef {
  std::string description;
  std::string name;
  std::vector<ArgumentDef> args;
  LitPtr default_value;  // input fields
  TypePtr type;
  std::vector<Directive> directives;
  Pos pos;
};

struct EnumValueDef {
  std::string description;
  std::string name;
  std::vector<Directive> directives;
  Pos pos;
};

// A type definition or extension. kind: SCALAR, OBJECT, INTERFACE, UNION,
// ENUM or INPUT_OBJECT.
struct Definition {
  std::string kind;
  std::string description;
  std::string name;
  std::vector<Directive> directives;
  std::vector<std::string> interfaces;
  std::vector<std::string> types;  // union members
  std::vector<FieldDef> fields;
  std::vector<EnumValueDef> enum_values;
  bool builtin = false;
  Pos pos;
  const FieldDef* field(const std::string& n) const {
    for (const auto& f : fields)
      if (f.name == n) return &f;
    return nullptr;
  }
};

struct DirectiveDef {
  std::string description;
  std::string name;
  std::vector<ArgumentDef> args;
  std::vector<std::string> locations;
  bool repeatable = false;
  Pos pos;
};

struct OperationTypeDef {
  std::string operation;
  std::string type;
  Pos pos;
};

struct SchemaDef {
  std::string description;
  std::vector<Directive> directives;
  std::vector<OperationTypeDef> operation_types;
  Pos pos;
};

struct SchemaDoc {
  std::vector<SchemaDef> schema;
  std::vector<SchemaDef> schema_extensions;
  std::vector<DirectiveDef> directives;
  std::vector<Definition> definitions;
  std::vector<Definition> extensions;
};

// ---- text -> tree (graphql_parser.cpp); throw Error ----
QueryDoc parse_query(const std::string& text);
SchemaDoc parse_schema(const std::string& text, bool builtin = false);

// ---- tree <-> Rego value (graphql_convert.cpp) ----
// The AST objects OPA returns: Position dropped, null and empty fields left out.
Value to_value(const QueryDoc& doc);
Value to_value(const SchemaDoc& doc);
// From an AST object; throws Error (position 0:0) for a malformed object.
QueryDoc query_from_value(const Value& v);
SchemaDoc schema_from_value(const Value& v);

}  // namespace wartburg::graphql
