// The test subcommand (see test_command.h): flag parsing in the style of
// OPA's cobra/pflag command line, then load (files and folders, or bundles
// with -b) -> compile -> find test_* rules -> evaluate each on its own
// (fresh evaluation, captured print() output, per-test timeout, coverage)
// -> report (test_report.cpp).
#include "cli/test_command.h"

#include <re2/re2.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "cli/capabilities.h"
#include "cli/eval_command.h"
#include "cli/flags.h"
#include "cli/output.h"
#include "policy/loader.h"
#include "sidecar/bundle.h"

namespace wartburg::cli {

namespace {

struct TestFlags {
  bool verbose = false;
  std::string format = "pretty";
  bool coverage = false;
  double threshold = 0;
  std::string run_regex;
  bool bundle = false;
  std::chrono::nanoseconds timeout{0};
  uint64_t max_memory = EvalLimits::kDefaultMemoryBytes;
  uint64_t max_value_size = EvalLimits::kDefaultValueBytes;
  bool v0_compatible = false;
  std::string capabilities;  // builtins this capabilities file does not list may not be called
  std::vector<std::string> ignore;
  bool exit_zero_on_skipped = false;
  bool fail_on_empty = false;
  int count = 1;
  std::vector<std::string> paths;
};

using Setter = std::function<void(TestFlags&, const std::string&)>;
using FlagSpec = cli::FlagSpec<TestFlags>;


Setter ignored_flag() {
  return [](TestFlags&, const std::string&) {};
}

int parse_int(const std::string& flag, const std::string& v) {
  try {
    size_t used = 0;
    int n = std::stoi(v, &used);
    if (used == v.size()) return n;
  } catch (const std::exception&) {
  }
  throw UsageError("invalid argument \"" + v + "\" for \"" + flag + "\" flag: strconv.ParseInt: parsing \"" + v +
                   "\": invalid syntax");
}

void set_format(TestFlags& f, const std::string& v) {
  if (v != "pretty" && v != "json" && v != "gobench") {
    throw UsageError("invalid argument \"" + v + "\" for \"-f, --format\" flag: must be one of {pretty,json,gobench}");
  }
  f.format = v;
}

void set_threshold(TestFlags& f, const std::string& v) {
  try {
    size_t used = 0;
    f.threshold = std::stod(v, &used);
    if (used == v.size()) return;
  } catch (const std::exception&) {
  }
  throw UsageError("invalid argument \"" + v + "\" for \"--threshold\" flag: strconv.ParseFloat: parsing \"" + v +
                   "\": invalid syntax");
}

void set_timeout(TestFlags& f, const std::string& v) {
  if (!parse_go_duration(v, f.timeout)) {
    throw UsageError("invalid argument \"" + v + "\" for \"--timeout\" flag: time: invalid duration \"" + v + "\"");
  }
}

const std::vector<FlagSpec>& flag_specs() {
  static const std::vector<FlagSpec> specs = {
      {"verbose", 'v', false, bool_flag<TestFlags>(&TestFlags::verbose, "-v, --verbose")},
      {"format", 'f', true, set_format},
      {"coverage", 'c', false, bool_flag<TestFlags>(&TestFlags::coverage, "-c, --coverage")},
      {"threshold", 0, true, set_threshold},
      {"run", 'r', true, [](TestFlags& f, const std::string& v) { f.run_regex = v; }},
      {"bundle", 'b', false, bool_flag<TestFlags>(&TestFlags::bundle, "-b, --bundle")},
      {"timeout", 0, true, set_timeout},
      {"max-eval-memory", 0, true, byte_size_flag<TestFlags>(&TestFlags::max_memory, "--max-eval-memory")},
      {"max-value-size", 0, true, byte_size_flag<TestFlags>(&TestFlags::max_value_size, "--max-value-size")},
      {"v0-compatible", 0, false, bool_flag<TestFlags>(&TestFlags::v0_compatible, "--v0-compatible")},
      {"capabilities", 0, true, [](TestFlags& f, const std::string& v) { f.capabilities = v; }},
      {"v1-compatible", 0, false, ignored_flag()},
      {"ignore", 0, true, [](TestFlags& f, const std::string& v) { f.ignore.push_back(v); }},
      {"exit-zero-on-skipped", 'z', false, bool_flag<TestFlags>(&TestFlags::exit_zero_on_skipped, "-z, --exit-zero-on-skipped")},
      {"fail-on-empty", 0, false, bool_flag<TestFlags>(&TestFlags::fail_on_empty, "--fail-on-empty")},
      {"count", 0, true, [](TestFlags& f, const std::string& v) { f.count = parse_int("--count", v); }},
      {"parallel", 'p', true, [](TestFlags&, const std::string& v) { parse_int("-p, --parallel", v); }},
      {"max-errors", 'm', true, [](TestFlags&, const std::string& v) { parse_int("-m, --max-errors", v); }},
      {"var-values", 0, false, ignored_flag()},
  };
  return specs;
}

TestFlags parse_flags(const std::vector<std::string>& args) {
  TestFlags f;
  parse_args(flag_specs(), args, f, f.paths);
  if (f.paths.empty()) throw UsageError("specify at least one file");
  return f;
}

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--") return false;
    if (a == "-h" || a == "--help") return true;
  }
  return false;
}

