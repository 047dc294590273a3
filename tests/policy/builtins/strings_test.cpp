// Tests for the string builtins (policy/builtins/strings.cpp), including sprintf.
#include <gtest/gtest.h>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"
#include "tests/policy/builtins/limits_util.h"

using namespace wartburg;
using namespace wartburg::builtins;

namespace {

using namespace wartburg::builtins::test_util::plain;

std::string sprintf_(std::string_view f, std::string_view args_json) {
  return call("sprintf", {S(f), J(args_json)}).str();
}

}  // namespace

TEST(Strings, ConcatArrayAndSet) {
  EXPECT_EQ(call("concat", {S("/"), J(R"(["", "foo", "bar", "0", "baz"])")}), S("/foo/bar/0/baz"));
  EXPECT_EQ(call("concat", {S(","), Value::set({S("b"), S("a")})}), S("a,b"));
  EXPECT_EQ(call("concat", {S(","), J("[]")}), S(""));
  EXPECT_EQ(error_of("concat", {S(","), J("[1]")}), "operand 2 must be array of strings but got array containing number");
  EXPECT_EQ(error_of("concat", {S(","), J("1")}), "operand 2 must be one of {set, array} but got number");
  EXPECT_EQ(error_of("concat", {J("1"), J("[]")}), "operand 1 must be string but got number");
}

TEST(Strings, Predicates) {
  EXPECT_TRUE(call("contains", {S("abcdefgh"), S("defg")}).is_true());
  EXPECT_TRUE(call("contains", {S("abc"), S("x")}).is_false());
  EXPECT_TRUE(call("startswith", {S("abcdefgh"), S("abcd")}).is_true());
  EXPECT_TRUE(call("endswith", {S("abcdefgh"), S("fgh")}).is_true());
  EXPECT_TRUE(call("endswith", {S("abcdefgh"), S("fg")}).is_false());
}

TEST(Strings, FormatInt) {
  EXPECT_EQ(call("format_int", {J("15.5"), J("16")}), S("f"));
  EXPECT_EQ(call("format_int", {J("3.1"), J("10")}), S("3"));
  EXPECT_EQ(call("format_int", {J("-5"), J("2")}), S("-101"));
  EXPECT_EQ(call("format_int", {J("8"), J("8")}), S("10"));
  EXPECT_EQ(call("format_int", {J("123456789123456789123"), J("16")}), S("6b14e9f9b0df36a83"));
  EXPECT_EQ(error_of("format_int", {J("1"), J("3")}), "operand 2 must be one of {2, 8, 10, 16}");
}

TEST(Strings, IndexOf) {
  EXPECT_EQ(call("indexof", {S("μx"), S("x")}), Value::integer(1));
  EXPECT_EQ(call("indexof", {S("μ"), S("μμ")}), Value::integer(-1));
  EXPECT_EQ(call("indexof", {S("skön var våren"), S("vår")}), Value::integer(9));
  EXPECT_EQ(call("indexof", {S("🍧🍨🧁🍰🍮"), S("🍮")}), Value::integer(4));
  EXPECT_EQ(error_of("indexof", {S("a"), S("")}), "empty search character");
  EXPECT_EQ(call("indexof_n", {S("dogcatdogcat"), S("cat")}), J("[3, 9]"));
  EXPECT_EQ(call("indexof_n", {S("😇😀😇😀😇😀"), S("😀")}), J("[1, 3, 5]"));
  EXPECT_EQ(call("indexof_n", {S("dogcat"), S("rabbit")}), J("[]"));
}

TEST(Strings, Substring) {
  EXPECT_EQ(call("substring", {S("abcdefgh"), J("2"), J("-1")}), S("cdefgh"));
  EXPECT_EQ(call("substring", {S("aåäö"), J("2"), J("-1")}), S("äö"));
  EXPECT_EQ(call("substring", {S("abcdefghåäö"), J("2"), J("10000")}), S("cdefghåäö"));
  EXPECT_EQ(call("substring", {S("åäö"), J("4"), J("-1")}), S(""));
  EXPECT_EQ(call("substring", {S("abcdef"), J("1"), J("2")}), S("bc"));
  EXPECT_EQ(error_of("substring", {S("abc"), J("-1"), J("1")}), "negative offset");
  EXPECT_EQ(error_of("substring", {S("abc"), J("1.5"), J("1")}),
            "operand 2 must be integer number but got floating-point number");
}

