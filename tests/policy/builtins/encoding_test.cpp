// Tests for the encoding builtins (policy/builtins/encoding.cpp).
#include <gtest/gtest.h>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"
#include "tests/policy/builtins/limits_util.h"

using namespace wartburg;
using namespace wartburg::builtins;

namespace {

using namespace wartburg::builtins::test_util::plain;

}  // namespace

TEST(Encoding, Base64) {
  EXPECT_EQ(call("base64.encode", {S("there")}), S("dGhlcmU="));
  EXPECT_EQ(call("base64.encode", {S("subjects?_d")}), S("c3ViamVjdHM/X2Q="));
  EXPECT_EQ(call("base64.decode", {S("aGVsbG8=")}), S("hello"));
  EXPECT_EQ(call("base64.decode", {S("c3ViamVjdHM/X2Q=")}), S("subjects?_d"));
  EXPECT_EQ(call("base64.decode", {S("")}), S(""));
  EXPECT_EQ(error_of("base64.decode", {S("aGVsbG8")}), "illegal base64 data at input byte 4");
  EXPECT_EQ(error_of("base64.decode", {S("a$==")}), "illegal base64 data at input byte 1");
  EXPECT_TRUE(call("base64.is_valid", {S("aGVsbG8=")}).is_true());
  EXPECT_TRUE(call("base64.is_valid", {S("aGVsbG8")}).is_false());
}

TEST(Encoding, Base64Url) {
  EXPECT_EQ(call("base64url.encode", {S("hello")}), S("aGVsbG8="));
  EXPECT_EQ(call("base64url.encode_no_pad", {S("there")}), S("dGhlcmU"));
  EXPECT_EQ(call("base64url.encode", {S("\xfb\xff")}), S("-_8="));
  EXPECT_EQ(call("base64url.decode", {S("aGVsbG8=")}), S("hello"));
  EXPECT_EQ(call("base64url.decode", {S("aGVsbG8")}), S("hello"));
  EXPECT_EQ(error_of("base64url.decode", {S("a")}), "illegal base64url string: a");
}

TEST(Encoding, Hex) {
  EXPECT_EQ(call("hex.encode", {S("lorem ipsum")}), S("6c6f72656d20697073756d"));
  EXPECT_EQ(call("hex.decode", {S("6c6f72656D")}), S("lorem"));
  EXPECT_EQ(error_of("hex.decode", {S("fghijkl")}), "encoding/hex: invalid byte: U+0067 'g'");
  EXPECT_EQ(error_of("hex.decode", {S("abc")}), "encoding/hex: odd length hex string");
}

TEST(Encoding, UrlQuery) {
  EXPECT_EQ(call("urlquery.encode", {S("a=b+1")}), S("a%3Db%2B1"));
  EXPECT_EQ(call("urlquery.encode", {S("a b~")}), S("a+b~"));
  EXPECT_EQ(call("urlquery.decode", {S("a%3Db%2B1+x")}), S("a=b+1 x"));
  EXPECT_EQ(error_of("urlquery.decode", {S("%zz")}), "invalid URL escape \"%zz\"");
  EXPECT_EQ(call("urlquery.encode_object", {J(R"({"a": "b", "c": "d"})")}), S("a=b&c=d"));
  EXPECT_EQ(call("urlquery.encode_object", {J(R"({"a": ["b+1", "c+2"]})")}), S("a=b%2B1&a=c%2B2"));
  EXPECT_EQ(call("urlquery.encode_object", {Value::object({{S("a"), Value::set({S("b+1")})}})}), S("a=b%2B1"));
  EXPECT_EQ(call("urlquery.decode_object", {S("a=value_a1&b=value_b&a=value_a2")}),
            J(R"({"a": ["value_a1", "value_a2"], "b": ["value_b"]})"));
  EXPECT_EQ(call("urlquery.decode_object", {S("a=value_a1&b")}), J(R"({"a": ["value_a1"], "b": [""]})"));
  EXPECT_EQ(call("urlquery.decode_object", {S("")}), J("{}"));
}

