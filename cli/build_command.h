// `wartburg build`: compile policies and data and write them as an OPA bundle
// (.tar.gz) as `opa build` does for its default "rego" target.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace wartburg::cli {

std::string build_usage();
int run_build(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace wartburg::cli