TEST(Strings, CaseMapping) {
  EXPECT_EQ(call("lower", {S("AbCdEf")}), S("abcdef"));
  EXPECT_EQ(call("upper", {S("AbCdEf")}), S("ABCDEF"));
  EXPECT_EQ(call("upper", {S("åäö straße")}), S("ÅÄÖ STRAßE"));
  EXPECT_EQ(call("lower", {S("ÅÄÖ")}), S("åäö"));
}

TEST(Strings, Split) {
  EXPECT_EQ(call("split", {S(""), S(".")}), J(R"([""])"));
  EXPECT_EQ(call("split", {S("test"), S("")}), J(R"(["t", "e", "s", "t"])"));
  EXPECT_EQ(call("split", {S(""), S("")}), J("[]"));
  EXPECT_EQ(call("split", {S("foo.bar.baz"), S(".")}), J(R"(["foo", "bar", "baz"])"));
  EXPECT_EQ(call("strings.split_n", {S("a.b.c.d"), S("."), J("2")}), J(R"(["a", "b"])"));
  EXPECT_EQ(call("strings.split_n", {S("a.b.c.d"), S("."), J("-2")}), J(R"(["c", "d"])"));
  EXPECT_EQ(call("strings.split_n", {S("a.b.c.d"), S("."), J("0")}), J("[]"));
  EXPECT_EQ(call("strings.split_n", {S("a.b.c.d"), S("."), J("-10")}), J(R"(["a", "b", "c", "d"])"));
  EXPECT_EQ(call("strings.split_n", {S("abc"), S(""), J("-2")}), J(R"(["b", "c"])"));
}

TEST(Strings, Replace) {
  EXPECT_EQ(call("replace", {S("foo.bar.baz"), S("."), S(",")}), S("foo,bar,baz"));
  EXPECT_EQ(call("replace", {S("foo...bar"), S(".."), S(",,")}), S("foo,,.bar"));
  EXPECT_EQ(call("replace", {S("ab"), S(""), S("-")}), S("-a-b-"));
}

TEST(Strings, ReplaceN) {
  auto rn = [](std::string_view pat, std::string_view s) { return call("strings.replace_n", {J(pat), S(s)}).str(); };
  EXPECT_EQ(rn(R"({"info": "X", "anotherinfo": "Y"})", "anotherinfo"), "Y");
  EXPECT_EQ(rn(R"({"a": "YY", "bba": "bX"})", "bbab"), "bXb");
  EXPECT_EQ(rn(R"({"ab": "b", "b": "Y"})", "baaabbbba"), "YaabYYYa");
  EXPECT_EQ(rn(R"({"a": "b", "b": "a"})", "abba"), "baab");
  EXPECT_EQ(rn(R"({"a": "Xa", "ab": "X", "ba": "bYa", "aaa": "X"})", "aaaaab"), "XaXaXaXaXab");
  EXPECT_EQ(rn(R"({"aab": "Y", "a": "", "b": ""})", "bbaab"), "");
  EXPECT_EQ(rn(R"({"": "X"})", ""), "X");
  EXPECT_EQ(rn(R"({"": "X"})", "ab"), "XaXbX");
  EXPECT_EQ(rn(R"({"": "X", "a": "Y"})", "ab"), "XYXbX");
  EXPECT_EQ(rn(R"({"": "-", "é": "e"})", "aéb"), "-a-e-b-");
  Value bad_key = Value::object({{Value::integer(2), S("x")}});
  EXPECT_EQ(error_of("strings.replace_n", {bad_key, S("foo")}), "operand 1 non-string key found in pattern object");
  EXPECT_EQ(error_of("strings.replace_n", {J(R"({"a": 1})"), S("foo")}),
            "operand 1 non-string value found in pattern object");
  EXPECT_EQ(error_of("strings.replace_n", {J(R"({"a": "b"})"), J("1")}), "operand 2 must be string but got number");
}

