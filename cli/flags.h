// Command-line flags in the style of `opa` (cobra/pflag): --name,
// --name=value, --name value, -n value, -nvalue, -n=value and runs of
// boolean shorthands (-vc). Each command declares a table of FlagSpec for
// its own flags struct; a usage problem throws UsageError.
#pragma once

#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "policy/limits.h"

namespace wartburg::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class Flags>
struct FlagSpec {
  std::string name;
  char shorthand;  // 0: none
  bool takes_value;
  std::function<void(Flags&, const std::string&)> set;
};

// Go's strconv.ParseBool, with pflag's error wording.
inline bool parse_bool(const std::string& flag, const std::string& v) {
  if (v == "true" || v == "1" || v == "t" || v == "T" || v == "TRUE" || v == "True") return true;
  if (v == "false" || v == "0" || v == "f" || v == "F" || v == "FALSE" || v == "False") return false;
  throw UsageError("invalid argument \"" + v + "\" for \"" + flag + "\" flag: strconv.ParseBool: parsing \"" + v +
                   "\": invalid syntax");
}

template <class Flags>
std::function<void(Flags&, const std::string&)> bool_flag(bool Flags::*field, const std::string& flag) {
  return [field, flag](Flags& f, const std::string& v) { f.*field = parse_bool(flag, v); };
}

// A byte size ("1048576", "64MiB", "1GB"); 0 means unlimited.
template <class Flags>
std::function<void(Flags&, const std::string&)> byte_size_flag(uint64_t Flags::*field, const std::string& flag) {
  return [field, flag](Flags& f, const std::string& v) {
    try {
      f.*field = limits::parse_byte_size(v);
    } catch (const std::invalid_argument& e) {
      throw UsageError("invalid argument \"" + v + "\" for \"" + flag + "\" flag: " + e.what());
    }
  };
}

// --name, --name=value, --name value. Returns the index of the last argument used.
template <class Flags>
size_t parse_long(const std::vector<FlagSpec<Flags>>& specs, const std::vector<std::string>& args, size_t i,
                  Flags& f) {
  std::string body = args[i].substr(2);
  auto eq = body.find('=');
  std::string name = body.substr(0, eq);
  const FlagSpec<Flags>* spec = nullptr;
  for (const auto& s : specs) {
    if (s.name == name) spec = &s;
  }
  if (!spec) throw UsageError("unknown flag: --" + name);
  if (eq != std::string::npos) {
    spec->set(f, body.substr(eq + 1));
  } else if (!spec->takes_value) {
    spec->set(f, "true");
  } else {
    if (i + 1 >= args.size()) throw UsageError("flag needs an argument: --" + name);
    spec->set(f, args[++i]);
  }
  return i;
}

// -n, -nvalue, -n=value, -n value, and runs of boolean shorthands.
template <class Flags>
size_t parse_short(const std::vector<FlagSpec<Flags>>& specs, const std::vector<std::string>& args, size_t i,
                   Flags& f) {
  const std::string& a = args[i];
  for (size_t k = 1; k < a.size(); ++k) {
    const FlagSpec<Flags>* spec = nullptr;
    for (const auto& s : specs) {
      if (s.shorthand == a[k]) spec = &s;
    }
    if (!spec) throw UsageError(std::string("unknown shorthand flag: '") + a[k] + "' in " + a);
    if (!spec->takes_value) {
      spec->set(f, "true");
      continue;
    }
    std::string rest = a.substr(k + 1);
    if (!rest.empty()) {
      spec->set(f, rest[0] == '=' ? rest.substr(1) : rest);
    } else {
      if (i + 1 >= args.size()) throw UsageError(std::string("flag needs an argument: '") + a[k] + "' in " + a);
      spec->set(f, args[++i]);
    }
    break;
  }
  return i;
}

// Parses every argument: flags per `specs`, everything else into `positional`
// ("--" ends the flags). Throws UsageError.
template <class Flags>
void parse_args(const std::vector<FlagSpec<Flags>>& specs, const std::vector<std::string>& args, Flags& f,
                std::vector<std::string>& positional) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      positional.insert(positional.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      return;
    }
    if (a.rfind("--", 0) == 0) {
      i = parse_long(specs, args, i, f);
    } else if (a.size() > 1 && a[0] == '-') {
      i = parse_short(specs, args, i, f);
    } else {
      positional.push_back(a);
    }
  }
}

// parse_args for commands that report usage problems as "Error: ..." on `err`
// and return false instead of throwing.
template <class Flags>
bool parse_args_or_report(const std::vector<FlagSpec<Flags>>& specs, const std::vector<std::string>& args, Flags& f,
                          std::vector<std::string>& positional, std::ostream& err) {
  try {
    parse_args(specs, args, f, positional);
  } catch (const UsageError& e) {
    err << "Error: " << e.what() << "\n";
    return false;
  }
  return true;
}

}  // namespace wartburg::cli
