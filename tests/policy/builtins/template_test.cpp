// Tests for strings.render_template (policy/builtins/template.cpp): Go
// text/template semantics as OPA runs them (missingkey=error; variables
// decoded as map[string]interface{} with json.Number numbers), Go's value
// printing and fmt verbs, the builtin functions, parse and execution errors
// in Go's message shape, and the limits that stop hostile templates.
#include <gtest/gtest.h>
#include <pthread.h>

#include <string>
#include <string_view>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"
#include "tests/policy/builtins/limits_util.h"

namespace {

using wartburg::Value;
using namespace wartburg::builtins::test_util::plain;

const char* const kVars = R"({
  "name": "world", "n": 5, "zero": 0, "f": 1.5, "t": true, "nul": null, "empty": "",
  "list": ["a", "b", "c"], "nums": [1, 2, 3], "none": [],
  "m": {"x": 1, "y": "z"}, "user": {"name": "ann", "tags": ["p", "q"], "addr": {"city": "Oslo"}}
})";

// The rendered text (the call must succeed).
std::string R(std::string_view tmpl, std::string_view vars = kVars) {
  return call("strings.render_template", {S(tmpl), J(vars)}).str();
}

// The error message (without the "strings.render_template: " prefix the evaluator adds).
std::string Err(std::string_view tmpl, std::string_view vars = kVars) {
  return error_of("strings.render_template", {S(tmpl), J(vars)});
}

// An execution error at line:col, in Go's shape.
std::string Exec(const std::string& where, const std::string& context, const std::string& msg) {
  return "template: template:" + where + ": executing \"template\" at <" + context + ">: " + msg;
}

}  // namespace

// ---- registration and operands

TEST(RenderTemplate, Registration) {
  const auto* b = wartburg::builtins::registry().find("strings.render_template");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->arity, 2);
  EXPECT_EQ(b->signature, "(string, object) => string");
}

TEST(RenderTemplate, OperandTypes) {
  EXPECT_EQ(error_of("strings.render_template", {J("1"), J("{}")}), "operand 1 must be string but got number");
  EXPECT_EQ(error_of("strings.render_template", {S("x"), J("[]")}), "operand 2 must be object but got array");
}

TEST(RenderTemplate, OpaConformanceCases) {
  // the cases of OPA's own test suite (rendertemplate.yaml)
  EXPECT_EQ(R("{{.test}}", R"({"test": "hello world"})"), "hello world");
  EXPECT_EQ(R("{{.test}}", R"({"test": 2023})"), "2023");
  EXPECT_EQ(R("{{range $i, $name := .hellonames}}{{if $i}},{{end}}hello {{$name}}{{end}}",
              R"({"hellonames": ["rohan", "john doe"]})"),
            "hello rohan,hello john doe");
  EXPECT_EQ(Err("{{.testvarnotprovided}}", R"({"test": "hello world"})"),
            Exec("1:2", ".testvarnotprovided", "map has no entry for key \"testvarnotprovided\""));
}

// ---- fields and value printing

TEST(RenderTemplate, FieldsAndNesting) {
  EXPECT_EQ(R("Hello, {{.name}}!"), "Hello, world!");
  EXPECT_EQ(R("{{.user.addr.city}}"), "Oslo");
  EXPECT_EQ(R("{{$.user.name}}"), "ann");
  EXPECT_EQ(R("plain text only"), "plain text only");
  EXPECT_EQ(R(""), "");
}

