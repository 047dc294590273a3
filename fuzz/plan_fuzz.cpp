// Fuzz target "plan": the precompiled-plan loader (policy/engine.h load_plan,
// lang/plan.cpp) on hostile bytes — a plan comes from a bundle, which may be
// damaged or forged.
//
// Input: plan bytes. When they start with the plan magic, the harness first
// puts in this build's format version, wartburg version and AST fingerprint
// and recomputes the trailing checksum, so mutations (and seeds written by an
// older build) reach the module decoder instead of stopping at those checks.
// A plan that loads is evaluated (query `data`) under a short deadline and
// written back with save_plan, which must load again.
#include <cstring>
#include <string>

#include "fuzz/fuzz_util.h"
#include "lang/plan.h"
#include "policy/engine.h"
#include "policy/json.h"

namespace {

using namespace wartburg;

constexpr std::string_view kMagic{"WBGPLAN\0", 8};

// Length of magic, format version, wartburg version (varint length + bytes)
// and fingerprint at the start of `s`; 0 when `s` is too short.
size_t header_prefix(std::string_view s) {
  size_t at = kMagic.size() + 4;
  uint64_t n = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at >= s.size()) return 0;
    uint8_t b = static_cast<uint8_t>(s[at++]);
    n |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  if (n > s.size() || at + n + 8 > s.size()) return 0;
  return at + n + 8;
}

// This build's header prefix, from a real plan.
const std::string& current_prefix() {
  static const std::string prefix = [] {
    std::string plan = save_plan(*compile({{"p.rego", "package p\n\nx := 1\n"}}));
    return plan.substr(0, header_prefix(plan));
  }();
  return prefix;
}

std::string normalized(std::string_view in) {
  std::string plan(in);
  if (in.substr(0, kMagic.size()) != kMagic) return plan;
  size_t n = header_prefix(in);
  if (n == 0) return plan;
  plan = current_prefix() + std::string(in.substr(n));
  if (plan.size() >= current_prefix().size() + 8) lang::seal_plan(plan);
  return plan;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string plan = normalized(fuzz::bytes(data, size));
  CompileOptions co;
  co.disabled_builtins = {"http.send", "net.lookup_ip_addr"};
  std::shared_ptr<const Policy> policy;
  try {
    co.v0_compatible = lang::read_plan_info(plan).v0;
    policy = load_plan(plan, co);
  } catch (const Error& e) {
    fuzz::trace("plan", "load: " + e.errors.at(0).to_string());
    return 0;
  }
  try {
    PreparedQuery q(policy, "data", co);
    EvalOptions eo = eval_options(fuzz::eval_limits());
    eo.print_to = &fuzz::null_stream();
    auto rows = q.eval(parse_json(R"({"kind": {"kind": "Pod"}, "object": {"metadata": {"name": "p"}}})"),
                       Value::empty_object(), eo);
    fuzz::trace("plan", "eval: " + std::to_string(rows.size()) + " rows");
  } catch (const Error& e) {
    fuzz::trace("plan", "eval: " + e.errors.at(0).to_string());
  }
  std::string again = save_plan(*policy);
  try {
    load_plan(again, co);
  } catch (const Error& e) {
    if (fuzz::check_invariants()) fuzz::fail("plan", "a loaded plan, saved again, does not load: " + e.errors[0].to_string());
  }
  return 0;
}
