// Tests of the bundle writer: round trips through load_bundle (modules, data,
// revision, roots, metadata, rego_version), long tar paths (ustar prefix and
// PAX), gzip, the manifest text and the atomic file write; archives are also
// checked with the system `tar` when it is installed.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "policy/json.h"
#include "sidecar/bundle.h"
#include "sidecar/bundle_writer.h"

namespace wartburg::sidecar {
namespace {

namespace fs = std::filesystem;

class BundleWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("wartburg_bundle_writer_test_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};

Bundle sample() {
  Bundle b;
  b.modules["policy/authz.rego"] = SourceFile{"policy/authz.rego", "package authz\n\nallow if input.user == \"admin\"\n"};
  b.modules["lib/util.rego"] = SourceFile{"lib/util.rego", "package lib.util\n\nf(x) := x + 1\n"};
  b.data = parse_json(R"({"authz":{"users":["alice","bob"]},"lib":{"util":{"n":1.5}}})");
  b.revision = "v1.2.3";
  b.roots = {"authz", "lib"};
  b.metadata = parse_json(R"({"owner":"team-a"})");
  return b;
}

void expect_same(const Bundle& want, const Bundle& got) {
  ASSERT_EQ(want.modules.size(), got.modules.size());
  for (const auto& [id, src] : want.modules) {
    auto it = got.modules.find(id);
    ASSERT_NE(it, got.modules.end()) << id;
    EXPECT_EQ(src.text, it->second.text) << id;
  }
  EXPECT_EQ(to_json(want.data), to_json(got.data));
  EXPECT_EQ(want.revision, got.revision);
  EXPECT_EQ(want.roots, got.roots);
  EXPECT_EQ(want.rego_version, got.rego_version);
  EXPECT_EQ(want.metadata.defined(), got.metadata.defined());
  if (want.metadata.defined()) {
    EXPECT_EQ(to_json(want.metadata), to_json(got.metadata));
  }
}

TEST_F(BundleWriterTest, RoundTripInMemory) {
  Bundle b = sample();
  std::string bytes = write_bundle_tarball(b);
  ASSERT_GE(bytes.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0x8b);
  expect_same(b, load_bundle_tarball(bytes, "mem"));
}

TEST_F(BundleWriterTest, RoundTripThroughFile) {
  Bundle b = sample();
  std::string path = (dir / "bundle.tar.gz").string();
  write_bundle_file(b, path);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  expect_same(b, load_bundle(path));
}

TEST_F(BundleWriterTest, DefaultRootsAndNoMetadata) {
  Bundle b;
  b.modules["x.rego"] = SourceFile{"x.rego", "package x\n\np := 1\n"};
  b.roots = {""};
  EXPECT_EQ(manifest_json(b), R"({"revision":"","roots":[""],"rego_version":1})");
  Bundle got = load_bundle_tarball(write_bundle_tarball(b), "mem");
  expect_same(b, got);
  EXPECT_EQ(to_json(got.data), "{}");
}

TEST_F(BundleWriterTest, ManifestText) {
  Bundle b = sample();
  EXPECT_EQ(manifest_json(b),
            R"({"revision":"v1.2.3","roots":["authz","lib"],"rego_version":1,"metadata":{"owner":"team-a"}})");
  b.roots.clear();
  b.metadata = Value();
  b.rego_version = 0;
  b.revision = "a\"b";
  EXPECT_EQ(manifest_json(b), R"({"revision":"a\"b","roots":[""],"rego_version":0})");
}

TEST_F(BundleWriterTest, RegoV0RoundTrip) {
  Bundle b;
  b.modules["v0.rego"] = SourceFile{"v0.rego", "package v0\n\nallow { input.x == 1 }\n"};
  b.roots = {""};
  b.rego_version = 0;
  expect_same(b, load_bundle_tarball(write_bundle_tarball(b), "mem"));
}

TEST_F(BundleWriterTest, FilesLayout) {
  auto files = bundle_files(sample());
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(files[0].first, "/data.json");
  EXPECT_EQ(files[1].first, "/.manifest");
  EXPECT_EQ(files[2].first, "/lib/util.rego");
  EXPECT_EQ(files[3].first, "/policy/authz.rego");
}

TEST_F(BundleWriterTest, LongPaths) {
  std::string mid = "/" + std::string(90, 'a') + "/" + std::string(50, 'b') + "/p.rego";   // ustar prefix
  std::string huge = "/" + std::string(120, 'c') + "/" + std::string(130, 'd') + ".rego";  // PAX (name > 100)
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "/dir" + std::to_string(i);
  deep += "/q.rego";  // PAX (> 256 bytes)
  std::vector<std::pair<std::string, std::string>> files = {
      {mid, "one"}, {huge, "two"}, {deep, std::string(1000, 'x')}, {"/short.txt", ""}};
  auto back = untar(tar(files), "mem");
  ASSERT_EQ(back.size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(back[i].first, files[i].first.substr(1));
    EXPECT_EQ(back[i].second, files[i].second);
  }
}

TEST_F(BundleWriterTest, LongModulePathRoundTrip) {
  Bundle b;
  std::string id;
  for (int i = 0; i < 30; ++i) id += "segment" + std::to_string(i) + "/";
  id += "policy.rego";
  b.modules[id] = SourceFile{id, "package deep\n\np := 1\n"};
  b.roots = {""};
  expect_same(b, load_bundle_tarball(write_bundle_tarball(b), "mem"));
}

TEST_F(BundleWriterTest, GzipRoundTrip) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += std::to_string(i * 7919 % 1000) + ",";
  EXPECT_EQ(gunzip(gzip(text), "mem"), text);
  EXPECT_EQ(gunzip(gzip(""), "mem"), "");
}

TEST_F(BundleWriterTest, SystemTarReadsArchive) {
  if (std::system("tar --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no tar";
  Bundle b = sample();
  std::string id = std::string(120, 'z') + "/" + std::string(110, 'y') + ".rego";
  b.modules[id] = SourceFile{id, "package authz.long\n"};
  std::string path = (dir / "b.tar.gz").string();
  write_bundle_file(b, path);
  fs::create_directories(dir / "x");
  std::string cmd = "tar -xzf " + path + " -C " + (dir / "x").string() + " 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(dir / "x" / "policy" / "authz.rego");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), b.modules["policy/authz.rego"].text);
  EXPECT_TRUE(fs::exists(dir / "x" / id));
  EXPECT_TRUE(fs::exists(dir / "x" / ".manifest"));
  EXPECT_TRUE(fs::exists(dir / "x" / "data.json"));
}

TEST_F(BundleWriterTest, UnwritablePathThrows) {
  EXPECT_THROW(write_bundle_file(sample(), (dir / "missing" / "b.tar.gz").string()), BundleError);
}

}  // namespace
}  // namespace wartburg::sidecar