TEST(RenderTemplate, ValuesPrintAsGoPrintsInterfaceValues) {
  EXPECT_EQ(R("{{.n}} {{.f}} {{.t}} {{.zero}}"), "5 1.5 true 0");
  EXPECT_EQ(R("{{.x}}", R"({"x": 2.0})"), "2");  // integral numbers have no ".0"
  EXPECT_EQ(R("{{.x}}", R"({"x": 12345678901234567890123})"), "12345678901234567890123");
  EXPECT_EQ(R("{{.list}}"), "[a b c]");
  EXPECT_EQ(R("{{.m}}"), "map[x:1 y:z]");
  EXPECT_EQ(R("{{.}}", R"({"b": [1, "x", null, true], "a": {"d": 1.5}})"), "map[a:map[d:1.5] b:[1 x <nil> true]]");
  EXPECT_EQ(R("{{.none}}"), "[]");
  // null is "no value" when printed directly, <nil> inside fmt
  EXPECT_EQ(R("{{.nul}}|{{print .nul}}"), "<no value>|<nil>");
  // map keys print in sorted (byte) order
  EXPECT_EQ(R("{{.}}", R"({"b": 1, "B": 2, "a": 3})"), "map[B:2 a:3 b:1]");
}

TEST(RenderTemplate, MissingKeysAreErrors) {
  EXPECT_EQ(Err("{{.nope}}"), Exec("1:2", ".nope", "map has no entry for key \"nope\""));
  // the position is that of the missing field in a chain
  EXPECT_EQ(Err("{{.user.nope}}"), Exec("1:7", ".user.nope", "map has no entry for key \"nope\""));
  EXPECT_EQ(Err("line one\n  {{.nope}}"), Exec("2:4", ".nope", "map has no entry for key \"nope\""));
  EXPECT_EQ(Err("{{if .nope}}x{{end}}"), Exec("1:5", ".nope", "map has no entry for key \"nope\""));
  // but index gives the zero value for a missing key
  EXPECT_EQ(R("[{{index .m \"nope\"}}]"), "[<no value>]");
}

TEST(RenderTemplate, FieldErrors) {
  EXPECT_EQ(Err("{{.name.first}}"), Exec("1:7", ".name.first", "can't evaluate field first in type interface {}"));
  EXPECT_EQ(Err("{{.nul.x}}"), Exec("1:6", ".nul.x", "nil pointer evaluating interface {}.x"));
  // in a chain the position is that of the first chained field
  EXPECT_EQ(Err("{{$s := .name}}{{$s.x}}"), Exec("1:19", "$s.x", "can't evaluate field x in type string"));
  EXPECT_EQ(Err("{{.m 1}}"), Exec("1:2", ".m", "m is not a method but has arguments"));
  EXPECT_EQ(Err("{{template \"t\"}}{{define \"t\"}}{{.x}}{{end}}"),
            "template: template:1:32: executing \"t\" at <.x>: nil data; no entry for key \"x\"");
}

// ---- control structures

TEST(RenderTemplate, IfElseIf) {
  // numbers are json.Number (strings to Go): compare them with .Int64, or as strings
  EXPECT_EQ(Err(R"({{if eq .n 1}}one{{end}})"),
            Exec("1:5", "eq .n 1", "error calling eq: incompatible types for comparison: json.Number and int"));
  EXPECT_EQ(R(R"({{if eq .n.Int64 1}}one{{else if eq .n.Int64 5}}five{{else}}other{{end}})"), "five");
  EXPECT_EQ(R(R"({{if eq .name "x"}}x{{else if eq .name "world"}}w{{end}})"), "w");
  EXPECT_EQ(R("{{if .t}}yes{{end}}{{if .empty}}no{{else}}empty{{end}}"), "yesempty");
  EXPECT_EQ(R("{{if .none}}items{{else}}no items{{end}}{{if .m}} map{{end}}"), "no items map");
  // a json.Number is a non-empty string, so even 0 is true
  EXPECT_EQ(R("{{if .zero}}true{{end}}"), "true");
  EXPECT_EQ(R("{{if .nul}}x{{else}}nil is false{{end}}"), "nil is false");
}

