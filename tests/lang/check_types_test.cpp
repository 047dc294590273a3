// Unit tests for the compiler stage check_types (lang/compiler.h): calls of
// builtins and user functions must pass the declared number of operands (or
// one more, the output, when the call is the expression itself); otherwise
// rego_type_error "<name>: too many arguments" / "too few arguments" (OPA's wording).
#include <gtest/gtest.h>

#include "tests/lang/lang_test_util.h"

namespace wartburg::lang {
namespace {

using testing::stage;
using testing::Upto;

TEST(CheckTypes, CorrectArityPasses) {
  auto s = stage(
      "package p\n"
      "f(a, b) := a + b\n"
      "x := count([1])\n"
      "y := f(1, 2)\n"
      "z if {\n  count([1], n)\n  f(1, 2, m)\n  n < m\n}\n",
      Upto::Types);
  EXPECT_TRUE(s->st.errors.empty()) << s->errors_text();
}

TEST(CheckTypes, BuiltinWithTooManyArguments) {
  auto s = stage("package p\nx if count([1], 1, 2)", Upto::Types);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_type_error");
  EXPECT_EQ(s->st.errors[0].message.rfind("count: too many arguments", 0), 0u) << s->st.errors[0].message;
  EXPECT_NE(s->st.errors[0].message.find("have: (any, any, any)"), std::string::npos) << s->st.errors[0].message;
  EXPECT_NE(s->st.errors[0].message.find("want: (any)"), std::string::npos) << s->st.errors[0].message;
  EXPECT_EQ(s->st.errors[0].row, 2);
  EXPECT_EQ(s->st.errors[0].col, 6);
}

TEST(CheckTypes, BuiltinWithTooFewArguments) {
  auto s = stage("package p\nx := startswith(\"a\")", Upto::Types);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_type_error");
  EXPECT_EQ(s->st.errors[0].message.rfind("startswith: too few arguments", 0), 0u) << s->st.errors[0].message;
}

TEST(CheckTypes, UserFunctionArity) {
  auto s = stage("package p\nf(x) := x\ny := f(1, 2, 3)\nz := f()", Upto::Types);
  ASSERT_EQ(s->st.errors.size(), 2u) << s->errors_text();
  for (const auto& e : s->st.errors) {
    EXPECT_EQ(e.code, "rego_type_error");
    EXPECT_EQ(e.message.rfind("f: too ", 0), 0u) << e.message;
  }
  EXPECT_EQ(s->st.errors[0].message.rfind("f: too many arguments", 0), 0u);
  EXPECT_EQ(s->st.errors[1].message.rfind("f: too few arguments", 0), 0u);
  EXPECT_EQ(s->st.errors[0].row, 3);
  EXPECT_EQ(s->st.errors[1].row, 4);
}

TEST(CheckTypes, DottedUserFunctionName) {
  auto s = testing::stage_modules({"package lib\nf(a, b) := a", "package p\nimport data.lib\nx := lib.f(1)"},
                                  Upto::Types);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].message.rfind("lib.f: too few arguments", 0), 0u) << s->st.errors[0].message;
  EXPECT_EQ(s->st.errors[0].file, "m1.rego");
}

TEST(CheckTypes, NestedCallsAreChecked) {
  auto s = stage("package p\nx := [y | y := {\"a\": count(1, 2, 3)}]", Upto::Types);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].message.rfind("count: too many arguments", 0), 0u);
}

TEST(CheckTypes, ElseAndFunctionValuesAreChecked) {
  auto s = stage("package p\nv := 1 if input.a\nelse := abs(1, 2, 3)", Upto::Types);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].message.rfind("abs: too many arguments", 0), 0u);
  EXPECT_EQ(s->st.errors[0].row, 3);
}

// A call used as a term has no output operand: OPA lifts it to
// `bits.and(1, 1, 1, __local0__)`, one operand too many.
TEST(CheckTypes, OutputOperandOnlyWhenTheCallIsTheExpression) {
  auto s = stage("package p\nx := bits.and(1, 1, 1)\ny if bits.and(1, 1, 1)\nz if not bits.and(1, 1, 1)", Upto::Types);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].message.rfind("bits.and: too many arguments", 0), 0u) << s->st.errors[0].message;
  EXPECT_EQ(s->st.errors[0].row, 2);
}

TEST(CheckTypes, OperatorsAreChecked) {
  // infix operators are builtin calls with two operands
  auto s = stage("package p\nx := 1 + 2\ny if 1 < 2\nz := 3 in {3}", Upto::Types);
  EXPECT_TRUE(s->st.errors.empty()) << s->errors_text();
}

TEST(CheckTypes, CheckTypesInBody) {
  auto s = stage("package p\nq := 1", Upto::Types);
  Query q = parse_query("x := count([1], 2, 3)");
  std::vector<std::pair<std::string, int>> outputs;
  CompileState st;
  st.out = s->cm.get();
  resolve_query(st, *s->cm, q.body, outputs);
  ASSERT_TRUE(st.errors.empty());
  check_types_in_body(st, q.body);
  ASSERT_EQ(st.errors.size(), 1u);
  EXPECT_EQ(st.errors[0].code, "rego_type_error");
}

TEST(CheckTypes, ConstantOperandOfWrongTypeIsATypeError) {
  auto s = stage("package p\nx if startswith(1, \"a\")", Upto::Types);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_type_error");
  EXPECT_EQ(s->st.errors[0].message, "startswith: invalid argument(s)\n\thave: (number, string)\n\twant: (string, string)");
}

TEST(CheckTypes, UnionAndAnyOperandsAccepted) {
  auto s = stage("package p\nx := count(\"abc\")\ny := concat(\",\", {\"a\"})\nz := is_string(1)", Upto::Types);
  EXPECT_TRUE(s->st.errors.empty()) << s->errors_text();
}

TEST(CheckTypes, VariablesAssignedConstantsAreChecked) {
  // as OPA's type checker: y := 1 makes y a number, so startswith(y, ...) is a type error
  auto s = stage("package p\nx if {\n  y := 1\n  startswith(y, \"a\")\n}", Upto::Types);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_type_error");
  EXPECT_EQ(s->st.errors[0].row, 4);
  EXPECT_EQ(s->st.errors[0].message,
            "startswith: invalid argument(s)\n\thave: (number, string)\n\twant: (string, string)");
}

TEST(CheckTypes, VariablesOfUnknownTypeAreCheckedWhenEvaluated) {
  // input, data and builtin results have no static type here: checked at evaluation
  auto s = stage("package p\nx if {\n  y := input.n\n  startswith(y, \"a\")\n  z := count(y)\n  upper(z)\n}",
                 Upto::Types);
  EXPECT_TRUE(s->st.errors.empty()) << s->errors_text();
  // a type learned inside a comprehension does not leak out of it
  s = stage("package p\nx if {\n  c := [y | y := 1]\n  y := input.s\n  startswith(y, \"a\")\n}", Upto::Types);
  EXPECT_TRUE(s->st.errors.empty()) << s->errors_text();
}

}  // namespace
}  // namespace wartburg::lang
