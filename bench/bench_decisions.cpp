// Google Benchmark program over the shared decision workloads
// (../shared/bench: k8s admission, RBAC, tiny). For each workload and input:
//   <name>/parsed  policy compiled, query prepared, input parsed once; loop evaluates
//   <name>/json    loop parses the raw input JSON text and evaluates
// Every benchmark first checks the decision against the expected one
// (bench/README.md of the workloads) and reports an error instead of timing a
// wrong answer. Workloads folder: --workloads=DIR, else $WARTBURG_BENCH_DIR,
// else ../shared/bench from the current directory, else next to the sources.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "policy/engine.h"
#include "policy/json.h"

namespace fs = std::filesystem;
using wartburg::Value;

namespace {

// A decision check: empty string when the decision is right, else what is wrong.
using Check = std::function<std::string(const Value& decision)>;

struct Spec {
  std::string name;       // benchmark prefix, e.g. "rbac_deny"
  std::string policy;     // relative to the workloads dir
  std::string data;       // relative; empty: data is {}
  std::string query;
  std::string input;      // relative
  Check check;
};

struct Workload {
  Spec spec;
  std::string error;  // set when loading failed
  std::unique_ptr<wartburg::PreparedQuery> query;
  Value data, input;
  std::string input_text;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---- expected decisions ----
std::string shown(const Value& v) { return v.defined() ? to_json(v) : "undefined"; }

Check expect_bool(bool want) {
  return [want](const Value& v) {
    return v.is_bool() && v.as_bool() == want ? std::string() : "want " + std::string(want ? "true" : "false") + ", got " + shown(v);
  };
}

const char* kK8sDeny[] = {
    "container sidecar adds capability NET_ADMIN which is not allowed",
    "container sidecar has no memory limit",
    "container sidecar must not be privileged",
    "container sidecar must set runAsNonRoot to true",
    "container sidecar uses image docker.io/library/nginx:latest from a registry that is not allowed",
    "container sidecar uses the latest tag (image docker.io/library/nginx:latest)",
    "pod shop-web-7d9f8 is missing required labels: [\"owner\"]",
    "pod shop-web-7d9f8 must not use hostPID",
};

std::string k8s_denied(const Value& v) {
  std::string message;
  for (const char* m : kK8sDeny) message += (message.empty() ? "" : "; ") + std::string(m);
  const Value* allowed = v.is_object() ? v.find("allowed") : nullptr;
  const Value* status = v.is_object() ? v.find("status") : nullptr;
  const Value* got = status && status->is_object() ? status->find("message") : nullptr;
  if (allowed && allowed->is_false() && got && *got == Value::string(message)) return {};
  return "want allowed=false with the 8 deny messages, got " + shown(v);
}

std::string k8s_allowed(const Value& v) {
  Value want = wartburg::parse_json(
      R"({"allowed": true, "status": {"message": ""}, "uid": "705ab4f5-6393-11e8-b7cc-42010a800002"})");
  return v == want ? std::string() : "want " + to_json(want) + ", got " + shown(v);
}

std::vector<Spec> specs() {
  const char* k8s_q = "data.k8s.admission.response";
  return {
      {"k8s", "k8s/policy.rego", "", k8s_q, "k8s/input.json", k8s_denied},
      {"k8s_allowed", "k8s/policy.rego", "", k8s_q, "k8s/input_allowed.json", k8s_allowed},
      {"rbac", "rbac/policy.rego", "rbac/data.json", "data.authz.allow", "rbac/input.json", expect_bool(true)},
      {"rbac_deny", "rbac/policy.rego", "rbac/data.json", "data.authz.allow", "rbac/input_deny.json", expect_bool(false)},
      {"tiny", "tiny/policy.rego", "", "data.tiny.allow", "tiny/input.json", expect_bool(true)},
      {"tiny_deny", "tiny/policy.rego", "", "data.tiny.allow", "tiny/input_deny.json", expect_bool(false)},
  };
}

// ---- loading and evaluating ----
std::string describe(const std::exception& e) {
  if (auto* err = dynamic_cast<const wartburg::Error*>(&e)) {
    std::string out;
    for (const auto& i : err->errors) out += (out.empty() ? "" : "; ") + i.to_string();
    if (!out.empty()) return out;
  }
  return e.what();
}

void load(Workload& w, const fs::path& dir) {
  try {
    const Spec& s = w.spec;
    auto policy = wartburg::compile({{s.policy, read_file(dir / s.policy)}});
    w.query = std::make_unique<wartburg::PreparedQuery>(policy, s.query);
    w.data = s.data.empty() ? Value::empty_object() : wartburg::parse_json(read_file(dir / s.data));
    w.input_text = read_file(dir / s.input);
    w.input = wartburg::parse_json(w.input_text);
  } catch (const std::exception& e) {
    w.error = w.spec.name + ": " + describe(e);
  }
}

// The decision: the value of the query's single expression (Undefined if none).
Value decide(const Workload& w, const Value& input) {
  auto rows = w.query->eval(input, w.data);
  if (rows.empty() || rows[0].expressions.empty()) return {};
  return rows[0].expressions[0].value;
}

// True when the workload is loaded and decides as expected; else skips with the reason.
bool verified(benchmark::State& state, const Workload& w) {
  std::string why = w.error;
  if (why.empty()) {
    try {
      why = w.spec.check(decide(w, w.input));
    } catch (const std::exception& e) {
      why = describe(e);
    }
  }
  if (why.empty()) return true;
  state.SkipWithError(why.c_str());
  return false;
}

void bench_parsed(benchmark::State& state, const Workload* w) {
  if (!verified(state, *w)) return;
  for (auto _ : state) {
    auto rows = w->query->eval(w->input, w->data);
    benchmark::DoNotOptimize(rows);
  }
}

void bench_json(benchmark::State& state, const Workload* w) {
  if (!verified(state, *w)) return;
  for (auto _ : state) {
    Value input = wartburg::parse_json(w->input_text);
    auto rows = w->query->eval(input, w->data);
    benchmark::DoNotOptimize(rows);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(w->input_text.size()));
}

// ---- workloads folder ----
fs::path workloads_dir(int& argc, char** argv) {
  const std::string flag = "--workloads=";
  std::string chosen;
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind(flag, 0) == 0) chosen = a.substr(flag.size());
    else argv[out++] = argv[i];
  }
  argc = out;
  if (!chosen.empty()) return chosen;
  if (const char* env = std::getenv("WARTBURG_BENCH_DIR"); env && *env) return env;
  fs::path local = "../shared/bench";
#ifdef WARTBURG_SOURCE_DIR
  if (!fs::exists(local)) return fs::path(WARTBURG_SOURCE_DIR) / "../shared/bench";
#endif
  return local;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path dir = workloads_dir(argc, argv);
  static std::vector<Workload> workloads;  // outlives the registered benchmarks
  for (auto& s : specs()) workloads.push_back(Workload{std::move(s), {}, nullptr, {}, {}, {}});
  for (auto& w : workloads) {
    load(w, dir);
    if (!w.error.empty()) std::cerr << "wartburg_bench: " << w.error << " (workloads: " << dir << ")\n";
  }
  for (const auto& w : workloads) {
    benchmark::RegisterBenchmark((w.spec.name + "/parsed").c_str(), bench_parsed, &w)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((w.spec.name + "/json").c_str(), bench_json, &w)->Unit(benchmark::kMicrosecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
