// Tests for the uuid builtins (uuid.rfc4122, uuid.parse).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"

namespace {

using wartburg::Value;
namespace bi = wartburg::builtins;

using namespace wartburg::builtins::test_util::tagged;

}  // namespace

TEST(Uuid, Rfc4122IsVersion4AndStablePerArgument) {
  const bi::Builtin* b = bi::registry().find("uuid.rfc4122");
  ASSERT_NE(b, nullptr);
  bi::Context ctx;
  std::map<Value, Value> memo;
  ctx.memo = &memo;
  Value k1[] = {Str("key")};
  Value k2[] = {Str("other")};
  Value u1 = b->fn(ctx, k1);
  ASSERT_TRUE(u1.is_string());
  const std::string& s = u1.str();
  ASSERT_EQ(s.size(), 36u);
  EXPECT_EQ(s[14], '4');
  EXPECT_TRUE(std::string("89ab").find(s[19]) != std::string::npos);
  EXPECT_EQ(b->fn(ctx, k1), u1);
  EXPECT_NE(b->fn(ctx, k2), u1);
  EXPECT_EQ(call("uuid.parse", {u1}), J("{\"version\": 4, \"variant\": \"RFC4122\"}"));
}

TEST(Uuid, ParseForms) {
  Value v4 = J("{\"version\": 4, \"variant\": \"RFC4122\"}");
  EXPECT_EQ(call("uuid.parse", {Str("00000000-0000-4000-8000-000000000000")}), v4);
  EXPECT_EQ(call("uuid.parse", {Str("{00000000-0000-4000-8000-000000000000}")}), v4);
  EXPECT_EQ(call("uuid.parse", {Str("URN:uuid:00000000-0000-4000-8000-000000000000")}), v4);
  EXPECT_EQ(call("uuid.parse", {Str("6bea8ef2d3d33cd184e09bab06a52ece")}),
            J("{\"version\": 3, \"variant\": \"RFC4122\"}"));
  EXPECT_EQ(call("uuid.parse", {Str("38074da4-0b00-388d-9c3c-362de965547a")}),
            J("{\"version\": 3, \"variant\": \"RFC4122\"}"));
  EXPECT_EQ(call("uuid.parse", {Str("00000000-0000-4000-c000-000000000000")}),
            J("{\"version\": 4, \"variant\": \"Microsoft\"}"));
}

TEST(Uuid, ParseVersion2Fields) {
  Value want = J(R"({"clocksequence": 12800, "domain": "Person", "id": 1000, "macvariables": "local:unicast",
                     "nodeid": "32-50-96-b3-9f-47", "time": 1693566990121469600, "variant": "RFC4122",
                     "version": 2})");
  EXPECT_EQ(call("uuid.parse", {Str("000003e8-48b9-21ee-b200-325096b39f47")}), want);
  EXPECT_EQ(call("uuid.parse", {Str("urn:uuid:000003e8-48b9-21ee-b200-325096b39f47")}), want);
}

TEST(Uuid, ParseInvalid) {
  EXPECT_FALSE(call("uuid.parse", {Str("123")}).defined());
  EXPECT_FALSE(call("uuid.parse", {Str("00000000-0000-4000-8000-00000000000g")}).defined());
  EXPECT_FALSE(call("uuid.parse", {Str("00000000x0000-4000-8000-000000000000")}).defined());
  EXPECT_EQ(error_of("uuid.parse", {I(1)}), "type: operand 1 must be string but got number");
}