TEST(RenderTemplate, With) {
  EXPECT_EQ(R("{{with .user.addr}}{{.city}}{{end}}"), "Oslo");
  EXPECT_EQ(R("{{with .empty}}x{{else}}no name{{end}}"), "no name");
  EXPECT_EQ(R("{{with $c := .user.addr.city}}{{$c}}/{{.}}{{end}}"), "Oslo/Oslo");
  EXPECT_EQ(R("{{with .empty}}a{{else with .name}}b:{{.}}{{end}}"), "b:world");
}

TEST(RenderTemplate, Range) {
  EXPECT_EQ(R("{{range .list}}<{{.}}>{{end}}"), "<a><b><c>");
  EXPECT_EQ(R("{{range $i, $v := .list}}{{$i}}={{$v}} {{end}}"), "0=a 1=b 2=c ");
  EXPECT_EQ(R("{{range $v := .list}}{{$v}}{{end}}"), "abc");
  EXPECT_EQ(R("{{range .none}}x{{else}}empty{{end}}"), "empty");
  // objects range in sorted key order; $k, $v are key and value
  EXPECT_EQ(R("{{range $k, $v := .}}{{$k}}={{$v}};{{end}}", R"({"b": 2, "a": 1, "c": [1]})"), "a=1;b=2;c=[1];");
  EXPECT_EQ(R("{{range .m}}[{{.}}]{{end}}"), "[1][z]");
  // range over an integer (Go 1.22+)
  EXPECT_EQ(R("{{range 3}}{{.}}{{end}}"), "012");
  EXPECT_EQ(R("{{range $i := 2}}{{$i}}{{end}}{{range 0}}x{{else}}none{{end}}"), "01none");
  // dot is the element; $ stays the root
  EXPECT_EQ(R("{{range .list}}{{.}}{{$.name}} {{end}}"), "aworld bworld cworld ");
  EXPECT_EQ(Err("{{range .name}}{{end}}"), Exec("1:8", ".name", "range can't iterate over world"));
  EXPECT_EQ(Err("{{range $i, $v := 3}}{{end}}"), Exec("1:18", "3", "can't use 3 to iterate over more than one variable"));
}

TEST(RenderTemplate, BreakAndContinue) {
  EXPECT_EQ(R(R"({{range .list}}{{if eq . "b"}}{{continue}}{{end}}{{.}}{{end}})"), "ac");
  EXPECT_EQ(R(R"({{range .list}}{{if eq . "b"}}{{break}}{{end}}{{.}}{{end}})"), "a");
  EXPECT_EQ(R(R"({{range .list}}{{range $.nums}}{{break}}{{end}}{{.}}{{end}})"), "abc");  // innermost loop only
  EXPECT_EQ(Err("{{break}}"), "template: template:1: {{break}} outside {{range}}");
  EXPECT_EQ(Err("{{range .list}}{{else}}{{continue}}{{end}}"), "template: template:1: {{continue}} outside {{range}}");
}

TEST(RenderTemplate, Variables) {
  EXPECT_EQ(R("{{$x := .name}}{{$x}} {{$x = \"again\"}}{{$x}}"), "world again");
  // assignment inside a range changes the outer variable
  EXPECT_EQ(R("{{$last := \"\"}}{{range .list}}{{$last = .}}{{end}}{{$last}}"), "c");
  // variables declared in a block end with it
  EXPECT_EQ(Err("{{if true}}{{$y := 1}}{{end}}{{$y}}"), "template: template:1: undefined variable \"$y\"");
  EXPECT_EQ(R("{{$}}", R"({"a": 1})"), "map[a:1]");
  EXPECT_EQ(R("{{$m := .m}}{{$m.y}}"), "z");
  EXPECT_EQ(Err("{{$x}}"), "template: template:1: undefined variable \"$x\"");
}

