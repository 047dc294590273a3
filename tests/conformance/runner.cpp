// The `conformance` executable: runs OPA's YAML conformance cases through the
// engine API and prints a pass/fail/skip table per area plus a total.
//   conformance [--failures] [--area NAME] [--note SUBSTR] [--floor-file FILE] [DIR]
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "policy/engine.h"
#include "tests/conformance/case_loader.h"
#include "tests/conformance/compare.h"

namespace wc = wartburg::conformance;
using wartburg::Value;

namespace {

struct Options {
  bool failures = false;
  std::string area;        // "v1/aggregates" or "aggregates" (both versions)
  std::string note;        // substring filter on the case note
  std::string floor_file;
  std::string dir = "../shared/conformance/opa";
};

enum class Status { Pass, Fail, Skip };

struct Outcome {
  Status status = Status::Fail;
  std::string got;  // JSON rows or error text, for --failures
};

struct Tally {
  int passed = 0, failed = 0, skipped = 0;
};

// ---- crash guard: name the case that brought the process down ----
char g_current[512];

void on_fatal_signal(int sig) {
  const char prefix[] = "\nconformance: fatal signal in case: ";
  ssize_t ignored = write(STDERR_FILENO, prefix, sizeof(prefix) - 1);
  ignored = write(STDERR_FILENO, g_current, strnlen(g_current, sizeof(g_current)));
  ignored = write(STDERR_FILENO, "\n", 1);
  (void)ignored;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void set_current(const std::string& note) {
  std::snprintf(g_current, sizeof(g_current), "%s", note.c_str());
}

// ---- errors ----
// OPA's Error() text of one error: "file:row: code: message".
std::string opa_error_text(const wartburg::ErrorInfo& e) {
  std::string loc = e.file.empty() ? std::to_string(e.row) + ":" + std::to_string(e.col)
                                   : e.file + ":" + std::to_string(e.row);
  return loc + ": " + e.code + ": " + e.message;
}

std::string error_text(const wartburg::Error& err) {
  std::string out;
  for (const auto& e : err.errors) out += (out.empty() ? "" : "\n") + opa_error_text(e);
  return out.empty() ? err.what() : out;
}

bool error_matches(const wc::Case& c, const wartburg::Error& err) {
  if (!c.want_error_code && !c.want_error) return false;
  bool code_ok = !c.want_error_code, text_ok = !c.want_error;
  if (c.want_error && std::string(err.what()).find(*c.want_error) != std::string::npos) text_ok = true;
  for (const auto& e : err.errors) {
    if (c.want_error_code && e.code == *c.want_error_code) code_ok = true;
    if (c.want_error && opa_error_text(e).find(*c.want_error) != std::string::npos) text_ok = true;
  }
  return code_ok && text_ok;
}

// ---- evaluation ----
wartburg::CompileOptions compile_opts(const wc::Case& c) {
  wartburg::CompileOptions o;
  o.v0_compatible = c.v0;
  return o;
}

// input_term: evaluate `x = <term>` over an empty policy and take x.
Value term_input(const wc::Case& c) {
  auto empty = wartburg::compile({}, compile_opts(c));
  wartburg::PreparedQuery q(empty, "x = " + *c.input_term, compile_opts(c));
  for (const auto& row : q.eval(Value(), Value::empty_object()))
    for (const auto& [name, v] : row.bindings)
      if (name == "x") return v;
  throw std::runtime_error("input_term did not evaluate: " + *c.input_term);
}

std::vector<Value> evaluate(const wc::Case& c) {
  std::vector<wartburg::SourceFile> mods;
  for (size_t i = 0; i < c.modules.size(); ++i)
    mods.push_back({"test-" + std::to_string(i) + ".rego", c.modules[i]});  // OPA's names
  auto policy = wartburg::compile(mods, compile_opts(c));
  Value input = c.input_term ? term_input(c) : c.input;
  wartburg::PreparedQuery q(policy, c.query, compile_opts(c));
  wartburg::EvalOptions eo;
  eo.strict_builtin_errors = c.strict_error;
  eo.timeout = std::chrono::seconds(5);
  std::ostringstream sink;  // print() output of cases is not shown
  eo.print_to = &sink;
  std::vector<Value> rows;
  for (const auto& row : q.eval(input, c.data, eo)) rows.push_back(wc::row_to_object(row));
  return rows;
}

Outcome judge_rows(const wc::Case& c, const std::vector<Value>& rows) {
  Outcome o;
  o.got = wc::rows_json(rows);
  if (c.want_error_code || c.want_error) return o;  // an error was expected
  if (!c.want_result) {
    o.got = "case has no want_result / want_error; got " + o.got;
    return o;
  }
  if (wc::results_equal(*c.want_result, rows, c.sort_bindings)) o.status = Status::Pass;
  return o;
}

Outcome run_case(const wc::Case& c) {
  if (c.skip) return {Status::Skip, ""};
  if (!c.load_error.empty()) return {Status::Fail, "cannot load case: " + c.load_error};
  set_current(c.note + " (" + c.file + ")");
  try {
    return judge_rows(c, evaluate(c));
  } catch (const wartburg::Error& e) {
    return {error_matches(c, e) ? Status::Pass : Status::Fail, "error: " + error_text(e)};
  } catch (const std::exception& e) {
    return {Status::Fail, std::string("exception: ") + e.what()};
  } catch (...) {
    return {Status::Fail, "unknown exception"};
  }
}

// ---- reporting ----
std::string want_text(const wc::Case& c) {
  std::string out;
  if (c.want_result) out = wc::rows_json(*c.want_result);
  if (c.want_error_code) out += (out.empty() ? "" : " or ") + std::string("error code ") + *c.want_error_code;
  if (c.want_error) out += (out.empty() ? "" : " ") + std::string("error containing \"") + *c.want_error + "\"";
  return out;
}

void print_failure(const wc::Case& c, const Outcome& o) {
  std::cout << "FAIL " << c.note << "  [" << c.file << "]\n"
            << "  query: " << c.query << "\n"
            << "  want:  " << want_text(c) << "\n"
            << "  got:   " << o.got << "\n";
}

bool selected(const Options& opt, const wc::Case& c) {
  if (!opt.note.empty() && c.note.find(opt.note) == std::string::npos) return false;
  if (opt.area.empty() || c.area == opt.area) return true;
  auto slash = c.area.find('/');
  return slash != std::string::npos && c.area.substr(slash + 1) == opt.area;
}

void print_table(const std::map<std::string, Tally>& areas, const Tally& total) {
  size_t width = 0;
  for (const auto& [name, t] : areas) width = std::max(width, name.size());
  for (const auto& [name, t] : areas) {
    std::cout << name << std::string(width - name.size() + 2, ' ') << "passed " << t.passed << " failed "
              << t.failed << " skipped " << t.skipped << "\n";
  }
  std::cout << total.passed << " passed, " << total.failed << " failed, " << total.skipped << " skipped\n";
}

void count(Tally& t, Status s) {
  if (s == Status::Pass) ++t.passed;
  else if (s == Status::Fail) ++t.failed;
  else ++t.skipped;
}

// ---- command line ----
bool parse_args(int argc, char** argv, Options& opt) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    if (a == "--failures") opt.failures = true;
    else if (a == "--area") { if (!value(opt.area)) return false; }
    else if (a == "--note") { if (!value(opt.note)) return false; }
    else if (a == "--floor-file") { if (!value(opt.floor_file)) return false; }
    else if (!a.empty() && a[0] == '-') return false;
    else opt.dir = a;
  }
  return true;
}

