// Tests for json.verify_schema and json.match_schema (policy/builtins/jsonschema.cpp):
// OPA's result shapes ([true, null] / [false, "jsonschema: ..."] and
// [valid, [{error, type, field, desc}, ...]]), schema errors, the keywords of
// drafts 4, 6, 7 and the hybrid mode, $ref resolution, formats, and operands
// given as JSON text or as Rego values.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"
#include "tests/policy/builtins/limits_util.h"

namespace {

using wartburg::to_json;
using wartburg::Value;
using namespace wartburg::builtins::test_util::plain;
using wartburg::builtins::test_util::I;

// Results are compared as JSON text, which is canonical (object keys sorted)
// and readable in failure messages.
std::string verify(const Value& schema) { return to_json(call("json.verify_schema", {schema})); }
std::string verify(std::string_view schema_json) { return verify(S(schema_json)); }

std::string match(const Value& doc, const Value& schema) {
  return to_json(call("json.match_schema", {doc, schema}));
}
// Both operands as JSON text.
std::string match(std::string_view doc_json, std::string_view schema_json) {
  return match(S(doc_json), S(schema_json));
}

// One validation error as json.match_schema reports it.
Value E(const std::string& field, const std::string& type, const std::string& desc) {
  return Value::object({{S("error"), S(field + ": " + desc)},
                        {S("type"), S(type)},
                        {S("field"), S(field)},
                        {S("desc"), S(desc)}});
}

std::string ok() { return to_json(Value::array({Value::boolean(true), Value::empty_array()})); }
std::string bad(std::vector<Value> errors) {
  return to_json(Value::array({Value::boolean(false), Value::array(std::move(errors))}));
}

std::string verified() { return to_json(Value::array({Value::boolean(true), Value::null()})); }
std::string rejected(const std::string& msg) {
  return to_json(Value::array({Value::boolean(false), S("jsonschema: " + msg)}));
}

std::string match_error(const Value& doc, const Value& schema) { return error_of("json.match_schema", {doc, schema}); }

constexpr const char* kDraft4 = R"("$schema": "http://json-schema.org/draft-04/schema#")";
constexpr const char* kDraft6 = R"("$schema": "http://json-schema.org/draft-06/schema#")";
constexpr const char* kDraft7 = R"("$schema": "http://json-schema.org/draft-07/schema#")";

std::string with(const char* draft, const std::string& rest) { return "{" + std::string(draft) + ", " + rest + "}"; }

}  // namespace

// ---- json.verify_schema

TEST(JsonVerifySchema, ValidSchemasGiveTrueAndNull) {
  EXPECT_EQ(verify("{}"), verified());
  EXPECT_EQ(verify(R"({"properties": {"id": {"type": "integer"}}, "required": ["id"]})"), verified());
  EXPECT_EQ(verify(J(R"({"properties": {"id": {"type": "integer"}}, "required": ["id"]})")), verified());
  EXPECT_EQ(verify(Value::empty_object()), verified());
  EXPECT_EQ(verify("true"), verified());  // boolean schemas (draft 6 and later, hybrid mode)
  EXPECT_EQ(verify(with(kDraft7, R"("if": {"type": "string"}, "then": {"minLength": 1})")), verified());
  // definitions with a recursive reference
  EXPECT_EQ(verify(R"({"definitions": {"node": {"properties": {"next": {"$ref": "#/definitions/node"}}}},
                      "$ref": "#/definitions/node"})"),
            verified());
}

