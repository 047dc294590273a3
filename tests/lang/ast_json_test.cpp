// Unit tests for lang/ast_json.h: modules as OPA's JSON AST (the shape of
// `opa parse --format json` / Go's ast.Module marshalling, no locations) for
// packages, imports, every rule form (complete, partial set and object,
// functions, default, else, ref heads), some/every/not/with, comprehensions,
// collections, wildcards and comments; OPA's parse error text; and the
// rego.parse_module builtin through the hook install_builtin_hooks() sets.
#include "lang/ast_json.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "lang/parser.h"
#include "policy/builtins/registry.h"
#include "policy/json.h"

namespace wartburg::lang {
namespace {

// ---- JSON spellings of OPA terms ----
std::string join(std::initializer_list<std::string> xs) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : ",") + x;
  return out;
}
std::string V(const std::string& n) { return R"({"type":"var","value":")" + n + "\"}"; }
std::string S(const std::string& s) { return R"({"type":"string","value":")" + s + "\"}"; }
std::string N(const std::string& n) { return R"({"type":"number","value":)" + n + "}"; }
std::string B(bool b) { return std::string(R"({"type":"boolean","value":)") + (b ? "true" : "false") + "}"; }
const std::string kNull = R"({"type":"null","value":{}})";
std::string REF(std::initializer_list<std::string> xs) { return R"({"type":"ref","value":[)" + join(xs) + "]}"; }
std::string OP(const std::string& n) { return REF({V(n)}); }
std::string CALL(std::initializer_list<std::string> xs) { return R"({"type":"call","value":[)" + join(xs) + "]}"; }
std::string ARR(std::initializer_list<std::string> xs) { return R"({"type":"array","value":[)" + join(xs) + "]}"; }
std::string SET(std::initializer_list<std::string> xs) { return R"({"type":"set","value":[)" + join(xs) + "]}"; }
std::string PAIR(const std::string& k, const std::string& v) { return "[" + k + "," + v + "]"; }
std::string OBJ(std::initializer_list<std::string> pairs) { return R"({"type":"object","value":[)" + join(pairs) + "]}"; }
std::string LIST(std::initializer_list<std::string> xs) { return "[" + join(xs) + "]"; }
// An expression at `index` whose terms are `terms`; `extra` adds fields (",\"negated\":true").
std::string EXPR(int index, const std::string& terms, const std::string& extra = "") {
  return R"({"index":)" + std::to_string(index) + R"(,"terms":)" + terms + extra + "}";
}
const std::string kTrueBody = "[" + EXPR(0, B(true)) + "]";
std::string MEMBER2() { return REF({V("internal"), S("member_2")}); }
std::string MEMBER3() { return REF({V("internal"), S("member_3")}); }
std::string PKG(const std::string& name) { return R"({"path":[)" + V("data") + "," + S(name) + "]}"; }

Value J(const std::string& text) { return parse_json(text); }

Value ast(const std::string& src, bool v0 = false) {
  ParseOptions po;
  po.v0 = v0;
  return module_to_opa_json(*parse_module("t.rego", src, po));
}

const Value& rule(const Value& module, size_t i) { return module.find("rules")->items().at(i); }

TEST(AstJson, PackageAndImports) {
  Value got = ast("package a.b\nimport data.x.y as z\nimport input.foo\nimport input\nimport rego.v1\n");
  std::string want = R"({"package":{"path":[)" + V("data") + "," + S("a") + "," + S("b") + R"(]},"imports":[)" +
                     R"({"path":)" + REF({V("data"), S("x"), S("y")}) + R"(,"alias":"z"},)" +
                     R"({"path":)" + REF({V("input"), S("foo")}) + "}," +
                     R"({"path":)" + REF({V("input")}) + "}," +
                     R"({"path":)" + REF({V("rego"), S("v1")}) + "}]}";
  EXPECT_EQ(got, J(want)) << to_json(got);
}

