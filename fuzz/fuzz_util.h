// Helpers shared by the libFuzzer targets in fuzz/ (see fuzz/README.md). Each
// target defines LLVMFuzzerTestOneInput; the same sources are linked into
// libFuzzer binaries (make fuzz, clang) and into fuzz_regression, which
// replays the committed corpora in the normal build (ctest fuzz_seeds_*).
#pragma once

#include <zlib.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>

#include "policy/limits.h"

#ifndef WARTBURG_SOURCE_DIR
#error "WARTBURG_SOURCE_DIR must name the source tree (set by fuzz/CMakeLists.txt)"
#endif

namespace wartburg::fuzz {

// Evaluation deadline of every target: enough for any sensible input, short
// enough that a slow input is cut off long before libFuzzer's -timeout.
inline constexpr std::chrono::milliseconds kEvalTimeout{200};

// Limits of every evaluation a target runs: the deadline above, and a memory
// budget well below libFuzzer's -rss_limit_mb (so a costly input ends with a
// LimitError, not an out-of-memory report).
inline EvalLimits eval_limits() {
  EvalLimits l;
  l.timeout = kEvalTimeout;
  l.memory_bytes = uint64_t{64} << 20;
  l.value_bytes = uint64_t{16} << 20;
  return l;
}

inline std::string_view bytes(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A file of the source tree (sample policies), read once at start-up.
inline std::string source_file(const std::string& relative) {
  std::string path = std::string(WARTBURG_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fuzz: cannot read %s\n", path.c_str());
    std::abort();
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// print()/trace output of fuzzed policies goes nowhere.
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};
inline std::ostream& null_stream() {
  static NullBuffer buf;
  static std::ostream out(&buf);
  return out;
}

// gzip of `plain` (fast, level 1): targets that read gzip wrap fuzz bytes
// this way so mutations reach the parser behind the CRC check.
inline std::string gzip(std::string_view plain) {
  z_stream zs{};
  if (deflateInit2(&zs, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::string out(deflateBound(&zs, plain.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  zs.avail_in = static_cast<uInt>(plain.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

inline bool is_gzip(std::string_view s) { return s.size() >= 2 && s[0] == '\x1f' && s[1] == '\x8b'; }

// A broken invariant that is not a crash (a round trip that does not hold):
// report it and abort, so libFuzzer saves the input.
[[noreturn]] inline void fail(const char* target, const std::string& what) {
  std::fprintf(stderr, "fuzz %s: %s\n", target, what.c_str());
  std::abort();
}

}  // namespace wartburg::fuzz

namespace wartburg::fuzz {

// Invariants that are not crashes (round trips, formatter idempotence) are
// checked unless WARTBURG_FUZZ_CRASHES_ONLY is set (to hunt crashes past a
// known, unfixed invariant failure).
inline bool check_invariants() {
  static const bool on = std::getenv("WARTBURG_FUZZ_CRASHES_ONLY") == nullptr;
  return on;
}

// WARTBURG_FUZZ_VERBOSE=1: targets say how far each input got (to check seeds).
inline void trace(const char* target, const std::string& what) {
  static const bool on = std::getenv("WARTBURG_FUZZ_VERBOSE") != nullptr;
  if (on) std::fprintf(stderr, "fuzz %s: %s\n", target, what.c_str());
}

}  // namespace wartburg::fuzz