TEST(JsonVerifySchema, MalformedJsonText) {
  EXPECT_EQ(verify(R"({ "a": ")"), rejected("invalid JSON string"));
  EXPECT_EQ(verify(R"({ "properties": { id: {} } })"), rejected("invalid JSON string"));
  EXPECT_EQ(verify(""), rejected("invalid JSON string"));
}

TEST(JsonVerifySchema, WrongOperandType) {
  EXPECT_EQ(verify(I(5)), rejected("wrong type, expected string or object"));
  EXPECT_EQ(verify(Value::set({S("a")})), rejected("wrong type, expected string or object"));
  EXPECT_EQ(verify("5"), rejected("schema is invalid"));  // valid JSON, not a schema
}

TEST(JsonVerifySchema, InvalidKeywordValues) {
  EXPECT_EQ(verify(R"({"properties": {"id": {"type": "UNKNOWN"}}})"),
            rejected("has a primitive type that is NOT VALID -- given: /UNKNOWN/ Expected valid values "
                     "are:[array boolean integer number null object string]"));
  EXPECT_EQ(verify(R"({"type": ["string", "string"]})"), rejected("string type is duplicated"));
  EXPECT_EQ(verify(R"({"type": 5})"), rejected("Invalid type. Expected: type, given: string/array of strings"));
  EXPECT_EQ(verify(R"({"minLength": -1})"), rejected("minLength must be greater than or equal to 0"));
  EXPECT_EQ(verify(R"({"minLength": 1.5})"), rejected("minLength must be of an integer"));
  EXPECT_EQ(verify(R"({"minLength": 3, "maxLength": 2})"), rejected("minLength cannot be greater than maxLength"));
  EXPECT_EQ(verify(R"({"minProperties": 3, "maxProperties": 2})"),
            rejected("minProperties cannot be greater than maxProperties"));
  EXPECT_EQ(verify(R"({"minimum": "0"})"), rejected("minimum must be of a number"));
  EXPECT_EQ(verify(R"({"multipleOf": 0})"), rejected("multipleOf must be strictly greater than 0"));
  EXPECT_EQ(verify(R"({"multipleOf": "2"})"), rejected("Invalid type. Expected: number, given: multipleOf"));
  EXPECT_EQ(verify(R"({"pattern": "("})"), rejected("pattern must be a valid regex"));
  EXPECT_EQ(verify(R"({"pattern": 5})"), rejected("Invalid type. Expected: string, given: pattern"));
  EXPECT_EQ(verify(R"({"patternProperties": {"(": {}}})"), rejected("Invalid regex pattern '('"));
  EXPECT_EQ(verify(R"({"required": ["a", "a"]})"), rejected("required items must be unique"));
  EXPECT_EQ(verify(R"({"required": "a"})"), rejected("required must be of an array"));
  EXPECT_EQ(verify(R"({"required": [1]})"), rejected("Invalid type. Expected: string, given: required"));
  EXPECT_EQ(verify(R"({"enum": [1, 1.0]})"), rejected("enum items must be unique"));  // equal as JSON numbers
  EXPECT_EQ(verify(R"({"uniqueItems": "yes"})"), rejected("uniqueItems must be of a boolean"));
  EXPECT_EQ(verify(R"({"items": 5})"), rejected("Invalid type. Expected: valid schema/array of schemas, given: items"));
  EXPECT_EQ(verify(R"({"additionalProperties": 5})"),
            rejected("Invalid type. Expected: boolean/valid schema, given: additionalProperties"));
  EXPECT_EQ(verify(R"({"properties": 5})"), rejected("properties must be of type object"));
  EXPECT_EQ(verify(R"({"dependencies": {"a": 5}})"),
            rejected("dependency must be of type schema or array of strings"));
  EXPECT_EQ(verify(R"({"not": 5})"), rejected("not must be of an object"));
  EXPECT_EQ(verify(R"({"$schema": 5})"), rejected("$schema must be of type string"));
  EXPECT_EQ(verify(R"({"definitions": {"a": 5}})"),
            rejected("Invalid type. Expected: array of schemas, given: definitions"));
}

TEST(JsonVerifySchema, ExclusiveBoundsFollowTheDraft) {
  // draft 4: booleans that need the plain bound
  EXPECT_EQ(verify(with(kDraft4, R"("maximum": 5, "exclusiveMaximum": true)")), verified());
  EXPECT_EQ(verify(with(kDraft4, R"("exclusiveMaximum": 5)")),
            rejected("Invalid type. Expected: boolean, given: exclusiveMaximum"));
  EXPECT_EQ(verify(with(kDraft4, R"("exclusiveMinimum": true)")),
            rejected("exclusiveMinimum cannot be used without minimum"));
  // draft 6/7: numbers
  EXPECT_EQ(verify(with(kDraft7, R"("exclusiveMaximum": 5)")), verified());
  EXPECT_EQ(verify(with(kDraft7, R"("exclusiveMaximum": true)")),
            rejected("Invalid type. Expected: number, given: exclusiveMaximum"));
  // hybrid mode (no $schema): either
  EXPECT_EQ(verify(R"({"exclusiveMaximum": 5})"), verified());
  EXPECT_EQ(verify(R"({"minimum": 1, "exclusiveMinimum": true})"), verified());
  EXPECT_EQ(verify(R"({"exclusiveMinimum": "x"})"),
            rejected("Invalid type. Expected: boolean/number, given: exclusiveMinimum"));
}

TEST(JsonVerifySchema, BooleanSchemasNeedDraft6) {
  EXPECT_EQ(verify(R"({"properties": {"a": false}})"), verified());
  EXPECT_EQ(verify(with(kDraft4, R"("properties": {"a": false})")),
            rejected("Expected: valid schema, given: Invalid JSON"));
}

TEST(JsonVerifySchema, References) {
  EXPECT_EQ(verify(R"({"definitions": {}, "$ref": "#/definitions/missing"})"), rejected("Object has no key 'missing'"));
  EXPECT_EQ(verify(R"({"$ref": "#/definitions/missing"})"), rejected("Object has no key 'definitions'"));
  EXPECT_EQ(verify(R"({"$defs": {"a": {"type": "string"}}, "$ref": "#/$defs/a"})"), verified());
  EXPECT_EQ(verify(R"({"items": [{}], "properties": {"x": {"$ref": "#/items/3"}}})"),
            rejected("Out of bound array[0,1] index '3'"));
  EXPECT_EQ(verify(R"({"$ref": "http://example.com/schema.json"})"),
            rejected("remote reference loading disabled: http://example.com/schema.json"));
  EXPECT_EQ(verify(R"({"$ref": "file:///etc/schema.json"})"),
            rejected("file reference loading disabled: file:///etc/schema.json"));
  EXPECT_EQ(verify(R"({"$ref": "other.json"})"), rejected("Reference /other.json must be canonical"));
}

// ---- json.match_schema: result shapes and operands

TEST(JsonMatchSchema, ResultShapes) {
  const char* schema = R"({"properties": {"id": {"type": "integer"}}, "required": ["id"]})";
  EXPECT_EQ(match(R"({"id": 5})", schema), ok());
  EXPECT_EQ(match(R"({"id": "foo"})", schema),
            bad({E("id", "invalid_type", "Invalid type. Expected: integer, given: string")}));
  // an error on the document itself names the field "(root)"
  EXPECT_EQ(match(R"("text")", schema), ok());  // no "type": "properties" only constrain objects
  EXPECT_EQ(match(R"("text")", R"({"type": "object"})"),
            bad({E("(root)", "invalid_type", "Invalid type. Expected: object, given: string")}));
  EXPECT_EQ(match("{}", schema), bad({E("(root)", "required", "id is required")}));
}

TEST(JsonMatchSchema, OperandsAsTextOrValues) {
  const char* schema_text = R"({"properties": {"id": {"type": "integer"}}, "required": ["id"]})";
  Value schema = J(schema_text);
  Value doc = J(R"({"id": "x"})");
  std::string want = bad({E("id", "invalid_type", "Invalid type. Expected: integer, given: string")});
  EXPECT_EQ(match(doc, schema), want);
  EXPECT_EQ(match(doc, S(schema_text)), want);
  EXPECT_EQ(match(S(R"({"id": "x"})"), schema), want);
  EXPECT_EQ(match(S(R"({"id": "x"})"), S(schema_text)), want);
  // arrays are documents too
  EXPECT_EQ(match(J("[1, 2]"), J(R"({"items": {"type": "integer"}})")), ok());
  // non-string object keys are matched by their JSON text
  Value keyed = Value::object({{I(1), S("one")}});
  EXPECT_EQ(match(keyed, J(R"({"properties": {"1": {"type": "integer"}}})")),
            bad({E("1", "invalid_type", "Invalid type. Expected: integer, given: string")}));
}

TEST(JsonMatchSchema, MalformedOperandsAreErrors) {
  Value schema = J(R"({"type": "object"})");
  EXPECT_EQ(match_error(S(R"({"id": )"), schema), "invalid JSON string");
  EXPECT_EQ(match_error(J("{}"), S("{not json")), "invalid JSON string");
  EXPECT_EQ(match_error(I(5), schema), "wrong type, expected string or object");
  EXPECT_EQ(match_error(J("{}"), J(R"({"type": "unknown"})")),
            "has a primitive type that is NOT VALID -- given: /unknown/ Expected valid values are:[array "
            "boolean integer number null object string]");
  EXPECT_EQ(match_error(J("{}"), J(R"({"$ref": "#/nowhere"})")), "Object has no key 'nowhere'");
}

TEST(JsonMatchSchema, SelfReferenceLoopIsAnErrorNotACrash) {
  std::string msg = match_error(J("{}"), J(R"({"$ref": "#"})"));
  EXPECT_EQ(msg, "jsonschema: validation exceeded the maximum depth (a $ref loop, or a document nested too deeply)");
}

TEST(JsonVerifySchema, DeeplyNestedSchemasAreRejectedNotACrash) {
  std::string deep = "{}";
  for (int i = 0; i < 5000; ++i) deep = R"({"items": )" + deep + "}";
  EXPECT_EQ(verify(deep), rejected("schema is nested too deeply"));
  std::string ok_depth = "{}";
  for (int i = 0; i < 100; ++i) ok_depth = R"({"items": )" + ok_depth + "}";
  EXPECT_EQ(verify(ok_depth), verified());
}

// ---- keywords

TEST(JsonMatchSchema, Type) {
  EXPECT_EQ(match("1.5", R"({"type": "integer"})"),
            bad({E("(root)", "invalid_type", "Invalid type. Expected: integer, given: number")}));
  EXPECT_EQ(match("2.0", R"({"type": "integer"})"), ok());  // integral numbers are integers
  EXPECT_EQ(match("2", R"({"type": "number"})"), ok());
  EXPECT_EQ(match("null", R"({"type": ["string", "null"]})"), ok());
  EXPECT_EQ(match("3", R"({"type": ["string", "null"]})"),
            bad({E("(root)", "invalid_type", "Invalid type. Expected: [string,null], given: integer")}));
  EXPECT_EQ(match("true", R"({"type": "array"})"),
            bad({E("(root)", "invalid_type", "Invalid type. Expected: array, given: boolean")}));
  EXPECT_EQ(match("{}", R"({"type": "null"})"),
            bad({E("(root)", "invalid_type", "Invalid type. Expected: null, given: object")}));
}

TEST(JsonMatchSchema, EnumAndConst) {
  const char* colors = R"({"properties": {"color": {"enum": ["red", "green", 1, null]}}})";
  EXPECT_EQ(match(R"({"color": "red"})", colors), ok());
  EXPECT_EQ(match(R"({"color": null})", colors), ok());
  EXPECT_EQ(match(R"({"color": 1.0})", colors), ok());  // numbers compare by value
  EXPECT_EQ(match(R"({"color": "blue"})", colors),
            bad({E("color", "enum", R"(color must be one of the following: "red", "green", 1, null)")}));
  EXPECT_EQ(match(R"("x")", R"({"enum": []})"),
            bad({E("(root)", "enum", "(root) must be one of the following: (none)")}));

  const char* constant = R"({"const": {"a": [1, 2], "b": "x"}})";
  EXPECT_EQ(match(R"({"b": "x", "a": [1, 2.0]})", constant), ok());
  EXPECT_EQ(match(R"({"a": [2, 1], "b": "x"})", constant),
            bad({E("(root)", "const", R"((root) does not match: {"a":[1,2],"b":"x"})")}));
  // const is a draft 6 keyword: ignored under draft 4
  EXPECT_EQ(match("5", with(kDraft4, R"("const": 4)")), ok());
}

TEST(JsonMatchSchema, PropertiesRequiredAdditionalProperties) {
  const char* schema = R"({
    "properties": {"name": {"type": "string"}, "email": {}, "age": {"type": "integer", "minimum": 0}},
    "required": ["name", "email"],
    "additionalProperties": false})";
  EXPECT_EQ(match(R"({"name": "n", "email": "e", "age": 3})", schema), ok());
  // object-level errors first (required, additionalProperties), then each property in name order
  EXPECT_EQ(match(R"({"name": 5, "age": -1, "extra": true})", schema),
            bad({E("(root)", "required", "email is required"),
                 E("(root)", "additional_property_not_allowed", "Additional property extra is not allowed"),
                 E("age", "number_gte", "Must be greater than or equal to 0"),
                 E("name", "invalid_type", "Invalid type. Expected: string, given: integer")}));

  const char* typed_rest = R"({"properties": {"a": {}}, "additionalProperties": {"type": "string"}})";
  EXPECT_EQ(match(R"({"a": 1, "b": "x"})", typed_rest), ok());
  EXPECT_EQ(match(R"({"a": 1, "b": 2})", typed_rest),
            bad({E("b", "invalid_type", "Invalid type. Expected: string, given: integer")}));
}

TEST(JsonMatchSchema, NestedFieldsAreDotted) {
  const char* schema = R"({"properties": {"user": {"properties": {"tags": {"items": {"type": "string"}}}}}})";
  EXPECT_EQ(match(R"({"user": {"tags": ["a", 2]}})", schema),
            bad({E("user.tags.1", "invalid_type", "Invalid type. Expected: string, given: integer")}));
}

TEST(JsonMatchSchema, PatternPropertiesAndPropertyNames) {
  const char* schema = R"({"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false})";
  EXPECT_EQ(match(R"({"x-a": "ok"})", schema), ok());
  EXPECT_EQ(match(R"({"x-a": "ok", "x-b": 2, "y": 1})", schema),
            bad({E("x-b", "invalid_type", "Invalid type. Expected: string, given: integer"),
                 E("(root)", "additional_property_not_allowed", "Additional property y is not allowed")}));

  const char* names = R"({"propertyNames": {"maxLength": 3}})";
  EXPECT_EQ(match(R"({"abc": 1})", names), ok());
  EXPECT_EQ(match(R"({"abcd": 1})", names),
            bad({E("(root)", "invalid_property_name", R"(Property name of "abcd" does not match)"),
                 E("(root)", "string_lte", "String length must be less than or equal to 3")}));
}

TEST(JsonMatchSchema, Dependencies) {
  EXPECT_EQ(match(R"({"a": 1, "b": 2})", R"({"dependencies": {"a": ["b"]}})"), ok());
  EXPECT_EQ(match(R"({"b": 2})", R"({"dependencies": {"a": ["b"]}})"), ok());
  EXPECT_EQ(match(R"({"a": 1})", R"({"dependencies": {"a": ["b"]}})"),
            bad({E("(root)", "missing_dependency", "Has a dependency on b")}));
  EXPECT_EQ(match(R"({"a": 1})", R"({"dependencies": {"a": {"required": ["c"]}}})"),
            bad({E("(root)", "required", "c is required")}));
}

TEST(JsonMatchSchema, ItemsAndAdditionalItems) {
  EXPECT_EQ(match("[1, 2, 3]", R"({"items": {"type": "integer"}})"), ok());
  EXPECT_EQ(match(R"([1, "x", 3])", R"({"items": {"type": "integer"}})"),
            bad({E("1", "invalid_type", "Invalid type. Expected: integer, given: string")}));

  const char* tuple = R"({"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false})";
  EXPECT_EQ(match(R"(["a", 1])", tuple), ok());
  EXPECT_EQ(match(R"(["a"])", tuple), ok());  // shorter than the tuple is fine
  EXPECT_EQ(match(R"([1, 1])", tuple),
            bad({E("0", "invalid_type", "Invalid type. Expected: string, given: integer")}));
  EXPECT_EQ(match(R"(["a", 1, true])", tuple),
            bad({E("(root)", "array_no_additional_items", "No additional items allowed on array")}));

  const char* rest = R"({"items": [{"type": "string"}], "additionalItems": {"type": "boolean"}})";
  EXPECT_EQ(match(R"(["a", true, false])", rest), ok());
  EXPECT_EQ(match(R"(["a", true, 3])", rest),
            bad({E("2", "invalid_type", "Invalid type. Expected: boolean, given: integer")}));
}

TEST(JsonMatchSchema, PrefixItemsIsNotAKeywordOfOpasValidator) {
  // gojsonschema (drafts 4-7) has no prefixItems: it is ignored, and "items"
  // applies to every element.
  EXPECT_EQ(match("[1]", R"({"prefixItems": [{"type": "string"}]})"), ok());
  EXPECT_EQ(match(R"(["a", 1])", R"({"prefixItems": [{"type": "string"}], "items": {"type": "integer"}})"),
            bad({E("0", "invalid_type", "Invalid type. Expected: integer, given: string")}));
}

TEST(JsonMatchSchema, Contains) {
  const char* schema = R"({"contains": {"type": "string"}})";
  EXPECT_EQ(match(R"([1, "a"])", schema), ok());
  // the error of the closest item (the first one, on a tie) follows
  EXPECT_EQ(match("[1, 2]", schema),
            bad({E("(root)", "contains", "At least one of the items must match"),
                 E("0", "invalid_type", "Invalid type. Expected: string, given: integer")}));
  EXPECT_EQ(match("[]", schema), bad({E("(root)", "contains", "At least one of the items must match")}));
  // contains is a draft 6 keyword
  EXPECT_EQ(match("[1]", with(kDraft4, R"("contains": {"type": "string"})")), ok());
}

TEST(JsonMatchSchema, ArraySizeAndUniqueness) {
  EXPECT_EQ(match("[1]", R"({"minItems": 2})"),
            bad({E("(root)", "array_min_items", "Array must have at least 2 items")}));
  EXPECT_EQ(match("[1, 2, 3]", R"({"maxItems": 2})"),
            bad({E("(root)", "array_max_items", "Array must have at most 2 items")}));
  EXPECT_EQ(match("[1, 2, 3]", R"({"uniqueItems": true})"), ok());
  EXPECT_EQ(match("[1, 2, 1.0]", R"({"uniqueItems": true})"),
            bad({E("(root)", "unique", "array items[0,2] must be unique")}));
  EXPECT_EQ(match(R"([{"a": 1}, {"a": 1}])", R"({"uniqueItems": true})"),
            bad({E("(root)", "unique", "array items[0,1] must be unique")}));
}

TEST(JsonMatchSchema, StringLengthAndPattern) {
  EXPECT_EQ(match(R"("héllo")", R"({"maxLength": 5})"), ok());  // characters, not bytes
  EXPECT_EQ(match(R"("héllo")", R"({"maxLength": 4})"),
            bad({E("(root)", "string_lte", "String length must be less than or equal to 4")}));
  EXPECT_EQ(match(R"("ab")", R"({"minLength": 3})"),
            bad({E("(root)", "string_gte", "String length must be greater than or equal to 3")}));
  EXPECT_EQ(match(R"("abc")", R"({"pattern": "^[a-z]+$"})"), ok());
  EXPECT_EQ(match(R"("xabcx")", R"({"pattern": "abc"})"), ok());  // unanchored search
  EXPECT_EQ(match(R"("abc1")", R"({"pattern": "^[a-z]+$"})"),
            bad({E("(root)", "pattern", "Does not match pattern '^[a-z]+$'")}));
  // string keywords do not apply to other types
  EXPECT_EQ(match("12345", R"({"maxLength": 2, "pattern": "^x"})"), ok());
}

TEST(JsonMatchSchema, NumberBounds) {
  EXPECT_EQ(match("5", R"({"minimum": 5, "maximum": 5})"), ok());
  EXPECT_EQ(match("4", R"({"minimum": 5})"), bad({E("(root)", "number_gte", "Must be greater than or equal to 5")}));
  EXPECT_EQ(match("6", R"({"maximum": 5})"), bad({E("(root)", "number_lte", "Must be less than or equal to 5")}));
  EXPECT_EQ(match("10", with(kDraft7, R"("exclusiveMaximum": 10)")),
            bad({E("(root)", "number_lt", "Must be less than 10")}));
  EXPECT_EQ(match("0", with(kDraft6, R"("exclusiveMinimum": 0)")),
            bad({E("(root)", "number_gt", "Must be greater than 0")}));
  EXPECT_EQ(match("10", with(kDraft4, R"("maximum": 10, "exclusiveMaximum": true)")),
            bad({E("(root)", "number_lt", "Must be less than 10")}));
  EXPECT_EQ(match("9.5", with(kDraft4, R"("maximum": 10, "exclusiveMaximum": true)")), ok());
  // bounds print as Go prints a big.Float with %v
  EXPECT_EQ(match("0.25", R"({"minimum": 0.5})"),
            bad({E("(root)", "number_gte", "Must be greater than or equal to 0.5")}));
  EXPECT_EQ(match("5", R"({"minimum": 1000000})"),
            bad({E("(root)", "number_gte", "Must be greater than or equal to 1e+06")}));
  EXPECT_EQ(match("5", R"({"minimum": 123456})"),
            bad({E("(root)", "number_gte", "Must be greater than or equal to 123456")}));
  EXPECT_EQ(match("0", R"({"minimum": 0.00001})"),
            bad({E("(root)", "number_gte", "Must be greater than or equal to 1e-05")}));
  EXPECT_EQ(match("-2", R"({"minimum": -1.5})"),
            bad({E("(root)", "number_gte", "Must be greater than or equal to -1.5")}));
  // large integers compare exactly
  EXPECT_EQ(match("9007199254740992", R"({"maximum": 9007199254740993})"), ok());
  EXPECT_EQ(match("9007199254740994", R"({"maximum": 9007199254740993})"),
            bad({E("(root)", "number_lte", "Must be less than or equal to 9.007199254740993e+15")}));
}

TEST(JsonMatchSchema, MultipleOfIsExactForDecimals) {
  EXPECT_EQ(match("0.3", R"({"multipleOf": 0.1})"), ok());
  EXPECT_EQ(match("12", R"({"multipleOf": 3})"), ok());
  EXPECT_EQ(match("0.35", R"({"multipleOf": 0.1})"),
            bad({E("(root)", "multiple_of", "Must be a multiple of 0.1")}));
  EXPECT_EQ(match("7", R"({"multipleOf": 3})"), bad({E("(root)", "multiple_of", "Must be a multiple of 3")}));
}

TEST(JsonMatchSchema, PropertyCounts) {
  EXPECT_EQ(match(R"({"a": 1, "b": 2})", R"({"maxProperties": 1})"),
            bad({E("(root)", "array_max_properties", "Must have at most 1 properties")}));
  EXPECT_EQ(match("{}", R"({"minProperties": 1})"),
            bad({E("(root)", "array_min_properties", "Must have at least 1 properties")}));
}

TEST(JsonMatchSchema, AllOfAnyOfOneOfNot) {
  const char* all = R"({"allOf": [{"type": "string"}, {"maxLength": 2}]})";
  EXPECT_EQ(match(R"("ab")", all), ok());
  EXPECT_EQ(match(R"("abc")", all),
            bad({E("(root)", "string_lte", "String length must be less than or equal to 2"),
                 E("(root)", "number_all_of", "Must validate all the schemas (allOf)")}));

  // anyOf reports the errors of the closest alternative
  const char* any = R"({"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 10}]})";
  EXPECT_EQ(match(R"("x")", any), ok());
  EXPECT_EQ(match("12", any), ok());
  EXPECT_EQ(match("5", any),
            bad({E("(root)", "number_any_of", "Must validate at least one schema (anyOf)"),
                 E("(root)", "number_gte", "Must be greater than or equal to 10")}));

  const char* one = R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})";
  EXPECT_EQ(match("-3", one), ok());
  EXPECT_EQ(match("1.5", one), ok());
  EXPECT_EQ(match("5", one), bad({E("(root)", "number_one_of", "Must validate one and only one schema (oneOf)")}));
  EXPECT_EQ(match("1", R"({"oneOf": [{"type": "string"}, {"type": "boolean"}]})"),
            bad({E("(root)", "number_one_of", "Must validate one and only one schema (oneOf)"),
                 E("(root)", "invalid_type", "Invalid type. Expected: string, given: integer")}));

  EXPECT_EQ(match("1", R"({"not": {"type": "string"}})"), ok());
  EXPECT_EQ(match(R"("x")", R"({"not": {"type": "string"}})"),
            bad({E("(root)", "number_not", "Must not validate the schema (not)")}));
}

TEST(JsonMatchSchema, IfThenElse) {
  const char* schema = R"({"if": {"properties": {"kind": {"const": "a"}}},
                           "then": {"required": ["x"]}, "else": {"required": ["y"]}})";
  EXPECT_EQ(match(R"({"kind": "a", "x": 1})", schema), ok());
  EXPECT_EQ(match(R"({"kind": "b", "y": 1})", schema), ok());
  EXPECT_EQ(match(R"({"kind": "a"})", schema),
            bad({E("(root)", "condition_then", R"(Must validate "then" as "if" was valid)"),
                 E("(root)", "required", "x is required")}));
  EXPECT_EQ(match(R"({"kind": "b"})", schema),
            bad({E("(root)", "condition_else", R"(Must validate "else" as "if" was not valid)"),
                 E("(root)", "required", "y is required")}));
  // if/then/else are draft 7 keywords: ignored under draft 6
  EXPECT_EQ(match(R"({"kind": "a"})",
                  with(kDraft6, R"("if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["x"]})")
                      ),
            ok());
}

TEST(JsonMatchSchema, BooleanSubschemas) {
  EXPECT_EQ(match(R"({"a": 1})", R"({"properties": {"a": false}})"),
            bad({E("a", "false", "False always fails validation")}));
  EXPECT_EQ(match(R"({"a": 1})", R"({"properties": {"a": true}})"), ok());
  EXPECT_EQ(match("1", "false"), bad({E("(root)", "false", "False always fails validation")}));
}

TEST(JsonMatchSchema, RefToDefinitionsAndDefs) {
  const char* defs = R"({"definitions": {"pos": {"type": "integer", "minimum": 1}},
                         "properties": {"n": {"$ref": "#/definitions/pos"}}})";
  EXPECT_EQ(match(R"({"n": 3})", defs), ok());
  EXPECT_EQ(match(R"({"n": 0})", defs), bad({E("n", "number_gte", "Must be greater than or equal to 1")}));

  const char* dollar_defs = R"({"$defs": {"name": {"type": "string", "minLength": 1}},
                                "properties": {"first": {"$ref": "#/$defs/name"}, "last": {"$ref": "#/$defs/name"}}})";
  EXPECT_EQ(match(R"({"first": "a", "last": "b"})", dollar_defs), ok());
  EXPECT_EQ(match(R"({"first": "", "last": 1})", dollar_defs),
            bad({E("first", "string_gte", "String length must be greater than or equal to 1"),
                 E("last", "invalid_type", "Invalid type. Expected: string, given: integer")}));

  // a $ref replaces its sibling keywords
  EXPECT_EQ(match("5", R"({"definitions": {"s": {"type": "integer"}}, "$ref": "#/definitions/s", "maximum": 1})"),
            ok());
}