TEST(AstJson, RuleWithBodyAndComment) {
  // The module of OPA's TestRule_MarshalJSON.
  Value got = ast("package foo\n\n# comment\n\nallow if { true }\n");
  std::string want = R"({"package":)" + PKG("foo") + R"(,"rules":[)" +
                     R"({"body":[{"index":0,"terms":{"type":"boolean","value":true}}],)" +
                     R"("head":{"name":"allow","value":{"type":"boolean","value":true},"ref":[{"type":"var","value":"allow"}]}}],)" +
                     R"("comments":[{"Text":"IGNvbW1lbnQ=","Location":{"file":"t.rego","row":3,"col":1}}]})";
  EXPECT_EQ(got, J(want)) << to_json(got);
}

TEST(AstJson, EmptyCommentHasNullText) {
  Value got = ast("package p\n#\n");
  EXPECT_EQ(*got.find("comments"), J(R"([{"Text":null,"Location":{"file":"t.rego","row":2,"col":1}}])"));
}

TEST(AstJson, CommentTextKeepsBlanksDropsCarriageReturnAndCountsCharacters) {
  // "é" is two bytes but one column; the text is base64 of " x  " (no '\r').
  Value got = ast("package p\r\np := \"\u00e9\" # x  \r\n");
  EXPECT_EQ(*got.find("comments"), J(R"([{"Text":"IHggIA==","Location":{"file":"t.rego","row":2,"col":10}}])"));
}

TEST(AstJson, DefaultAndCompleteRules) {
  Value got = ast("package p\ndefault allow := false\np := 1\nq = \"x\"\n");
  EXPECT_EQ(rule(got, 0), J(R"({"default":true,"head":{"name":"allow","ref":[)" + V("allow") + R"(],"value":)" +
                            B(false) + R"(,"assign":true},"body":)" + kTrueBody + "}"));
  EXPECT_EQ(rule(got, 1), J(R"({"head":{"name":"p","ref":[)" + V("p") + R"(],"value":)" + N("1") +
                            R"(,"assign":true},"body":)" + kTrueBody + "}"));
  EXPECT_EQ(rule(got, 2),
            J(R"({"head":{"name":"q","ref":[)" + V("q") + R"(],"value":)" + S("x") + R"(},"body":)" + kTrueBody + "}"));
}

TEST(AstJson, PartialSetAndObjectRules) {
  Value got = ast("package p\ns contains x if { some x in [1, 2] }\no[k] := v if { some k, v in {\"a\": 1} }\n");
  std::string s_body = "[" + EXPR(0, R"({"symbols":[)" + CALL({MEMBER2(), V("x"), ARR({N("1"), N("2")})}) + "]}") + "]";
  EXPECT_EQ(rule(got, 0), J(R"({"head":{"name":"s","ref":[)" + V("s") + R"(],"key":)" + V("x") + R"(},"body":)" +
                            s_body + "}"));
  std::string o_body =
      "[" + EXPR(0, R"({"symbols":[)" + CALL({MEMBER3(), V("k"), V("v"), OBJ({PAIR(S("a"), N("1"))})}) + "]}") + "]";
  EXPECT_EQ(rule(got, 1), J(R"({"head":{"name":"o","ref":[)" + V("o") + "," + V("k") + R"(],"key":)" + V("k") +
                            R"(,"value":)" + V("v") + R"(,"assign":true},"body":)" + o_body + "}"));
}

TEST(AstJson, FunctionsAndElse) {
  Value got = ast(
      "package p\n"
      "f(x) := y if { y := x + 1 }\n"
      "g(x) := 1 if { x > 0 } else = 2 if { x == 0 } else := 3\n");
  std::string f_body = "[" + EXPR(0, LIST({OP("assign"), V("y"), CALL({OP("plus"), V("x"), N("1")})})) + "]";
  EXPECT_EQ(rule(got, 0), J(R"({"head":{"name":"f","ref":[)" + V("f") + R"(],"args":[)" + V("x") + R"(],"value":)" +
                            V("y") + R"(,"assign":true},"body":)" + f_body + "}"));
  std::string g_head = R"("name":"g","ref":[)" + V("g") + R"(],"args":[)" + V("x") + "]";
  std::string else2 = R"({"head":{)" + g_head + R"(,"value":)" + N("3") + R"(,"assign":true},"body":)" + kTrueBody + "}";
  std::string else1 = R"({"head":{)" + g_head + R"(,"value":)" + N("2") + R"(},"body":[)" +
                      EXPR(0, LIST({OP("equal"), V("x"), N("0")})) + R"(],"else":)" + else2 + "}";
  std::string want = R"({"head":{)" + g_head + R"(,"value":)" + N("1") + R"(,"assign":true},"body":[)" +
                     EXPR(0, LIST({OP("gt"), V("x"), N("0")})) + R"(],"else":)" + else1 + "}";
  EXPECT_EQ(rule(got, 1), J(want)) << to_json(rule(got, 1));
}

