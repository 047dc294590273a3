// Tests of bundle loading (directories and .tar.gz files made with `tar`),
// manifest roots validation, the -d style file loader and PathWatcher.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "policy/json.h"
#include "sidecar/bundle.h"
#include "sidecar/store.h"

namespace wartburg::sidecar {
namespace {

namespace fs = std::filesystem;

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("wartburg_bundle_test_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir / "b");
  }
  void TearDown() override { fs::remove_all(dir); }

  void write(const std::string& rel, const std::string& text) {
    fs::path p = dir / "b" / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  // Packs dir/b into a gzipped tarball with GNU tar; returns its path.
  std::string pack(const std::string& format = "gnu") {
    std::string out = (dir / "bundle.tar.gz").string();
    std::string cmd = "tar --format=" + format + " -czf '" + out + "' -C '" + (dir / "b").string() + "' .";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    return out;
  }

  void write_example() {
    write(".manifest", R"({"revision":"rev-7","roots":["authz","users"],"metadata":{"team":"x"}})");
    write("authz/policy.rego", "package authz\nallow if input.user in data.users.admins\n");
    write("users/data.json", R"({"admins":["alice"]})");
  }

  fs::path dir;
};

TEST_F(BundleTest, FromDirectory) {
  write_example();
  Bundle b = load_bundle((dir / "b").string());
  EXPECT_EQ(b.revision, "rev-7");
  EXPECT_EQ(b.roots, (std::vector<std::string>{"authz", "users"}));
  EXPECT_EQ(to_json(b.metadata), R"({"team":"x"})");
  ASSERT_EQ(b.modules.size(), 1u);
  EXPECT_EQ(b.modules.begin()->first, "authz/policy.rego");
  EXPECT_EQ(to_json(b.data), R"({"users":{"admins":["alice"]}})");
}

TEST_F(BundleTest, FromTarballActivatesInStore) {
  write_example();
  write("users/extra/data.yaml", "level: 3\n");
  Bundle b = load_bundle(pack());
  EXPECT_EQ(b.revision, "rev-7");
  EXPECT_EQ(to_json(b.data), R"({"users":{"admins":["alice"],"extra":{"level":3}}})");
  ASSERT_EQ(b.modules.count("authz/policy.rego"), 1u);

  PolicyStore store;
  ASSERT_TRUE(store.replace_all(b.modules, b.data, {{"main", b.revision}}).empty());
  auto s = store.current();
  auto rows = s->prepare("data.authz.allow")->eval(parse_json(R"({"user":"alice"})"), s->data);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(to_json(rows[0].expressions[0].value), "true");
}

TEST_F(BundleTest, TarballLongNamesAndPax) {
  std::string deep = std::string(60, 'a') + "/" + std::string(60, 'b');
  write(deep + "/data.json", R"({"k":1})");
  Bundle gnu = load_bundle(pack("gnu"));
  ASSERT_TRUE(gnu.data.find(std::string(60, 'a')));
  EXPECT_EQ(to_json(*gnu.data.find(std::string(60, 'a'))->find(std::string(60, 'b'))), R"({"k":1})");
  fs::remove(dir / "bundle.tar.gz");
  Bundle pax = load_bundle(pack("pax"));
  EXPECT_EQ(to_json(pax.data), to_json(gnu.data));
}

TEST_F(BundleTest, NoManifestMeansEverythingAllowed) {
  write("a/data.json", R"({"x":1})");
  write("data.json", R"({"top":true})");
  write("p.rego", "package anything\ny := 1\n");
  write("a/ignored.json", R"({"not":"data"})");
  Bundle b = load_bundle(pack());
  EXPECT_EQ(b.roots, (std::vector<std::string>{""}));
  EXPECT_EQ(b.revision, "");
  EXPECT_EQ(to_json(b.data), R"({"a":{"x":1},"top":true})");
  EXPECT_EQ(b.modules.size(), 1u);
}

TEST_F(BundleTest, ModuleOutsideRootsIsError) {
  write(".manifest", R"({"roots":["authz"]})");
  write("x/policy.rego", "package other\nz := 1\n");
  try {
    load_bundle((dir / "b").string());
    FAIL() << "expected a roots error";
  } catch (const BundleError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("manifest roots [authz] do not permit 'package other'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("x/policy.rego"), std::string::npos) << msg;
  }
}

TEST_F(BundleTest, DataOutsideRootsIsError) {
  write(".manifest", R"({"roots":["a/b"]})");
  write("a/data.json", R"({"b":{"ok":1},"c":2})");
  try {
    load_bundle(pack());
    FAIL() << "expected a roots error";
  } catch (const BundleError& e) {
    EXPECT_NE(std::string(e.what()).find("do not permit data at path '/a/c'"), std::string::npos) << e.what();
  }
}

TEST_F(BundleTest, DataInsideNestedRootIsFine) {
  write(".manifest", R"({"roots":["a/b"]})");
  write("a/data.json", R"({"b":{"ok":1}})");
  write("a/b/p.rego", "package a.b.c\nr := 1\n");
  EXPECT_NO_THROW(load_bundle((dir / "b").string()));
}

TEST_F(BundleTest, ErrorsNameTheFile) {
  write("bad/data.json", R"({"x": )");
  try {
    load_bundle((dir / "b").string());
    FAIL();
  } catch (const BundleError& e) {
    EXPECT_NE(std::string(e.what()).find("bad/data.json"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load_bundle((dir / "missing").string()), BundleError);
  write("plain.txt", "hello");
  EXPECT_THROW(load_bundle((dir / "b" / "plain.txt").string()), BundleError);
}

TEST_F(BundleTest, RegoV0Manifest) {
  write(".manifest", R"({"rego_version":0})");
  write("p.rego", "package p\nallow { true }\n");
  Bundle b = load_bundle((dir / "b").string());
  EXPECT_EQ(b.rego_version, 0);
}

TEST_F(BundleTest, CorruptGzip) {
  std::string bytes = "\x1f\x8b\x08\x00garbage";
  EXPECT_THROW(load_bundle_tarball(bytes, "x.tar.gz"), BundleError);
}

TEST_F(BundleTest, LoadPaths) {
  write("policies/a.rego", "package a\nx := data.cfg.v\n");
  write("cfg/data.json", R"({"v":1})");
  write("cfg/more.yaml", "w: 2\n");
  fs::create_directories(dir / "top");
  std::ofstream(dir / "top" / "root.json") << R"({"root":true})";
  Bundle b = load_paths({(dir / "b").string(), (dir / "top" / "root.json").string()});
  EXPECT_EQ(to_json(b.data), R"({"cfg":{"v":1,"w":2},"root":true})");
  ASSERT_EQ(b.modules.size(), 1u);
  EXPECT_EQ(b.modules.begin()->first, (dir / "b" / "policies" / "a.rego").string());
}

TEST_F(BundleTest, LoadPathsConflict) {
  write("x/one.json", R"({"k":1})");
  write("x/two.json", R"({"k":2})");
  try {
    load_paths({(dir / "b").string()});
    FAIL();
  } catch (const BundleError& e) {
    EXPECT_NE(std::string(e.what()).find("merge error"), std::string::npos) << e.what();
  }
}

TEST_F(BundleTest, WatcherSeesChanges) {
  write("p.rego", "package p\n");
  std::atomic<int> changes{0};
  PathWatcher w({(dir / "b").string()}, std::chrono::milliseconds(20), [&] { ++changes; });
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_EQ(changes.load(), 0);
  write("q.rego", "package q\n");
  for (int i = 0; i < 100 && changes.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GE(changes.load(), 1);
  w.stop();
}

}  // namespace
}  // namespace wartburg::sidecar
