// Unit tests for the compiler stage check_recursion (lang/compiler.h): direct
// and mutual recursion between rules and functions are rejected with
// rego_recursion_error naming the cycle; refs that only read base data, or
// that go through else chains/comprehensions/every/with, are handled.
#include <gtest/gtest.h>

#include "tests/lang/lang_test_util.h"

namespace wartburg::lang {
namespace {

using testing::stage;
using testing::stage_modules;
using testing::Upto;

TEST(CheckRecursion, NonRecursiveRulesPass) {
  auto s = stage("package p\na := 1\nb := a + 1\nc if b > a\nf(x) := x + a\nd := f(c)", Upto::Recursion);
  EXPECT_TRUE(s->st.errors.empty()) << s->errors_text();
}

TEST(CheckRecursion, DirectRecursion) {
  auto s = stage("package p\np if p", Upto::Recursion);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_recursion_error");
  EXPECT_EQ(s->st.errors[0].message, "rule data.p.p is recursive: data.p.p -> data.p.p");
  EXPECT_EQ(s->st.errors[0].row, 2);
  EXPECT_EQ(s->st.errors[0].col, 1);
}

TEST(CheckRecursion, MutualRecursion) {
  auto s = stage("package x\np if q\nq if p", Upto::Recursion);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_recursion_error");
  EXPECT_EQ(s->st.errors[0].message, "rule data.x.p is recursive: data.x.p -> data.x.q -> data.x.p");
}

TEST(CheckRecursion, ThreeRuleCycleThroughValues) {
  auto s = stage("package x\na := b\nb := [c]\nc := {\"k\": a}", Upto::Recursion);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].message, "rule data.x.a is recursive: data.x.a -> data.x.b -> data.x.c -> data.x.a");
}

TEST(CheckRecursion, RecursiveFunction) {
  auto s = stage("package p\nf(x) := y if y := f(x - 1)", Upto::Recursion);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_recursion_error");
  EXPECT_EQ(s->st.errors[0].message, "rule data.p.f is recursive: data.p.f -> data.p.f");
}

TEST(CheckRecursion, RecursionAcrossPackages) {
  auto s = stage_modules({"package a\nx if data.b.y", "package b\ny if data.a.x"}, Upto::Recursion);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].message, "rule data.a.x is recursive: data.a.x -> data.b.y -> data.a.x");
  EXPECT_EQ(s->st.errors[0].file, "m0.rego");
}

TEST(CheckRecursion, RecursionThroughWholePackageRef) {
  auto s = stage("package p\nall := data.p", Upto::Recursion);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_recursion_error");
  EXPECT_EQ(s->st.errors[0].message, "rule data.p.all is recursive: data.p.all -> data.p.all");
}

TEST(CheckRecursion, RecursionThroughComprehensionAndNot) {
  auto s = stage("package p\na := [x | some x in b]\nb contains 1 if not a", Upto::Recursion);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_recursion_error");
}

TEST(CheckRecursion, RecursionThroughEveryBody) {
  auto s = stage("package p\nok if {\n  every x in [1] { ok }\n}", Upto::Recursion);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_recursion_error");
}

TEST(CheckRecursion, RecursionThroughElse) {
  auto s = stage("package p\nv := 1 if input.a\nelse := w\nw := v", Upto::Recursion);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].message, "rule data.p.v is recursive: data.p.v -> data.p.w -> data.p.v");
}

TEST(CheckRecursion, RecursionThroughDefaultRuleValue) {
  auto s = stage("package p\ndefault d := 1\nd := e\ne := d", Upto::Recursion);
  ASSERT_EQ(s->st.errors.size(), 1u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].code, "rego_recursion_error");
}

TEST(CheckRecursion, BaseDataRefsAreNotDependencies) {
  // data.p.base is not defined by any rule: it reads base documents only
  auto s = stage("package p\nx := data.p.base.y\ny := data.p.cfg[input.k]", Upto::Recursion);
  EXPECT_TRUE(s->st.errors.empty()) << s->errors_text();
  auto s2 = stage("package p\nx := data.other.thing\nz := data.p.x", Upto::Recursion);
  EXPECT_TRUE(s2->st.errors.empty()) << s2->errors_text();
}

TEST(CheckRecursion, SiblingRuleRefIsNotRecursion) {
  // p reads data.p.q only (a constant key that selects a sibling)
  auto s = stage("package p\nq := 1\np := data.p.q", Upto::Recursion);
  EXPECT_TRUE(s->st.errors.empty()) << s->errors_text();
}

TEST(CheckRecursion, RefHeadSiblingsAreNotRecursion) {
  auto s = stage("package p\na.b := 1\na.c := a.b + 1", Upto::Recursion);
  EXPECT_TRUE(s->st.errors.empty()) << s->errors_text();
}

TEST(CheckRecursion, EachCycleIsReportedOnce) {
  auto s = stage("package p\na if b\nb if a\nc if d\nd if c", Upto::Recursion);
  ASSERT_EQ(s->st.errors.size(), 2u) << s->errors_text();
  EXPECT_EQ(s->st.errors[0].message, "rule data.p.a is recursive: data.p.a -> data.p.b -> data.p.a");
  EXPECT_EQ(s->st.errors[1].message, "rule data.p.c is recursive: data.p.c -> data.p.d -> data.p.c");
}

TEST(CheckRecursion, FunctionMockedWithItselfIsNotRecursion) {
  // `with` targets are not dependencies; only the replacement value is
  auto s = stage("package p\nf(x) := x\ng(x) := 2\nq := f(1)\nr if q with f as g", Upto::Recursion);
  EXPECT_TRUE(s->st.errors.empty()) << s->errors_text();
}

}  // namespace
}  // namespace wartburg::lang