TEST(RenderTemplate, TrimMarkersAndComments) {
  EXPECT_EQ(R("a  {{- .name -}}  b"), "aworldb");
  EXPECT_EQ(R("a {{- /* gone */ -}} \n b"), "ab");
  EXPECT_EQ(R("x{{/* a comment */}}y"), "xy");
  EXPECT_EQ(R("{{range .list -}}\n  {{.}}\n{{- end}}"), "abc");
  // "{{-3}}" is a number, not a trim marker
  EXPECT_EQ(R("a {{-3}}"), "a -3");
  EXPECT_EQ(R("{{ .name }}"), "world");
  EXPECT_EQ(Err("{{/* never closed"), "template: template:1: unclosed comment");
  EXPECT_EQ(Err("{{/* c */ .x}}"), "template: template:1: comment ends before closing delimiter");
}

TEST(RenderTemplate, DefineTemplateBlock) {
  EXPECT_EQ(R(R"({{define "item"}}<{{.}}>{{end}}{{range .list}}{{template "item" .}}{{end}})"), "<a><b><c>");
  EXPECT_EQ(R(R"({{block "greet" .name}}Hi {{.}}{{end}}!)"), "Hi world!");
  EXPECT_EQ(R(R"({{define "t"}}[{{.}}]{{end}}{{template "t"}})"), "[<no value>]");
  // recursion over a tree
  const char* tree = R"({{define "node"}}{{.name}}{{range .kids}}({{template "node" .}}){{end}}{{end}}{{template "node" .}})";
  EXPECT_EQ(R(tree, R"({"name": "a", "kids": [{"name": "b", "kids": []}, {"name": "c", "kids": [{"name": "d", "kids": []}]}]})"),
            "a(b)(c(d))");
  EXPECT_EQ(Err(R"({{template "missing"}})"), Exec("1:11", "{{template \"missing\"}}", "template \"missing\" not defined"));
  EXPECT_EQ(Err(R"({{define "a"}}x{{end}}{{define "a"}}y{{end}})"),
            "template: template:1: template: multiple definition of template \"a\"");
}

// ---- functions

