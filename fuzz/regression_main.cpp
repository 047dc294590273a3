// fuzz_regression: replays fuzz inputs through the fuzz targets without
// libFuzzer, in the normal build (ctest fuzz_seeds_<target>, see
// fuzz/CMakeLists.txt). Each target's LLVMFuzzerTestOneInput is compiled under
// the name wartburg_fuzz_<target>.
//
// Usage: fuzz_regression <target> <file or directory>...
// Directories are read recursively (files in name order; names starting with
// '.' and README files skipped). A crash names the input that caused it.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#define WARTBURG_FUZZ_TARGET(name) extern "C" int wartburg_fuzz_##name(const uint8_t* data, size_t size);
WARTBURG_FUZZ_TARGET(rego)
WARTBURG_FUZZ_TARGET(json)
WARTBURG_FUZZ_TARGET(yaml)
WARTBURG_FUZZ_TARGET(admission)
WARTBURG_FUZZ_TARGET(http)
WARTBURG_FUZZ_TARGET(plan)
WARTBURG_FUZZ_TARGET(bundle)
WARTBURG_FUZZ_TARGET(grpc)
#undef WARTBURG_FUZZ_TARGET

namespace {

namespace fs = std::filesystem;
using Target = int (*)(const uint8_t*, size_t);

struct Entry {
  const char* name;
  Target fn;
};
const Entry kTargets[] = {
    {"rego", wartburg_fuzz_rego},   {"json", wartburg_fuzz_json}, {"yaml", wartburg_fuzz_yaml},
    {"admission", wartburg_fuzz_admission}, {"http", wartburg_fuzz_http}, {"plan", wartburg_fuzz_plan},
    {"bundle", wartburg_fuzz_bundle}, {"grpc", wartburg_fuzz_grpc},
};

// The input being replayed, for the crash handler (async-signal-safe output only).
char g_current[4096];

void on_crash(int sig) {
  const char head[] = "\nfuzz_regression: crashed (signal) on input: ";
  (void)!write(2, head, sizeof head - 1);
  (void)!write(2, g_current, strlen(g_current));
  (void)!write(2, "\n", 1);
  signal(sig, SIG_DFL);
  raise(sig);
}

void install_crash_handler() {
  static char altstack[1 << 16];  // a stack overflow is reported too
  stack_t ss{};
  ss.ss_sp = altstack;
  ss.ss_size = sizeof altstack;
  sigaltstack(&ss, nullptr);
  struct sigaction sa{};
  sa.sa_handler = on_crash;
  sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
  for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL}) sigaction(sig, &sa, nullptr);
}

bool skipped(const fs::path& p) {
  std::string name = p.filename().string();
  return name.empty() || name[0] == '.' || name.rfind("README", 0) == 0;
}

void collect(const fs::path& p, std::vector<fs::path>& out) {
  if (fs::is_directory(p)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(p)) {
      if (e.is_regular_file() && !skipped(e.path())) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  } else if (fs::is_regular_file(p)) {
    out.push_back(p);
  } else {
    std::fprintf(stderr, "fuzz_regression: %s: no such file or directory\n", p.c_str());
    std::exit(2);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fuzz_regression <target> <file or directory>...\ntargets:");
    for (const auto& t : kTargets) std::fprintf(stderr, " %s", t.name);
    std::fprintf(stderr, "\n");
    return 2;
  }
  Target fn = nullptr;
  for (const auto& t : kTargets) {
    if (std::strcmp(t.name, argv[1]) == 0) fn = t.fn;
  }
  if (!fn) {
    std::fprintf(stderr, "fuzz_regression: unknown target %s\n", argv[1]);
    return 2;
  }
  std::vector<fs::path> inputs;
  for (int i = 2; i < argc; ++i) collect(argv[i], inputs);
  install_crash_handler();

  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  double slowest = 0;
  std::string slowest_name;
  for (const auto& path : inputs) {
    std::snprintf(g_current, sizeof g_current, "%s", path.c_str());
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    std::string bytes = s.str();
    auto t1 = Clock::now();
    fn(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    double secs = std::chrono::duration<double>(Clock::now() - t1).count();
    if (secs > slowest) {
      slowest = secs;
      slowest_name = path.string();
    }
  }
  double total = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("fuzz_regression %s: %zu inputs in %.2f s", argv[1], inputs.size(), total);
  if (!slowest_name.empty()) std::printf(" (slowest %.3f s: %s)", slowest, slowest_name.c_str());
  std::printf("\n");
  return 0;
}
