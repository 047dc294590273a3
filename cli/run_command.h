// `wartburg run --server`: the policy server (OPA REST API, admission
// webhook, authorization endpoint), configured with `opa run --server`'s
// flags and an optional YAML configuration file.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sidecar/config.h"

namespace wartburg::cli {

std::string run_usage();

// Parses the flags into `cfg` (after reading --config-file, so flags win).
// Returns false and writes the problem to `err` on a usage error.
bool parse_run_flags(const std::vector<std::string>& args, sidecar::ServerConfig& cfg, bool& server,
                     std::ostream& err);

int run_run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace wartburg::cli