TEST(RenderTemplate, Printf) {
  EXPECT_EQ(R(R"({{printf "%s has %d items" .name (len .list)}})"), "world has 3 items");
  EXPECT_EQ(R(R"({{printf "%v|%q|%t|%x|%X" .name .name .t .name 255}})"), R"(world|"world"|true|776f726c64|FF)");
  EXPECT_EQ(R(R"({{printf "%5.2f|%-4d|%04d|%o|%b|%c|%U|%#x|%+d|%e|%g" 3.14159 7 42 8 5 65 65 255 3 1234.5678 0.000012}})"),
            " 3.14|7   |0042|10|101|A|U+0041|0xff|+3|1.234568e+03|1.2e-05");
  EXPECT_EQ(R(R"({{printf "%6s|%-6s|%.2s|%%" "ab" "ab" "abc"}})"), "    ab|ab    |ab|%");
  EXPECT_EQ(R(R"({{printf "%v %v" .list .m}})"), "[a b c] map[x:1 y:z]");
  EXPECT_EQ(R(R"({{printf "%q" .list}})"), R"(["a" "b" "c"])");
  EXPECT_EQ(R(R"({{printf "%T %T %T %T %T" .n .name .list .m 1}})"),
            "json.Number string []interface {} map[string]interface {} int");
  // numbers from the variables are json.Number: %d does not apply, .Int64 does
  EXPECT_EQ(R(R"({{printf "%d" .n}})"), "%!d(json.Number=5)");
  EXPECT_EQ(R(R"({{printf "%d %03d" .n.Int64 .n.Int64}})"), "5 005");
  EXPECT_EQ(R(R"({{printf "%.1f" .f.Float64}})"), "1.5");
  // Go's error forms inside the output
  EXPECT_EQ(R(R"({{printf "%d %s"  "x" 1}})"), "%!d(string=x) %!s(int=1)");
  EXPECT_EQ(R(R"({{printf "%d"}})"), "%!d(MISSING)");
  EXPECT_EQ(R(R"({{printf "a" 1 "b"}})"), "a%!(EXTRA int=1, string=b)");
  EXPECT_EQ(R(R"({{printf "%v %d" .nul .nul}})"), "<nil> %!d(<nil>)");
  EXPECT_EQ(R(R"({{printf "%[2]s %[1]s" "a" "b"}})"), "b a");
  EXPECT_EQ(R(R"({{printf "%*d|%-*d|" 4 1 3 2}})"), "   1|2  |");
  EXPECT_EQ(R(R"({{"x" | printf "%s-%s" "y"}})"), "y-x");  // the piped value is the last argument
}

TEST(RenderTemplate, PrintAndPrintln) {
  // Sprint adds spaces only between operands that are not strings (json.Number is a string type)
  EXPECT_EQ(R(R"({{print 1 2 "a" 3}})"), "1 2a3");
  EXPECT_EQ(R(R"({{print .n .n}})"), "55");
  EXPECT_EQ(R(R"({{println "a" 1}})"), "a 1\n");
  EXPECT_EQ(R(R"({{print}})"), "");
}

TEST(RenderTemplate, ComparisonFunctions) {
  EXPECT_EQ(R(R"({{eq .name "world"}} {{ne .name "world"}} {{eq 1 1}} {{eq 1 2 3 1}})"), "true false true true");
  EXPECT_EQ(R(R"({{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 3 3}} {{lt "a" "b"}} {{lt 1.5 2.5}})"), "true true false true true true");
  EXPECT_EQ(R(R"({{eq .n "5"}})"), "true");  // json.Number compares as a string
  EXPECT_EQ(R(R"({{gt .n.Int64 3}} {{eq .nul .nul}})"), "true true");
  EXPECT_EQ(Err(R"({{eq .n 5}})"),
            Exec("1:2", "eq .n 5", "error calling eq: incompatible types for comparison: json.Number and int"));
  EXPECT_EQ(Err(R"({{lt 1 1.5}})"),
            Exec("1:2", "lt 1 1.5", "error calling lt: incompatible types for comparison: int and float64"));
  EXPECT_EQ(Err(R"({{lt .list .list}})"), Exec("1:2", "lt .list .list", "error calling lt: invalid type for comparison"));
  EXPECT_EQ(Err(R"({{eq .m .m}})"),
            Exec("1:2", "eq .m .m", "error calling eq: non-comparable type map[x:1 y:z]: map[string]interface {}"));
  EXPECT_EQ(Err(R"({{eq 1}})"), Exec("1:2", "eq 1", "error calling eq: missing argument for comparison"));
  EXPECT_EQ(Err(R"({{lt 1}})"), Exec("1:2", "lt", "wrong number of args for lt: want 2 got 1"));
}

TEST(RenderTemplate, LogicFunctions) {
  EXPECT_EQ(R(R"({{and 1 0 2}} {{and 1 2}} {{or 0 "" "x"}} {{or 0 ""}} {{not 0}} {{not .t}})"), "0 2 x  true false");
  // and/or return an operand, and stop at the deciding one
  EXPECT_EQ(R(R"({{or .name .nope}})"), "world");
  EXPECT_EQ(R(R"({{if and .t (eq .name "world")}}both{{end}})"), "both");
  EXPECT_EQ(Err(R"({{and}})"), Exec("1:2", "and", "wrong number of args for and: want at least 1 got 0"));
}

TEST(RenderTemplate, LenIndexSlice) {
  EXPECT_EQ(R(R"({{len .list}} {{len .name}} {{len .m}} {{len .none}})"), "3 5 2 0");
  EXPECT_EQ(R(R"({{index .list 1}} {{index .m "y"}} {{index .user "tags" 1}} {{index "abc" 0}})"), "b z q 97");
  EXPECT_EQ(R(R"({{slice .list 1}} {{slice .list 1 2}} {{slice .name 1 3}} {{slice .list}})"), "[b c] [b] or [a b c]");
  EXPECT_EQ(Err(R"({{index .list 5}})"), Exec("1:2", "index .list 5", "error calling index: index out of range: 5"));
  EXPECT_EQ(Err(R"({{index .list "a"}})"),
            Exec("1:2", "index .list \"a\"", "error calling index: cannot index slice/array with type string"));
  EXPECT_EQ(Err(R"({{index .m 1}})"), Exec("1:2", "index .m 1", "error calling index: value has type int; should be string"));
  EXPECT_EQ(Err(R"({{index .t 0}})"), Exec("1:2", "index .t 0", "error calling index: can't index item of type bool"));
  EXPECT_EQ(Err(R"({{index .nul 0}})"), Exec("1:2", "index .nul 0", "error calling index: index of untyped nil"));
  EXPECT_EQ(Err(R"({{len .t}})"), Exec("1:2", "len .t", "error calling len: len of type bool"));
  EXPECT_EQ(Err(R"({{len .nul}})"), Exec("1:2", "len .nul", "error calling len: len of nil pointer"));
  EXPECT_EQ(Err(R"({{slice .list 2 1}})"), Exec("1:2", "slice .list 2 1", "error calling slice: invalid slice index: 2 > 1"));
}

TEST(RenderTemplate, Escapers) {
  EXPECT_EQ(R(R"({{html "<a href=\"x\">'&'</a>"}})"), "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(R(R"({{js "it's \"q\" <b> & a=b"}})"), R"(it\'s \"q\" \u003Cb\u003E \u0026 a\u003Db)");
  EXPECT_EQ(R(R"({{urlquery "a b&c=d/é"}})"), "a+b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(R(R"({{.name | html}} {{html .nul}})"), "world &lt;no value&gt;");
}

TEST(RenderTemplate, Pipelines) {
  EXPECT_EQ(R(R"({{.list | len | printf "%d items"}})"), "3 items");
  EXPECT_EQ(R(R"({{(index .user.tags 0)}} {{(.user).name}} {{(index .user "addr").city}})"), "p ann Oslo");
  EXPECT_EQ(R(R"({{.name | printf "%q"}})"), R"("world")");
  EXPECT_EQ(Err(R"({{.name | 1}})"), "template: template:1: non executable command in pipeline stage 2");
  EXPECT_EQ(Err(R"({{3 4}})"), Exec("1:2", "3", "can't give argument to non-function 3"));
  EXPECT_EQ(Err(R"({{nil}})"), Exec("1:2", "nil", "nil is not a command"));
  EXPECT_EQ(Err(R"({{call .name}})"), Exec("1:2", "call .name", "error calling call: non-function .name of type string"));
}

TEST(RenderTemplate, ConstantsInTemplates) {
  EXPECT_EQ(R(R"({{1}} {{-2}} {{1.5}} {{1e3}} {{1e6}} {{0.000001}} {{0x1F}} {{0o17}} {{0b101}} {{1_000}} {{'a'}} {{true}})"),
            "1 -2 1.5 1000 1e+06 1e-06 31 15 5 1000 97 true");
  EXPECT_EQ(R(R"({{"tab\there"}} {{`raw\n`}} {{"\u00e9"}})"), "tab\there raw\\n é");
  EXPECT_EQ(R(R"({{0x1.8p1}} {{0x1bp0}} {{1_0.5}} {{.5}} {{5.}})"), "3 27 10.5 0.5 5");
  EXPECT_EQ(Err(R"({{1e}})"), "template: template:1: illegal number syntax: \"1e\"");
  EXPECT_EQ(Err(R"({{08}})"), "template: template:1: integer overflow: \"08\"");
  EXPECT_EQ(Err(R"({{1x}})"), "template: template:1: bad number syntax: \"1x\"");
  EXPECT_EQ(Err(R"({{99999999999999999999}})"), "template: template:1: integer overflow: \"99999999999999999999\"");
  EXPECT_EQ(Err(R"({{'ab'}})"), "template: template:1: malformed character constant: 'ab'");
}

// ---- parse errors name the line

TEST(RenderTemplate, ParseErrors) {
  EXPECT_EQ(Err("{{.name"), "template: template:1: unclosed action");
  EXPECT_EQ(Err("{{if .t}}x"), "template: template:1: unexpected EOF");
  EXPECT_EQ(Err("{{end}}"), "template: template:1: unexpected {{end}}");
  EXPECT_EQ(Err("{{else}}"), "template: template:1: unexpected {{else}}");
  EXPECT_EQ(Err("{{range}}{{end}}"), "template: template:1: missing value for range");
  EXPECT_EQ(Err("a\nb\n{{if}}"), "template: template:3: missing value for if");
  EXPECT_EQ(Err("{{nosuch .x}}"), "template: template:1: function \"nosuch\" not defined");
  EXPECT_EQ(Err("{{.name}"), "template: template:1: bad character U+007D '}'");
  EXPECT_EQ(Err("{{(1}}"), "template: template:1: unclosed left paren");
  EXPECT_EQ(Err("{{1)}}"), "template: template:1: unexpected right paren");
  EXPECT_EQ(Err(R"({{"abc}})"), "template: template:1: unterminated quoted string");
  EXPECT_EQ(Err("{{.name\n\n"), "template: template:3: unclosed action started at template:1");
  EXPECT_EQ(Err("{{.x end}}"), "template: template:1: unexpected <end> in operand");
  EXPECT_EQ(Err("{{if .t}}{{else}}{{else}}{{end}}"), "template: template:1: expected end; found {{else}}");
  EXPECT_EQ(Err("{{$x, $y := 1}}"), "template: template:1: too many declarations in command");
  EXPECT_EQ(Err(R"({{"x".y}})"), "template: template:1: unexpected . after term \"\\\"x\\\"\"");
  EXPECT_EQ(Err("{{ä€}}"), "template: template:1: bad character U+20AC '€'");
}

// ---- variables that JSON cannot hold

TEST(RenderTemplate, VariablesMustBeJson) {
  // OPA decodes the variables from their Rego text with a JSON decoder
  EXPECT_EQ(error_of("strings.render_template",
                     {S("{{.}}"), Value::object({{S("s"), Value::set({Value::integer(1), Value::integer(2)})}})}),
            "invalid character '1' looking for beginning of object key string");
  EXPECT_EQ(error_of("strings.render_template", {S("{{.}}"), Value::object({{S("s"), Value::set({S("a")})}})}),
            "invalid character '}' after object key");
  EXPECT_EQ(error_of("strings.render_template", {S("{{.}}"), Value::object({{S("s"), Value::empty_set()}})}),
            "invalid character 's' looking for beginning of value");
  EXPECT_EQ(error_of("strings.render_template", {S("{{.}}"), Value::object({{Value::integer(1), S("x")}})}),
            "invalid character '1' looking for beginning of object key string");
}

// ---- limits

TEST(RenderTemplate, HostileTemplatesEndWithAnError) {
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "{{if 1}}";
  EXPECT_EQ(Err(deep), "template: template:1: max nesting depth exceeded");
  EXPECT_EQ(Err("{{" + std::string(300, '(') + "1" + std::string(300, ')') + "}}"),
            "template: template:1: max expression depth exceeded");
  EXPECT_EQ(Err(R"({{define "r"}}{{template "r" .}}{{end}}{{template "r" .}})"),
            "template: template:1:25: executing \"r\" at <{{template \"r\" .}}>: exceeded maximum template depth (500)");
  EXPECT_EQ(Err("{{range $a := 100000}}{{range $b := 100000}}x{{end}}{{end}}"),
            "template: template: execution exceeded 10000000 steps");
  EXPECT_EQ(Err(R"({{$x := "aaaaaaaaaaaaaaaa"}}{{range 40}}{{$x = printf "%s%s" $x $x}}{{end}})"),
            "template: template: output exceeds 16777216 bytes");
  EXPECT_EQ(Err(R"({{$x := printf "%1000000s" ""}}{{range 100000}}{{if eq $x $x}}{{end}}{{end}})"),
            "template: template: execution exceeded 1073741824 bytes of string work");
  EXPECT_EQ(Err(R"({{range 100000}}{{printf "%1000000s" ""}}{{end}})"), "template: template: output exceeds 16777216 bytes");
}

// The deepest templates the limits allow run in a small stack (256 KiB):
// the engine may be called on any thread. Under ASan the template walk's
// frames grow more than the usual factor (measured: 1 MiB overflows).
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kTemplateAsanExtra = 2;
#else
constexpr size_t kTemplateAsanExtra = 1;
#endif
TEST(RenderTemplate, DeepTemplatesFitInASmallStack) {
  struct Job {
    std::vector<std::string> results;
    static void* run(void* self) {
      auto* job = static_cast<Job*>(self);
      std::string ifs, ranges;
      for (int i = 0; i < 199; ++i) ifs += "{{if 1}}", ranges += "{{range 1}}";
      ifs += "x";
      ranges += "y";
      for (int i = 0; i < 199; ++i) ifs += "{{end}}", ranges += "{{end}}";
      try {
        job->results.push_back(R(ifs));
        job->results.push_back(R(ranges));
        job->results.push_back(R("{{" + std::string(99, '(') + "1" + std::string(99, ')') + "}}"));
        job->results.push_back(
            Err(R"({{define "r"}}{{range 1}}{{with 1}}{{template "r" .}}{{end}}{{end}}{{end}}{{template "r" .}})"));
      } catch (const std::exception& e) {
        job->results.push_back(std::string("unexpected error: ") + e.what());
      }
      return nullptr;
    }
  } job;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024 * wartburg::builtins::test_util::kStackFactor * kTemplateAsanExtra);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, &Job::run, &job), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  ASSERT_EQ(job.results.size(), 4u);
  EXPECT_EQ(job.results[0], "x");
  EXPECT_EQ(job.results[1], "y");
  EXPECT_EQ(job.results[2], "1");
  EXPECT_NE(job.results[3].find("exceeded maximum template depth (500)"), std::string::npos) << job.results[3];
}

