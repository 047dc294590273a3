// Tests for the graphql.* builtins: the AST objects parse_query and
// parse_schema return, syntax errors (message and line:column), the schema
// checks behind schema_is_valid, the query validation rules behind
// parse / parse_and_verify / is_valid, AST objects accepted as input, and
// the nesting limit that keeps hostile input from exhausting the stack.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"
#include "tests/policy/builtins/limits_util.h"

namespace {

using wartburg::Value;
using namespace wartburg::builtins::test_util::plain;

const char* kSchema = R"(
  schema { query: Query, mutation: Mutation, subscription: Subscription }
  type Query {
    hero(episode: Episode): Character
    human(id: ID!): Human
    search(text: String!, first: Int = 10): [SearchResult!]!
    reviews(filter: ReviewFilter): [Review]
    flag(on: Boolean!): Boolean
  }
  type Mutation { addReview(review: ReviewInput!): Review }
  type Subscription { reviewAdded: Review, heroChanged: Character }
  enum Episode { NEWHOPE EMPIRE JEDI }
  interface Character { id: ID!, name: String!, friends: [Character] }
  type Human implements Character { id: ID!, name: String!, friends: [Character], height(unit: String): Float }
  type Droid implements Character { id: ID!, name: String!, friends: [Character], primaryFunction: String }
  type Starship { id: ID!, name: String! }
  union SearchResult = Human | Droid | Starship
  type Review { stars: Int!, commentary: String }
  input ReviewInput { stars: Int!, commentary: String }
  input ReviewFilter { minStars: Int, episode: Episode }
)";

std::string parse_error(const std::string& query) {
  return error_of("graphql.parse", {S(query), S(kSchema)});
}

bool valid(const std::string& query) {
  return call("graphql.is_valid", {S(query), S(kSchema)}).is_true();
}

bool schema_valid(const std::string& schema) {
  return call("graphql.schema_is_valid", {S(schema)}).is_true();
}

// ---------------------------------------------------------------- AST shapes

TEST(GraphQLParseQuery, SimpleQueryShape) {
  EXPECT_EQ(call("graphql.parse_query", {S("{hero {name}}")}),
            J(R"({"Operations": [{"Name": "", "Operation": "query", "SelectionSet": [
                  {"Alias": "hero", "Name": "hero", "SelectionSet": [{"Alias": "name", "Name": "name"}]}]}]})"));
}

