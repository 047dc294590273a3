// Tests for the semver builtins (semver.is_valid, semver.compare).
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

TEST(Semver, IsValid) {
  for (const char* ok : {"0.0.0", "1.2.3", "1.2.3-0", "1.2.3-0a", "1.2.3+01", "1.2.3-alpha.1+build.5", "v1.2.3",
                         "1.2.3-x-y-z.--"}) {
    EXPECT_TRUE(call("semver.is_valid", {Str(ok)}).is_true()) << ok;
  }
  for (const char* bad : {"1", "1.2", "01.2.3", "1.02.3", "1.2.03", "1.2.3-01", "1.2.3-alpha.01", "1.2.3-",
                          "1.2.3+", "1.2.3-a..b", "1.2.3+a_b", "a.b.c", "1.2.3.4", ""}) {
    EXPECT_TRUE(call("semver.is_valid", {Str(bad)}).is_false()) << bad;
  }
  EXPECT_TRUE(call("semver.is_valid", {I(1)}).is_false());
}

TEST(Semver, ComparePrecedence) {
  EXPECT_EQ(call("semver.compare", {Str("1.0.0"), Str("2.0.0")}), I(-1));
  EXPECT_EQ(call("semver.compare", {Str("2.0.0"), Str("1.0.0")}), I(1));
  EXPECT_EQ(call("semver.compare", {Str("1.2.3-0"), Str("1.2.3-1")}), I(-1));
  EXPECT_EQ(call("semver.compare", {Str("1.2.3+01"), Str("1.2.3+2")}), I(0));
  EXPECT_EQ(call("semver.compare", {Str("1.0.0-alpha"), Str("1.0.0")}), I(-1));
  EXPECT_EQ(call("semver.compare", {Str("1.0.0"), Str("1.0.0-rc.1")}), I(1));
  // 1.0.0-alpha < -alpha.1 < -alpha.beta < -beta < -beta.2 < -beta.11 < -rc.1 < 1.0.0
  std::vector<const char*> chain = {"1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                                    "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0"};
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    EXPECT_EQ(call("semver.compare", {Str(chain[i]), Str(chain[i + 1])}), I(-1)) << chain[i];
    EXPECT_EQ(call("semver.compare", {Str(chain[i + 1]), Str(chain[i])}), I(1)) << chain[i];
  }
  EXPECT_EQ(call("semver.compare", {Str("1.10.0"), Str("1.9.0")}), I(1));
}

TEST(Semver, CompareErrors) {
  EXPECT_EQ(error_of("semver.compare", {Str("1"), Str("1.0.0")}),
            "builtin: operand 1: string \"1\" is not a valid SemVer");
  EXPECT_EQ(error_of("semver.compare", {Str("1.2.3"), Str("1.2.3-01")}),
            "builtin: operand 2: string \"1.2.3-01\" is not a valid SemVer");
  EXPECT_EQ(error_of("semver.compare", {Str("1.2.3-"), Str("1.2.3")}),
            "builtin: operand 1: string \"1.2.3-\" is not a valid SemVer");
  EXPECT_EQ(error_of("semver.compare", {I(1), Str("1.2.3")}), "type: operand 1 must be string but got number");
}
