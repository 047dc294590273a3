// Bundles with a precompiled plan (/plan.wartburg, written by `wartburg
// build`): the loader keeps the plan only when it belongs to the bundle's
// modules (sources digest, wartburg and Rego version), takes the packages for
// the roots check from it, and compile_or_load_plan then loads the policy from
// the plan instead of compiling; stale, corrupt or foreign plans are ignored
// and the modules are compiled as before.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "lang/plan.h"
#include "policy/json.h"
#include "sidecar/bundle.h"
#include "sidecar/bundle_writer.h"

namespace wartburg::sidecar {
namespace {

namespace fs = std::filesystem;

Bundle sample() {
  Bundle b;
  b.modules["authz/policy.rego"] =
      SourceFile{"authz/policy.rego", "package authz\n\nimport data.lib.util\n\nallow if util.admin(input.user)\n"};
  b.modules["lib/util.rego"] = SourceFile{"lib/util.rego", "package lib.util\n\nadmin(u) if u in data.admins\n"};
  b.data = parse_json(R"({"admins": ["alice"]})");
  b.revision = "r1";
  return b;
}

// The plan `wartburg build` writes: the modules compiled under their ids.
std::string plan_for(const Bundle& b) {
  std::vector<SourceFile> mods;
  for (const auto& [id, src] : b.modules) mods.push_back(SourceFile{id, src.text});
  CompileOptions co;
  co.v0_compatible = b.rego_version == 0;
  return save_plan(*compile(mods, co));
}

std::string tarball(const Bundle& b, const std::string& plan) {
  auto files = bundle_files(b);
  files.emplace_back("/plan.wartburg", plan);
  return gzip(tar(files));
}

std::vector<SourceFile> modules_of(const Bundle& b) {
  std::vector<SourceFile> out;
  for (const auto& [id, src] : b.modules) out.push_back(src);
  return out;
}

std::string decide(const std::shared_ptr<const Policy>& p, const Bundle& b, const std::string& user) {
  PreparedQuery q(p, "data.authz.allow");
  auto rows = q.eval(parse_json(R"({"user": ")" + user + "\"}"), b.data);
  return rows.empty() ? "undefined" : to_json(rows[0].expressions[0].value);
}

TEST(BundlePlan, MatchingPlanIsKeptAndLoaded) {
  Bundle src = sample();
  std::string plan = plan_for(src);
  Bundle b = load_bundle_tarball(tarball(src, plan), "b.tar.gz");
  EXPECT_EQ(b.plan, plan);
  EXPECT_EQ(b.modules.size(), 2u);  // modules are still there (for tools and fallbacks)
  bool from_plan = false;
  auto policy = compile_or_load_plan(modules_of(b), {}, &from_plan);
  EXPECT_TRUE(from_plan);
  EXPECT_EQ(decide(policy, b, "alice"), "true");
  EXPECT_EQ(decide(policy, b, "bob"), "undefined");
  // the same decisions as the compiled modules
  auto compiled = compile(modules_of(b));
  EXPECT_EQ(decide(compiled, b, "alice"), "true");
  EXPECT_EQ(decide(compiled, b, "bob"), "undefined");
}

TEST(BundlePlan, StalePlanIsIgnored) {
  Bundle src = sample();
  std::string plan = plan_for(src);
  src.modules["authz/policy.rego"].text = "package authz\n\nallow if input.user == \"bob\"\n";
  Bundle b = load_bundle_tarball(tarball(src, plan), "b.tar.gz");
  EXPECT_EQ(b.plan, "");
  bool from_plan = true;
  auto policy = compile_or_load_plan(modules_of(b), {}, &from_plan);
  EXPECT_FALSE(from_plan);
  EXPECT_EQ(decide(policy, b, "bob"), "true");  // the new source decides
  EXPECT_EQ(decide(policy, b, "alice"), "undefined");
}

TEST(BundlePlan, RenamedModuleIsNotThePlansModule) {
  Bundle src = sample();
  std::string plan = plan_for(src);
  Bundle moved;
  moved.data = src.data;
  for (const auto& [id, s] : src.modules) moved.modules["x/" + id] = SourceFile{"x/" + id, s.text};
  Bundle b = load_bundle_tarball(tarball(moved, plan), "b.tar.gz");
  EXPECT_EQ(b.plan, "");
}

TEST(BundlePlan, CorruptOrForeignPlansAreIgnored) {
  Bundle src = sample();
  std::string plan = plan_for(src);
  std::string truncated = plan.substr(0, plan.size() / 2);
  std::string flipped = plan;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 1);
  for (const std::string& bad : {truncated, flipped, std::string("not a plan")}) {
    Bundle b = load_bundle_tarball(tarball(src, bad), "b.tar.gz");
    EXPECT_EQ(b.plan, "");
    bool from_plan = true;
    auto policy = compile_or_load_plan(modules_of(b), {}, &from_plan);
    EXPECT_EQ(decide(policy, b, "alice"), "true");
  }
}

