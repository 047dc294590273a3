// The eval subcommand (see eval_command.h): flag parsing in the style of
// OPA's cobra/pflag command line (--name value, --name=value, -n value,
// -nvalue), then load -> compile -> prepare -> evaluate -> print.
#include "cli/eval_command.h"

#include "cli/capabilities.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "policy/loader.h"
#include "sidecar/bundle.h"
#include "cli/flags.h"
#include "cli/output.h"
#include "policy/engine.h"

namespace wartburg::cli {

namespace {

struct EvalFlags {
  std::vector<std::string> data_paths;
  std::vector<std::string> bundle_paths;  // -b: bundle folders or .tar.gz files
  std::vector<std::string> ignore;
  std::string input_path;
  bool stdin_input = false;
  bool stdin_query = false;
  OutputFormat format = OutputFormat::Json;
  bool v0_compatible = false;
  std::string capabilities;  // --capabilities FILE: builtins not listed there are disabled
  bool strict_builtin_errors = false;
  bool fail = false;
  bool fail_defined = false;
  std::chrono::nanoseconds timeout{0};
  uint64_t max_memory = EvalLimits::kDefaultMemoryBytes;
  uint64_t max_value_size = EvalLimits::kDefaultValueBytes;
  std::vector<std::string> positional;
};

using Setter = std::function<void(EvalFlags&, const std::string&)>;
using FlagSpec = cli::FlagSpec<EvalFlags>;


void set_format(EvalFlags& f, const std::string& v) {
  if (v == "source") throw UsageError("invalid output format for evaluation");
  if (!parse_output_format(v, f.format)) {
    throw UsageError("invalid argument \"" + v +
                     "\" for \"-f, --format\" flag: must be one of {json,values,bindings,pretty,source,raw,discard}");
  }
}

void set_timeout(EvalFlags& f, const std::string& v) {
  if (!parse_go_duration(v, f.timeout)) {
    throw UsageError("invalid argument \"" + v + "\" for \"--timeout\" flag: time: invalid duration \"" + v + "\"");
  }
}

const std::vector<FlagSpec>& flag_specs() {
  static const std::vector<FlagSpec> specs = {
      {"data", 'd', true, [](EvalFlags& f, const std::string& v) { f.data_paths.push_back(v); }},
      {"bundle", 'b', true, [](EvalFlags& f, const std::string& v) { f.bundle_paths.push_back(v); }},
      {"input", 'i', true, [](EvalFlags& f, const std::string& v) { f.input_path = v; }},
      {"stdin-input", 'I', false, bool_flag<EvalFlags>(&EvalFlags::stdin_input, "--stdin-input")},
      {"stdin", 0, false, bool_flag<EvalFlags>(&EvalFlags::stdin_query, "--stdin")},
      {"format", 'f', true, set_format},
      {"ignore", 0, true, [](EvalFlags& f, const std::string& v) { f.ignore.push_back(v); }},
      {"v0-compatible", 0, false, bool_flag<EvalFlags>(&EvalFlags::v0_compatible, "--v0-compatible")},
      {"capabilities", 0, true, [](EvalFlags& f, const std::string& v) { f.capabilities = v; }},
      {"v1-compatible", 0, false, [](EvalFlags&, const std::string&) {}},
      {"strict-builtin-errors", 0, false, bool_flag<EvalFlags>(&EvalFlags::strict_builtin_errors, "--strict-builtin-errors")},
      {"fail", 0, false, bool_flag<EvalFlags>(&EvalFlags::fail, "--fail")},
      {"fail-defined", 0, false, bool_flag<EvalFlags>(&EvalFlags::fail_defined, "--fail-defined")},
      {"timeout", 0, true, set_timeout},
      {"max-eval-memory", 0, true, byte_size_flag<EvalFlags>(&EvalFlags::max_memory, "--max-eval-memory")},
      {"max-value-size", 0, true, byte_size_flag<EvalFlags>(&EvalFlags::max_value_size, "--max-value-size")},
  };
  return specs;
}





void validate(const EvalFlags& f) {
  if (!f.positional.empty() && f.stdin_query) throw UsageError("specify query argument or --stdin but not both");
  if (f.positional.empty() && !f.stdin_query) throw UsageError("specify query argument or --stdin");
  if (f.positional.size() > 1) throw UsageError("specify at most one query argument");
  if (f.stdin_query && f.stdin_input) throw UsageError("specify --stdin or --stdin-input but not both");
  if (f.stdin_input && !f.input_path.empty()) throw UsageError("specify --stdin-input or --input but not both");
  if (f.fail && f.fail_defined) throw UsageError("specify --fail or --fail-defined but not both");
}

EvalFlags parse_flags(const std::vector<std::string>& args) {
  EvalFlags f;
  parse_args(flag_specs(), args, f, f.positional);
  validate(f);
  return f;
}

// Standard input, up to the loader's per-file limit (stdin may be endless).
std::string read_all(std::istream& in) {
  std::string out;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.append(buf, static_cast<size_t>(in.gcount()));
    if (out.size() > kDefaultMaxFileBytes) {
      throw std::runtime_error("stdin: more than " + limits::bytes_text(kDefaultMaxFileBytes) + " of input");
    }
  }
  return out;
}

// Reads and parses the input document; Undefined without -i / -I.
// Throws std::runtime_error with OPA's plain-text message.
Value read_input(const EvalFlags& f, std::istream& in) {
  std::string name = f.stdin_input ? "stdin" : f.input_path;
  std::string text;
  if (f.stdin_input) {
    text = read_all(in);
  } else if (!f.input_path.empty()) {
    try {
      text = read_file(f.input_path);
    } catch (const Error& e) {
      throw std::runtime_error(e.errors.front().message);
    }
  } else {
    return Value();
  }
  try {
    return parse_document(name, text);
  } catch (const Error& e) {
    throw std::runtime_error("unable to parse input: " + e.errors.front().message);
  }
}

std::vector<ErrorInfo> as_errors(const std::exception& ex) {
  if (const auto* e = dynamic_cast<const Error*>(&ex)) return e->errors;
  ErrorInfo info;
  info.message = ex.what();
  return {info};
}

// Adds a bundle's modules and data (merged at the top level) to what -d loaded.
void add_bundle(LoadedFiles& files, const sidecar::Bundle& b) {
  for (const auto& [id, src] : b.modules) files.modules.push_back(src);
  std::vector<std::pair<Value, Value>> entries = files.data.entries();
  for (const auto& kv : b.data.entries()) entries.push_back(kv);
  files.data = Value::object(std::move(entries));
}

// Load, compile, prepare and evaluate; any failure becomes outcome errors.
EvalOutcome evaluate(const EvalFlags& f, const std::string& query, const Value& input) {
  EvalOutcome outcome;
  try {
    LoadOptions lo;
    lo.ignore = f.ignore;
    LoadedFiles files = load_paths(f.data_paths, lo);
    for (const auto& b : f.bundle_paths) add_bundle(files, sidecar::load_bundle(b));
    CompileOptions co;
    co.v0_compatible = f.v0_compatible;
    if (!f.capabilities.empty()) co.disabled_builtins = disabled_by_capabilities(f.capabilities);
    // a bundle's precompiled plan is loaded instead when it was built from exactly these modules
    auto policy = sidecar::compile_or_load_plan(files.modules, co);
    PreparedQuery pq(policy, query, co);
    EvalOptions eo;
    eo.strict_builtin_errors = f.strict_builtin_errors;
    eo.timeout = f.timeout;
    eo.max_memory = f.max_memory;
    eo.max_value_size = f.max_value_size;
    outcome.rows = pq.eval(input, files.data, eo);
  } catch (const std::exception& ex) {
    outcome.errors = as_errors(ex);
  }
  return outcome;
}

int usage_error(std::ostream& err, const std::string& message) {
  err << "Error: " << message << "\nRun 'wartburg eval --help' for usage.\n";
  return kExitFail;
}

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--") return false;
    if (a == "-h" || a == "--help") return true;
  }
  return false;
}

}  // namespace

