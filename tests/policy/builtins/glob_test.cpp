// Tests for glob.match and glob.quote_meta (policy/builtins/glob.cpp).
#include <gtest/gtest.h>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"

using namespace wartburg;
using namespace wartburg::builtins;

namespace {

using namespace wartburg::builtins::test_util::plain;

bool glob(std::string_view pattern, std::string_view delims_json, std::string_view s) {
  Value r = call("glob.match", {Value::string(pattern), J(delims_json), Value::string(s)});
  EXPECT_TRUE(r.is_bool());
  return r.is_true();
}

}  // namespace

TEST(Glob, Delimiters) {
  EXPECT_TRUE(glob("*:github:com", R"([":"])", "api:github:com"));
  EXPECT_FALSE(glob("*.github.com", R"(["."])", "api.not-github.com"));
  EXPECT_FALSE(glob("*", "[]", "foo.bar"));
  EXPECT_TRUE(glob("*", "null", "foo.bar"));
  EXPECT_TRUE(glob("foo*", "null", "foo.bar"));
  EXPECT_FALSE(glob("?at", R"(["f"])", "fat"));
  EXPECT_FALSE(glob("*?*", R"([".", "/"])", "api.github.com"));
  EXPECT_TRUE(glob("*?*", R"([".", "/"])", "abc"));
  EXPECT_FALSE(glob("*", R"([".", "/"])", "a/b"));
  EXPECT_TRUE(glob("**.com", "[]", "api.github.com"));
}

TEST(Glob, CharacterClasses) {
  EXPECT_FALSE(glob("[abc]at", "[]", "fat"));
  EXPECT_TRUE(glob("[!abc]at", "[]", "fat"));
  EXPECT_FALSE(glob("[!abc]at", "[]", "cat"));
  EXPECT_TRUE(glob("[a-c]at", "[]", "bat"));
  EXPECT_FALSE(glob("[!a-c]at", "[]", "bat"));
  EXPECT_FALSE(glob("?", "null", ""));
  EXPECT_FALSE(glob("[!0-9]", "null", ""));
}

TEST(Glob, Alternatives) {
  EXPECT_TRUE(glob("{cat,bat,[fr]at}", "[]", "cat"));
  EXPECT_TRUE(glob("{cat,bat,[fr]at}", "[]", "rat"));
  EXPECT_FALSE(glob("{cat,bat,[fr]at}", "[]", "at"));
  EXPECT_TRUE(glob("{**/,}x", "null", "x"));
}

TEST(Glob, Wildcards) {
  EXPECT_FALSE(glob("a/*/b", "null", "a/b"));
  EXPECT_TRUE(glob("a/*/b", "null", "a/x/b"));
  EXPECT_FALSE(glob("a/**/b", "null", "a/b"));
  EXPECT_TRUE(glob("a/**/b", "null", "a//b"));
  EXPECT_FALSE(glob("**/x", "null", "x"));
  EXPECT_TRUE(glob("***", R"(["."])", ""));
  EXPECT_TRUE(glob("\\*", "null", "*"));
  EXPECT_FALSE(glob("\\*", "null", "a"));
  EXPECT_TRUE(glob("a.b", "null", "a.b"));
  EXPECT_FALSE(glob("a.b", "null", "axb"));
}

TEST(Glob, ErrorsAndQuoteMeta) {
  const Builtin* b = registry().find("glob.match");
  Context ctx;
  Value bad[] = {Value::string("[abc"), Value::null(), Value::string("a")};
  EXPECT_THROW(b->fn(ctx, bad), BuiltinError);
  Value badd[] = {Value::string("a"), Value::integer(1), Value::string("a")};
  EXPECT_THROW(b->fn(ctx, badd), TypeError);
  const Builtin* q = registry().find("glob.quote_meta");
  Value arg[] = {Value::string("*.github.com")};
  EXPECT_EQ(q->fn(ctx, arg), Value::string("\\*.github.com"));
  Value arg2[] = {Value::string("[a]{b}?\\")};
  EXPECT_EQ(q->fn(ctx, arg2), Value::string("\\[a\\]\\{b\\}\\?\\\\"));
}