TEST(BundlePlan, PlanForAnotherRegoVersionIsIgnored) {
  Bundle src;
  src.modules["v0.rego"] = SourceFile{"v0.rego", "package v0\n\nallow { input.user == \"alice\" }\n"};
  src.rego_version = 0;
  std::string plan = plan_for(src);
  EXPECT_TRUE(lang::read_plan_info(plan).v0);
  Bundle b = load_bundle_tarball(tarball(src, plan), "b.tar.gz");
  EXPECT_EQ(b.rego_version, 0);
  EXPECT_EQ(b.plan, plan);
  // the same plan in a bundle whose manifest says Rego v1
  Bundle v1 = src;
  v1.rego_version = 1;
  auto files = bundle_files(v1);
  files.emplace_back("/plan.wartburg", plan);
  EXPECT_THROW(load_bundle_tarball(gzip(tar(files)), "b.tar.gz"), BundleError);  // not v1 Rego: parse errors as before
  // compiling for v1 does not take the v0 plan
  CompileOptions co;
  co.v0_compatible = true;
  bool from_plan = false;
  compile_or_load_plan(modules_of(b), co, &from_plan);
  EXPECT_TRUE(from_plan);
  EXPECT_THROW(compile_or_load_plan(modules_of(b), {}, &from_plan), Error);
  EXPECT_FALSE(from_plan);
}

TEST(BundlePlan, RootsAreCheckedWithThePlansPackages) {
  Bundle src = sample();
  src.roots = {"authz"};
  std::string plan = plan_for(src);
  try {
    load_bundle_tarball(tarball(src, plan), "b.tar.gz");
    FAIL() << "a package outside the roots was accepted";
  } catch (const BundleError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "manifest roots [authz] do not permit 'package lib.util' in module 'b.tar.gz/lib/util.rego'"),
              std::string::npos)
        << e.what();
  }
  src.roots = {"authz", "lib", "admins"};
  EXPECT_EQ(load_bundle_tarball(tarball(src, plan), "b.tar.gz").plan, plan);
}

TEST(BundlePlan, OtherModulesBesideTheBundleAreCompiled) {
  Bundle src = sample();
  Bundle b = load_bundle_tarball(tarball(src, plan_for(src)), "b.tar.gz");
  auto mods = modules_of(b);
  mods.push_back(SourceFile{"extra.rego", "package extra\n\nx := 1\n"});
  bool from_plan = true;
  auto policy = compile_or_load_plan(mods, {}, &from_plan);
  EXPECT_FALSE(from_plan);
  EXPECT_EQ(decide(policy, b, "alice"), "true");
}

TEST(BundlePlan, DisabledBuiltinFallsBackToCompiling) {
  Bundle src;
  src.modules["u.rego"] = SourceFile{"u.rego", "package u\n\nx := upper(input.s)\n"};
  Bundle b = load_bundle_tarball(tarball(src, plan_for(src)), "b.tar.gz");
  ASSERT_FALSE(b.plan.empty());
  CompileOptions co;
  co.disabled_builtins = {"upper"};
  bool from_plan = true;
  try {
    compile_or_load_plan(modules_of(b), co, &from_plan);
  } catch (const Error&) {
    // compile() reports the disabled builtin (when it enforces them)
  }
  EXPECT_FALSE(from_plan);
}

TEST(BundlePlan, DirectoryBundleWithPlan) {
  fs::path dir = fs::temp_directory_path() / ("wartburg_bundle_plan_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  Bundle src = sample();
  for (const auto& [path, text] : bundle_files(src)) {
    fs::path p = dir / path.substr(1);
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  std::string plan = plan_for(src);
  std::ofstream(dir / "plan.wartburg", std::ios::binary) << plan;
  Bundle b = load_bundle(dir.string());
  EXPECT_EQ(b.plan, plan);
  bool from_plan = false;
  auto policy = compile_or_load_plan(modules_of(b), {}, &from_plan);
  EXPECT_TRUE(from_plan);
  EXPECT_EQ(decide(policy, b, "alice"), "true");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace wartburg::sidecar
