// Load time of a precompiled plan (what `wartburg build` puts in bundles as
// /plan.wartburg) beside the time to parse and compile the same sources:
//   BM_CompileSources/<set>  compile(sources) per iteration
//   BM_LoadPlan/<set>        load_plan(plan bytes) per iteration (counter: plan_bytes)
// Sets: policies/ (everything), policies/kubernetes, policies/api, and the
// shared decision workloads' policies (k8s, rbac, tiny; $WARTBURG_BENCH_DIR or
// ../shared/bench next to the sources). Registered into wartburg_bench's main.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "policy/engine.h"
#include "policy/loader.h"

namespace fs = std::filesystem;

namespace {

struct PolicySet {
  std::string error;  // set when loading, compiling or the plan failed
  std::vector<wartburg::SourceFile> modules;
  size_t source_bytes = 0;
  std::string plan;
};

fs::path source_dir() {
#ifdef WARTBURG_SOURCE_DIR
  return WARTBURG_SOURCE_DIR;
#else
  return ".";
#endif
}

fs::path workloads_dir() {
  if (const char* env = std::getenv("WARTBURG_BENCH_DIR"); env && *env) return env;
  return source_dir() / "../shared/bench";
}

// Loaded once per set (on first use) and kept for the process.
const PolicySet& policy_set(const std::string& name, const std::vector<fs::path>& paths) {
  static std::map<std::string, PolicySet> sets;
  auto it = sets.find(name);
  if (it != sets.end()) return it->second;
  PolicySet s;
  try {
    std::vector<std::string> args;
    for (const auto& p : paths) {
      if (!fs::exists(p)) throw std::runtime_error(p.string() + " not found");
      args.push_back(p.string());
    }
    s.modules = wartburg::load_paths(args).modules;
    for (const auto& m : s.modules) s.source_bytes += m.text.size();
    s.plan = wartburg::save_plan(*wartburg::compile(s.modules));
    wartburg::load_plan(s.plan);  // fails here rather than inside the timing loop
  } catch (const std::exception& e) {
    s.error = name + ": " + e.what();
  }
  return sets.emplace(name, std::move(s)).first->second;
}

void bench_compile(benchmark::State& state, std::string name, std::vector<fs::path> paths) {
  const PolicySet& s = policy_set(name, paths);
  if (!s.error.empty()) {
    state.SkipWithError(s.error.c_str());
    return;
  }
  for (auto _ : state) {
    auto p = wartburg::compile(s.modules);
    benchmark::DoNotOptimize(p);
  }
  state.counters["modules"] = static_cast<double>(s.modules.size());
  state.counters["source_bytes"] = static_cast<double>(s.source_bytes);
}

void bench_load(benchmark::State& state, std::string name, std::vector<fs::path> paths) {
  const PolicySet& s = policy_set(name, paths);
  if (!s.error.empty()) {
    state.SkipWithError(s.error.c_str());
    return;
  }
  for (auto _ : state) {
    auto p = wartburg::load_plan(s.plan);
    benchmark::DoNotOptimize(p);
  }
  state.counters["modules"] = static_cast<double>(s.modules.size());
  state.counters["plan_bytes"] = static_cast<double>(s.plan.size());
}

struct Register {
  Register() {
    fs::path src = source_dir();
    fs::path work = workloads_dir();
    const std::vector<std::pair<std::string, std::vector<fs::path>>> sets = {
        {"policies", {src / "policies"}},
        {"kubernetes", {src / "policies/kubernetes"}},
        {"api", {src / "policies/api"}},
        {"bench_k8s", {work / "k8s/policy.rego"}},
        {"bench_rbac", {work / "rbac/policy.rego"}},
        {"bench_tiny", {work / "tiny/policy.rego"}},
    };
    for (const auto& [name, paths] : sets) {
      benchmark::RegisterBenchmark(("BM_CompileSources/" + name).c_str(), bench_compile, name, paths)
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(("BM_LoadPlan/" + name).c_str(), bench_load, name, paths)
          ->Unit(benchmark::kMicrosecond);
    }
  }
} register_plan_benchmarks;

}  // namespace