TEST(AstJson, ElseWithoutValueKeepsHeadAndRenumbersWildcardArgs) {
  Value got = ast("package p\nf(_) := 1 if { input.x } else if { input.y }\n");
  std::string want = R"({"head":{"name":"f","ref":[)" + V("f") + R"(],"args":[)" + V("$0") + R"(],"value":)" + N("1") +
                     R"(,"assign":true},"body":[)" + EXPR(0, REF({V("input"), S("x")})) +
                     R"(],"else":{"head":{"name":"f","ref":[)" + V("f") + R"(],"args":[)" + V("$1") + R"(],"value":)" +
                     B(true) + R"(,"assign":true},"body":[)" + EXPR(0, REF({V("input"), S("y")})) + "]}}";
  EXPECT_EQ(rule(got, 0), J(want)) << to_json(rule(got, 0));
}

TEST(AstJson, SomeNotEveryWith) {
  Value got = ast(
      "package p\n"
      "p if {\n"
      "\tsome i\n"
      "\tnot input.deny[i]\n"
      "\tevery v in input.xs { v > 0 }\n"
      "\tcount(input.xs) > 0 with input as {\"xs\": [1]}\n"
      "}\n");
  std::string xs = REF({V("input"), S("xs")});
  std::string body = LIST({
      EXPR(0, R"({"symbols":[)" + V("i") + "]}"),
      EXPR(1, REF({V("input"), S("deny"), V("i")}), R"(,"negated":true)"),
      EXPR(2, R"({"key":null,"value":)" + V("v") + R"(,"domain":)" + xs + R"(,"body":[)" +
                  EXPR(0, LIST({OP("gt"), V("v"), N("0")})) + "]}"),
      EXPR(3, LIST({OP("gt"), CALL({OP("count"), xs}), N("0")}),
           R"(,"with":[{"target":)" + REF({V("input")}) + R"(,"value":)" + OBJ({PAIR(S("xs"), ARR({N("1")}))}) + "}]"),
  });
  EXPECT_EQ(*rule(got, 0).find("body"), J(body)) << to_json(*rule(got, 0).find("body"));
}

TEST(AstJson, EveryWithKeyAndMembershipExpressions) {
  Value got = ast("package p\np if {\n\tevery k, v in input { k != v }\n\t1 in input\n\t\"a\", 1 in input\n}\n");
  std::string body = LIST({
      EXPR(0, R"({"key":)" + V("k") + R"(,"value":)" + V("v") + R"(,"domain":)" + REF({V("input")}) +
                  R"(,"body":[)" + EXPR(0, LIST({OP("neq"), V("k"), V("v")})) + "]}"),
      EXPR(1, LIST({MEMBER2(), N("1"), REF({V("input")})})),
      EXPR(2, LIST({MEMBER3(), S("a"), N("1"), REF({V("input")})})),
  });
  EXPECT_EQ(*rule(got, 0).find("body"), J(body)) << to_json(*rule(got, 0).find("body"));
}

TEST(AstJson, Comprehensions) {
  Value got = ast(
      "package p\n"
      "a := [x | some x in input]\n"
      "b := {x | x := 1}\n"
      "c := {k: v | some k, v in input}\n");
  auto value_of = [&](size_t i) { return *rule(got, i).find("head")->find("value"); };
  EXPECT_EQ(value_of(0), J(R"({"type":"arraycomprehension","value":{"term":)" + V("x") + R"(,"body":[)" +
                           EXPR(0, R"({"symbols":[)" + CALL({MEMBER2(), V("x"), REF({V("input")})}) + "]}") + "]}}"));
  EXPECT_EQ(value_of(1), J(R"({"type":"setcomprehension","value":{"term":)" + V("x") + R"(,"body":[)" +
                           EXPR(0, LIST({OP("assign"), V("x"), N("1")})) + "]}}"));
  EXPECT_EQ(value_of(2),
            J(R"({"type":"objectcomprehension","value":{"key":)" + V("k") + R"(,"value":)" + V("v") + R"(,"body":[)" +
              EXPR(0, R"({"symbols":[)" + CALL({MEMBER3(), V("k"), V("v"), REF({V("input")})}) + "]}") + "]}}"));
}

