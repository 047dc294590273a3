// `wartburg check`: parse and compile policies, report every error with file:row:col.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace wartburg::cli {

std::string check_usage();
int run_check(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace wartburg::cli
