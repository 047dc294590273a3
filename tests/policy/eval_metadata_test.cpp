// Engine tests for `# METADATA` annotations: rego.metadata.rule() and
// rego.metadata.chain() return what the blocks declare (scopes rule, document,
// package, subpackages; normalized authors and related resources), and bad
// blocks are compile errors naming the file and line.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/engine.h"
#include "policy/json.h"

namespace {

using wartburg::Value;

std::string eval_json(const std::vector<wartburg::SourceFile>& mods, const std::string& query) {
  wartburg::PreparedQuery q(wartburg::compile(mods), query);
  auto rows = q.eval(Value(), wartburg::parse_json("{}"));
  if (rows.empty()) return "undefined";
  return wartburg::to_json(rows.at(0).expressions.at(0).value);
}

std::vector<wartburg::ErrorInfo> errors_of(const std::string& text) {
  try {
    wartburg::compile({{"m.rego", text}});
  } catch (const wartburg::Error& e) {
    return e.errors;
  }
  return {};
}

const char* kPolicy = R"(# METADATA
# title: Example package
package example.policy

# METADATA
# title: Allow
# authors:
# - Jane Doe <jane@example.com>
# related_resources:
# - https://example.com/doc
# custom:
#   severity: HIGH
allow if {
  meta := rego.metadata.rule()
  meta.custom.severity == "HIGH"
}

rule_meta := rego.metadata.rule()

# METADATA
# scope: document
# description: every deny
deny contains "a" if true

deny contains msg if {
  msg := sprintf("%d links", [count(rego.metadata.chain())])
}
)";

const char* kRoot = R"(# METADATA
# scope: subpackages
# organizations: [Acme]
package example
)";

TEST(EvalMetadata, RuleReturnsTheRuleScopeAnnotation) {
  EXPECT_EQ(eval_json({{"p.rego", kPolicy}}, "data.example.policy.allow"), "true");
}

TEST(EvalMetadata, RuleWithoutAnnotationsGivesEmptyObject) {
  EXPECT_EQ(eval_json({{"p.rego", kPolicy}}, "data.example.policy.rule_meta"), "{}");
}

TEST(EvalMetadata, NormalizesAuthorsAndRelatedResources) {
  std::string src = std::string(kPolicy) + "\n# METADATA\n# authors:\n# - Jane Doe <jane@example.com>\n"
                                           "# related_resources:\n# - https://example.com/doc\nm := rego.metadata.rule()\n";
  EXPECT_EQ(eval_json({{"p.rego", src}}, "data.example.policy.m"),
            R"({"authors":[{"email":"jane@example.com","name":"Jane Doe"}],)"
            R"("related_resources":[{"ref":"https://example.com/doc"}],"scope":"rule"})");
}

TEST(EvalMetadata, ChainGoesFromRuleToDocumentPackageAndSubpackages) {
  std::string src = std::string(kPolicy) + "\nc := rego.metadata.chain()\n";
  EXPECT_EQ(eval_json({{"p.rego", src}, {"root.rego", kRoot}}, "data.example.policy.c"),
            R"([{"path":["example","policy","c"]},)"
            R"({"annotations":{"scope":"package","title":"Example package"},"path":["example","policy"]},)"
            R"({"annotations":{"organizations":["Acme"],"scope":"subpackages"},"path":["example"]}])");
  // the deny document carries a document-scope annotation: chain = rule, document, package, subpackages
  EXPECT_EQ(eval_json({{"p.rego", kPolicy}, {"root.rego", kRoot}}, "data.example.policy.deny"),
            R"(["4 links","a"])");
}

TEST(EvalMetadata, InAQueryThereIsNoActiveRule) {
  EXPECT_EQ(eval_json({{"p.rego", kPolicy}}, "rego.metadata.rule()"), "{}");
  EXPECT_EQ(eval_json({{"p.rego", kPolicy}}, "rego.metadata.chain()"), "[]");
}

// OPA reads a block into typed fields: a field with no value (null) is the
// zero value, i.e. absent, and zero values (empty lists, "", false) are not
// rendered.
TEST(EvalMetadata, NullAndEmptyFieldsAreAbsent) {
  const char* p = "package p\n\n# METADATA\n# title: t\n# related_resources:\n# authors:\n# organizations:\n"
                  "# schemas:\n# custom:\n# description:\n# entrypoint:\n# scope:\nm := rego.metadata.rule()\n";
  EXPECT_EQ(eval_json({{"p.rego", p}}, "data.p.m"), R"({"scope":"rule","title":"t"})");
  const char* q = "package p\n\n# METADATA\n# title: \"\"\n# related_resources: []\n# authors: []\n"
                  "# organizations: []\n# schemas: []\n# custom: {}\n# entrypoint: false\nm := rego.metadata.rule()\n";
  EXPECT_EQ(eval_json({{"p.rego", q}}, "data.p.m"), R"({"scope":"rule"})");
  const char* pkg = "# METADATA\n# related_resources:\n# scope:\npackage p\n\nm := rego.metadata.chain()\n";
  EXPECT_EQ(eval_json({{"p.rego", pkg}}, "data.p.m"),
            R"([{"path":["p","m"]},{"annotations":{"scope":"package"},"path":["p"]}])");
}

TEST(EvalMetadata, WrongScopeForTheStatementIsAnError) {
  auto errs = errors_of("package p\n\n# METADATA\n# scope: package\nx := 1\n");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].code, "rego_parse_error");
  EXPECT_EQ(errs[0].row, 3);
  EXPECT_EQ(errs[0].message, "annotation scope 'package' must be applied to package (have rule)");
  errs = errors_of("# METADATA\n# scope: rule\npackage p\n");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "annotation scope 'rule' must be applied to rule (have package)");
}

TEST(EvalMetadata, UnknownScopeBadYamlAndBadFieldTypesAreErrors) {
  auto errs = errors_of("package p\n# METADATA\n# scope: bogus\nx := 1\n");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0].message.find("invalid annotation scope 'bogus'"), std::string::npos);
  errs = errors_of("package p\n# METADATA\n# title: [unclosed\nx := 1\n");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message.rfind("yaml: ", 0), 0u);
  EXPECT_EQ(errs[0].file, "m.rego");
  errs = errors_of("package p\n# METADATA\n# custom: 3\nx := 1\n");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "invalid custom: expected map, got number");
}

}  // namespace