// Everything the tests run against.
struct Loaded {
  std::vector<SourceFile> modules;
  Value data = Value::empty_object();
  bool v0 = false;
};

// Deep merge of data documents from several bundles (objects merge, later values win).
Value merge_data(const Value& a, const Value& b) {
  if (!a.is_object() || !b.is_object()) return b;
  std::map<Value, Value> merged(a.entries().begin(), a.entries().end());
  for (const auto& [k, v] : b.entries()) {
    auto it = merged.find(k);
    merged[k] = it == merged.end() ? v : merge_data(it->second, v);
  }
  return Value::object(std::vector<std::pair<Value, Value>>(merged.begin(), merged.end()));
}

// Throws std::runtime_error with the text to print.
Loaded load(const TestFlags& f) {
  Loaded l;
  l.v0 = f.v0_compatible;
  if (f.bundle) {
    for (const auto& path : f.paths) {
      sidecar::Bundle b;
      try {
        b = sidecar::load_bundle(path);
      } catch (const sidecar::BundleError& e) {
        throw std::runtime_error(e.what());
      }
      for (auto& [id, src] : b.modules) l.modules.push_back(std::move(src));
      l.data = merge_data(l.data, b.data);
      if (b.rego_version == 0) l.v0 = true;
    }
    return l;
  }
  try {
    LoadOptions lo;
    lo.ignore = f.ignore;
    LoadedFiles files = load_paths(f.paths, lo);
    l.modules = std::move(files.modules);
    l.data = std::move(files.data);
  } catch (const Error& e) {
    throw std::runtime_error(errors_text(e.errors));
  }
  return l;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// A test rule found in the policy.
struct TestCase {
  RuleInfo rule;
  bool todo = false;
};

// Every test_* / todo_test_* rule (functions excluded), one per rule path, in
// file order then source order, filtered by --run.
std::vector<TestCase> find_tests(const Policy& policy, const RE2* filter) {
  std::vector<TestCase> tests;
  std::set<std::string> seen;
  for (auto& r : list_rules(policy)) {
    if (r.is_function) continue;
    bool todo = starts_with(r.name, "todo_test_");
    if (!todo && !starts_with(r.name, "test_")) continue;
    if (!seen.insert(r.path).second) continue;
    if (filter && !RE2::PartialMatch(r.path, *filter)) continue;
    tests.push_back(TestCase{std::move(r), todo});
  }
  std::stable_sort(tests.begin(), tests.end(),
                   [](const TestCase& a, const TestCase& b) { return a.rule.file < b.rule.file; });
  return tests;
}

// A partial-object test passes when every leaf value is true.
bool all_true(const Value& v) {
  if (v.is_true()) return true;
  if (!v.is_object() || v.size() == 0) return false;
  for (const auto& [k, x] : v.entries()) {
    if (!all_true(x)) return false;
  }
  return true;
}

// -v: explains a failing test as OPA's failure trace does, by the expression
// where evaluation of the test body stopped: the test is run again with
// coverage, and the last evaluated line of its body (the rows up to the next
// rule of the file) is the expression that failed.
void explain_failure(const std::shared_ptr<const Policy>& policy, const std::string& query, const Value& data,
                     const CompileOptions& co, const EvalLimits& limits, int end_row, TestResult& r) {
  SourceLines lines;
  std::ostringstream ignored;
  EvalOptions eo;
  eo.print_to = &ignored;
  eo.timeout = limits.timeout;
  eo.max_memory = limits.memory_bytes;
  eo.max_value_size = limits.value_bytes;
  eo.coverage = &lines;
  try {
    PreparedQuery pq(policy, query, co);
    pq.eval(Value(), data, eo);
  } catch (const std::exception&) {
    return;
  }
  int last = 0;
  for (const auto& [file, row] : lines) {
    if (file == r.file && row > r.row && row < end_row) last = std::max(last, row);
  }
  if (last == 0) return;
  std::ifstream in(r.file);
  std::string text;
  for (int i = 1; std::getline(in, text) && i < last; ++i) {
  }
  size_t b = text.find_first_not_of(" \t");
  text = b == std::string::npos ? "" : text.substr(b);
  r.failed_exprs.emplace_back(last, text);
}

// explain_until > 0: on failure, find the failed expression among the rows before it (-v).
TestResult run_one(const std::shared_ptr<const Policy>& policy, const TestCase& t, const Value& data,
                   const CompileOptions& co, const EvalLimits& limits, SourceLines* coverage,
                   int explain_until = 0) {
  TestResult r;
  const std::string& path = t.rule.path;
  const std::string& name = t.rule.name;
  if (path.size() > name.size() && path.compare(path.size() - name.size(), name.size(), name) == 0 &&
      path[path.size() - name.size() - 1] == '.') {
    r.package = path.substr(0, path.size() - name.size() - 1);
    r.name = name;
  } else {
    auto dot = path.rfind('.');
    r.package = path.substr(0, dot);
    r.name = path.substr(dot + 1);
  }
  r.file = t.rule.file;
  r.row = t.rule.row;
  r.col = t.rule.col;
  if (t.todo) {
    r.skip = true;
    return r;
  }
  std::ostringstream printed;
  EvalOptions eo;
  eo.print_to = &printed;
  eo.timeout = limits.timeout;
  eo.max_memory = limits.memory_bytes;
  eo.max_value_size = limits.value_bytes;
  eo.coverage = coverage;
  auto t0 = std::chrono::steady_clock::now();
  try {
    // a renamed duplicate (test_x#01) is not a valid ref segment: query it with brackets
    std::string query = r.name.find('#') == std::string::npos ? path : r.package + "[\"" + r.name + "\"]";
    PreparedQuery pq(policy, query, co);
    auto rows = pq.eval(Value(), data, eo);
    r.fail = rows.empty() || rows.front().expressions.empty() || !all_true(rows.front().expressions.front().value);
    if (r.fail && explain_until > 0) explain_failure(policy, query, data, co, limits, explain_until, r);
  } catch (const Error& e) {
    r.has_error = true;
    r.error = e.errors.empty() ? ErrorInfo{} : e.errors.front();
    for (size_t i = 1; i < e.errors.size(); ++i) r.error.message += "\n" + test_error_text(e.errors[i]);
  } catch (const std::exception& e) {
    r.has_error = true;
    r.error.message = e.what();
  }
  r.duration = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0);
  r.output = printed.str();
  return r;
}