TEST(GraphQLParseQuery, ArgumentsVariablesAndFragments) {
  Value ast = call("graphql.parse_query", {S(R"(
    query Q($ep: Episode! = JEDI, $ids: [ID!]) @skip(if: false) {
      a: hero(episode: $ep, n: 4, f: 1.5, s: "x\ty", b: true, z: null, l: [1, $ids], o: {k: "v"}) { ...F }
      ... on Droid { id }
    }
    fragment F on Character { name }
  )")});
  EXPECT_EQ(ast, J(R"({
    "Fragments": [{"Name": "F", "SelectionSet": [{"Alias": "name", "Name": "name"}], "TypeCondition": "Character"}],
    "Operations": [{
      "Directives": [{"Arguments": [{"Name": "if", "Value": {"ExpectedTypeHasDefault": false, "Kind": 5, "Raw": "false"}}], "Location": "", "Name": "skip"}],
      "Name": "Q", "Operation": "query",
      "SelectionSet": [
        {"Alias": "a", "Name": "hero", "Arguments": [
          {"Name": "episode", "Value": {"ExpectedTypeHasDefault": false, "Kind": 0, "Raw": "ep"}},
          {"Name": "n", "Value": {"ExpectedTypeHasDefault": false, "Kind": 1, "Raw": "4"}},
          {"Name": "f", "Value": {"ExpectedTypeHasDefault": false, "Kind": 2, "Raw": "1.5"}},
          {"Name": "s", "Value": {"ExpectedTypeHasDefault": false, "Kind": 3, "Raw": "x\ty"}},
          {"Name": "b", "Value": {"ExpectedTypeHasDefault": false, "Kind": 5, "Raw": "true"}},
          {"Name": "z", "Value": {"ExpectedTypeHasDefault": false, "Kind": 6, "Raw": "null"}},
          {"Name": "l", "Value": {"ExpectedTypeHasDefault": false, "Kind": 8, "Raw": "", "Children": [
             {"Name": "", "Value": {"ExpectedTypeHasDefault": false, "Kind": 1, "Raw": "1"}}, {"Name": "", "Value": {"ExpectedTypeHasDefault": false, "Kind": 0, "Raw": "ids"}}]}},
          {"Name": "o", "Value": {"ExpectedTypeHasDefault": false, "Kind": 9, "Raw": "", "Children": [{"Name": "k", "Value": {"ExpectedTypeHasDefault": false, "Kind": 3, "Raw": "v"}}]}}],
         "SelectionSet": [{"Name": "F"}]},
        {"SelectionSet": [{"Alias": "id", "Name": "id"}], "TypeCondition": "Droid"}],
      "VariableDefinitions": [
        {"DefaultValue": {"ExpectedTypeHasDefault": false, "Kind": 7, "Raw": "JEDI"}, "Type": {"NamedType": "Episode", "NonNull": true}, "Used": false, "Variable": "ep"},
        {"Type": {"Elem": {"NamedType": "ID", "NonNull": true}, "NamedType": "", "NonNull": false}, "Used": false, "Variable": "ids"}]
    }]})"));
}

TEST(GraphQLParseQuery, BlockStringsDropCommonIndentation) {
  Value ast = call("graphql.parse_query", {S("{ f(a: \"\"\"\n    first\n      second\n    \"\"\") }")});
  const Value* raw = ast.find("Operations")->items()[0].find("SelectionSet")->items()[0]
                         .find("Arguments")->items()[0].find("Value")->find("Raw");
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(raw->str(), "first\n  second");
}

TEST(GraphQLParseQuery, EmptyDocumentIsEmptyObject) {
  EXPECT_EQ(call("graphql.parse_query", {S("  # only a comment\n")}), J("{}"));
}

TEST(GraphQLParseSchema, DefinitionShapes) {
  Value ast = call("graphql.parse_schema", {S(R"(
    "A greeting"
    type Hello implements & A & B @deprecated { world(flag: Boolean = true): [String!] }
    enum E { X @deprecated(reason: "old"), Y }
    union U = | Hello
    directive @d(a: Int) repeatable on FIELD | QUERY
    extend schema @d
  )")});
  EXPECT_EQ(ast, J(R"({
    "Definitions": [
      {"BuiltIn": false, "Description": "A greeting", "Directives": [{"Location": "", "Name": "deprecated"}],
       "Fields": [{"Arguments": [{"DefaultValue": {"ExpectedTypeHasDefault": false, "Kind": 5, "Raw": "true"}, "Description": "", "Name": "flag",
                                  "Type": {"NamedType": "Boolean", "NonNull": false}}],
                   "Description": "", "Name": "world",
                   "Type": {"Elem": {"NamedType": "String", "NonNull": true}, "NamedType": "", "NonNull": false}}],
       "Interfaces": ["A", "B"], "Kind": "OBJECT", "Name": "Hello"},
      {"BuiltIn": false, "Description": "", "EnumValues": [
         {"Description": "", "Directives": [{"Arguments": [{"Name": "reason", "Value": {"ExpectedTypeHasDefault": false, "Kind": 3, "Raw": "old"}}],
                                             "Location": "", "Name": "deprecated"}], "Name": "X"},
         {"Description": "", "Name": "Y"}], "Kind": "ENUM", "Name": "E"},
      {"BuiltIn": false, "Description": "", "Kind": "UNION", "Name": "U", "Types": ["Hello"]}],
    "Directives": [{"Arguments": [{"Description": "", "Name": "a", "Type": {"NamedType": "Int", "NonNull": false}}],
                    "Description": "", "IsRepeatable": true, "Locations": ["FIELD", "QUERY"], "Name": "d"}],
    "SchemaExtension": [{"Description": "", "Directives": [{"Location": "", "Name": "d"}]}]})"));
}

// ---------------------------------------------------------------- syntax errors

TEST(GraphQLSyntax, ErrorsCarryLineAndColumn) {
  EXPECT_EQ(error_of("graphql.parse_query", {S("{")}),
            "Expected Name, found <EOF> in GraphQL string at location 1:2");
  EXPECT_EQ(error_of("graphql.parse_query", {S("{ ...MissingOn }\nfragment MissingOn Type")}),
            "Expected \"on\", found Name \"Type\" in GraphQL string at location 2:20");
  EXPECT_EQ(error_of("graphql.parse_query", {S("query Foo($x: T = $v) { f }")}),
            "Unexpected $ in GraphQL string at location 1:19");
  EXPECT_EQ(error_of("graphql.parse_query", {S("mutation")}),
            "Expected {, found <EOF> in GraphQL string at location 1:9");
  EXPECT_EQ(error_of("graphql.parse_schema", {S("type Hello {}")}),
            "expected at least one definition, found } in GraphQL string at location 1:13");
  EXPECT_EQ(error_of("graphql.parse_schema", {S("\"doc\"\nextend type X { a: Int }")}),
            "Unexpected String \"doc\" in GraphQL string at location 1:2");
  EXPECT_EQ(error_of("graphql.parse_schema", {S("directive @d on NOWHERE")}),
            "Unexpected Name \"NOWHERE\" in GraphQL string at location 1:17");
}

TEST(GraphQLSyntax, ColumnsCountCharactersNotBytes) {
  EXPECT_EQ(error_of("graphql.parse_query", {S("{ f(a: \"\xe0\xa8\x8a\xe0\xa8\x8a\") } }")}),
            "Unexpected } in GraphQL string at location 1:16");
}

TEST(GraphQLSyntax, LexerErrors) {
  EXPECT_EQ(error_of("graphql.parse_query", {S("{ f(a: \"open) }")}),
            "Unexpected <Invalid> in GraphQL string at location 1:16");
  EXPECT_EQ(error_of("graphql.parse_schema", {S("\"\"\"\r")}),
            "Unexpected <Invalid> in GraphQL string at location 2:1");
  EXPECT_EQ(error_of("graphql.parse_query", {S("query 007 { f }")}),
            "Expected {, found <Invalid> in GraphQL string at location 1:8");  // digit after 0
}

TEST(GraphQLSyntax, OperandMustBeAString) {
  EXPECT_EQ(error_of("graphql.parse_query", {Value::integer(1)}), "operand 1 must be string but got number");
  EXPECT_EQ(error_of("graphql.parse", {Value::integer(1), S(kSchema)}),
            "operand 1 must be one of {string, object} but got number");
}

// ---------------------------------------------------------------- nesting limit

TEST(GraphQLNesting, DeepQueryIsRejectedNotCrashing) {
  const int depth = 100000;
  std::string q;
  q.reserve(4 * depth);
  for (int i = 0; i < depth; ++i) q += "{a";
  q += std::string(depth, '}');
  std::string err = error_of("graphql.parse_query", {S(q)});
  EXPECT_NE(err.find("exceeded the maximum nesting depth of 500"), std::string::npos) << err;
  EXPECT_NE(err.find("at location 1:1001"), std::string::npos) << err;
  EXPECT_TRUE(call("graphql.is_valid", {S(q), S(kSchema)}).is_false());
}

TEST(GraphQLNesting, DeepValuesAndTypesAreRejected) {
  const int depth = 100000;
  std::string lists = "{ f(a: " + std::string(depth, '[') + std::string(depth, ']') + ") }";
  EXPECT_NE(error_of("graphql.parse_query", {S(lists)}).find("maximum nesting depth"), std::string::npos);
  std::string types = "query ($v: " + std::string(depth, '[') + "Int" + std::string(depth, ']') + ") { f }";
  EXPECT_NE(error_of("graphql.parse_query", {S(types)}).find("maximum nesting depth"), std::string::npos);
}

TEST(GraphQLNesting, DeepAstObjectIsRejected) {
  Value sel = J(R"({"Alias": "a", "Name": "a"})");
  for (int i = 0; i < 1000; ++i) {
    sel = Value::object({{S("Alias"), S("a")}, {S("Name"), S("a")}, {S("SelectionSet"), Value::array({sel})}});
  }
  Value doc = Value::object({{S("Operations"), Value::array({Value::object({{S("Operation"), S("query")},
                                                                             {S("SelectionSet"), Value::array({sel})}})})}});
  EXPECT_TRUE(call("graphql.is_valid", {doc, S(kSchema)}).is_false());
  EXPECT_NE(error_of("graphql.parse", {doc, S(kSchema)}).find("nested too deeply"), std::string::npos);
}

// ---------------------------------------------------------------- schemas

TEST(GraphQLSchema, ValidSchemas) {
  EXPECT_TRUE(schema_valid(kSchema));
  EXPECT_TRUE(schema_valid(""));
  EXPECT_TRUE(schema_valid("extend type Query { a: Int }"));
  EXPECT_TRUE(schema_valid("scalar Date @specifiedBy(url: \"https://example.com\")"));
  EXPECT_TRUE(schema_valid("interface A { id: ID! } interface B implements A { id: ID! } type C implements B & A { id: ID! }"));
}

TEST(GraphQLSchema, InvalidSchemas) {
  EXPECT_FALSE(schema_valid("type Hello implements World { field: String }"));
  EXPECT_FALSE(schema_valid("union U = Nope"));
  EXPECT_FALSE(schema_valid("type T { a: Int } type T { b: Int }"));
  EXPECT_FALSE(schema_valid("scalar String"));
  EXPECT_FALSE(schema_valid("schema { query: Missing }"));
  EXPECT_FALSE(schema_valid("type T { a: Undefined }"));
  EXPECT_FALSE(schema_valid("type T { a: Int a: String }"));
  EXPECT_FALSE(schema_valid("type __T { a: Int }"));
  EXPECT_FALSE(schema_valid("input I { o: Obj } type Obj { a: Int }"));
  EXPECT_FALSE(schema_valid("type T { a(x: Obj): Int } type Obj { a: Int }"));
  EXPECT_FALSE(schema_valid("interface A { id: ID! } type B implements A { name: String }"));
  EXPECT_FALSE(schema_valid("interface A { id: ID! } type B implements A { id: String }"));
  EXPECT_FALSE(schema_valid("interface A { id: ID! } interface B implements A { id: ID! } type C implements B { id: ID! }"));
  EXPECT_FALSE(schema_valid("scalar S extend type S @deprecated"));
  EXPECT_FALSE(schema_valid("type T @include(if: true) { a: Int }"));
  EXPECT_FALSE(schema_valid("type T { a: Int @unknown }"));
  EXPECT_FALSE(schema_valid("enum E { true }"));
  EXPECT_FALSE(schema_valid(R"({"not": "a schema"})"));  // a syntax error
  EXPECT_FALSE(call("graphql.schema_is_valid", {Value::integer(3)}).as_bool());
}

TEST(GraphQLSchema, ConversionErrorMessage) {
  EXPECT_EQ(error_of("graphql.parse", {S("{ a }"), S("type Query { a: Nope }")}),
            "Error in gqlparser SchemaDocument to Schema conversion: input:1:17: Undefined type Nope.");
}

// ---------------------------------------------------------------- query validation

TEST(GraphQLValidate, ValidQueries) {
  EXPECT_TRUE(valid("{ hero { id name friends { name } } }"));
  EXPECT_TRUE(valid("query ($e: Episode = JEDI) { hero(episode: $e) { ... on Human { height(unit: \"m\") } } }"));
  EXPECT_TRUE(valid("{ search(text: \"x\") { __typename ... on Starship { name } ... H } } fragment H on Human { id }"));
  EXPECT_TRUE(valid("mutation { addReview(review: {stars: 5}) { stars } }"));
  EXPECT_TRUE(valid("subscription S { reviewAdded { stars } }"));
  EXPECT_TRUE(valid("{ reviews(filter: {minStars: 3, episode: EMPIRE}) { stars } }"));
  EXPECT_TRUE(valid("query ($t: String!) { search(text: $t) { __typename } }"));
  EXPECT_TRUE(valid("query ($n: Int) { search(text: \"a\", first: $n) { __typename } }"));
  EXPECT_TRUE(valid("{ __schema { types { name } } __type(name: \"Human\") { name } }"));
  EXPECT_TRUE(valid("query ($f: Boolean!) { hero @include(if: $f) { id } }"));
  EXPECT_TRUE(valid(""));
}

TEST(GraphQLValidate, MessagesNameTheProblemAndPosition) {
  EXPECT_EQ(parse_error("{\n  human { id }\n}"),
            "Field \"human\" argument \"id\" of type \"ID!\" is required, but it was not provided in GraphQL query "
            "string at location 2:3");
  EXPECT_EQ(parse_error("{ villain { id } }"),
            "Cannot query field \"villain\" on type \"Query\" in GraphQL query string at location 1:3");
  EXPECT_EQ(parse_error("{ hero(planet: 1) { id } }"),
            "Unknown argument \"planet\" on field \"Query.hero\" in GraphQL query string at location 1:8");
  EXPECT_EQ(parse_error("{ hero(episode: MARS) { id } }"),
            "Expected type Episode, found MARS in GraphQL query string at location 1:17");
  EXPECT_EQ(parse_error("{ hero }"),
            "Field \"hero\" of type \"Character\" must have a selection of subfields. Did you mean \"hero { ... }\"? "
            "in GraphQL query string at location 1:3");
  EXPECT_EQ(parse_error("{ hero { id { x } } }"),
            "Field \"id\" must not have a selection since type \"ID!\" has no subfields in GraphQL query string at "
            "location 1:10");
  EXPECT_EQ(parse_error("query Q { hero(episode: $e) { id } }"),
            "Variable \"$e\" is not defined by operation \"Q\" in GraphQL query string at location 1:25");
  EXPECT_EQ(parse_error("query Q($e: Episode) { hero { id } }"),
            "Variable \"$e\" is never used in operation \"Q\" in GraphQL query string at location 1:9");
  EXPECT_EQ(parse_error("query ($t: String) { search(text: $t) { __typename } }"),
            "Variable \"$t\" of type \"String\" used in position expecting type \"String!\" in GraphQL query string "
            "at location 1:35");
  EXPECT_EQ(parse_error("{ hero { ...Nope } }"), "Unknown fragment \"Nope\" in GraphQL query string at location 1:13");
  EXPECT_EQ(parse_error("{ hero @nope { id } }"), "Unknown directive \"@nope\" in GraphQL query string at location 1:9");
  EXPECT_EQ(parse_error("{ hero { ... on Starship { id } } }"),
            "Fragment cannot be spread here as objects of type \"Character\" can never be of type \"Starship\" in "
            "GraphQL query string at location 1:14");
  EXPECT_EQ(parse_error("subscription { reviewAdded { stars } heroChanged { id } }"),
            "Anonymous Subscription must select only one top level field in GraphQL query string at location 1:1");
}

// Several problems in one query: OPA joins gqlparser's error list (each
// "input:L:C: message" on its own line), keeps the first error's location
// at the end and drops only the last message's final '.'.
TEST(GraphQLValidate, SeveralErrorsAreAllReported) {
  EXPECT_EQ(parse_error("{ villain { id } hero { nope } }"),
            "Cannot query field \"villain\" on type \"Query\".\n"
            "input:1:25: Cannot query field \"nope\" on type \"Character\" in GraphQL query string at location 1:3");
  EXPECT_EQ(parse_error("{ a\n  b\n  c }"),
            "Cannot query field \"a\" on type \"Query\".\n"
            "input:2:3: Cannot query field \"b\" on type \"Query\".\n"
            "input:3:3: Cannot query field \"c\" on type \"Query\" in GraphQL query string at location 1:3");
  // A last message without a final '.' keeps its line break, as in OPA.
  EXPECT_EQ(parse_error("{ villain hero }"),
            "Cannot query field \"villain\" on type \"Query\".\n"
            "input:1:11: Field \"hero\" of type \"Character\" must have a selection of subfields. Did you mean "
            "\"hero { ... }\"?\n in GraphQL query string at location 1:3");
  EXPECT_FALSE(valid("{ a b c }"));
  // Validation goes on below an unknown field without a schema type.
  EXPECT_FALSE(valid("query ($v: Int) { nope(x: $v, x: 1) @skip(if: true) { ... on Human { id } ...F a: b a: c } }"
                     " fragment F on Human { id }"));
  EXPECT_EQ(call("graphql.parse_and_verify", {S("{ a b }"), S(kSchema)}),
            Value::array({Value::boolean(false), Value::empty_object(), Value::empty_object()}));
}

TEST(GraphQLValidate, InvalidQueries) {
  EXPECT_FALSE(valid("{ hero { id } } { hero { name } }"));                      // anonymous + another
  EXPECT_FALSE(valid("query A { hero { id } } query A { hero { name } }"));      // duplicate names
  EXPECT_FALSE(valid("{ hero { id } } fragment F on Human { id }"));             // unused fragment
  EXPECT_FALSE(valid("{ hero { ...F } } fragment F on Character { ...G } fragment G on Character { ...F }"));
  EXPECT_FALSE(valid("{ hero { ...F } } fragment F on Episode { id }"));         // non-composite condition
  EXPECT_FALSE(valid("{ hero { ... on Nope { id } } }"));                        // unknown type
  EXPECT_FALSE(valid("query ($v: Human) { hero { id } }"));                      // non-input variable
  EXPECT_FALSE(valid("query ($v: Int, $v: Int) { hero { id } }"));               // duplicate variable
  EXPECT_FALSE(valid("{ hero(episode: JEDI, episode: EMPIRE) { id } }"));        // duplicate argument
  EXPECT_FALSE(valid("{ hero(episode: \"JEDI\") { id } }"));                     // string for enum
  EXPECT_FALSE(valid("{ human(id: null) { id } }"));                             // null for non-null
  EXPECT_FALSE(valid("{ search(text: \"a\", first: 1.5) { __typename } }"));      // float for Int
  EXPECT_FALSE(valid("{ search(text: \"a\", first: 3000000000) { __typename } }")); // Int overflow
  EXPECT_FALSE(valid("mutation { addReview(review: {commentary: \"x\"}) { stars } }"));  // missing field
  EXPECT_FALSE(valid("mutation { addReview(review: {stars: 1, nope: 2}) { stars } }"));  // unknown field
  EXPECT_FALSE(valid("{ hero @skip { id } }"));                                   // required directive arg
  EXPECT_FALSE(valid("{ hero @skip(if: true) @skip(if: false) { id } }"));        // repeated directive
  EXPECT_FALSE(valid("query @include(if: true) { hero { id } }"));                // wrong location
  EXPECT_FALSE(valid("{ hero { x: id x: name } }"));                              // conflicting fields
  EXPECT_FALSE(valid("{ flag(on: true) flag(on: false) }"));                      // differing arguments
  EXPECT_FALSE(call("graphql.is_valid", {S("{ a }"), S("type Mutation { a: Int }")}).as_bool());  // no query root
  EXPECT_FALSE(call("graphql.is_valid", {S("{"), S(kSchema)}).as_bool());
  EXPECT_FALSE(call("graphql.is_valid", {Value::integer(1), S(kSchema)}).as_bool());
}

// ---------------------------------------------------------------- parse / parse_and_verify, AST input

TEST(GraphQLParse, ReturnsBothAstsAndAcceptsThemBack) {
  std::string query = "query Q($e: Episode) { hero(episode: $e) { ... on Human { id } ...F } } "
                      "fragment F on Character { name }";
  Value result = call("graphql.parse", {S(query), S(kSchema)});
  ASSERT_TRUE(result.is_array());
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result.items()[0], call("graphql.parse_query", {S(query)}));
  EXPECT_EQ(result.items()[1], call("graphql.parse_schema", {S(kSchema)}));
  // The objects go back in and come out unchanged.
  EXPECT_EQ(call("graphql.parse", {result.items()[0], result.items()[1]}), result);
  EXPECT_TRUE(call("graphql.is_valid", {result.items()[0], result.items()[1]}).as_bool());
}

TEST(GraphQLParse, AstObjectsAreValidatedToo) {
  Value schema = call("graphql.parse_schema", {S("type Query { a(x: Int): Int }")});
  Value bad_query = J(R"({"Operations": [{"Operation": "query", "SelectionSet": [
                        {"Alias": "a", "Name": "a", "Arguments": [{"Name": "y", "Value": {"Kind": 1, "Raw": "1"}}]}]}]})");
  EXPECT_FALSE(call("graphql.is_valid", {bad_query, schema}).as_bool());
  EXPECT_EQ(error_of("graphql.parse", {bad_query, schema}),
            "Unknown argument \"y\" on field \"Query.a\" in GraphQL query AST object");
  EXPECT_NE(error_of("graphql.parse", {J(R"({"Operations": [{"Name": 7}]})"), schema}).find("\"Name\" must be a string"),
            std::string::npos);
}

