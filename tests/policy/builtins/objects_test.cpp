// Tests for the objects builtins (object.*, json.filter, json.remove, json.patch).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"
#include "tests/policy/builtins/limits_util.h"

namespace {

using wartburg::Value;
namespace bi = wartburg::builtins;

using namespace wartburg::builtins::test_util::tagged;

}  // namespace

Value patch(const char* doc, const char* ops) { return call("json.patch", {J(doc), J(ops)}); }

// OPA's json.patch (edittree): "from" is rendered, for "move" deleted, then
// inserted at "path". The root ("" or []) may be copied anywhere; moving it
// deletes the document, so only a move to the root itself succeeds.
TEST(Objects, PatchMoveAndCopyFromTheRoot) {
  EXPECT_EQ(patch(R"({"a":1})", R"([{"op":"copy","from":"","path":"/b"}])"), J(R"({"a":1,"b":{"a":1}})"));
  EXPECT_EQ(patch(R"({"a":1})", R"([{"op":"copy","from":[],"path":"/b"}])"), J(R"({"a":1,"b":{"a":1}})"));
  EXPECT_EQ(patch(R"([1])", R"([{"op":"copy","from":"","path":"/-"}])"), J(R"([1,[1]])"));
  EXPECT_EQ(patch(R"({"a":1})", R"([{"op":"copy","from":"","path":""}])"), J(R"({"a":1})"));
  EXPECT_FALSE(patch(R"({"a":1})", R"([{"op":"move","from":"","path":"/b"}])").defined());
  EXPECT_EQ(patch(R"({"a":1})", R"([{"op":"move","from":"","path":""}])"), J(R"({"a":1})"));
  // moving a value into itself: "from" is gone when "path" is unfolded
  EXPECT_FALSE(patch(R"({"a":{"b":1}})", R"([{"op":"move","from":"/a","path":"/a/c"}])").defined());
  EXPECT_EQ(patch(R"({"a":{"b":1}})", R"([{"op":"copy","from":"/a","path":"/a/c"}])"), J(R"({"a":{"b":1,"c":{"b":1}}})"));
  // leading slashes are all dropped; "from" is needed by move/copy only
  EXPECT_EQ(patch(R"({"a":1})", R"([{"op":"copy","from":"//a","path":"/b"}])"), J(R"({"a":1,"b":1})"));
  EXPECT_FALSE(patch(R"({"a":1})", R"([{"op":"copy","path":"/b"}])").defined());
  EXPECT_FALSE(patch(R"({"a":1})", R"([{"op":"copy","from":1,"path":"/b"}])").defined());
  EXPECT_FALSE(patch(R"({"a":1})", R"([{"op":"copy","from":"/x","path":"/b"}])").defined());
}

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

// ---- hostile operands ----

namespace {
namespace tu = wartburg::builtins::test_util;
using namespace std::chrono_literals;

Value index_path(size_t n) {
  std::vector<Value> p(n, I(0));
  return Value::array(std::move(p));
}
}  // namespace

// A path array of a million segments recursed once per segment (SIGSEGV).
TEST(Objects, JsonFilterAndRemoveTakeLongPaths) {
  Value paths = Value::array({index_path(1000000), J(R"(["a"])")});
  Value doc = J(R"({"a": 1, "b": 2})");
  tu::on_small_stack([&] {
    EXPECT_EQ(call("json.filter", {doc, paths}), J(R"({"a": 1})"));
    EXPECT_EQ(call("json.remove", {doc, paths}), J(R"({"b": 2})"));
  });
}

// Each path copied the whole tree built so far: 200,000 sibling paths took minutes.
TEST(Objects, JsonFilterManyPathsIsFast) {
  std::vector<Value> paths, entries;
  std::vector<std::pair<Value, Value>> obj;
  for (int i = 0; i < 200000; ++i) {
    paths.push_back(Value::string("k" + std::to_string(i)));
    obj.emplace_back(Value::string("k" + std::to_string(i)), I(i));
  }
  obj.emplace_back(Value::string("z"), I(0));
  Value doc = Value::object(std::move(obj));
  Value r;
  EXPECT_LT(tu::seconds_of([&] { r = call("json.filter", {doc, Value::array(paths)}); }), 2.0);
  EXPECT_EQ(r.size(), 200000u);
  EXPECT_EQ(call("json.remove", {doc, Value::array(paths)}), J(R"({"z": 0})"));
  // shorter paths select everything below them, whatever their order
  EXPECT_EQ(call("json.filter", {J(R"({"a": {"b": 1, "c": 2}, "d": 3})"), J(R"(["a/b", "a", "a/c/x"])")}),
            J(R"({"a": {"b": 1, "c": 2}})"));
  EXPECT_EQ(call("json.remove", {J(R"({"a": {"b": 1, "c": 2}, "d": 3})"), J(R"([["a", "b"], "d"])")}),
            J(R"({"a": {"c": 2}})"));
}

TEST(Objects, JsonFilterRemoveAndUnionOnDeepDocuments) {
  Value deep = tu::nested_objects(10000);
  tu::on_small_stack([&] {
    EXPECT_EQ(call("json.filter", {deep, J(R"(["a"])")}), deep);
    EXPECT_EQ(call("json.remove", {deep, J(R"(["b"])")}), deep);
    EXPECT_EQ(call("object.union", {deep, deep}), deep);
    EXPECT_EQ(call("object.union_n", {Value::array({deep, deep, deep})}), deep);
    EXPECT_TRUE(call("object.subset", {deep, deep}).is_true());
  });
}

// union_n folded left to right, copying the result once per object (quadratic).
TEST(Objects, UnionNIsLinear) {
  std::vector<Value> objs;
  for (int i = 0; i < 100000; ++i) objs.push_back(Value::object({{Value::string("k" + std::to_string(i)), I(i)}}));
  Value r;
  EXPECT_LT(tu::seconds_of([&] { r = call("object.union_n", {Value::array(objs)}); }), 2.0);
  EXPECT_EQ(r.size(), 100000u);
  // the semantics of the fold: objects merge recursively, anything else replaces
  EXPECT_EQ(call("object.union_n", {J(R"([{"a": {"x": 1}}, {"a": {"y": 2}}, {"a": {"x": 3}}])")}),
            J(R"({"a": {"x": 3, "y": 2}})"));
  EXPECT_EQ(call("object.union_n", {J(R"([{"a": {"x": 1}}, {"a": 5}, {"a": {"y": 2}}])")}), J(R"({"a": {"y": 2}})"));
  EXPECT_EQ(call("object.union_n", {J(R"([{"a": {"x": 1}}, {"a": {"y": 2}}, {"a": 7}])")}), J(R"({"a": 7})"));
  EXPECT_EQ(call("object.union_n", {J(R"([{"a": {"b": {"c": 1}}}, {"a": {"b": {"d": 2}}}, {"a": {"b": {"c": 3}, "e": 4}}])")}),
            J(R"({"a": {"b": {"c": 3, "d": 2}, "e": 4}})"));
  EXPECT_EQ(call("object.union_n", {J("[]")}), J("{}"));
}

TEST(Objects, SubsetOfArraysIsLinear) {
  std::vector<Value> super(400000, I(1)), sub(200000, I(1));
  sub.push_back(I(2));
  Value r;
  EXPECT_LT(tu::seconds_of([&] { r = call("object.subset", {Value::array(super), Value::array(sub)}); }), 1.0);
  EXPECT_TRUE(r.is_false());
  EXPECT_TRUE(call("object.subset", {J("[1, 2, 1, 2, 3]"), J("[1, 2, 3]")}).is_true());
  EXPECT_TRUE(call("object.subset", {J("[1, 2]"), J("[]")}).is_true());
}

// "copy" shares values: 60 copies of the root (alternately under two keys)
// made a tree of Fibonacci(60) nodes that
// printing or walking the result could never finish.
TEST(Objects, JsonPatchCopiesCountAgainstTheLimits) {
  std::vector<Value> ops;
  for (int i = 0; i < 60; ++i) {
    ops.push_back(J(i % 2 ? R"({"op": "copy", "from": "", "path": "/x"})" : R"({"op": "copy", "from": "", "path": "/y"})"));
  }
  Value doc = J(R"({"a": "0123456789012345678901234567890123456789"})");
  EXPECT_EQ(tu::under_limits(tu::test_limits(0ms), [&] { call("json.patch", {doc, Value::array(ops)}); }),
            "limit eval_builtin_error: result would exceed the maximum value size of 128 MiB (--max-value-size)");
  ops.resize(10);
  Value r;
  EXPECT_EQ(tu::under_limits(tu::test_limits(0ms), [&] { r = call("json.patch", {doc, Value::array(ops)}); }), "ok");
  EXPECT_EQ(r.find("x")->find("y")->find("a")->str().size(), 40u);
}

TEST(Objects, JsonPatchResultsNestAtMost10000Levels) {
  Value doc = tu::nested_arrays(9000);
  std::string path;
  for (int i = 0; i < 8999; ++i) path += "/0";
  auto add = [&](const Value& v) {
    return Value::array({Value::object({{Str("op"), Str("add")}, {Str("path"), Value::string(path + "/0")}, {Str("value"), v}})});
  };
  try {
    tu::on_small_stack([&] { call("json.patch", {doc, add(tu::nested_arrays(2000))}); });
    FAIL() << "no error";
  } catch (const wartburg::LimitError& e) {
    EXPECT_EQ(std::string(e.what()), "result would nest deeper than 10000 levels");
  }
  tu::on_small_stack([&] { EXPECT_TRUE(call("json.patch", {doc, add(tu::nested_arrays(500))}).defined()); });
  // a copy of the root into itself, again and again, nests one level deeper each time
  std::vector<Value> ops(20000, J(R"({"op": "copy", "from": "/a", "path": "/a/a"})"));
  EXPECT_THROW(tu::on_small_stack([&] { call("json.patch", {J(R"({"a": {}})"), Value::array(ops)}); }),
               wartburg::LimitError);
}