TEST(JsonMatchSchema, RecursiveRef) {
  const char* tree = R"({"type": "object",
                         "properties": {"name": {"type": "string"},
                                        "children": {"type": "array", "items": {"$ref": "#"}}}})";
  EXPECT_EQ(match(R"({"name": "a", "children": [{"name": "b", "children": []}]})", tree), ok());
  EXPECT_EQ(match(R"({"name": "a", "children": [{"name": "b", "children": [{"name": 3}]}]})", tree),
            bad({E("children.0.children.0.name", "invalid_type", "Invalid type. Expected: string, given: integer")}));
}

TEST(JsonMatchSchema, RefThroughIdScopes) {
  // draft 6+ "$id" with a location-independent fragment
  const char* schema = R"({"$id": "http://example.com/root.json",
                           "definitions": {"A": {"$id": "#foo", "type": "integer"}},
                           "properties": {"a": {"$ref": "#foo"}}})";
  EXPECT_EQ(match(R"({"a": 1})", schema), ok());
  EXPECT_EQ(match(R"({"a": "x"})", schema),
            bad({E("a", "invalid_type", "Invalid type. Expected: integer, given: string")}));
  // a relative $ref resolves against the enclosing $id
  const char* nested = R"({"$id": "http://example.com/schemas/root.json",
                           "definitions": {"item": {"$id": "item.json", "type": "string"}},
                           "items": {"$ref": "item.json"}})";
  EXPECT_EQ(match(R"(["a"])", nested), ok());
  EXPECT_EQ(match("[1]", nested), bad({E("0", "invalid_type", "Invalid type. Expected: string, given: integer")}));
  // draft 4 spells it "id"
  std::string d4 = with(kDraft4, R"("id": "http://example.com/r.json",
                                     "definitions": {"s": {"id": "#s", "type": "string"}},
                                     "properties": {"v": {"$ref": "#s"}})");
  EXPECT_EQ(match(R"({"v": 2})", d4),
            bad({E("v", "invalid_type", "Invalid type. Expected: string, given: integer")}));
}

