// Size limits of the file loader (policy/loader.h, issue #9): files that
// cannot be sized (devices, pipes) are read up to the limit and never without
// end, each file and the whole load are bounded with errors naming the file,
// folder loops through symbolic links end, and large data merges stay linear.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "policy/error.h"
#include "policy/json.h"
#include "policy/loader.h"

namespace wartburg {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/wartburg-loader-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    fs::path p = path / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.errors.empty() ? "<no error>" : e.errors.front().message;
  }
  return "<no error>";
}

TEST(LoaderLimits, DevicesAreRefused) {
  EXPECT_EQ(error_of([] { read_file("/dev/zero"); }), "read /dev/zero: not a regular file (a character device)");
  EXPECT_EQ(error_of([] { load_paths({"/dev/zero"}); }), "read /dev/zero: not a regular file (a character device)");
  EXPECT_EQ(error_of([] { load_paths({"x:/dev/urandom"}); }),
            "read /dev/urandom: not a regular file (a character device)");
}

TEST(LoaderLimits, PipesAreReadUpToTheLimit) {
  TempDir d;
  std::string fifo = (d.path / "fifo.json").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  pid_t pid = fork();
  if (pid == 0) {
    std::ofstream(fifo) << "{\"a\": 1}";
    _exit(0);
  }
  LoadedFiles lf = load_paths({fifo});
  ASSERT_NE(lf.data.find("a"), nullptr);
  EXPECT_EQ(to_json(*lf.data.find("a")), "1");
  waitpid(pid, nullptr, 0);
  // a pipe that never ends stops at the limit
  pid = fork();
  if (pid == 0) {
    std::ofstream out(fifo);
    std::string chunk(65536, ' ');
    for (int i = 0; i < 64 && out; ++i) out << chunk;
    _exit(0);
  }
  EXPECT_EQ(error_of([&] { read_file(fifo, 1 << 20); }), "read " + fifo + ": file is larger than the limit of 1048576 bytes");
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

TEST(LoaderLimits, FileSizeLimitNamesTheFile) {
  TempDir d;
  std::string big = d.write("big.json", "{\"a\": \"" + std::string(2000, 'x') + "\"}");
  LoadOptions lo;
  lo.max_file_bytes = 1000;
  EXPECT_EQ(error_of([&] { load_paths({big}, lo); }), "read " + big + ": file is larger than the limit of 1000 bytes");
  EXPECT_EQ(error_of([&] { read_file(big, 1000); }), "read " + big + ": file is larger than the limit of 1000 bytes");
  lo.max_file_bytes = 3000;
  EXPECT_NO_THROW(load_paths({big}, lo));
}

TEST(LoaderLimits, TotalSizeLimitNamesTheFileThatCrossesIt) {
  TempDir d;
  d.write("root/a.json", "{\"a\": \"" + std::string(600, 'x') + "\"}");
  d.write("root/b.json", "{\"b\": \"" + std::string(600, 'x') + "\"}");
  LoadOptions lo;
  lo.max_total_bytes = 1000;
  std::string root = (d.path / "root").string();
  EXPECT_EQ(error_of([&] { load_paths({root}, lo); }),
            "read " + root + "/b.json: the files loaded exceed the total limit of 1000 bytes");
  lo.max_total_bytes = 2000;
  LoadedFiles lf = load_paths({root}, lo);
  EXPECT_NE(lf.data.find("a"), nullptr);
  EXPECT_NE(lf.data.find("b"), nullptr);
}

TEST(LoaderLimits, SymlinkLoopsEnd) {
  TempDir d;
  d.write("root/x/p.rego", "package x\n");
  fs::create_directory_symlink(d.path / "root", d.path / "root/x/loop");
  LoadedFiles lf = load_paths({(d.path / "root").string()});
  EXPECT_EQ(lf.modules.size(), 1u);
}

TEST(LoaderLimits, LargeDataMergeIsLinear) {
  TempDir d;
  std::string a = "{", b = "{";
  for (int i = 0; i < 100000; ++i) {
    a += std::string(i ? "," : "") + "\"a" + std::to_string(i) + "\": " + std::to_string(i);
    b += std::string(i ? "," : "") + "\"b" + std::to_string(i) + "\": " + std::to_string(i);
  }
  d.write("root/a.json", a + "}");
  d.write("root/b.json", b + "}");
  auto start = std::chrono::steady_clock::now();
  LoadedFiles lf = load_paths({(d.path / "root").string()});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(lf.data.entries().size(), 200000u);
}

TEST(LoaderLimits, MissingFilesAndFoldersKeepTheirMessages) {
  EXPECT_EQ(error_of([] { read_file("/nonexistent/x.json"); }), "open /nonexistent/x.json: no such file or directory");
  EXPECT_EQ(error_of([] { read_file("/tmp"); }), "read /tmp: is a directory");
}

}  // namespace
}  // namespace wartburg
