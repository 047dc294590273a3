// `wartburg fmt [paths…]`: formats Rego source files as `opa fmt` does
// (canonical Rego v1), printing, rewriting (-w), listing (-l) or diffing (-d).
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace wartburg::cli {

std::string fmt_usage();
int run_fmt(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);

// Unified diff (3 lines of context) between two texts; empty when equal.
std::string unified_diff(const std::string& a, const std::string& b, const std::string& a_name,
                         const std::string& b_name);

}  // namespace wartburg::cli