TEST(GraphQLParseAndVerify, ValidAndInvalid) {
  Value ok = call("graphql.parse_and_verify", {S("{ hero { id } }"), S(kSchema)});
  ASSERT_EQ(ok.size(), 3u);
  EXPECT_TRUE(ok.items()[0].is_true());
  EXPECT_EQ(ok.items()[1], call("graphql.parse_query", {S("{ hero { id } }")}));
  EXPECT_EQ(call("graphql.parse_and_verify", {S("{ hero }"), S(kSchema)}), J("[false, {}, {}]"));
  EXPECT_EQ(call("graphql.parse_and_verify", {S("{ hero { id } }"), S("type Query {")}), J("[false, {}, {}]"));
  EXPECT_EQ(call("graphql.parse_and_verify", {Value::boolean(true), S(kSchema)}), J("[false, {}, {}]"));
}

}  // namespace

// ---- hostile queries ----

// A fragment of 50,000 fields spread in 20,000 selection sets: each set
// collects its fields with the fragment expanded (10^9 fields) without a
// deadline check.
TEST(GraphQLHostile, ValidationPollsTheDeadline) {
  namespace tu = wartburg::builtins::test_util;
  using namespace std::chrono_literals;
  const std::string schema = "type Query { q: Query x: Int }";
  std::string query = "query { ";
  for (int i = 0; i < 20000; ++i) query += "q { x ...F } ";
  query += "} fragment F on Query { ";
  for (int i = 0; i < 50000; ++i) query += "x ";
  query += "}";
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(tu::under_limits(tu::test_limits(200ms), [&] { call("graphql.is_valid", {S(query), S(schema)}); }),
            "limit eval_cancel_error: context deadline exceeded");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
  EXPECT_EQ(call("graphql.is_valid", {S("query { q { x ...F } } fragment F on Query { x }"), S(schema)}),
            Value::boolean(true));
}
