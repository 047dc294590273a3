// Tests for the objects builtins (object.*, json.filter, json.remove, json.patch).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"

namespace {

using wartburg::Value;
namespace bi = wartburg::builtins;

using namespace wartburg::builtins::test_util::tagged;

}  // namespace

Value patch(const char* doc, const char* ops) { return call("json.patch", {J(doc), J(ops)}); }

TEST(Objects, Get) {
  Value o = J(R"({"a": {"b": "c"}, "arr": [10, {"x": 1}]})");
  EXPECT_EQ(call("object.get", {o, Str("a"), Value::boolean(true)}), J(R"({"b": "c"})"));
  EXPECT_EQ(call("object.get", {o, Str("b"), Value::boolean(true)}), Value::boolean(true));
  EXPECT_EQ(call("object.get", {o, J(R"(["a", "b"])"), I(0)}), Str("c"));
  EXPECT_EQ(call("object.get", {o, J(R"(["arr", 1, "x"])"), I(0)}), I(1));
  EXPECT_EQ(call("object.get", {o, J(R"(["arr", 5])"), Str("d")}), Str("d"));
  EXPECT_EQ(call("object.get", {o, J(R"(["a", "b", "c"])"), Str("d")}), Str("d"));
  EXPECT_EQ(call("object.get", {o, J("[]"), I(0)}), o);
  Value with_set = Value::object({{Str("s"), S({Str("k")})}});
  EXPECT_EQ(call("object.get", {with_set, J(R"(["s", "k"])"), I(0)}), Str("k"));
  EXPECT_EQ(error_of("object.get", {J("[]"), Str("a"), I(0)}), "type: operand 1 must be object but got array");
}

TEST(Objects, KeysRemoveFilter) {
  Value o = J(R"({"a": 1, "b": 2, "c": 3})");
  EXPECT_EQ(call("object.keys", {o}), S({Str("a"), Str("b"), Str("c")}));
  EXPECT_EQ(call("object.remove", {o, J(R"(["a", "x"])")}), J(R"({"b": 2, "c": 3})"));
  EXPECT_EQ(call("object.remove", {o, S({Str("a"), Str("b")})}), J(R"({"c": 3})"));
  EXPECT_EQ(call("object.remove", {o, J(R"({"c": 0})")}), J(R"({"a": 1, "b": 2})"));
  EXPECT_EQ(call("object.filter", {o, J(R"(["a", "x"])")}), J(R"({"a": 1})"));
  EXPECT_EQ(call("object.filter", {o, J("{}")}), J("{}"));
  Value nonstring = Value::object({{Str("a"), I(1)}, {J("[[7]]"), I(2)}});
  EXPECT_EQ(call("object.remove", {nonstring, S({J("[[7]]")})}), J(R"({"a": 1})"));
  EXPECT_EQ(call("object.filter", {nonstring, S({J("[[7]]")})}), Value::object({{J("[[7]]"), I(2)}}));
  EXPECT_EQ(error_of("object.remove", {Value::null(), J("[]")}), "type: operand 1 must be object but got null");
  EXPECT_EQ(error_of("object.remove", {o, Str("a")}),
            "type: operand 2 must be one of {object, set, array} but got string");
  EXPECT_EQ(error_of("object.filter", {o, Value::boolean(true)}),
            "type: operand 2 must be one of {object, set, array} but got boolean");
  EXPECT_EQ(error_of("object.keys", {I(1)}), "type: operand 1 must be object but got number");
}

TEST(Objects, Union) {
  EXPECT_EQ(call("object.union", {J("{}"), J("{}")}), J("{}"));
  EXPECT_EQ(call("object.union", {J(R"({"a": 1, "b": {"c": 1, "d": 2}})"), J(R"({"b": {"c": 3}, "e": 4})")}),
            J(R"({"a": 1, "b": {"c": 3, "d": 2}, "e": 4})"));
  EXPECT_EQ(call("object.union", {J(R"({"a": {"b": 1}})"), J(R"({"a": 2})")}), J(R"({"a": 2})"));
  EXPECT_EQ(error_of("object.union", {J("{}"), J("[]")}), "type: operand 2 must be object but got array");
  EXPECT_EQ(call("object.union_n", {J("[]")}), J("{}"));
  EXPECT_EQ(call("object.union_n", {J(R"([{"a": {"b": 2}}, {"a": 4}, {"a": {"c": 3}}])")}), J(R"({"a": {"c": 3}})"));
  EXPECT_EQ(call("object.union_n", {J(R"([{"a": 1, "b": {"x": 1}}, {"b": {"y": 2}}, {"c": 3}])")}),
            J(R"({"a": 1, "b": {"x": 1, "y": 2}, "c": 3})"));
  EXPECT_EQ(error_of("object.union_n", {J("[{}, 1]")}),
            "type: operand 1 must be array of objects but got array containing number");
}