int usage_error(std::ostream& err, const std::string& message) {
  err << "Error: " << message << "\nRun 'wartburg test --help' for usage.\n";
  return 1;
}

// --coverage: failures and errors are reported instead of the coverage
// report (exit 1); a report under --threshold is an error (exit 2).
int report_coverage(const TestFlags& f, const std::vector<TestResult>& results, const SourceLines& hits,
                    const Policy& policy, const std::vector<SourceFile>& modules, std::ostream& out,
                    std::ostream& err) {
  std::vector<TestResult> failures;
  for (const auto& r : results) {
    if (r.has_error) {
      err << test_error_text(r.error) << "\n";
      return 1;
    }
    if (r.fail) failures.push_back(r);
  }
  if (!failures.empty()) {
    report_pretty(failures, f.verbose, out);
    err << result_line(failures.front()) << "\n";
    return 1;
  }
  std::vector<std::string> files;
  for (const auto& m : modules) files.push_back(m.name);
  CoverageReport report = make_coverage_report(hits, coverable_lines(policy), files);
  if (report.coverage < f.threshold) {
    err << threshold_error(report, f.threshold, f.verbose) << "\n";
    return 2;
  }
  out << coverage_json(report);
  return 0;
}

}  // namespace

std::string test_usage() {
  return "Execute Rego test cases.\n\n"
         "The 'test' command takes a file or directory path as input and executes all\n"
         "test cases discovered in matching files. Test cases are rules whose names have\n"
         "the prefix \"test_\"; rules prefixed \"todo_test_\" are reported as skipped.\n"
         "Without --bundle, all *.rego, *.json and *.yaml files below the paths are loaded.\n\n"
         "Usage:\n  wartburg test <path> [path [...]] [flags]\n\n"
         "Flags:\n"
         "  -b, --bundle                   load paths as bundle files or root directories\n"
         "      --count int                number of times to repeat each test (default 1)\n"
         "  -c, --coverage                 report coverage (JSON)\n"
         "  -z, --exit-zero-on-skipped     skipped tests return status 0\n"
         "      --fail-on-empty            fail (exit 1) when no test was run\n"
         "  -f, --format {pretty,json,gobench}\n"
         "                                 set output format (default pretty)\n"
         "  -h, --help                     help for test\n"
         "      --ignore strings           set file and directory names to ignore during loading\n"
         "  -r, --run string               run only test cases matching the regular expression\n"
         "      --threshold float          set coverage threshold and exit with non-zero status\n"
         "                                 if coverage is less than threshold %\n"
         "      --timeout duration         set test timeout (default 5s)\n"
         "      --max-eval-memory size     bytes of values one test may build (default 512MiB, 0: unlimited)\n"
         "      --max-value-size size      bytes of one value a builtin may build (default 128MiB, 0: unlimited)\n"
         "      --v0-compatible            parse modules as Rego v0\n"
         "      --capabilities string      capabilities file: builtins it does not list are disabled\n"
         "  -v, --verbose                  set verbose reporting mode\n\n"
         "Accepted for compatibility and ignored: -p/--parallel, -m/--max-errors, --var-values,\n"
         "--v1-compatible.\n\n"
         "Exit status: 0 all tests passed, 1 usage, load or compile error, 2 failed tests or\n"
         "coverage below --threshold.\n";
}

