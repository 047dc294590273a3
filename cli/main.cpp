// Entry point of the `wartburg` command: dispatches on the subcommand
// (build, capabilities, check, eval, fmt, inspect, run, test, version, help) the way `opa` does.
#include <iostream>
#include <string>
#include <vector>

#include "cli/build_command.h"
#include "cli/capabilities.h"
#include "cli/check_command.h"
#include "cli/eval_command.h"
#include "cli/fmt_command.h"
#include "cli/inspect_command.h"
#include "cli/run_command.h"
#include "cli/test_command.h"
#include "policy/builtins/rego.h"
#include "policy/version.h"
#include "policy/builtins/registry.h"

namespace {

using wartburg::kVersion;

std::string root_usage() {
  return "Wartburg: a Rego policy engine compatible with Open Policy Agent.\n\n"
         "Usage:\n  wartburg [command]\n\n"
         "Available Commands:\n"
         "  build       Build an OPA bundle\n"
         "  capabilities Print the builtins and features of this build (OPA capabilities JSON)\n"
         "  check       Check Rego source files for errors\n"
         "  eval        Evaluate a Rego query\n"
         "  fmt         Format Rego source files\n"
         "  help        Help about any command\n"
         "  inspect     Inspect OPA bundle(s)\n"
         "  run         Start the policy server (OPA REST API, admission webhook, authorization)\n"
         "  test        Execute Rego test cases\n"
         "  version     Print the version of Wartburg\n\n"
         "Flags:\n  -h, --help   help for wartburg\n\n"
         "Use \"wartburg [command] --help\" for more information about a command.\n";
}

int print_version() {
  std::cout << "Version: " << kVersion << "\nRego Version: v1 (v0 with --v0-compatible)\n";
  return 0;
}

int help(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "eval") {
    std::cout << wartburg::cli::eval_usage();
  } else if (!args.empty() && args[0] == "capabilities") {
    std::cout << wartburg::cli::capabilities_usage();
  } else if (!args.empty() && args[0] == "build") {
    std::cout << wartburg::cli::build_usage();
  } else if (!args.empty() && args[0] == "inspect") {
    std::cout << wartburg::cli::inspect_usage();
  } else if (!args.empty() && args[0] == "fmt") {
    std::cout << wartburg::cli::fmt_usage();
  } else if (!args.empty() && args[0] == "check") {
    std::cout << wartburg::cli::check_usage();
  } else if (!args.empty() && args[0] == "run") {
    std::cout << wartburg::cli::run_usage();
  } else if (!args.empty() && args[0] == "test") {
    std::cout << wartburg::cli::test_usage();
  } else {
    std::cout << root_usage();
  }
  return 0;
}

int unknown_command(const std::string& name) {
  std::cerr << "Error: unknown command \"" << name << "\" for \"wartburg\"\n"
            << "Run 'wartburg --help' for usage.\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return help({});
  std::string cmd = args.front();
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "capabilities") return wartburg::cli::run_capabilities(rest, std::cout, std::cerr);
  if (cmd == "eval") return wartburg::cli::run_eval(rest, std::cin, std::cout, std::cerr);
  if (cmd == "run") {
    // opa.runtime() is the runtime document under `run`; elsewhere (eval, test) it is {} as in OPA
    wartburg::builtins::set_runtime_info(wartburg::builtins::default_runtime_info(kVersion));
    return wartburg::cli::run_run(rest, std::cout, std::cerr);
  }
  if (cmd == "test") return wartburg::cli::run_test(rest, std::cout, std::cerr);
  if (cmd == "check") return wartburg::cli::run_check(rest, std::cout, std::cerr);
  if (cmd == "fmt") return wartburg::cli::run_fmt(rest, std::cin, std::cout, std::cerr);
  if (cmd == "build") return wartburg::cli::run_build(rest, std::cout, std::cerr);
  if (cmd == "inspect") return wartburg::cli::run_inspect(rest, std::cout, std::cerr);
  if (cmd == "version" || cmd == "--version") return print_version();
  if (cmd == "help" || cmd == "-h" || cmd == "--help") return help(rest);
  return unknown_command(cmd);
}