TEST(Encoding, JsonMarshal) {
  Value set123 = Value::set({Value::integer(3), Value::integer(1), Value::integer(2)});
  EXPECT_EQ(call("json.marshal", {Value::array({Value::object({{S("foo"), set123}})})}), S(R"([{"foo":[1,2,3]}])"));
  EXPECT_EQ(call("json.marshal", {S("<a&b>")}), S(R"("\u003ca\u0026b\u003e")"));
  Value x = J(R"({"a": [1, {"b": true}], "c": {}})");
  EXPECT_EQ(call("json.marshal_with_options", {x, J(R"({"pretty": true})")}),
            S("{\n\t\"a\": [\n\t\t1,\n\t\t{\n\t\t\t\"b\": true\n\t\t}\n\t],\n\t\"c\": {}\n}"));
  EXPECT_EQ(call("json.marshal_with_options", {J("[1]"), J(R"({"indent": "  ", "prefix": "//"})")}),
            S("[\n//  1\n//]"));
  EXPECT_EQ(call("json.marshal_with_options", {J("[1]"), J(R"({"indent": "  ", "pretty": false})")}), S("[1]"));
  EXPECT_NE(error_of("json.marshal_with_options", {J("[1]"), J(R"({"bogus": 1})")}), "no error");
}

TEST(Encoding, JsonUnmarshalAndValid) {
  EXPECT_EQ(call("json.unmarshal", {S(R"({"a": [1, 2.5]})")}), J(R"({"a": [1, 2.5]})"));
  EXPECT_NE(error_of("json.unmarshal", {S("{")}), "no error");
  EXPECT_TRUE(call("json.is_valid", {S(R"({"json": "ok"})")}).is_true());
  EXPECT_TRUE(call("json.is_valid", {S("plainstring")}).is_false());
  EXPECT_TRUE(call("json.is_valid", {S("{")}).is_false());
  EXPECT_TRUE(call("json.is_valid", {J("1")}).is_false());
}

TEST(Encoding, Yaml) {
  Value v = J(R"([{"foo": [1, 2, 3]}])");
  Value text = call("yaml.marshal", {v});
  EXPECT_EQ(text, S("- foo:\n  - 1\n  - 2\n  - 3\n"));
  EXPECT_EQ(call("yaml.unmarshal", {text}), v);
  EXPECT_TRUE(call("yaml.is_valid", {S("foo:\n- qux: bar\n- baz: 2")}).is_true());
  EXPECT_TRUE(call("yaml.is_valid", {S("foo:\n- qux: bar\n- baz: {")}).is_false());
  EXPECT_TRUE(call("yaml.is_valid", {S(R"({"json": "ok"})")}).is_true());
  EXPECT_TRUE(call("yaml.is_valid", {J("1")}).is_false());
  EXPECT_TRUE(call("yaml.is_valid", {S("  test:\ntest1: hello\n")}).is_false());
  EXPECT_TRUE(call("yaml.is_valid", {S("a: 1\n---\n\tb: 2\n")}).is_false());
  EXPECT_TRUE(call("yaml.is_valid", {S("a: 1\n---\nb: 2\n")}).is_true());
  EXPECT_NE(error_of("yaml.unmarshal", {S("a: {")}), "no error");
}

// ---- hostile operands ----

// Each parameter searched the groups found so far (quadratic in the number of keys).
TEST(EncodingHostile, UrlqueryDecodeObjectWithManyKeys) {
  std::string q;
  for (int i = 0; i < 200000; ++i) q += "k" + std::to_string(i) + "=v&";
  q += "k7=w";
  Value r;
  EXPECT_LT(wartburg::builtins::test_util::seconds_of([&] { r = call("urlquery.decode_object", {Value::string(q)}); }),
            2.0);
  EXPECT_EQ(r.size(), 200000u);
  EXPECT_EQ(*r.find("k7"), J(R"(["v", "w"])"));
}

TEST(EncodingHostile, DeepValuesMarshalOnASmallStack) {
  namespace tu = wartburg::builtins::test_util;
  Value deep = tu::nested_arrays(10000);
  Value deep_obj = tu::nested_objects(3000);
  tu::on_small_stack([&] {
    EXPECT_EQ(call("json.marshal", {deep}).str().size(), 20001u);
    EXPECT_GT(call("json.marshal_with_options", {deep_obj, J(R"({"pretty": true, "indent": " "})")}).str().size(),
              4500000u);
    EXPECT_EQ(call("json.unmarshal", {call("json.marshal", {deep})}), deep);
  });
}

// Each line of pretty JSON repeats the indent once per level: a 100 KB
// indent string over a few levels made gigabytes.
TEST(EncodingHostile, PrettyJsonIsChecked) {
  namespace tu = wartburg::builtins::test_util;
  using namespace std::chrono_literals;
  Value opts = Value::object({{S("indent"), Value::string(std::string(100000, ' '))}});
  EXPECT_EQ(tu::under_limits(tu::test_limits(0ms, 512 << 20, 8 << 20),
                             [&] { call("json.marshal_with_options", {tu::nested_arrays(2000), opts}); }),
            "limit eval_builtin_error: result would exceed the maximum value size of 8 MiB (--max-value-size)");
  EXPECT_EQ(call("json.marshal_with_options", {J(R"({"a": [1]})"), J(R"({"indent": "  "})")}),
            S("{\n  \"a\": [\n    1\n  ]\n}"));
}

// A value sharing its parts: x_k = [x_(k-1), x_(k-1)] takes k values of
// memory but prints as 2^k leaves. Written out as text by a builtin, it is
// checked as if built anew (it used to be printed until memory ran out).
TEST(EncodingHostile, SharedValuesArePrintedWithinTheLimits) {
  namespace tu = wartburg::builtins::test_util;
  using namespace std::chrono_literals;
  Value x = Value::string("0123456789");
  for (int k = 0; k < 40; ++k) x = Value::array({x, x});
  const std::string too_big = "limit eval_builtin_error: result would exceed the maximum value size of 128 MiB (--max-value-size)";
  auto limits = tu::test_limits(0ms);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("json.marshal", {x}); }), too_big);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("json.marshal_with_options", {x, J(R"({"pretty": true})")}); }), too_big);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("yaml.marshal", {x}); }), too_big);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("sprintf", {S("%v"), Value::array({x})}); }), too_big);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("json.match_schema", {x, S("{}")}); }), too_big);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("io.jwt.encode_sign", {J(R"({"alg": "HS256"})"), Value::object({{S("a"), x}}), J(R"({"kty": "oct", "k": "c2VjcmV0"})")}); }), too_big);
  // small shared values print as before
  Value y = Value::string("a");
  for (int k = 0; k < 3; ++k) y = Value::array({y, y});
  EXPECT_EQ(tu::under_limits(limits, [&] { EXPECT_EQ(call("json.marshal", {y}), S(R"([[["a","a"],["a","a"]],[["a","a"],["a","a"]]])")); }), "ok");
}