TEST(Strings, Trim) {
  EXPECT_EQ(call("trim", {S("...foo.bar..."), S(".o")}), S("foo.bar"));
  EXPECT_EQ(call("trim", {S("¡¡¡foo, bar!!!"), S("i")}), S("¡¡¡foo, bar!!!"));
  EXPECT_EQ(call("trim", {S("¡¡¡foo, bar!!!"), S("!¡")}), S("foo, bar"));
  EXPECT_EQ(call("trim_left", {S("!!!foo, bar¡¡¡"), S("!")}), S("foo, bar¡¡¡"));
  EXPECT_EQ(call("trim_right", {S("!!!foo, bar¡¡¡"), S("¡")}), S("!!!foo, bar"));
  EXPECT_EQ(call("trim_prefix", {S("¡¡¡foo, bar!!!"), S("¡¡¡foo")}), S(", bar!!!"));
  EXPECT_EQ(call("trim_suffix", {S("¡¡¡foo, bar!!!"), S(", bar!!!")}), S("¡¡¡foo"));
  EXPECT_EQ(call("trim_suffix", {S("foo"), S("x")}), S("foo"));
  EXPECT_EQ(call("trim_space", {S(" \t\n foo, bar \u3000")}), S("foo, bar"));
}

TEST(Strings, ReverseCount) {
  EXPECT_EQ(call("strings.reverse", {S("abcå😀")}), S("😀åcba"));
  EXPECT_EQ(call("strings.count", {S("cheese"), S("e")}), Value::integer(3));
  EXPECT_EQ(call("strings.count", {S("dummy"), S("")}), Value::integer(6));
  EXPECT_EQ(call("strings.count", {S(""), S("")}), Value::integer(1));
  EXPECT_EQ(call("strings.count", {S("11111"), S("11")}), Value::integer(2));
}

// Invalid UTF-8 (base64.decode("/w==") is "\xff") counts a rune per bad
// byte, as Go; what is kept of it stays as it was, as Go slices bytes.
TEST(Strings, InvalidUtf8AsGo) {
  std::string ff = "\xff", bad = "\xff" "ab";
  EXPECT_EQ(call("trim_left", {S(bad), S("x")}), S(bad));
  EXPECT_EQ(call("trim", {S("a" + bad + "a"), S("a")}), S(ff + "ab"));
  EXPECT_EQ(call("trim_right", {S(bad + " "), S(" ")}), S(bad));
  EXPECT_EQ(call("trim_space", {S(" " + bad + " ")}), S(bad));
  EXPECT_EQ(call("trim", {S(bad), S("\xef\xbf\xbd")}), S("ab"));  // U+FFFD in the cutset drops the bad byte
  EXPECT_EQ(call("substring", {S(bad), Value::integer(0), Value::integer(3)}), S(bad));
  EXPECT_EQ(call("substring", {S(bad), Value::integer(0), Value::integer(2)}), S("\xef\xbf\xbd" "a"));
  EXPECT_EQ(call("substring", {S(bad), Value::integer(1), Value::integer(5)}), S("ab"));
  EXPECT_EQ(call("indexof", {S(bad), S("b")}), Value::integer(2));
  EXPECT_EQ(call("strings.count", {S("\xe2\x82"), S("")}), Value::integer(3));
  EXPECT_EQ(call("sprintf", {S("%.1s|%3s"), Value::array({S(bad), S(ff)})}), S(ff + "|  " + ff));
  EXPECT_EQ(call("upper", {S(bad)}), S("\xef\xbf\xbd" "AB"));
}

TEST(Strings, AnyPrefixSuffixMatch) {
  EXPECT_TRUE(call("strings.any_prefix_match", {J(R"(["a/b/c", "e/f/g"])"), J(R"(["x/", "e/"])")}).is_true());
  EXPECT_TRUE(call("strings.any_prefix_match", {J(R"(["a/b/c"])"), J("[]")}).is_false());
  EXPECT_TRUE(call("strings.any_prefix_match", {S("a/b/c"), S("a/")}).is_true());
  EXPECT_TRUE(call("strings.any_suffix_match", {Value::set({S("a/b/c")}), J(R"(["/c"])")}).is_true());
  EXPECT_TRUE(call("strings.any_suffix_match", {S("a/b/g"), J(R"(["/c", "/a"])")}).is_false());
  EXPECT_EQ(error_of("strings.any_prefix_match", {J("[1]"), S("x")}),
            "operand 1 must be array of strings but got array containing number");
  EXPECT_EQ(error_of("strings.any_suffix_match", {S("x"), J("1")}),
            "operand 2 must be one of {string, set, array} but got number");
}