TEST(Objects, Subset) {
  Value a = J(R"({"a": 5, "b": 7, "nested": {"x": 10, "y": 15, "arr": [6, 7, 8, 9]}})");
  EXPECT_TRUE(call("object.subset", {a, J(R"({"a": 5})")}).is_true());
  EXPECT_TRUE(call("object.subset", {a, J(R"({"nested": {"x": 10, "arr": [7, 8]}})")}).is_true());
  EXPECT_TRUE(call("object.subset", {a, J(R"({"a": 5, "b": 10})")}).is_false());
  EXPECT_TRUE(call("object.subset", {J(R"({"a": 5})"), a}).is_false());
  EXPECT_TRUE(call("object.subset", {S({I(1), I(2), I(3)}), S({I(3), I(2)})}).is_true());
  EXPECT_TRUE(call("object.subset", {S({I(2)}), S({I(3), I(2)})}).is_false());
  EXPECT_TRUE(call("object.subset", {J("[1,2,3,4,5,6]"), J("[3,4,5]")}).is_true());
  EXPECT_TRUE(call("object.subset", {J("[1,2,3,4,5,6]"), J("[4,5,6,8]")}).is_false());
  EXPECT_TRUE(call("object.subset", {J("[1,2,3,4,5,6]"), J("[1,3]")}).is_false());
  EXPECT_TRUE(call("object.subset", {J("[1,2,3,4,5,6]"), S({I(4), I(3), I(2)})}).is_true());
  EXPECT_TRUE(call("object.subset", {J("[1,2,3,4,5,6]"), S({I(9), I(8)})}).is_false());
  EXPECT_EQ(error_of("object.subset", {S({I(1)}), J("[1]")}),
            "type: both arguments object.subset must be of the same type or array and set");
}

TEST(Objects, JsonFilter) {
  EXPECT_EQ(call("json.filter", {J("{}"), S({Str("a/b")})}), J("{}"));
  EXPECT_EQ(call("json.filter", {J(R"({"a": [{"b": 7, "c": 8}, {"d": 9}]})"), S({Str("a/0/b"), Str("a/1")})}),
            J(R"({"a": [{"b": 7}, {"d": 9}]})"));
  EXPECT_EQ(call("json.filter", {J(R"({"a": {"b": {"c": 7, "d": 8, "x": 0}}, "e": 9})"),
                                 S({Str("a/b/d"), J(R"(["a", "b", "c"])")})}),
            J(R"({"a": {"b": {"c": 7, "d": 8}}})"));
  EXPECT_EQ(call("json.filter", {J(R"({"a/b": 1, "c~d": 2, "e": 3})"), J(R"(["a~1b", "c~0d"])")}),
            J(R"({"a/b": 1, "c~d": 2})"));
  EXPECT_EQ(call("json.filter", {J(R"({"a": {"b": 1, "c": 2}})"), J(R"(["a", "a/b"])")}), J(R"({"a": {"b": 1, "c": 2}})"));
  EXPECT_EQ(error_of("json.filter", {J("[]"), J("[]")}), "type: operand 1 must be object but got array");
  EXPECT_EQ(error_of("json.filter", {J("{}"), I(1)}), "type: operand 2 must be one of {set, array} but got number");
}

TEST(Objects, JsonRemove) {
  EXPECT_EQ(call("json.remove", {J(R"({"a": {"b": 1, "c": 2}, "d": 3})"), J(R"(["a/b", "d"])")}),
            J(R"({"a": {"c": 2}})"));
  EXPECT_EQ(call("json.remove", {J(R"({"a": [1, 2, 3]})"), J(R"(["/a/1"])")}), J(R"({"a": [1, 3]})"));
  EXPECT_EQ(call("json.remove", {J(R"({"a": [{"x": 1, "y": 2}]})"), S({J(R"(["a", "0", "x"])")})}),
            J(R"({"a": [{"y": 2}]})"));
  Value with_set = Value::object({{Str("s"), S({Str("k"), Str("l")})}});
  EXPECT_EQ(call("json.remove", {with_set, J(R"(["s/k"])")}), Value::object({{Str("s"), S({Str("l")})}}));
  EXPECT_EQ(call("json.remove", {J(R"({"a": 1})"), J(R"([""])")}), J(R"({"a": 1})"));
  EXPECT_EQ(error_of("json.remove", {J("[]"), J("[]")}), "type: operand 1 must be object but got array");
  EXPECT_EQ(error_of("json.remove", {J("{}"), I(1)}), "type: operand 2 must be one of {set, array} but got number");
  EXPECT_EQ(error_of("json.remove", {J("{}"), J("[{}]")}),
            "type: operand 2 must be one of {set, array} containing string paths or array of path segments but got "
            "object");
}

