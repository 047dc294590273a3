// Tests for the regex builtins (policy/builtins/regex.cpp).
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

// gintersect's dialect: only . [ ] - + * \ are special; '?', '(', '|', '^'
// ... are literal runes; a common string must be non-empty.
TEST(Regex, GlobsMatchDialect) {
  EXPECT_EQ(call("regex.globs_match", {S("a?"), S("a?")}), J("true"));
  EXPECT_EQ(call("regex.globs_match", {S("a?"), S("ab")}), J("false"));
  EXPECT_EQ(call("regex.globs_match", {S("(a|b)"), S("(a|b)")}), J("true"));
  EXPECT_EQ(call("regex.globs_match", {S("[^a]"), S("^")}), J("true"));  // no negated sets
  EXPECT_EQ(call("regex.globs_match", {S("[.]"), S("x")}), J("false"));  // '.' in a set is literal
  EXPECT_EQ(call("regex.globs_match", {S("[]"), S("a")}), J("false"));   // "[]" is the empty set
  EXPECT_EQ(call("regex.globs_match", {S("[]*a"), S("a")}), J("true"));
  EXPECT_EQ(call("regex.globs_match", {S("[z-a]x"), S("x")}), J("false"));  // an out-of-order range is empty
  EXPECT_EQ(call("regex.globs_match", {S("[z-ab]"), S("b")}), J("true"));
  EXPECT_EQ(call("regex.globs_match", {S("a*"), S("b*")}), J("false"));  // only "" is common
  EXPECT_EQ(call("regex.globs_match", {S("a*"), S("a*")}), J("true"));
  EXPECT_EQ(call("regex.globs_match", {S(""), S("")}), J("true"));
  EXPECT_EQ(call("regex.globs_match", {S(".*"), S("")}), J("false"));
  EXPECT_EQ(call("regex.globs_match", {S("\\*\\+"), S("[*][+]")}), J("true"));
}

TEST(Regex, GlobsMatchInvalidPatternsAreErrors) {
  auto err = [](const char* g) { return error_of("regex.globs_match", {S(g), S("a")}); };
  const char* suffix = ": the input provided is invalid";
  EXPECT_EQ(err("*a"), std::string("pos:1:flag '*' must be preceded by a non-flag") + suffix);
  EXPECT_EQ(err("a+*"), std::string("pos:3:flag '*' must be preceded by a non-flag") + suffix);
  EXPECT_EQ(err("a**"), std::string("pos:3:flag '*' must be preceded by a non-flag") + suffix);
  EXPECT_EQ(err("+"), std::string("pos:1:flag '+' must be preceded by a non-flag") + suffix);
  EXPECT_EQ(err("a]"), std::string("pos:2:set-close ']' with no preceding '['") + suffix);
  EXPECT_EQ(err("a\\"), std::string("pos:1:input ends with a \\ (escape) character") + suffix);
  EXPECT_EQ(err("[a\\"), std::string("pos:2:input ends with a \\ (escape) character") + suffix);
  EXPECT_EQ(err("[ab"), std::string("pos:0:found [ without matching ]") + suffix);
  EXPECT_EQ(err("[-a]"), std::string("pos:2:range character '-' must be preceded by a Unicode character") + suffix);
  EXPECT_EQ(err("[a-b-c]"), std::string("pos:5:range character '-' must be preceded by a Unicode character") + suffix);
  EXPECT_EQ(err("[a-"), std::string("pos:3:range character '-' must be followed by a Unicode character") + suffix);
  EXPECT_EQ(err("[a-]"), std::string("pos:3:range character '-' must be followed by a Unicode character") + suffix);
  EXPECT_EQ(err("[a-]x"), std::string("pos:4:range character '-' cannot be followed by a special symbol") + suffix);
  EXPECT_EQ(err("[a--x]"), std::string("pos:4:range character '-' cannot be followed by a special symbol") + suffix);
  EXPECT_EQ(error_of("regex.globs_match", {S("a"), S("b**")}),
            std::string("pos:3:flag '*' must be preceded by a non-flag") + suffix);  // operand 2 too
  EXPECT_EQ(err("[a\\-]x"), "no error");  // escaped symbols are runes
}

// ---- hostile operands ----

namespace {
namespace tu = wartburg::builtins::test_util;
using namespace std::chrono_literals;
const char* const kValueLimit1M =
    "limit eval_builtin_error: result would exceed the maximum value size of 1 MiB (--max-value-size)";
}  // namespace

// An empty pattern matches at every position: regex.replace inserted `repl`
// 1 MB times, and "$0$0$0..." repeated the whole match, unchecked.
TEST(RegexHostile, ReplaceOutputIsChecked) {
  auto limits = tu::test_limits(0ms, 512 << 20, 1 << 20);
  Value s = Value::string(std::string(100000, 'a'));
  EXPECT_EQ(tu::under_limits(limits, [&] { call("regex.replace", {s, S(""), S("0123456789")}); }), kValueLimit1M);
  std::string dollars;
  for (int i = 0; i < 100; ++i) dollars += "$0";
  EXPECT_EQ(tu::under_limits(limits, [&] { call("regex.replace", {s, S("a+"), Value::string(dollars)}); }),
            kValueLimit1M);
  EXPECT_EQ(call("regex.replace", {S("abc"), S(""), S("-")}), S("-a-b-c-"));
  EXPECT_EQ(call("regex.replace", {S("abc"), S("b"), S("[$0$0]")}), S("a[bb]c"));
}