TEST(JsonMatchSchema, Formats) {
  auto fmt = [](const char* format, const char* value) {
    std::string schema = std::string(R"({"format": ")") + format + "\"}";
    return match(S(value), S(schema));
  };
  auto fails = [](const char* format) {
    return bad({E("(root)", "format", std::string("Does not match format '") + format + "'")});
  };
  EXPECT_EQ(fmt("email", R"("someone@example.com")"), ok());
  EXPECT_EQ(fmt("email", R"("Some One <someone@example.com>")"), ok());
  EXPECT_EQ(fmt("email", R"("not-an-email")"), fails("email"));
  EXPECT_EQ(fmt("date-time", R"("2024-01-15T10:30:00Z")"), ok());
  EXPECT_EQ(fmt("date-time", R"("2024-01-15T10:30:00.123+02:00")"), ok());
  EXPECT_EQ(fmt("date-time", R"("2024-13-01T00:00:00Z")"), fails("date-time"));
  EXPECT_EQ(fmt("date", R"("2024-02-29")"), ok());
  EXPECT_EQ(fmt("date", R"("2023-02-29")"), fails("date"));
  EXPECT_EQ(fmt("time", R"("23:59:59")"), ok());
  EXPECT_EQ(fmt("time", R"("24:00:00")"), fails("time"));
  EXPECT_EQ(fmt("ipv4", R"("192.168.0.1")"), ok());
  EXPECT_EQ(fmt("ipv4", R"("::1")"), fails("ipv4"));
  EXPECT_EQ(fmt("ipv6", R"("::1")"), ok());
  EXPECT_EQ(fmt("ipv6", R"("1.2.3.4")"), fails("ipv6"));
  EXPECT_EQ(fmt("hostname", R"("www.example.com")"), ok());
  EXPECT_EQ(fmt("hostname", R"("-bad-.example")"), fails("hostname"));
  EXPECT_EQ(fmt("uri", R"("https://example.com/a?b=c")"), ok());
  EXPECT_EQ(fmt("uri", R"("/relative/path")"), fails("uri"));
  EXPECT_EQ(fmt("uri-reference", R"("/relative/path")"), ok());
  EXPECT_EQ(fmt("uuid", R"("123e4567-e89b-12d3-a456-426614174000")"), ok());
  EXPECT_EQ(fmt("uuid", R"("123e4567")"), fails("uuid"));
  EXPECT_EQ(fmt("regex", R"("^a+$")"), ok());
  EXPECT_EQ(fmt("regex", R"("(")"), fails("regex"));
  EXPECT_EQ(fmt("json-pointer", R"("/a/b~1c")"), ok());
  EXPECT_EQ(fmt("json-pointer", R"("a/b")"), fails("json-pointer"));
  // unknown formats, and formats on non-strings, pass
  EXPECT_EQ(fmt("no-such-format", R"("anything")"), ok());
  EXPECT_EQ(fmt("email", "42"), ok());
}

TEST(JsonMatchSchema, SameSchemaManyDocuments) {
  // the compiled schema is cached; results must not leak between documents
  Value schema = J(R"({"properties": {"n": {"type": "integer"}}})");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(match(J(R"({"n": 1})"), schema), ok());
    EXPECT_EQ(match(J(R"({"n": "x"})"), schema),
              bad({E("n", "invalid_type", "Invalid type. Expected: integer, given: string")}));
  }
}

// ---- hostile schemas ----

namespace {
namespace tu = wartburg::builtins::test_util;
using namespace std::chrono_literals;

// d0 -> allOf [d1, d1] -> ... -> d<levels>: the leaf is validated 2^levels times.
std::string fan_out_schema(int levels, const char* leaf) {
  std::string defs;
  for (int i = 0; i < levels; ++i) {
    std::string next = "{\"$ref\": \"#/definitions/d" + std::to_string(i + 1) + "\"}";
    defs += "\"d" + std::to_string(i) + "\": {\"allOf\": [" + next + ", " + next + "]}, ";
  }
  defs += "\"d" + std::to_string(levels) + "\": " + leaf;
  return "{\"definitions\": {" + defs + "}, \"$ref\": \"#/definitions/d0\"}";
}
}  // namespace

// Shared definitions referenced twice per level: 2^40 validations ran
// without a deadline check, and the errors of 2^20 failing leaves piled up.
TEST(JsonSchemaHostile, FanOutIsBounded) {
  std::string schema = fan_out_schema(40, R"({"type": "number"})");
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(tu::under_limits(tu::test_limits(200ms), [&] { call("json.match_schema", {S("1"), S(schema)}); }),
            "limit eval_cancel_error: context deadline exceeded");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0);
  std::string failing = fan_out_schema(22, R"({"type": "string"})");
  EXPECT_EQ(tu::under_limits(tu::test_limits(0ms, 32 << 20), [&] { call("json.match_schema", {S("1"), S(failing)}); }),
            "limit eval_cancel_error: evaluation would exceed its memory limit of 32 MiB (values built; --max-eval-memory)");
  EXPECT_EQ(match("1", fan_out_schema(3, R"({"type": "number"})")), "[true,[]]");
}

TEST(JsonSchemaHostile, DeepDocumentsAndSchemas) {
  Value deep = tu::nested_arrays(10000);
  Value schema = S(R"({"$ref": "#/definitions/a", "definitions": {"a": {"items": {"$ref": "#/definitions/a"}}}})");
  tu::on_small_stack([&] {
    EXPECT_EQ(error_of("json.match_schema", {deep, schema}),
              "jsonschema: validation exceeded the maximum depth (a $ref loop, or a document nested too deeply)");
  });
}
