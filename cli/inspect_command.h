// `wartburg inspect`: summarize an OPA bundle (.tar.gz or directory) or a
// single Rego file as `opa inspect` does: manifest, namespaces (packages and
// data files -> files) and, with --annotations, the METADATA annotations.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace wartburg::cli {

std::string inspect_usage();
int run_inspect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace wartburg::cli