TEST(Sprintf, BasicVerbs) {
  EXPECT_EQ(sprintf_("hi %s", R"(["there"])"), "hi there");
  EXPECT_EQ(sprintf_("hi %02X.%02X", "[127, 1]"), "hi 7F.01");
  EXPECT_EQ(sprintf_("hi %.2f", "[3.1415]"), "hi 3.14");
  EXPECT_EQ(sprintf_("hi %s", "[true]"), "hi true");
  EXPECT_EQ(sprintf_("hi %v", R"([["there", 5, 3.14]])"), "hi [\"there\", 5, 3.14]");
  EXPECT_EQ(sprintf_("%d%%", "[50]"), "50%");
  EXPECT_EQ(sprintf_("%x %o %b %X", "[255, 8, 5, 255]"), "ff 10 101 FF");
  EXPECT_EQ(sprintf_("%5d|%-5d|%05d|%+d", "[42, 42, -42, 42]"), "   42|42   |-0042|+42");
  EXPECT_EQ(sprintf_("%q", R"(["a\"b\n"])"), "\"a\\\"b\\n\"");
  EXPECT_EQ(sprintf_("%8.3f|%-8s|%.2s", R"([3.14159, "ab", "xyz"])"), "   3.142|ab      |xy");
}

TEST(Sprintf, NumbersLikeGo) {
  EXPECT_EQ(sprintf_("%s", "[123456789123456789123]"), "123456789123456789123");
  EXPECT_EQ(sprintf_("%d", "[1208925819614629174706175]"), "1208925819614629174706175");
  EXPECT_EQ(sprintf_("%v", "[1.5]"), "1.5");
  EXPECT_EQ(sprintf_("%v", "[1234567.5]"), "1.2345675e+06");
  EXPECT_EQ(sprintf_("%v", "[0.00001]"), "1e-05");
  EXPECT_EQ(sprintf_("%e", "[1234.5]"), "1.234500e+03");
  EXPECT_EQ(sprintf_("%g", "[0.5]"), "0.5");
  EXPECT_EQ(sprintf_("%d", "[5]"), "5");
}

// OPA hands fmt an int, a *big.Int, a float64, or (when strconv.ParseFloat
// fails: beyond the float64 range) the number's text as a string.
TEST(Sprintf, NumbersBeyondInt64AndFloat64) {
  EXPECT_EQ(sprintf_("%v|%s|%x", "[123456789012345678901234567890, 123456789012345678901234567890, 123456789012345678901234567890]"),
            "123456789012345678901234567890|123456789012345678901234567890|18ee90ff6c373e0ee4e3f0ad2");
  // big.Int.Format writes a bad verb with type name big.Int; EXTRA says *big.Int
  EXPECT_EQ(sprintf_("%e|%c", "[123456789012345678901234567890, 123456789012345678901234567890]"),
            "%!e(big.Int=123456789012345678901234567890)|%!c(big.Int=123456789012345678901234567890)");
  EXPECT_EQ(sprintf_("%v", "[1, 123456789012345678901234567890]"), "1%!(EXTRA *big.Int=123456789012345678901234567890)");
  EXPECT_EQ(sprintf_("%v|%s|%d|%e", "[2e308, -2.5e308, 2e308, 2e308]"),
            "2e308|-2.5e308|%!d(string=2e308)|%!e(string=2e308)");
  EXPECT_EQ(sprintf_("%v", "[1e400]"), "1e400");
  // exact decimals are read as float64: rounded, underflow to (signed) zero
  EXPECT_EQ(sprintf_("%v", "[0.1234567890123456789]"), "0.12345678901234568");
  EXPECT_EQ(sprintf_("%v|%v", "[1e-400, -1e-400]"), "0|-0");
  EXPECT_EQ(sprintf_("%d", "[-0]"), "0");
}

TEST(Sprintf, CompositesAndBadVerbs) {
  EXPECT_EQ(sprintf_("%v", R"([{"a": [1, "x"]}])"), "{\"a\": [1, \"x\"]}");
  EXPECT_EQ(sprintf_("%v", "[null]"), "null");
  EXPECT_EQ(call("sprintf", {S("%v"), Value::array({Value::empty_set()})}), S("set()"));
  EXPECT_EQ(sprintf_("%d", R"(["x"])"), "%!d(string=x)");
  EXPECT_EQ(sprintf_("%s", "[5]"), "%!s(int=5)");
  EXPECT_EQ(sprintf_("%d", "[1.5]"), "%!d(float64=1.5)");
  EXPECT_EQ(sprintf_("%d %d", "[1]"), "1 %!d(MISSING)");
  EXPECT_EQ(sprintf_("%d", R"([1, "a"])"), "1%!(EXTRA string=a)");
  EXPECT_EQ(error_of("sprintf", {S("%d"), J("1")}), "operand 2 must be array but got number");
}

