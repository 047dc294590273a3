// `wartburg test [flags] PATH...`: runs the Rego unit tests (rules named
// test_*, skipped todo_test_*) found in policy files, folders or bundles and
// reports them as `opa test` does: pretty text (default, -v for every test),
// a JSON array of results (--format json) or a JSON coverage report
// (--coverage, --threshold). Exit status as OPA's: 0 when every test passed,
// 2 on failed or erroring tests (or coverage below the threshold), 1 for usage,
// loading and compile errors.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

#include "policy/engine.h"

namespace wartburg::cli {

// Runs the test subcommand; `args` are the arguments after "test".
int run_test(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Help text of the test subcommand.
std::string test_usage();

// ---- shared between test_command.cpp and test_report.cpp ----

// The outcome of one test, as OPA's tester.Result.
struct TestResult {
  std::string package;  // "data.pkg"
  std::string name;     // "test_x"
  std::string file;
  int row = 0;
  int col = 0;
  bool fail = false;
  bool skip = false;
  bool has_error = false;
  ErrorInfo error;
  std::chrono::nanoseconds duration{0};
  std::string output;  // captured print() output
  // -v: where a failing test stopped: (row, source text) of the last
  // expression of the test's body that was evaluated, in `file`
  std::vector<std::pair<int, std::string>> failed_exprs;

  bool pass() const { return !fail && !skip && !has_error; }
};

// Go's time.Duration.String(): "0s", "512ns", "1.5µs", "277.306ms", "1m2.5s".
std::string go_duration(std::chrono::nanoseconds d);

// OPA's text of a test error: "file:row: code: message".
std::string test_error_text(const ErrorInfo& e);

// "data.pkg.test_x: FAIL (1.2ms)" ("...: SKIPPED" for skipped tests).
std::string result_line(const TestResult& r);

// OPA's PrettyReporter (verbose: every test, with a FAILURES section).
void report_pretty(const std::vector<TestResult>& results, bool verbose, std::ostream& out);

// OPA's JSONReporter: an indented JSON array of results.
void report_json(const std::vector<TestResult>& results, std::ostream& out);

// OPA's coverage report (cover.Report).
struct CoverageReport {
  struct File {
    std::vector<std::pair<int, int>> covered, not_covered;  // [start, end] row ranges
    int covered_lines = 0;
    int not_covered_lines = 0;
    double coverage = 0;
  };
  std::vector<std::pair<std::string, File>> files;  // sorted by file name
  int covered_lines = 0;
  int not_covered_lines = 0;
  double coverage = 0;
};

// Builds the report from the lines hit during the tests, the lines that count
// and the names of every module file (each is listed, even with no lines).
CoverageReport make_coverage_report(const SourceLines& hits, const SourceLines& coverable,
                                    const std::vector<std::string>& module_files);
// The report as OPA's indented JSON (with a trailing newline).
std::string coverage_json(const CoverageReport& report);
// "Code coverage threshold not met: got 66.67 instead of 100.00" (+ the
// uncovered lines when verbose).
std::string threshold_error(const CoverageReport& report, double threshold, bool verbose);

}  // namespace wartburg::cli