int check_floor(const Options& opt, int passed) {
  if (opt.floor_file.empty()) return 0;
  std::ifstream in(opt.floor_file);
  long floor = 0;
  if (!(in >> floor)) {
    std::cerr << "conformance: cannot read an integer from " << opt.floor_file << "\n";
    return 1;
  }
  if (passed < floor) {
    std::cout << "conformance: " << passed << " passed is below the floor " << floor << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (!parse_args(argc, argv, opt)) {
    std::cerr << "usage: conformance [--failures] [--area NAME] [--note SUBSTR] [--floor-file FILE] [DIR]\n";
    return 2;
  }
  for (int sig : {SIGSEGV, SIGABRT, SIGFPE, SIGBUS, SIGILL}) std::signal(sig, on_fatal_signal);
  std::vector<wc::Case> cases;
  try {
    cases = wc::load_cases(opt.dir);
  } catch (const std::exception& e) {
    std::cerr << "conformance: cannot read " << opt.dir << ": " << e.what() << "\n";
    return 2;
  }
  std::map<std::string, Tally> areas;
  Tally total;
  for (const auto& c : cases) {
    if (!selected(opt, c)) continue;
    Outcome o = run_case(c);
    count(areas[c.area], o.status);
    count(total, o.status);
    if (opt.failures && o.status == Status::Fail) print_failure(c, o);
  }
  if (opt.failures) std::cout << "\n";
  print_table(areas, total);
  return check_floor(opt, total.passed);
}