// format_int of a big integer converted digit by digit with a division each:
// quadratic (a 400,000-digit number took over a minute).
TEST(Strings, FormatIntOfBigIntegersIsFast) {
  using wartburg::builtins::test_util::seconds_of;
  Value big = call("bits.lsh", {Value::integer(1), Value::integer(3300)});  // near the integer bound
  std::string b2, b8, b10, b16;
  double t = seconds_of([&] {
    for (int i = 0; i < 100; ++i) {
      b2 = call("format_int", {big, Value::integer(2)}).str();
      b8 = call("format_int", {big, Value::integer(8)}).str();
      b10 = call("format_int", {big, Value::integer(10)}).str();
      b16 = call("format_int", {big, Value::integer(16)}).str();
    }
  });
  EXPECT_LT(t, 2.0);
  EXPECT_EQ(b2, "1" + std::string(3300, '0'));
  EXPECT_EQ(b16, "1" + std::string(825, '0'));
  EXPECT_EQ(b8, "1" + std::string(1100, '0'));
  EXPECT_EQ(b10.size(), 994u);
  EXPECT_EQ(b10.substr(0, 6), "250602");
  EXPECT_EQ(call("format_int", {Value::number_from_text("-18446744073709551617"), Value::integer(16)}).str(),
            "-10000000000000001");
  EXPECT_EQ(call("format_int", {Value::integer(-255), Value::integer(2)}).str(), "-11111111");
  EXPECT_EQ(call("format_int", {Value::number(-1.9e20), Value::integer(16)}).str(), "-a4cc799563c380000");
  EXPECT_EQ(call("sprintf", {S("%X|%b|%o"), Value::array({big, Value::integer(5), Value::integer(8)})}).str(),
            "1" + std::string(825, '0') + "|101|10");
  // an infinity (float overflow) is an error, not an exception of another kind
  Value inf = call("mul", {Value::number(1.5e308), Value::integer(10)});
  EXPECT_EQ(error_of("format_int", {inf, Value::integer(10)}), "operand 1 must be a finite number");
}

// Hostile operands: "aaaa..." searched for "aaa...ab" took O(n*m) in
// std::string::find and the rune loops (15 s for a 3 MB string).
TEST(Strings, SearchesAreLinear) {
  using wartburg::builtins::test_util::seconds_of;
  Value hay = Value::string(std::string(3000000, 'a'));
  Value needle = Value::string(std::string(200000, 'a') + "b");
  std::string ops;
  double t = seconds_of([&] {
    ops += call("contains", {hay, needle}).is_true() ? "t" : "f";
    ops += std::to_string(call("indexof", {hay, needle}).as_int());
    ops += std::to_string(call("strings.count", {hay, needle}).as_int());
    ops += std::to_string(call("split", {hay, needle}).size());
    ops += std::to_string(call("indexof_n", {hay, needle}).size());
    ops += call("replace", {hay, needle, S("x")}) == hay ? "=" : "!";
  });
  EXPECT_EQ(ops, "f-1010=");
  EXPECT_LT(t, 1.0);
  // non-ASCII (rune offsets)
  std::string e2;
  for (int i = 0; i < 300000; i++) e2 += "\xC3\xA9";
  std::string n2;
  for (int i = 0; i < 3000; i++) n2 += "\xC3\xA9";
  Value uhay = Value::string(e2), uneedle = Value::string(n2 + "b");
  t = seconds_of([&] {
    EXPECT_EQ(call("indexof", {uhay, uneedle}).as_int(), -1);
    EXPECT_EQ(call("indexof_n", {uhay, uneedle}).size(), 0u);
  });
  EXPECT_LT(t, 1.0);
  EXPECT_EQ(call("indexof", {Value::string(e2 + "b"), uneedle}).as_int(), 297000);
  EXPECT_EQ(call("indexof_n", {S("\xC3\xA9x\xC3\xA9x\xC3\xA9"), S("\xC3\xA9x\xC3\xA9")}), J("[0, 2]"));
  EXPECT_EQ(call("indexof_n", {S("aaaa"), S("aa")}), J("[0, 1, 2]"));
  EXPECT_EQ(call("strings.count", {S("aaaa"), S("aa")}), J("2"));
  EXPECT_EQ(call("split", {S("a--b----c"), S("--")}), J(R"(["a", "b", "", "c"])"));
}

