// `wartburg check [paths…]`: parses and compiles policies as `opa check`
// does and reports every error with file:row:col; exit status 1 on errors.
// --strict (-S) adds OPA's strict-mode checks (lang/strict.h).
#include <iostream>

#include "cli/check_command.h"

#include "cli/capabilities.h"
#include "cli/flags.h"
#include "cli/output.h"
#include "policy/loader.h"
#include "sidecar/bundle.h"

namespace wartburg::cli {

std::string check_usage() {
  return "Check Rego source files for parse and compilation errors.\n\n"
         "Usage:\n  wartburg check <path> [path [...]] [flags]\n\n"
         "Flags:\n"
         "  -b, --bundle           load paths as bundle files or root directories\n"
         "  -f, --format string    output format: pretty or json (default \"pretty\")\n"
         "      --ignore strings   file and folder names to skip (e.g. '.*')\n"
         "  -m, --max-errors int   stop after this many errors; 0 or less: all (default 10)\n"
         "  -S, --strict           enable compiler strict mode\n"
         "      --v0-compatible    check Rego v0 modules\n"
         "      --capabilities string  capabilities file: builtins it does not list are disabled\n"
         "  -h, --help             help for check\n";
}

namespace {

struct CheckFlags {
  std::vector<std::string> paths;
  std::vector<std::string> ignore;
  bool bundle = false;
  bool json = false;
  bool v0 = false;
  bool strict = false;
  long max_errors = 10;
  std::string capabilities;
};

const std::vector<FlagSpec<CheckFlags>>& specs() {
  static const std::vector<FlagSpec<CheckFlags>> s = {
      {"bundle", 'b', false, bool_flag<CheckFlags>(&CheckFlags::bundle, "-b, --bundle")},
      {"strict", 'S', false, bool_flag<CheckFlags>(&CheckFlags::strict, "-S, --strict")},
      {"v0-compatible", 0, false, bool_flag<CheckFlags>(&CheckFlags::v0, "--v0-compatible")},
      {"format", 'f', true,
       [](CheckFlags& f, const std::string& v) {
         if (v != "pretty" && v != "json") throw UsageError("invalid argument \"" + v + "\" for \"--format\" flag");
         f.json = v == "json";
       }},
      {"ignore", 0, true, [](CheckFlags& f, const std::string& v) { f.ignore.push_back(v); }},
      {"capabilities", 0, true, [](CheckFlags& f, const std::string& v) { f.capabilities = v; }},
      {"max-errors", 'm', true,
       [](CheckFlags& f, const std::string& v) {
         try {
           size_t used = 0;
           f.max_errors = std::stol(v, &used);
           if (used != v.size()) throw std::invalid_argument(v);
         } catch (const std::exception&) {
           throw UsageError("invalid argument \"" + v + "\" for \"-m, --max-errors\" flag");
         }
       }},
  };
  return s;
}

bool parse(const std::vector<std::string>& args, CheckFlags& f, std::ostream& err) {
  if (!parse_args_or_report(specs(), args, f, f.paths, err)) return false;
  if (f.paths.empty()) {
    err << "Error: specify at least one file or folder\n";
    return false;
  }
  return true;
}

// The modules to check; `v0` becomes true when a bundle's manifest declares rego_version 0.
std::vector<SourceFile> load_modules(const CheckFlags& f, bool& v0) {
  std::vector<SourceFile> modules;
  if (f.bundle) {
    for (const auto& p : f.paths) {
      sidecar::Bundle b = sidecar::load_bundle(p);
      if (b.rego_version == 0) v0 = true;
      for (auto& [id, src] : b.modules) modules.push_back(src);
    }
    return modules;
  }
  LoadOptions lo;
  lo.ignore = f.ignore;
  lo.only_rego = true;  // as opa check: data files are not loaded
  return load_paths(f.paths, lo).modules;
}

}  // namespace

int run_check(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      out << check_usage();
      return 0;
    }
  }
  CheckFlags f;
  if (!parse(args, f, err)) return 1;
  std::vector<ErrorInfo> errors;
  try {
    bool v0 = f.v0;
    std::vector<SourceFile> modules = load_modules(f, v0);
    CompileOptions co;
    co.v0_compatible = v0;
    if (!f.capabilities.empty()) co.disabled_builtins = disabled_by_capabilities(f.capabilities);
    auto policy = compile(modules, co);
    if (f.strict) errors = strict_errors(*policy);
  } catch (const Error& e) {
    errors = e.errors;
  } catch (const std::exception& e) {
    errors.push_back(ErrorInfo{"", e.what(), "", 0, 0});
  }
  if (errors.empty()) return 0;
  // as OPA's compiler: after max-errors errors, "error limit reached" (without a location)
  if (f.max_errors > 0 && errors.size() > static_cast<size_t>(f.max_errors)) {
    errors.resize(static_cast<size_t>(f.max_errors));
    errors.push_back(ErrorInfo{"rego_compile_error", "error limit reached", "", 0, 0});
  }
  if (f.json) {
    EvalOutcome o;
    o.errors = errors;
    print_outcome(o, OutputFormat::Json, out, err);
  } else {
    err << (errors.size() == 1 ? "1 error occurred:\n" : std::to_string(errors.size()) + " errors occurred:\n");
    for (const auto& e : errors) err << e.to_string() << "\n";
  }
  return 1;
}

}  // namespace wartburg::cli