int run_test(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << test_usage();
    return 0;
  }
  TestFlags f;
  try {
    f = parse_flags(args);
  } catch (const UsageError& e) {
    return usage_error(err, e.what());
  }
  if (f.format == "gobench") {
    err << "cannot use output format gobench without running benchmarks (--bench)\n";
    return 0;
  }
  if (f.threshold < 0 || f.threshold > 100) {
    err << "Code coverage threshold must be between 0 and 100\n";
    return 1;
  }
  if (f.threshold > 0) f.coverage = true;
  if (f.timeout.count() == 0) f.timeout = std::chrono::seconds(5);

  std::unique_ptr<RE2> filter;
  if (!f.run_regex.empty()) {
    RE2::Options ro;
    ro.set_log_errors(false);
    filter = std::make_unique<RE2>(f.run_regex, ro);
    if (!filter->ok()) {
      err << "error parsing regexp: " << filter->error() << ": `" << f.run_regex << "`\n";
      return 1;
    }
  }

  Loaded loaded;
  std::shared_ptr<const Policy> policy;
  CompileOptions co;
  try {
    loaded = load(f);
    co.v0_compatible = loaded.v0;
    co.rename_duplicate_tests = true;
    if (!f.capabilities.empty()) co.disabled_builtins = disabled_by_capabilities(f.capabilities);
    policy = compile(loaded.modules, co);
  } catch (const Error& e) {
    err << errors_text(e.errors) << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << e.what() << "\n";
    return 1;
  }

  std::vector<TestCase> tests = find_tests(*policy, filter.get());
  std::map<std::string, std::vector<int>> rule_rows;  // file -> start rows of its rules
  for (const auto& info : list_rules(*policy)) rule_rows[info.file].push_back(info.row);
  for (int round = 0; round < std::max(f.count, 1); ++round) {
    SourceLines hits;
    std::vector<TestResult> results;
    for (const auto& t : tests) {
      int explain_until = 0;
      if (f.verbose && f.format != "json") {  // the row of the next rule in the test's file bounds its body
        explain_until = std::numeric_limits<int>::max();
        for (int row : rule_rows[t.rule.file]) {
          if (row > t.rule.row) explain_until = std::min(explain_until, row);
        }
      }
      results.push_back(
          run_one(policy, t, loaded.data, co, EvalLimits{f.timeout, f.max_memory, f.max_value_size}, f.coverage ? &hits : nullptr, explain_until));
    }
    int status = 0;
    for (const auto& r : results) {
      if (!r.pass() && !(r.skip && f.exit_zero_on_skipped)) status = 2;
    }
    if (f.coverage) {
      int rc = report_coverage(f, results, hits, *policy, loaded.modules, out, err);
      if (rc != 0) return rc;
    } else if (f.format == "json") {
      report_json(results, out);
    } else {
      report_pretty(results, f.verbose, out);
    }
    if (results.empty() && f.fail_on_empty) {
      err << "no tests were run\n";
      return 1;
    }
    if (status != 0) return status;
  }
  return 0;
}

}  // namespace wartburg::cli