bool parse_go_duration(const std::string& text, std::chrono::nanoseconds& out) {
  static const std::vector<std::pair<std::string, double>> units = {
      {"ns", 1},          {"us", 1e3},   {"\xC2\xB5s", 1e3}, {"\xCE\xBCs", 1e3},
      {"ms", 1e6},        {"s", 1e9},    {"m", 60e9},        {"h", 3600e9}};
  std::string s = text;
  bool neg = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.erase(0, 1);
  if (s == "0") {
    out = std::chrono::nanoseconds(0);
    return true;
  }
  if (s.empty()) return false;
  double total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    std::string num = s.substr(start, i - start);
    if (num.empty() || num == "." || num.find('.') != num.rfind('.')) return false;
    size_t ustart = i;
    while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '.') ++i;
    std::string unit = s.substr(ustart, i - ustart);
    auto it = std::find_if(units.begin(), units.end(), [&](const auto& u) { return u.first == unit; });
    if (it == units.end()) return false;
    total += std::stod(num) * it->second;
  }
  out = std::chrono::nanoseconds(static_cast<int64_t>(std::llround(neg ? -total : total)));
  return true;
}

std::string eval_usage() {
  return "Evaluate a Rego query and print the result.\n\n"
         "Usage:\n  wartburg eval <query> [flags]\n\n"
         "Flags:\n"
         "  -d, --data string              set policy or data file(s); repeatable; folders are loaded\n"
         "                                 recursively (a.b:path roots the files at data.a.b)\n"
         "  -b, --bundle string            set bundle file(s) or folder(s); repeatable\n"
         "  -i, --input string             set input file path (JSON or YAML)\n"
         "  -I, --stdin-input              read input document from stdin\n"
         "      --stdin                    read query from stdin\n"
         "  -f, --format {json,values,bindings,pretty,raw,discard}\n"
         "                                 set output format (default json)\n"
         "      --ignore stringArray       set file and directory names to ignore during loading\n"
         "      --v0-compatible            parse modules and the query as Rego v0\n"
         "      --capabilities string      capabilities file (see `wartburg capabilities`): builtins it\n"
         "                                 does not list are disabled\n"
         "      --strict-builtin-errors    treat the first built-in function error encountered as fatal\n"
         "      --fail                     exit with status 1 on an undefined/empty result\n"
         "      --fail-defined             exit with status 1 on a defined/non-empty result\n"
         "      --timeout duration         set eval timeout, e.g. 5s or 100ms (default unlimited)\n"
         "      --max-eval-memory size     bytes of values one evaluation may build (default 512MiB, 0: unlimited)\n"
         "      --max-value-size size      bytes of one value a builtin may build (default 128MiB, 0: unlimited)\n"
         "  -h, --help                     help for eval\n\n"
         "Exit status: 0 ok, 1 errors, usage errors or --fail/--fail-defined tripped.\n";
}