TEST(Strings, TrimWithALongCutsetIsFast) {
  using wartburg::builtins::test_util::seconds_of;
  std::string cut;
  for (char32_t r = 0x100; r < 0x100 + 200000; ++r) {
    if (r >= 0xD800 && r <= 0xDFFF) continue;
    if (r < 0x800) {
      cut += static_cast<char>(0xC0 | (r >> 6));
      cut += static_cast<char>(0x80 | (r & 0x3F));
    } else if (r < 0x10000) {
      cut += static_cast<char>(0xE0 | (r >> 12));
      cut += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
      cut += static_cast<char>(0x80 | (r & 0x3F));
    } else {
      cut += static_cast<char>(0xF0 | (r >> 18));
      cut += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
      cut += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
      cut += static_cast<char>(0x80 | (r & 0x3F));
    }
  }
  cut += "a";
  Value s = Value::string(std::string(2000000, 'a') + "b" + std::string(2000, 'a'));
  Value r;
  EXPECT_LT(seconds_of([&] { r = call("trim", {s, Value::string(cut)}); }), 1.0);
  EXPECT_EQ(r, S("b"));
  EXPECT_EQ(call("trim_left", {S("xxhixx"), S("x")}), S("hixx"));
  EXPECT_EQ(call("trim_right", {S("xyhiyx"), S("yx")}), S("xyhi"));
}

TEST(Strings, ReplaceIsGoStringsReplace) {
  // an empty `old` matches at the start and after each rune, as Go's strings.Replace
  EXPECT_EQ(call("replace", {S("h\xC3\xA9"), S(""), S("-")}), S("-h-\xC3\xA9-"));
  EXPECT_EQ(call("replace", {S(""), S(""), S("-")}), S("-"));
  EXPECT_EQ(call("replace", {S("aaa"), S("aa"), S("b")}), S("ba"));
  EXPECT_EQ(call("replace", {S("abc"), S("x"), S("y")}), S("abc"));
  // replace_n keeps Go's NewReplacer (byte-wise for an empty key)
  EXPECT_EQ(call("strings.replace_n", {J(R"({"": "-"})"), S("ab")}), S("-a-b-"));
  EXPECT_EQ(call("strings.replace_n", {J(R"({"a": "1", "ab": "2", "b": "3"})"), S("abba")}), S("1331"));
}

TEST(Strings, LargeResultsAreReservedFirst) {
  using wartburg::builtins::test_util::test_limits;
  using wartburg::builtins::test_util::under_limits;
  using namespace std::chrono_literals;
  Value big = Value::string(std::string(1 << 20, 'a'));
  auto limits = test_limits(0ms, 64 << 20, 8 << 20);
  // 1 Mi one-byte strings: 80 MiB of values
  EXPECT_EQ(under_limits(limits, [&] { call("split", {big, S("")}); }),
            "limit eval_builtin_error: result would exceed the maximum value size of 8 MiB (--max-value-size)");
  EXPECT_EQ(under_limits(test_limits(0ms, 64 << 20, 0), [&] { call("split", {big, S("")}); }),
            "limit eval_cancel_error: evaluation would exceed its memory limit of 64 MiB (values built; --max-eval-memory)");
  EXPECT_EQ(under_limits(limits, [&] { call("replace", {big, S(""), S("0123456789")}); }),
            "limit eval_builtin_error: result would exceed the maximum value size of 8 MiB (--max-value-size)");
  EXPECT_EQ(under_limits(limits, [&] { call("indexof_n", {big, S("a")}); }),
            "limit eval_builtin_error: result would exceed the maximum value size of 8 MiB (--max-value-size)");
  EXPECT_EQ(under_limits(limits, [&] { call("split", {S("a,b"), S(",")}); }), "ok");
}

TEST(Strings, ReplaceNWithManyLongKeysHonoursTheDeadline) {
  using wartburg::builtins::test_util::test_limits;
  using wartburg::builtins::test_util::under_limits;
  using namespace std::chrono_literals;
  std::vector<std::pair<Value, Value>> keys;
  for (int i = 0; i < 200; ++i) keys.emplace_back(Value::string(std::string(20000 + i, 'a') + "b"), S("x"));
  Value pattern = Value::object(std::move(keys));
  Value s = Value::string(std::string(400000, 'a'));
  auto t0 = std::chrono::steady_clock::now();
  std::string r = under_limits(test_limits(200ms), [&] { call("strings.replace_n", {pattern, s}); });
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r, "limit eval_cancel_error: context deadline exceeded");
  EXPECT_LT(secs, 2.0);
}