TEST(AstJson, RefHeads) {
  Value got = ast(
      "package p\n"
      "a.b.c := 1\n"
      "x.y[z] contains w if { z := \"k\"; w := 2 }\n"
      "q[x] if { x := 1 }\n"
      "r.s := 1 if { true }\n"
      "t.u := 2\n"
      "v[\"k\"] if { true }\n");
  auto head = [&](size_t i) { return *rule(got, i).find("head"); };
  EXPECT_EQ(head(0), J(R"({"ref":[)" + V("a") + "," + S("b") + "," + S("c") + R"(],"value":)" + N("1") +
                       R"(,"assign":true})"));
  EXPECT_EQ(*rule(got, 0).find("body"), J(kTrueBody));
  EXPECT_EQ(head(1), J(R"({"ref":[)" + V("x") + "," + S("y") + "," + V("z") + R"(],"key":)" + V("w") + "}"));
  EXPECT_EQ(head(2), J(R"({"ref":[)" + V("q") + "," + V("x") + R"(],"key":)" + V("x") + R"(,"value":)" + B(true) + "}"));
  EXPECT_EQ(head(3), J(R"({"name":"r","ref":[)" + V("r") + "," + S("s") + R"(],"value":)" + N("1") +
                       R"(,"assign":true})"));
  // Without a body, `t.u := 2` is a partial object rule: name t, key "u".
  EXPECT_EQ(head(4), J(R"({"name":"t","ref":[)" + V("t") + "," + S("u") + R"(],"key":)" + S("u") + R"(,"value":)" +
                       N("2") + R"(,"assign":true})"));
  EXPECT_EQ(head(5), J(R"({"ref":[)" + V("v") + "," + S("k") + R"(],"value":)" + B(true) + "}"));
}

TEST(AstJson, CollectionsAreSortedAndNullIsAnEmptyObject) {
  Value got = ast("package p\ns := {3, \"a\", 1, null, 1}\no := {\"b\": 1, \"a\": null}\narr := [2, 1]\n");
  auto value_of = [&](size_t i) { return *rule(got, i).find("head")->find("value"); };
  EXPECT_EQ(value_of(0), J(SET({kNull, N("1"), N("3"), S("a")})));
  EXPECT_EQ(value_of(1), J(OBJ({PAIR(S("a"), kNull), PAIR(S("b"), N("1"))})));
  EXPECT_EQ(value_of(2), J(ARR({N("2"), N("1")})));
}

TEST(AstJson, SetOfMixedTermsFollowsOpaTypeOrder) {
  Value got = ast("package p\ns if { x := 1; {x, [1], \"s\", input.a, 2} }\n");
  const Value& set_expr = rule(got, 0).find("body")->items().at(1);
  EXPECT_EQ(*set_expr.find("terms"), J(SET({N("2"), S("s"), V("x"), REF({V("input"), S("a")}), ARR({N("1")})})));
}

TEST(AstJson, WildcardsAreNumberedInSourceOrder) {
  Value got = ast("package p\nw if { _ = input[_] }\nv if { input[_] }\n");
  EXPECT_EQ(*rule(got, 0).find("body"), J(LIST({EXPR(0, LIST({OP("eq"), V("$0"), REF({V("input"), V("$1")})}))})));
  EXPECT_EQ(*rule(got, 1).find("body"), J(LIST({EXPR(0, REF({V("input"), V("$2")}))})));
}

TEST(AstJson, CallsOfDottedFunctionsAndNestedCalls) {
  Value got = ast("package p\np if { x := startswith(lower(input.s), \"a\") }\n");
  EXPECT_EQ(*rule(got, 0).find("body"),
            J(LIST({EXPR(0, LIST({OP("assign"), V("x"),
                                  CALL({OP("startswith"), CALL({OP("lower"), REF({V("input"), S("s")})}), S("a")})}))})));
  Value got2 = ast("package p\np if { strings.any_prefix_match(\"a\", [\"b\"]) }\n");
  EXPECT_EQ(*rule(got2, 0).find("body"),
            J(LIST({EXPR(0, LIST({REF({V("strings"), S("any_prefix_match")}), S("a"), ARR({S("b")})}))})));
}