TEST(RenderTemplate, LargeButReasonableTemplates) {
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "{{.name}}\n";
  std::string out = R(many);
  EXPECT_EQ(out.size(), 20000u * 6u);
  std::string big_list = "{\"l\": [";
  for (int i = 0; i < 10000; ++i) big_list += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
  big_list += "]}";
  EXPECT_EQ(R("{{range .l}}{{end}}{{len .l}}", big_list), "10000");
}

// ---- the evaluation's limits ----

// The template's own bounds (10 million steps, 16 MB of output) knew nothing
// of the evaluation's deadline or value size.
TEST(TemplateHostile, EvaluationLimitsApply) {
  namespace tu = wartburg::builtins::test_util;
  using namespace std::chrono_literals;
  std::string vars = "{\"a\": [";
  for (int i = 0; i < 1000; ++i) vars += (i ? ",1" : "1");
  vars += "]}";
  const char* nested = "{{range $.a}}{{range $.a}}{{range $.a}}x{{end}}{{end}}{{end}}";
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(tu::under_limits(tu::test_limits(100ms), [&] { R(nested, vars); }),
            "limit eval_cancel_error: context deadline exceeded");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 600ms);
  EXPECT_EQ(tu::under_limits(tu::test_limits(0ms, 512 << 20, 1 << 20), [&] { R(nested, vars); }),
            "limit eval_builtin_error: result would exceed the maximum value size of 1 MiB (--max-value-size)");
  EXPECT_EQ(R("{{range .a}}{{end}}ok", vars), "ok");
}
