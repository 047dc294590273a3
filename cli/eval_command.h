// `wartburg eval [flags] QUERY`: evaluates a Rego query against policy and
// data files (-d), an input document (-i / --stdin-input), and prints the
// result as `opa eval` does. Exit status as OPA's: 0 on success, 1 for
// --fail / --fail-defined and usage errors, 2 when evaluation reports errors.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

namespace wartburg::cli {

constexpr int kExitOk = 0;
constexpr int kExitFail = 1;   // --fail / --fail-defined tripped, or a usage error
constexpr int kExitError = 1;  // errors while loading, compiling or evaluating

// Go's time.ParseDuration ("1.5s", "100ms", "1h2m"); false when malformed.
bool parse_go_duration(const std::string& text, std::chrono::nanoseconds& out);

// Runs the eval subcommand; `args` are the arguments after "eval".
int run_eval(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);

// Help text of the eval subcommand.
std::string eval_usage();

}  // namespace wartburg::cli