// YAML indents every line of a nested mapping: a 10,000-level object (60 KB
// of JSON) wrote 100 MB in over a minute.
TEST(EncodingHostile, YamlMarshalOfDeepValues) {
  namespace tu = wartburg::builtins::test_util;
  using namespace std::chrono_literals;
  Value deep = tu::nested_objects(10000);
  std::string r;
  EXPECT_LT(tu::seconds_of([&] { r = tu::under_limits(tu::test_limits(0ms), [&] { call("yaml.marshal", {deep}); }); }), 1.0);
  EXPECT_EQ(r, "builtin: yaml: value nested deeper than 2000 levels");
  EXPECT_EQ(error_of("yaml.marshal", {deep}), "yaml: value nested deeper than 2000 levels");  // outside an evaluation too
  EXPECT_EQ(tu::under_limits(tu::test_limits(0ms, 512 << 20, 1 << 20), [&] { call("yaml.marshal", {tu::nested_objects(1500)}); }),
            "limit eval_builtin_error: result would exceed the maximum value size of 1 MiB (--max-value-size)");
  EXPECT_EQ(call("yaml.unmarshal", {call("yaml.marshal", {tu::nested_objects(100)})}), tu::nested_objects(100));
}

// Encoders grow their input; urlquery.encode_object repeats a key for each of
// its values (a 1 MB key with 100,000 values is 100 GB of output).
TEST(EncodingHostile, EncodersCheckTheirOutput) {
  namespace tu = wartburg::builtins::test_util;
  using namespace std::chrono_literals;
  auto limits = tu::test_limits(0ms, 512 << 20, 1 << 20);
  const std::string too_big = "limit eval_builtin_error: result would exceed the maximum value size of 1 MiB (--max-value-size)";
  Value s = Value::string(std::string(600000, '\xff'));
  EXPECT_EQ(tu::under_limits(limits, [&] { call("hex.encode", {s}); }), too_big);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("base64.encode", {Value::string(std::string(900000, 'a'))}); }), too_big);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("urlquery.encode", {s}); }), too_big);
  std::vector<Value> vals(100000, S("v"));
  Value obj = Value::object({{Value::string(std::string(1 << 20, 'k')), Value::array(vals)}});
  double t = tu::seconds_of([&] { EXPECT_EQ(tu::under_limits(limits, [&] { call("urlquery.encode_object", {obj}); }), too_big); });
  EXPECT_LT(t, 1.0);
  EXPECT_EQ(call("urlquery.encode_object", {J(R"({"a": ["1", "2"], "b c": "d&"})")}), S("a=1&a=2&b+c=d%26"));
  EXPECT_EQ(call("hex.encode", {S("\x01\xab")}), S("01ab"));
}
