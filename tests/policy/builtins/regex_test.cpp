// Tests for the regex builtins (policy/builtins/regex.cpp).
#include <gtest/gtest.h>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"

using namespace wartburg;
using namespace wartburg::builtins;

namespace {

using namespace wartburg::builtins::test_util::plain;

}  // namespace

TEST(Regex, Match) {
  EXPECT_TRUE(call("regex.match", {S("^[a-z]+\\[[0-9]+\\]$"), S("foo[1]")}).is_true());
  EXPECT_TRUE(call("regex.match", {S("^$"), S("")}).is_true());
  EXPECT_TRUE(call("regex.match", {S(""), S("x")}).is_true());
  EXPECT_TRUE(call("regex.match", {S("^$"), S("something")}).is_false());
  EXPECT_TRUE(call("re_match", {S("b+"), S("abbc")}).is_true());
  EXPECT_EQ(error_of("regex.match", {S("$^[[["), S("x")}), "error parsing regexp: missing closing ]: `[[[`");
  EXPECT_EQ(error_of("regex.match", {S("a("), S("x")}), "error parsing regexp: missing closing ): `a(`");
  EXPECT_EQ(error_of("regex.match", {J("1"), S("x")}), "operand 1 must be string but got number");
}

TEST(Regex, IsValid) {
  EXPECT_TRUE(call("regex.is_valid", {S("a.*b")}).is_true());
  EXPECT_TRUE(call("regex.is_valid", {S("[")}).is_false());
  EXPECT_TRUE(call("regex.is_valid", {J("1")}).is_false());
}

TEST(Regex, Split) {
  EXPECT_EQ(call("regex.split", {S("^[a-z]+\\[[0-9]+\\]$"), S("")}), J(R"([""])"));
  EXPECT_EQ(call("regex.split", {S("^[a-z]+"), S("foobar baz")}), J(R"(["", " baz"])"));
  EXPECT_EQ(call("regex.split", {S("[a-z]+$"), S("foobar baz")}), J(R"(["foobar ", ""])"));
  EXPECT_EQ(call("regex.split", {S("^[a-z]+$"), S("foobar baz")}), J(R"(["foobar baz"])"));
  EXPECT_EQ(call("regex.split", {S("^[a-z ]+$"), S("foobar baz")}), J(R"(["", ""])"));
  EXPECT_EQ(call("regex.split", {S("a"), S("banana")}), J(R"(["b", "n", "n", ""])"));
  EXPECT_EQ(call("regex.split", {S("z+"), S("pizza")}), J(R"(["pi", "a"])"));
}

TEST(Regex, FindN) {
  EXPECT_EQ(call("regex.find_n", {S("a."), S("paranormal"), J("-1")}), J(R"(["ar", "an", "al"])"));
  EXPECT_EQ(call("regex.find_n", {S("a."), S("paranormal"), J("2")}), J(R"(["ar", "an"])"));
  EXPECT_EQ(call("regex.find_n", {S("x*"), S("axb"), J("-1")}), J(R"(["", "x", ""])"));
}

TEST(Regex, FindAllSubmatch) {
  auto f = [](std::string_view p, std::string_view s, int n) {
    return call("regex.find_all_string_submatch_n", {S(p), S(s), Value::integer(n)});
  };
  EXPECT_EQ(f("a(x*)b", "-", -1), J("[]"));
  EXPECT_EQ(f("a(x*)b", "-ab-", -1), J(R"([["ab", ""]])"));
  EXPECT_EQ(f("a(x*)b", "-ab-axb-", -1), J(R"([["ab", ""], ["axb", "x"]])"));
  EXPECT_EQ(f("[^aouiye]([aouiye])([^aouiye])?", "somestri", -1), J(R"([["som", "o", "m"], ["ri", "i", ""]])"));
  EXPECT_EQ(f("[^aouiye]([aouiye])([^aouiye])?", "somestri", 1), J(R"([["som", "o", "m"]])"));
}

TEST(Regex, Replace) {
  EXPECT_EQ(call("regex.replace", {S("-wy-wxxy-"), S("w(x*)y"), S("0")}), S("-0-0-"));
  EXPECT_EQ(call("regex.replace", {S("foo"), S("(foo)"), S("$1$1")}), S("foofoo"));
  EXPECT_EQ(call("regex.replace", {S("foo"), S("(foo)"), S("${1}x $1x $$")}), S("foox  $"));
  EXPECT_EQ(call("regex.replace", {S("abc"), S("x*"), S("-")}), S("-a-b-c-"));
  EXPECT_EQ(call("regex.replace", {S("k=v"), S("(?P<key>\\w+)=(?P<val>\\w+)"), S("$val=$key")}), S("v=k"));
  EXPECT_NE(error_of("regex.replace", {S("foo"), S("["), S("$1")}), "no error");
}

TEST(Regex, TemplateMatch) {
  EXPECT_TRUE(call("regex.template_match", {S("urn:foo:{.*}"), S("urn:foo:bar:baz"), S("{"), S("}")}).is_true());
  EXPECT_TRUE(call("regex.template_match", {S("urn:foo.bar:{[a-z]+}"), S("urn:foo.bar:baz"), S("{"), S("}")}).is_true());
  EXPECT_TRUE(call("regex.template_match", {S("urn:foo.bar:{[a-z]+}"), S("urn:fooxbar:baz"), S("{"), S("}")}).is_false());
  EXPECT_TRUE(call("regex.template_match", {S("urn:<[0-9]{2}>"), S("urn:12"), S("<"), S(">")}).is_true());
  EXPECT_NE(error_of("regex.template_match", {S("urn:{foo"), S("x"), S("{"), S("}")}), "no error");
}

TEST(Regex, GlobsMatch) {
  EXPECT_TRUE(call("regex.globs_match", {S("a.a.[0-9]+z"), S(".b.b2359825792*594823z")}).is_true());
  EXPECT_TRUE(call("regex.globs_match", {S("[a-z]+"), S("[0-9]*")}).is_false());
  EXPECT_TRUE(call("regex.globs_match", {S("[a-z]+\\[[0-9]+\\]"), S("foo\\[1\\]")}).is_true());
  EXPECT_TRUE(call("regex.globs_match", {S("[a-z]+\\[[0-9]+\\]"), S("foo[\"bar\"]")}).is_false());
  EXPECT_TRUE(call("regex.globs_match", {S("b.*"), S("bar")}).is_true());
}
