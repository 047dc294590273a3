// Tests for policy/builtins/rego.cpp: opa.runtime (empty object until the
// runtime document is set, then that document with the config's credentials
// and keys redacted as OPA does), default_runtime_info, trace, and
// rego.parse_module without the front end's hook (the builtins library alone
// cannot parse; its JSON output is tested in tests/lang/ast_json_test.cpp).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "policy/builtins/rego.h"
#include "policy/builtins/registry.h"
#include "tests/policy/builtins/builtin_test_util.h"

namespace {

using wartburg::Value;
namespace bi = wartburg::builtins;
using namespace wartburg::builtins::test_util::tagged;

// Every test leaves the process-wide runtime document unset.
struct RuntimeReset {
  ~RuntimeReset() { bi::set_runtime_info(Value()); }
};

}  // namespace

TEST(OpaRuntime, EmptyObjectWhenNotSet) {
  RuntimeReset reset;
  bi::set_runtime_info(Value());
  EXPECT_EQ(call("opa.runtime", {}), J("{}"));
}

TEST(OpaRuntime, ReturnsTheDocumentSet) {
  RuntimeReset reset;
  bi::set_runtime_info(J(R"({"env": {"HOME": "/root"}, "version": "1.2.3", "commit": ""})"));
  EXPECT_EQ(call("opa.runtime", {}), J(R"({"env": {"HOME": "/root"}, "version": "1.2.3", "commit": ""})"));
}

TEST(OpaRuntime, RedactsServiceCredentialsAndKeys) {
  RuntimeReset reset;
  bi::set_runtime_info(J(R"({
    "version": "v",
    "config": {
      "services": {"acme": {"url": "https://x", "credentials": {"bearer": {"token": "secret"}}}},
      "keys": {"k1": {"algorithm": "RS256", "key": "PEM", "private_key": "PRIV"}},
      "labels": {"app": "a"}
    }
  })"));
  EXPECT_EQ(call("opa.runtime", {}), J(R"({
    "version": "v",
    "config": {
      "services": {"acme": {"url": "https://x"}},
      "keys": {"k1": {"algorithm": "RS256"}},
      "labels": {"app": "a"}
    }
  })"));
}

TEST(OpaRuntime, RedactsServicesGivenAsAList) {
  RuntimeReset reset;
  bi::set_runtime_info(J(R"({"config": {"services": [{"name": "s", "credentials": {"x": 1}}]}})"));
  EXPECT_EQ(call("opa.runtime", {}), J(R"({"config": {"services": [{"name": "s"}]}})"));
}

TEST(OpaRuntime, IllegalConfigTypesAreErrors) {
  RuntimeReset reset;
  bi::set_runtime_info(J(R"({"config": {"services": "nope"}})"));
  EXPECT_EQ(error_of("opa.runtime", {}), "builtin: illegal service config type: string");
  bi::set_runtime_info(J(R"({"config": {"keys": [1]}})"));
  EXPECT_EQ(error_of("opa.runtime", {}), "builtin: illegal keys config type: []interface {}");
  bi::set_runtime_info(J(R"({"config": {"services": {"s": 1}}})"));
  EXPECT_EQ(error_of("opa.runtime", {}), "builtin: type assertion error");
}

TEST(OpaRuntime, DefaultRuntimeInfoHasEnvironmentAndVersion) {
  RuntimeReset reset;
  ::setenv("WARTBURG_REGO_TEST_VAR", "a=b", 1);
  Value info = bi::default_runtime_info("0.9.1");
  ASSERT_TRUE(info.is_object());
  EXPECT_EQ(*info.find("version"), Str("0.9.1"));
  EXPECT_EQ(*info.find("commit"), Str(""));
  EXPECT_EQ(*info.find("authorization_enabled"), Value::boolean(false));
  EXPECT_EQ(*info.find("skip_known_schema_check"), Value::boolean(false));
  EXPECT_EQ(info.find("config"), nullptr);
  const Value* env = info.find("env");
  ASSERT_NE(env, nullptr);
  ASSERT_TRUE(env->is_object());
  EXPECT_EQ(*env->find("WARTBURG_REGO_TEST_VAR"), Str("a=b"));

  Value with_config = bi::default_runtime_info("0.9.1", J(R"({"labels": {"x": "y"}})"));
  EXPECT_EQ(*with_config.find("config"), J(R"({"labels": {"x": "y"}})"));

  bi::set_runtime_info(info);
  Value got = call("opa.runtime", {});
  EXPECT_EQ(*got.find("env")->find("WARTBURG_REGO_TEST_VAR"), Str("a=b"));
  ::unsetenv("WARTBURG_REGO_TEST_VAR");
}

TEST(Trace, ReturnsTrueForAString) {
  EXPECT_EQ(call("trace", {Str("note")}), Value::boolean(true));
  EXPECT_EQ(call("trace", {Str("")}), Value::boolean(true));
}

TEST(Trace, OperandMustBeAString) {
  EXPECT_EQ(error_of("trace", {I(1)}), "type: operand 1 must be string but got number");
  EXPECT_EQ(error_of("trace", {J("{}")}), "type: operand 1 must be string but got object");
}

TEST(RegoParseModuleBuiltin, UnavailableWithoutTheFrontEnd) {
  // builtins_tests does not link lang/, so no parse hook is installed.
  bi::set_parse_module_hook(nullptr);
  EXPECT_EQ(error_of("rego.parse_module", {Str("x.rego"), Str("package x")}), "builtin: parser unavailable");
  EXPECT_EQ(error_of("rego.parse_module", {I(1), Str("package x")}), "type: operand 1 must be string but got number");
}

TEST(RegoParseModuleBuiltin, UsesTheInstalledHook) {
  bi::set_parse_module_hook([](const std::string& file, const std::string& text) {
    return Value::array({Value::string(file), Value::string(text)});
  });
  EXPECT_EQ(call("rego.parse_module", {Str("f.rego"), Str("package q")}), J(R"(["f.rego", "package q"])"));
  bi::set_parse_module_hook(nullptr);
}

TEST(RegoBuiltins, Signatures) {
  EXPECT_EQ(bi::registry().find("rego.parse_module")->signature, "(string, string) => object");
  EXPECT_EQ(bi::registry().find("opa.runtime")->arity, 0);
  EXPECT_EQ(bi::registry().find("trace")->signature, "(string) => boolean");
}