// Every match kept all its groups before anything was built: 100,000 empty
// matches of a pattern with 500 groups made 50 million spans.
TEST(RegexHostile, FindResultsAreChecked) {
  auto limits = tu::test_limits(0ms, 512 << 20, 1 << 20);
  std::string groups;
  for (int i = 0; i < 500; ++i) groups += "()";
  Value s = Value::string(std::string(100000, 'a'));
  EXPECT_EQ(tu::under_limits(limits, [&] { call("regex.find_all_string_submatch_n", {Value::string(groups), s, J("-1")}); }),
            kValueLimit1M);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("regex.find_n", {S(""), s, J("-1")}); }), kValueLimit1M);
  EXPECT_EQ(tu::under_limits(limits, [&] { call("regex.split", {S(""), s}); }), kValueLimit1M);
  EXPECT_EQ(call("regex.find_all_string_submatch_n", {S("(a)(b)?"), S("aab"), J("-1")}), J(R"([["a", "a", ""], ["ab", "a", "b"]])"));
  EXPECT_EQ(call("regex.split", {S(","), S("a,b,,c")}), J(R"(["a", "b", "", "c"])"));
}

// "a*b|a" on "aaaa...": every match scans to the end of the text (quadratic
// in RE2, as in Go): the deadline is polled between matches.
TEST(RegexHostile, MatchLoopsPollTheDeadline) {
  Value s = Value::string(std::string(300000, 'a'));
  for (const char* f : {"regex.find_n", "regex.find_all_string_submatch_n"}) {
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(tu::under_limits(tu::test_limits(200ms), [&] { call(f, {S("a*b|a"), s, J("-1")}); }),
              "limit eval_cancel_error: context deadline exceeded");
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0) << f;
  }
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(tu::under_limits(tu::test_limits(200ms), [&] { call("regex.replace", {s, S("a*b|a"), S("x")}); }),
            "limit eval_cancel_error: context deadline exceeded");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0);
}

// The product automaton of two 200 KB patterns has 4 * 10^10 states: the
// visited set was allocated (and zeroed) at once.
TEST(RegexHostile, GlobsMatchIsBounded) {
  Value big = Value::string(std::string(200000, 'a'));
  EXPECT_EQ(tu::under_limits(tu::test_limits(0ms), [&] { call("regex.globs_match", {big, big}); }),
            "limit eval_builtin_error: result would exceed the maximum value size of 128 MiB (--max-value-size)");
  Value mid = Value::string(std::string(20000, 'a') + "b");
  Value mid2 = Value::string(std::string(20000, 'a') + "c");
  auto t0 = std::chrono::steady_clock::now();
  std::string r = tu::under_limits(tu::test_limits(200ms), [&] { call("regex.globs_match", {mid, mid2}); });
  EXPECT_TRUE(r == "ok" || r == "limit eval_cancel_error: context deadline exceeded") << r;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 3.0);
  // classes with many ranges are intersected by a merge, not pairwise
  std::string cls1 = "[", cls2 = "[";
  for (int i = 0; i < 20000; ++i) {
    char32_t lo = 0x1000 + 4 * static_cast<char32_t>(i);
    auto utf8 = [](char32_t r) {
      std::string o;
      o += static_cast<char>(0xE0 | (r >> 12));
      o += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
      o += static_cast<char>(0x80 | (r & 0x3F));
      return o;
    };
    cls1 += utf8(lo);
    cls2 += utf8(lo + 2);
  }
  cls1 += "]*";
  cls2 += "]*x";
  EXPECT_LT(tu::seconds_of([&] { EXPECT_EQ(call("regex.globs_match", {Value::string(cls1), Value::string(cls2)}), J("false")); }),
            1.0);
  EXPECT_EQ(call("regex.globs_match", {S("a.*"), S("[a-c]+x")}), J("true"));
}

TEST(RegexHostile, TemplateMatchWithLongDelimitersIsLinear) {
  std::string tpl = "{" + std::string(1000000, 'a');
  std::string de = std::string(100000, 'a') + "b";
  bool slow = tu::seconds_of([&] {
    EXPECT_EQ(error_of("regex.template_match", {Value::string(tpl), S("x"), S("{"), Value::string(de)}),
              "unbalanced braces in \"" + tpl + "\"");
  }) > 1.0;
  EXPECT_FALSE(slow);
  EXPECT_EQ(call("regex.template_match", {S("urn:foo:{.*}:bar"), S("urn:foo:x:bar"), S("{"), S("}")}), J("true"));
  EXPECT_EQ(call("regex.template_match", {S("a<<b<c>>d>>e"), S("abcde"), S("<<"), S(">>")}), J("false"));
  EXPECT_EQ(call("regex.template_match", {S("x{a{2}}y"), S("xaay"), S("{"), S("}")}), J("true"));
  EXPECT_EQ(call("regex.template_match", {S("x{a{2}}y"), S("xay"), S("{"), S("}")}), J("false"));
}

// Patterns from input filled the compiled-pattern caches without a bound in bytes.
TEST(RegexHostile, LongPatternsStillWork) {
  std::string p = "^(" + std::string(40000, 'a') + ")$";
  EXPECT_EQ(call("regex.match", {Value::string(p), Value::string(std::string(40000, 'a'))}), J("true"));
  EXPECT_EQ(call("regex.match", {Value::string(p), S("a")}), J("false"));
  for (int i = 0; i < 300; ++i) {
    std::string q = "x" + std::to_string(i) + std::string(2000, 'y');
    ASSERT_EQ(call("regex.match", {Value::string(q), Value::string(q)}), J("true"));
  }
}