int run_eval(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << eval_usage();
    return kExitOk;
  }
  EvalFlags flags;
  try {
    flags = parse_flags(args);
  } catch (const UsageError& e) {
    return usage_error(err, e.what());
  }
  std::string query;
  try {
    query = flags.stdin_query ? read_all(in) : flags.positional.front();
  } catch (const std::runtime_error& e) {
    err << e.what() << "\n";
    return kExitError;
  }
  Value input;
  try {
    input = read_input(flags, in);
  } catch (const std::runtime_error& e) {
    err << e.what() << "\n";
    return kExitError;
  }
  EvalOutcome outcome = evaluate(flags, query, input);
  std::ostringstream text;  // a result too large to print (limits::max_text_bytes) is an error, not half an output
  try {
    print_outcome(outcome, flags.format, text, err);
  } catch (const LimitError& e) {
    outcome.rows.clear();
    outcome.errors = {ErrorInfo{e.code, e.what(), "", 0, 0}};
    text.str("");
    print_outcome(outcome, flags.format, text, err);
  }
  out << text.str();
  if (!outcome.errors.empty()) return kExitError;
  bool defined = !outcome.rows.empty();
  if ((flags.fail && !defined) || (flags.fail_defined && defined)) return kExitFail;
  return kExitOk;
}

}  // namespace wartburg::cli
