// Tests for JSON and YAML parsing/printing (policy/json.cpp, policy/yaml.cpp).
#include <gtest/gtest.h>

#include "policy/json.h"

using wartburg::parse_json;
using wartburg::parse_yaml;
using wartburg::ParseError;
using wartburg::to_json;
using wartburg::to_yaml;
using wartburg::Value;

namespace {

std::string json_error(std::string_view text) {
  try {
    parse_json(text);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}

std::string yaml_error(std::string_view text) {
  try {
    parse_yaml(text);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(Json, ParsesScalarsAndComposites) {
  EXPECT_EQ(parse_json("null"), Value::null());
  EXPECT_EQ(parse_json(" true "), Value::boolean(true));
  EXPECT_EQ(parse_json("\"a\\u00e9\\n\""), Value::string("a\xc3\xa9\n"));
  Value v = parse_json(R"({"b": [1, 2.5, "x"], "a": {"c": null}})");
  EXPECT_EQ(to_json(v), R"({"a":{"c":null},"b":[1,2.5,"x"]})");
}

TEST(Json, KeepsBigIntegersExact) {
  Value v = parse_json("[123456789123456789123, -9223372036854775808, 18446744073709551615]");
  EXPECT_EQ(to_json(v), "[123456789123456789123,-9223372036854775808,18446744073709551615]");
  EXPECT_TRUE(v.items()[0].is_bigint());
  EXPECT_TRUE(v.items()[1].is_int());
}

TEST(Json, NumbersBeyondFloat64RangeAreKeptExactly) {
  // RapidJSON refuses 1e400; OPA keeps it as an arbitrary-precision number
  Value v = parse_json(R"({"big": 1e400, "tiny": 1e-400, "n": [1, 2.5]})");
  EXPECT_TRUE(v.find("big")->is_number());
  EXPECT_GT(*v.find("big"), parse_json("1e308"));
  EXPECT_GT(*v.find("tiny"), parse_json("0"));
  EXPECT_LT(*v.find("tiny"), parse_json("1e-300"));
  EXPECT_EQ(to_json(*v.find("n")), "[1,2.5]");
  // a document with a big number that is malformed as well
  try {
    parse_json(R"({"a": 1e400, "b": [1,})");
    FAIL() << "expected a parse error";
  } catch (const ParseError& e) {
    // the exact reader reports where the document is malformed
    EXPECT_EQ(std::string(e.what()), "line 1, column 22: invalid value");
  }
}

TEST(Json, DuplicateKeysLastWins) {
  EXPECT_EQ(to_json(parse_json(R"({"a": 1, "a": 2})")), R"({"a":2})");
}

TEST(Json, ErrorsNameLineAndColumn) {
  EXPECT_EQ(json_error("{\n  \"a\": 1\n  \"b\": 2}"), "line 3, column 3: missing a comma or '}' after an object member");
  EXPECT_EQ(json_error("[1, 2] x"), "line 1, column 8: the document root must not be followed by other values");
  EXPECT_EQ(json_error(""), "line 1, column 1: the document is empty");
  EXPECT_NE(json_error("{"), "no error");
  EXPECT_NE(json_error("[1,]"), "no error");
  EXPECT_NE(json_error("01"), "no error");
}

TEST(Json, DeepNestingIsBoundedNotOverflowing) {
  std::string ok(10000, '[');
  ok += std::string(10000, ']');
  EXPECT_TRUE(parse_json(ok).is_array());
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  try {
    parse_json(deep);
    ADD_FAILURE() << "100000 levels should exceed the nesting limit";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line, 1);
    EXPECT_NE(std::string(e.what()).find("exceeded max depth"), std::string::npos) << e.what();
  }
}

TEST(Yaml, ResolvesPlainScalarsLikeGo) {
  Value v = parse_yaml("a: true\nb: yes\nc: ~\nd: 12\ne: 1.5\nf: hello\ng: '12'\nh: \"true\"\ni: 0x1F\nj: 1_000\nk:\n");
  EXPECT_EQ(to_json(v), R"({"a":true,"b":true,"c":null,"d":12,"e":1.5,"f":"hello","g":"12","h":"true","i":31,"j":1000,"k":null})");
}

TEST(Yaml, NonStringKeysBecomeStrings) {
  EXPECT_EQ(to_json(parse_yaml("1: a\ntrue: b\nnull: c\n")), R"({"1":"a","null":"c","true":"b"})");
}

TEST(Yaml, SequencesFlowAndAnchors) {
  EXPECT_EQ(to_json(parse_yaml("foo:\n- qux: bar\n- baz: 2\n")), R"({"foo":[{"qux":"bar"},{"baz":2}]})");
  EXPECT_EQ(to_json(parse_yaml("{\"json\": \"ok\", \"n\": [1, 2]}")), R"({"json":"ok","n":[1,2]})");
  EXPECT_EQ(to_json(parse_yaml("a: &x [1, 2]\nb: *x\n")), R"({"a":[1,2],"b":[1,2]})");
  EXPECT_EQ(to_json(parse_yaml("s: |\n  line1\n  line2\n")), R"({"s":"line1\nline2\n"})");
  EXPECT_EQ(parse_yaml(""), Value::null());
}

TEST(Yaml, ErrorsNameLineAndColumn) {
  std::string e = yaml_error("foo:\n- qux: bar\n- baz: {\n");
  EXPECT_EQ(e.rfind("line ", 0), 0u) << e;
  EXPECT_NE(yaml_error("a: 1\n---\n\tb: 2\n"), "no error");
  EXPECT_EQ(yaml_error("a: 1\n---\nb: 2\n"), "no error");
  EXPECT_NE(yaml_error("  test:\ntest1: hello\n"), "no error");
}

TEST(Yaml, MarshalsBlockStyleSorted) {
  Value v = parse_json(R"({"b": [1, "x", {"k": "v", "j": [true, null]}], "a": {"c": "true", "d": ""}, "e": [], "f": {}})");
  EXPECT_EQ(to_yaml(v),
            "a:\n  c: \"true\"\n  d: \"\"\nb:\n- 1\n- x\n- j:\n  - true\n  - null\n  k: v\ne: []\nf: {}\n");
  EXPECT_EQ(to_yaml(parse_json(R"(["a: b", "- x", "12", "1.5", "it's", "#c", "a#b"])")),
            "- 'a: b'\n- '- x'\n- \"12\"\n- \"1.5\"\n- it's\n- '#c'\n- a#b\n");
  EXPECT_EQ(to_yaml(parse_json(R"({"s": "l1\nl2"})")), "s: |-\n  l1\n  l2\n");
  EXPECT_EQ(to_yaml(parse_json(R"([[1, 2], 3.25])")), "- - 1\n  - 2\n- 3.25\n");
  EXPECT_EQ(to_yaml(Value::string("x")), "x\n");
}

TEST(Yaml, RoundTrips) {
  Value v = parse_json(R"([{"foo": [1, 2, 3]}, {"s": "multi\nline\n", "t": "yes", "n": -0.5}])");
  EXPECT_EQ(parse_yaml(to_yaml(v)), v);
}

// ---- hostile input (issue #9) ----

TEST(Json, VeryLongNumbersAreRejectedWithoutRecursion) {
  // 30,000 digits: RapidJSON refuses it as too big for a double; the YAML
  // fallback used to match it with std::regex, which recursed per character.
  // Numbers are bounded to 5000 digits: text <-> big integer conversions are
  // quadratic (a 1,000,000-digit number took minutes to read).
  std::string digits(30000, '7');
  EXPECT_NE(json_error("{\"x\": " + digits + "}"), "no error");
  EXPECT_NE(json_error("[" + digits + ".5e-3]"), "no error");
  EXPECT_EQ(json_error("[" + std::string(5001, '7') + "]"), "line 1, column 2: number has more than 5000 digits");
  std::string ok(5000, '7');
  EXPECT_EQ(to_json(parse_json("[" + ok + "]")), "[" + ok + "]");
  EXPECT_EQ(to_json(parse_json("[-" + ok + "]")), "[-" + ok + "]");
}

TEST(Yaml, LongNumbersAndBase60StringsNeedNoRegex) {
  std::string digits(50000, '1');
  EXPECT_EQ(yaml_error("x: " + digits + ".0\n"), "line 1, column 4: number has more than 5000 digits");
  EXPECT_TRUE(parse_yaml("x: " + std::string(4900, '1') + ".0\n").find("x")->is_number());
  EXPECT_EQ(to_yaml(Value::string("1:20")), "\"1:20\"\n");  // YAML 1.1 sexagesimal: quoted
  EXPECT_EQ(to_yaml(Value::string("1:60")), "1:60\n");      // not sexagesimal: plain
  std::string many(40000, '1');
  EXPECT_EQ(to_yaml(Value::string(many + ":" + "10")), "\"" + many + ":10\"\n");
}

TEST(Yaml, SelfReferencingAliasIsAnError) {
  EXPECT_EQ(yaml_error("input: &a [*a]\n"), "line 1, column 12: anchor value contains itself");
  EXPECT_EQ(yaml_error("a: &x {b: *x}\n"), "line 1, column 11: anchor value contains itself");
  // an alias to a finished anchor is fine, and shares the value
  EXPECT_EQ(to_json(parse_yaml("a: &x [1]\nb: [*x, *x]\n")), R"({"a":[1],"b":[[1],[1]]})");
  EXPECT_EQ(to_json(parse_yaml("a: &s hi\nb: *s\n")), R"({"a":"hi","b":"hi"})");
}

TEST(Yaml, BillionLaughsIsRejected) {
  std::string s = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  std::string prev = "a";
  for (char n : std::string("bcdefghi")) {
    s += std::string(1, n) + ": &" + n + " [";
    for (int i = 0; i < 9; i++) s += (i ? ",*" : "*") + prev;
    s += "]\n";
    prev = std::string(1, n);
  }
  EXPECT_LT(s.size(), 400u);
  EXPECT_EQ(yaml_error(s), "line 4, column 11: document contains excessive aliasing");
  // modest reuse of anchors (Kubernetes manifests, CI files) stays fine
  std::string ok = "base: &b {image: nginx, ports: [80, 443]}\n";
  for (int i = 0; i < 200; i++) ok += "c" + std::to_string(i) + ": *b\n";
  EXPECT_EQ(parse_yaml(ok).size(), 201u);
}

TEST(Yaml, DeepNestingIsAnErrorNotACrash) {
  std::string deep(100000, '[');
  std::string err = yaml_error(deep);
  EXPECT_NE(err, "no error");
}

TEST(Json, BigNumbersDoNotOpenTheDoorToYaml) {
  // the big-number path used to re-read the document as YAML (found by fuzzing)
  EXPECT_EQ(json_error("[1e400, hello world, y, &a [1,2], *a]"), "line 1, column 9: invalid value");
  EXPECT_EQ(json_error("1e400 #x\n,"), "line 1, column 7: the document root must not be followed by other values");
  EXPECT_EQ(json_error("{\"a\": 1e400 \"b\": 1}"), "line 1, column 13: missing a comma or '}' after an object member");
  EXPECT_EQ(json_error("[1e400, \"\\x\"]"), "line 1, column 10: invalid escape character in string");
  // numbers beyond the digit limit stay errors, not infinity
  EXPECT_EQ(json_error("[1e2000000]"), "line 1, column 2: number has more than 5000 digits");
  Value v = parse_json("{\"s\": \"\\u00e9\\ud83d\\ude00\", \"n\": [1e400, -0.5, true, null, {}, []]}");
  EXPECT_EQ(v.find("s")->str(), "\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(v.find("n")->size(), 6u);
}

TEST(Yaml, StrayCommaIsAnErrorNotAnEndlessLoop) {
  // yaml-cpp 0.7 reports an empty document at the same place forever (found by fuzzing)
  EXPECT_EQ(yaml_error(","), "line 1, column 1: did not find expected node content");
  EXPECT_EQ(yaml_error("{a: 1},"), "line 1, column 7: did not find expected node content");
  EXPECT_EQ(yaml_error("a: 1\n---\n,"), "line 3, column 1: did not find expected node content");
  EXPECT_EQ(yaml_error("x: 1e2000000\n"), "line 1, column 4: json: unsupported value: +Inf");
}

TEST(Yaml, LongAndMultiLineKeysAreExplicit) {
  // go-yaml: an implicit key is at most 128 bytes and one line; others are written "? key"
  const std::string k129(129, 'k'), k128(128, 'k');
  EXPECT_EQ(to_yaml(parse_json("{\"" + k128 + "\": 1}")), k128 + ": 1\n");
  EXPECT_EQ(to_yaml(parse_json("{\"" + k129 + "\": 1}")), "? " + k129 + "\n: 1\n");
  EXPECT_EQ(to_yaml(parse_json("{\"" + k129 + "\": {\"a\": 1, \"b\": [2, 3]}}")),
            "? " + k129 + "\n: a: 1\n  b:\n  - 2\n  - 3\n");
  EXPECT_EQ(to_yaml(parse_json("[{\"" + k129 + "\": [1]}]")), "- ? " + k129 + "\n  : - 1\n");
  EXPECT_EQ(to_yaml(parse_json(R"({"a\nb": "x"})")), "? |-\n  a\n  b\n: x\n");
  // whatever the key, the text reads back as the value (yaml-cpp refused
  // implicit keys over 1024 characters: a fuzzing finding)
  std::string esc;
  for (int i = 0; i < 600; i++) esc += "\\u0001";
  for (const std::string& json : {"{\"" + esc + "\": {\"x\": \"" + k129 + "\"}}", "{\"" + k129 + "\": \"l1\\nl2\"}",
                                  std::string("{\"a\\nb\": [{\"c\\nd\": {}}], \"z\": []}")}) {
    Value v = parse_json(json);
    EXPECT_EQ(parse_yaml(to_yaml(v)), v) << to_yaml(v);
  }
}

TEST(Yaml, RefusesInvalidUtf8AndControlCharactersAsGoYaml) {
  auto error_of = [](const std::string& text) {
    try {
      parse_yaml(text);
    } catch (const wartburg::ParseError& e) {
      return std::string(e.what());
    }
    return std::string("parsed");
  };
  EXPECT_EQ(error_of("a: \xfe\xff\xff"), "line 1, column 4: invalid leading UTF-8 octet");
  EXPECT_EQ(error_of("a: 1\nb: x\xc3"), "line 2, column 5: invalid leading UTF-8 octet");
  EXPECT_EQ(error_of("a: \"x\x01\""), "line 1, column 6: control characters are not allowed");
  EXPECT_EQ(error_of("a: \xef\xbf\xbf"), "line 1, column 4: control characters are not allowed");  // U+FFFF
  EXPECT_EQ(parse_yaml("a:\tb\r\nc: \xc3\xa9\n"), parse_json(R"({"a": "b", "c": "\u00e9"})"));
  EXPECT_EQ(parse_yaml("\xef\xbb\xbf" "a: 1"), parse_json(R"({"a": 1})"));  // a leading BOM is fine
}

TEST(Yaml, LiteralBlocksKeepTrailingBreaks) {
  // chomping as go-yaml: "|-" none, "|" one, "|+" several or the text is only a break
  for (const char* s : {"\n", "\n\n", "a\n", "a\nb", "a\n\n", " a\nb\n"}) {
    Value v = parse_json("{\"k\": " + wartburg::to_json(Value::string(s)) + "}");
    EXPECT_EQ(parse_yaml(to_yaml(v)), v) << to_yaml(v);
  }
  EXPECT_EQ(to_yaml(parse_json(R"({"k": "\n"})")), "k: |2+\n\n");
}

TEST(Yaml, NelAndNbspEscapesAreUtf8) {
  // yaml-cpp decodes "\N" and "\_" to the bytes 0x85 and 0xA0 (fuzzing finding)
  EXPECT_EQ(parse_yaml(R"(a: "x\_y\Nz\Lw é\_")"), parse_json(R"({"a": "x\u00a0y\u0085z\u2028w \u00e9\u00a0"})"));
  Value v = parse_yaml(R"(k: "\_")");
  EXPECT_EQ(parse_yaml(to_yaml(v)), v) << to_yaml(v);
}