TEST(AstJson, V0PartialSetRule) {
  Value got = ast("package p\ns[x] { x := 1 }\n", true);
  EXPECT_EQ(*rule(got, 0).find("head"), J(R"({"name":"s","ref":[)" + V("s") + R"(],"key":)" + V("x") + "}"));
}

// ---- parse errors ----

std::string parse_error_text(const std::string& file, const std::string& src) {
  try {
    parse_module(file, src);
  } catch (const Error& e) {
    return opa_parse_errors_text(e.errors, src);
  }
  return "no error";
}

TEST(AstJson, ParseErrorTextHasPositionLineAndCaret) {
  EXPECT_EQ(parse_error_text("t.rego", "package p\n\np := }\n"),
            "1 error occurred: t.rego:3: rego_parse_error: unexpected } token: expected term\n\tp := }\n\t     ^");
  // Leading tabs are dropped from the detail line; an error at the end points
  // at the last non-blank character.
  EXPECT_EQ(parse_error_text("t.rego", "package p\n\tx := [1,\n"),
            "1 error occurred: t.rego:3: rego_parse_error: unexpected eof token: expected term\n\tx := [1,\n\t       ^");
  // Without a file name the prefix is row:col.
  EXPECT_EQ(parse_error_text("", "package p\np := }\n").rfind("1 error occurred: 2:6: rego_parse_error: ", 0), 0u);
}

TEST(AstJson, SeveralErrorsAreListed) {
  std::vector<ErrorInfo> errs{{"rego_parse_error", "a", "f.rego", 1, 1}, {"rego_parse_error", "b", "f.rego", 1, 3}};
  EXPECT_EQ(opa_parse_errors_text(errs, "x y"),
            "2 errors occurred:\nf.rego:1: rego_parse_error: a\n\tx y\n\t^\nf.rego:1: rego_parse_error: b\n\tx y\n\t  ^");
}

// ---- the rego.parse_module builtin ----

Value parse_module_builtin(const Value& file, const Value& src) {
  install_builtin_hooks();
  const builtins::Builtin* b = builtins::registry().find("rego.parse_module");
  EXPECT_NE(b, nullptr);
  builtins::Context ctx;
  Value args[] = {file, src};
  return b->fn(ctx, args);
}

std::string parse_module_builtin_error(const Value& file, const Value& src) {
  try {
    parse_module_builtin(file, src);
  } catch (const builtins::TypeError& e) {
    return std::string("type: ") + e.what();
  } catch (const builtins::BuiltinError& e) {
    return e.what();
  }
  return "no error";
}

TEST(RegoParseModule, ReturnsTheJsonAst) {
  std::string src = "package x\n\nimport rego.v1\n\np := 1\n";
  Value got = parse_module_builtin(Value::string("x.rego"), Value::string(src));
  EXPECT_EQ(got, module_to_opa_json(*parse_module("x.rego", src)));
  EXPECT_EQ(*got.find("package"), J(PKG("x")));
}

TEST(RegoParseModule, ParseErrorsAreBuiltinErrors) {
  EXPECT_EQ(parse_module_builtin_error(Value::string("x.rego"), Value::string("package p\n\np := }")),
            "1 error occurred: x.rego:3: rego_parse_error: unexpected } token: expected term\n\tp := }\n\t     ^");
  EXPECT_EQ(parse_module_builtin_error(Value::string("x.rego"), Value::string("  # nothing\n")),
            "1 error occurred: x.rego:0: rego_parse_error: empty module");
  EXPECT_EQ(parse_module_builtin_error(Value::string(""), Value::string("")),
            "1 error occurred: 0:0: rego_parse_error: empty module");
}

TEST(RegoParseModule, OperandsMustBeStrings) {
  EXPECT_EQ(parse_module_builtin_error(Value::integer(1), Value::string("package p")),
            "type: operand 1 must be string but got number");
  EXPECT_EQ(parse_module_builtin_error(Value::string("x.rego"), Value::empty_array()),
            "type: operand 2 must be string but got array");
}

}  // namespace
}  // namespace wartburg::lang
