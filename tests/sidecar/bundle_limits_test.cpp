// Reader limits of bundles (sidecar/bundle.cpp, issue #9): tar entries with
// ".." are refused, entry paths and the number of entries are bounded, a
// directory bundle with a symbolic link loop ends, and devices are not read.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "sidecar/bundle.h"

namespace wartburg::sidecar {
namespace {

namespace fs = std::filesystem;

// One ustar header + body (padded), as tar writes it.
std::string tar_entry(const std::string& name, const std::string& body, char type = '0') {
  char h[512] = {};
  std::snprintf(h, 100, "%s", name.substr(0, 99).c_str());
  std::snprintf(h + 100, 8, "%07o", 0644);
  std::snprintf(h + 108, 8, "%07o", 0);
  std::snprintf(h + 116, 8, "%07o", 0);
  std::snprintf(h + 124, 12, "%011lo", static_cast<unsigned long>(body.size()));
  std::snprintf(h + 136, 12, "%011o", 0);
  h[156] = type;
  std::memcpy(h + 257, "ustar", 6);
  std::memcpy(h + 263, "00", 2);
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(h + 148, 8, "%06o", sum);
  std::string out(h, 512);
  out += body;
  out.append((512 - body.size() % 512) % 512, '\0');
  return out;
}

std::string end_of_tar() { return std::string(1024, '\0'); }

std::string untar_error(const std::string& tar) {
  try {
    untar(tar, "b.tar.gz");
  } catch (const BundleError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(BundleLimits, PathTraversalIsRefused) {
  EXPECT_EQ(untar_error(tar_entry("../evil.rego", "package x\n") + end_of_tar()),
            "b.tar.gz: tar: invalid file path ../evil.rego");
  EXPECT_EQ(untar_error(tar_entry("a/../../evil.rego", "package x\n") + end_of_tar()),
            "b.tar.gz: tar: invalid file path a/../../evil.rego");
  // a leading slash or ./ is only a spelling of the bundle root
  auto files = untar(tar_entry("/a/x.rego", "package a\n") + tar_entry("./b/y.rego", "package b\n") + end_of_tar(), "b");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].first, "a/x.rego");
  EXPECT_EQ(files[1].first, "b/y.rego");
}

TEST(BundleLimits, LongEntryNamesAreBounded) {
  std::string name(5000, 'a');
  EXPECT_EQ(untar_error(tar_entry("././@LongLink", name, 'L') + tar_entry("x", "") + end_of_tar()),
            "b.tar.gz: tar: file path longer than 4096 bytes");
  std::string huge(1 << 20, 'a');
  EXPECT_EQ(untar_error(tar_entry("././@LongLink", huge, 'L') + tar_entry("x", "") + end_of_tar()),
            "b.tar.gz: tar: header of an entry exceeds 9216 bytes");
  // a long name within the limit still works
  std::string ok = std::string(300, 'd') + "/p.rego";
  auto files = untar(tar_entry("././@LongLink", ok, 'L') + tar_entry("x", "package d\n") + end_of_tar(), "b");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].first, ok);
}

TEST(BundleLimits, NumberOfEntriesIsBounded) {
  std::string tar;
  std::string entry = tar_entry("d/e", "");
  tar.reserve(entry.size() * 100001 + 1024);
  for (int i = 0; i < 100001; ++i) tar += entry;
  tar += end_of_tar();
  EXPECT_EQ(untar_error(tar), "b.tar.gz: tar: more than 100000 entries");
}

TEST(BundleLimits, TruncatedEntryIsAnError) {
  std::string t = tar_entry("a.rego", std::string(2000, 'x'));
  t.resize(512 + 100);
  EXPECT_EQ(untar_error(t), "b.tar.gz: tar: unexpected end of archive");
}

TEST(BundleLimits, DirectorySymlinkLoopEnds) {
  fs::path dir = fs::temp_directory_path() / ("wartburg_bundle_limits_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "b/x");
  std::ofstream(dir / "b/x/p.rego") << "package x\n";
  fs::create_directory_symlink(dir / "b", dir / "b/x/loop");
  // the walk ends: the kernel's limit on symbolic links in a path (ELOOP) or
  // the folder depth limit stops it; what it found below the loop is loaded
  auto start = std::chrono::steady_clock::now();
  try {
    Bundle b = load_bundle((dir / "b").string());
    EXPECT_EQ(b.modules.count("x/p.rego"), 1u);
    EXPECT_LE(b.modules.size(), 300u);
  } catch (const BundleError& e) {
    EXPECT_NE(std::string(e.what()).find("symbolic link"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  fs::remove_all(dir);
}

TEST(BundleLimits, DevicesAreNotRead) {
  try {
    load_bundle("/dev/zero");
    ADD_FAILURE() << "/dev/zero is not a bundle";
  } catch (const BundleError& e) {
    EXPECT_EQ(std::string(e.what()), "read /dev/zero: not a regular file (a character device)");
  }
}

}  // namespace
}  // namespace wartburg::sidecar
