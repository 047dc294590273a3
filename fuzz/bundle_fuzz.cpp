// Fuzz target "bundle": the bundle reader (sidecar/bundle.h) on hostile
// archives — gunzip, tar, .manifest, data files, the plan check — and then
// what the server does with a bundle: compile it (or load its plan) and
// evaluate `data` under a short deadline.
//
// Input: a .tar.gz, used as it is when it starts with the gzip magic;
// anything else is taken as a plain tar: the harness recomputes each header's
// checksum and gzips it, so mutations reach the tar and bundle logic instead
// of stopping at the checksums and the CRC.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "policy/engine.h"
#include "sidecar/bundle.h"

namespace {

using namespace wartburg;

uint64_t tar_size(const char* f) {
  uint64_t v = 0;
  if (static_cast<unsigned char>(f[0]) & 0x80) {
    for (int i = 1; i < 12; ++i) v = (v << 8) | static_cast<unsigned char>(f[i]);
    return v;
  }
  for (int i = 0; i < 12 && f[i]; ++i) {
    if (f[i] == ' ') continue;
    if (f[i] < '0' || f[i] > '7') break;
    v = v * 8 + static_cast<uint64_t>(f[i] - '0');
  }
  return v;
}

void fix_tar_checksums(std::string& tar) {
  size_t off = 0;
  while (off + 512 <= tar.size()) {
    char* h = tar.data() + off;
    bool zero = true;
    for (int i = 0; i < 512 && zero; ++i) zero = h[i] == 0;
    if (zero) break;
    uint64_t sum = 0;
    for (int i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
    char field[9];
    std::snprintf(field, sizeof field, "%06o", static_cast<unsigned>(sum & 0777777));
    std::memcpy(h + 148, field, 7);  // six digits and NUL
    h[155] = ' ';
    uint64_t size = tar_size(h + 124);
    off += 512;
    if (size > tar.size() - off) break;
    off += (size + 511) / 512 * 512;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(fuzz::bytes(data, size));
  if (!fuzz::is_gzip(bytes)) {
    fix_tar_checksums(bytes);
    bytes = fuzz::gzip(bytes);
  }
  sidecar::Bundle b;
  try {
    b = sidecar::load_bundle_tarball(bytes, "fuzz.tar.gz");
  } catch (const sidecar::BundleError& e) {
    fuzz::trace("bundle", std::string("load: ") + e.what());
    return 0;
  }
  CompileOptions co;
  co.v0_compatible = b.rego_version == 0;
  co.disabled_builtins = {"http.send", "net.lookup_ip_addr"};
  std::vector<SourceFile> modules;
  for (const auto& [id, src] : b.modules) modules.push_back(src);
  try {
    bool from_plan = false;
    auto policy = sidecar::compile_or_load_plan(modules, co, &from_plan);
    fuzz::trace("bundle", std::to_string(modules.size()) + " modules" + (from_plan ? ", from the plan" : ", compiled"));
    PreparedQuery q(policy, "data", co);
    EvalOptions eo = eval_options(fuzz::eval_limits());
    eo.print_to = &fuzz::null_stream();
    q.eval(Value(), b.data, eo);
  } catch (const Error& e) {
    fuzz::trace("bundle", "compile or eval: " + e.errors.at(0).to_string());
  }
  return 0;
}