TEST(Objects, JsonPatchRfc6902Examples) {
  EXPECT_EQ(patch(R"({"foo": "bar"})", R"([{"op": "add", "path": "/baz", "value": "qux"}])"),
            J(R"({"foo": "bar", "baz": "qux"})"));
  EXPECT_EQ(patch(R"({"foo": ["bar", "baz"]})", R"([{"op": "add", "path": "/foo/1", "value": "qux"}])"),
            J(R"({"foo": ["bar", "qux", "baz"]})"));
  EXPECT_EQ(patch(R"({"foo": ["bar", "qux", "baz"]})", R"([{"op": "remove", "path": "/foo/1"}])"),
            J(R"({"foo": ["bar", "baz"]})"));
  EXPECT_EQ(patch(R"({"baz": "qux"})", R"([{"op": "replace", "path": "/baz", "value": "boo"}])"),
            J(R"({"baz": "boo"})"));
  EXPECT_EQ(patch(R"({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}})",
                  R"([{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}])"),
            J(R"({"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}})"));
  EXPECT_EQ(patch(R"({"foo": ["all", "grass", "cows", "eat"]})", R"([{"op": "move", "from": "/foo/1", "path": "/foo/3"}])"),
            J(R"({"foo": ["all", "cows", "eat", "grass"]})"));
  EXPECT_EQ(patch(R"({"baz": "qux", "foo": ["a", 2]})",
                  R"([{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}])"),
            J(R"({"baz": "qux", "foo": ["a", 2]})"));
  EXPECT_EQ(patch(R"({"/": 9, "~1": 10})", R"([{"op": "test", "path": "/~01", "value": 10}])"), J(R"({"/": 9, "~1": 10})"));
  EXPECT_EQ(patch(R"([1, 2])", R"([{"op": "add", "path": "/-", "value": 3}])"), J("[1, 2, 3]"));
  EXPECT_EQ(patch(R"({"a": 1})", R"([{"op": "copy", "from": "/a", "path": "/b"}])"), J(R"({"a": 1, "b": 1})"));
  EXPECT_EQ(patch(R"({"a": 1})", R"([{"op": "replace", "path": "", "value": [1]}])"), J("[1]"));
  EXPECT_EQ(patch(R"(5)", R"([])"), I(5));
}

TEST(Objects, JsonPatchFailuresAreUndefined) {
  EXPECT_FALSE(patch(R"({"q": {"bar": 2}})", R"([{"op": "add", "path": "/a/b", "value": 1}])").defined());
  EXPECT_FALSE(patch(R"({"baz": "qux"})", R"([{"op": "test", "path": "/baz", "value": "bar"}])").defined());
  EXPECT_FALSE(patch(R"([""])", R"([{"op": "replace", "path": "/1e0", "value": false}])").defined());
  EXPECT_FALSE(patch(R"(["foo", "bar"])", R"([{"op": "test", "path": "/01", "value": "bar"}])").defined());
  EXPECT_FALSE(patch(R"([1, 2, 3])", R"([{"op": "add", "path": "1.2", "value": "foo"}])").defined());
  EXPECT_FALSE(patch(R"({})", R"([{"op": "add", "value": "bar"}])").defined());
  EXPECT_FALSE(patch(R"({})", R"([{"op": "add", "path": null, "value": "bar"}])").defined());
  EXPECT_FALSE(patch(R"([1])", R"([{"op": "add", "path": "/-"}])").defined());
  EXPECT_FALSE(patch(R"({"foo": 1})", R"([{"op": "copy", "from": "/bar", "path": "/foo"}])").defined());
  EXPECT_FALSE(patch(R"({"foo": 1})", R"([{"op": "spam", "path": "/foo", "value": 1}])").defined());
  EXPECT_FALSE(patch(R"({"foo": 1})", R"([{"op": "remove", "path": "/bar"}])").defined());
  EXPECT_FALSE(patch(R"([1, 2])", R"([{"op": "remove", "path": "/2"}])").defined());
  EXPECT_FALSE(patch(R"({})", R"([1])").defined());
  EXPECT_EQ(error_of("json.patch", {J("{}"), J("{}")}), "type: operand 2 must be array but got object");
}

TEST(Objects, JsonPatchOnSets) {
  Value doc = Value::object({{Str("s"), S({Str("a"), J("[0]")})}});
  Value ops = Value::array({J(R"({"op": "add", "path": "/s/b", "value": "b"})"),
                            J(R"({"op": "remove", "path": "/s/a"})")});
  EXPECT_EQ(call("json.patch", {doc, ops}), Value::object({{Str("s"), S({Str("b"), J("[0]")})}}));
  Value nested = Value::array({Value::object({{Str("op"), Str("add")},
                                              {Str("path"), Value::array({Str("s"), J("[0]"), I(1)})},
                                              {Str("value"), I(1)}})});
  EXPECT_EQ(call("json.patch", {doc, nested}), Value::object({{Str("s"), S({Str("a"), J("[0, 1]")})}}));
  Value mismatch = Value::array({J(R"({"op": "add", "path": "/s/b", "value": "c"})")});
  EXPECT_FALSE(call("json.patch", {doc, mismatch}).defined());
}
