// `wartburg build [paths…]`: loads policy and data files (or bundles with -b),
// compiles every module first (errors as file:row:col, exit 1, nothing
// written) and then writes an OPA bundle: /.manifest, one /data.json with the
// merged data document, every module at its path and /plan.wartburg, the
// precompiled policy (lang/plan.h) that `eval -b` and `run` load instead of
// compiling the modules again. Only the "rego" target of `opa build` is
// supported; OPA's plan/wasm targets and optimization are refused.
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "cli/build_command.h"
#include "cli/capabilities.h"
#include "cli/flags.h"
#include "lang/plan.h"
#include "policy/loader.h"
#include "sidecar/bundle.h"
#include "sidecar/bundle_writer.h"

namespace wartburg::cli {

std::string build_usage() {
  return "Build an OPA bundle.\n\n"
         "Compiles the Rego files and data found under the given paths and writes them\n"
         "as a bundle (a gzipped tarball with a .manifest, one data.json at the root,\n"
         "every module at its path and plan.wartburg, the precompiled policy that\n"
         "wartburg loads instead of compiling the modules again; OPA ignores it).\n"
         "Nothing is written when compilation fails.\n\n"
         "Usage:\n  wartburg build <path> [<path> [...]] [flags]\n\n"
         "Flags:\n"
         "  -b, --bundle              load paths as bundle files or root directories\n"
         "  -e, --entrypoint string   set slash separated entrypoint path (accepted; used by plan/wasm only)\n"
         "  -h, --help                help for build\n"
         "      --ignore strings      set file and directory names to ignore during loading (e.g., '.*')\n"
         "  -O, --optimize int        set optimization level (only 0 is supported)\n"
         "  -o, --output string       set the output filename (default \"bundle.tar.gz\")\n"
         "  -r, --revision string     set output bundle revision\n"
         "  -t, --target string       set the output bundle target type (only \"rego\" is supported)\n"
         "      --v0-compatible       build Rego v0 modules (the bundle gets rego_version 0)\n"
         "      --capabilities string capabilities file: builtins it does not list are disabled\n"
         "      --v1-compatible       build Rego v1 modules (the default)\n";
}

namespace {

struct BuildFlags {
  std::vector<std::string> paths;
  std::vector<std::string> ignore;
  std::string output = "bundle.tar.gz";
  std::optional<std::string> revision;
  bool bundle = false;
  bool v0 = false;
  std::string capabilities;  // builtins this capabilities file does not list may not be called
};

const std::vector<FlagSpec<BuildFlags>>& specs() {
  static const std::vector<FlagSpec<BuildFlags>> s = {
      {"bundle", 'b', false, bool_flag<BuildFlags>(&BuildFlags::bundle, "-b, --bundle")},
      {"v0-compatible", 0, false, bool_flag<BuildFlags>(&BuildFlags::v0, "--v0-compatible")},
      {"v1-compatible", 0, false, [](BuildFlags& f, const std::string& v) { f.v0 = !parse_bool("--v1-compatible", v); }},
      {"output", 'o', true, [](BuildFlags& f, const std::string& v) { f.output = v; }},
      {"capabilities", 0, true, [](BuildFlags& f, const std::string& v) { f.capabilities = v; }},
      {"revision", 'r', true, [](BuildFlags& f, const std::string& v) { f.revision = v; }},
      {"ignore", 0, true, [](BuildFlags& f, const std::string& v) { f.ignore.push_back(v); }},
      {"entrypoint", 'e', true, [](BuildFlags&, const std::string&) {}},
      {"target", 't', true,
       [](BuildFlags&, const std::string& v) {
         if (v == "plan" || v == "wasm") {
           throw UsageError("target \"" + v + "\" not supported: wartburg builds only \"rego\" bundles");
         }
         if (v != "rego") {
           throw UsageError("invalid argument \"" + v + "\" for \"-t, --target\" flag: must be one of {rego,wasm,plan}");
         }
       }},
      {"optimize", 'O', true,
       [](BuildFlags&, const std::string& v) {
         if (v != "0") throw UsageError("optimization level \"" + v + "\" not supported: only -O=0 is available");
       }},
  };
  return s;
}

bool parse(const std::vector<std::string>& args, BuildFlags& f, std::ostream& err) {
  if (!parse_args_or_report(specs(), args, f, f.paths, err)) return false;
  if (f.paths.empty()) {
    err << "Error: expected at least one path\n";
    return false;
  }
  if (f.output.empty()) {
    err << "Error: output file name must not be empty\n";
    return false;
  }
  return true;
}

// A file path as a bundle entry: "./a/b.rego" -> "a/b.rego", "/abs/x.rego" -> "abs/x.rego".
std::string entry_path(const std::string& p) {
  std::string out;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    std::string seg = p.substr(i, j - i);
    if (seg == "..") {
      auto cut = out.rfind('/');
      out = cut == std::string::npos ? "" : out.substr(0, cut);
    } else if (!seg.empty() && seg != ".") {
      out += (out.empty() ? "" : "/") + seg;
    }
    i = j + 1;
  }
  return out;
}

bool ignored(const std::vector<std::string>& patterns, const std::string& id) {
  size_t i = 0;
  while (i < id.size()) {
    size_t j = id.find('/', i);
    if (j == std::string::npos) j = id.size();
    std::string seg = id.substr(i, j - i);
    for (const auto& p : patterns) {
      if (fnmatch(p.c_str(), seg.c_str(), 0) == 0) return true;
    }
    i = j + 1;
  }
  return false;
}

// Recursive object merge; false on a conflict (`at` names it).
bool merge_into(Value& into, const Value& from, std::string& at) {
  if (!into.is_object() || !from.is_object()) return false;
  std::vector<std::pair<Value, Value>> items = into.entries();
  for (const auto& [k, v] : from.entries()) {
    auto it = std::find_if(items.begin(), items.end(), [&](const auto& kv) { return kv.first == k; });
    if (it == items.end()) {
      items.emplace_back(k, v);
      continue;
    }
    at += "." + (k.is_string() ? k.str() : to_json(k));
    if (!merge_into(it->second, v, at)) return false;
    at.erase(at.rfind('.'));
  }
  into = Value::object(std::move(items));
  return true;
}

// Builds the output bundle from plain files and folders (`opa build PATH`).
sidecar::Bundle from_files(const BuildFlags& f) {
  LoadOptions lo;
  lo.ignore = f.ignore;
  LoadedFiles loaded = load_paths(f.paths, lo);
  sidecar::Bundle b;
  for (auto& m : loaded.modules) {
    std::string id = entry_path(m.name);
    b.modules[id] = SourceFile{m.name, std::move(m.text)};
  }
  b.data = std::move(loaded.data);
  b.roots = {""};
  b.rego_version = f.v0 ? 0 : 1;
  return b;
}

// Merges bundles (`opa build -b DIR|FILE...`): modules and data are combined,
// roots are the union; revision and metadata are kept for a single bundle.
sidecar::Bundle from_bundles(const BuildFlags& f) {
  std::vector<sidecar::Bundle> inputs;
  for (const auto& p : f.paths) inputs.push_back(sidecar::load_bundle(p));
  sidecar::Bundle b;
  if (inputs.size() == 1) {
    b = std::move(inputs[0]);
    std::erase_if(b.modules, [&](const auto& kv) { return ignored(f.ignore, kv.first); });
    if (f.v0) b.rego_version = 0;
    return b;
  }
  std::vector<std::string> errors;
  int version = inputs.front().rego_version;
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto& in = inputs[i];
    if (in.rego_version != version) {
      errors.push_back("bundle merge failed: " + f.paths[i] + ": rego_version " + std::to_string(in.rego_version) +
                       " differs from rego_version " + std::to_string(version) + " of " + f.paths[0]);
    }
    for (auto& [id, src] : in.modules) {
      if (ignored(f.ignore, id)) continue;
      if (!b.modules.emplace(id, src).second) {
        errors.push_back("bundle merge failed: module " + id + " is defined in more than one bundle");
      }
    }
    std::string at = "data";
    if (!merge_into(b.data, in.data, at)) errors.push_back("bundle merge failed: " + at + " is defined more than once");
    for (const auto& r : in.roots) {
      if (std::find(b.roots.begin(), b.roots.end(), r) == b.roots.end()) b.roots.push_back(r);
    }
  }
  if (!errors.empty()) {
    std::string msg;
    for (const auto& e : errors) msg += (msg.empty() ? "" : "\n") + e;
    throw sidecar::BundleError(msg);
  }
  b.rego_version = f.v0 ? 0 : version;
  return b;
}

// Compiles the bundle's modules under their ids in the bundle (the names a
// loader of the bundle sees) and returns the precompiled plan. On errors,
// fills `errors` with every parse and compile problem, named as loaded.
std::string compile_plan(const sidecar::Bundle& b, const std::set<std::string>& disabled,
                         std::vector<ErrorInfo>& errors) {
  std::vector<SourceFile> modules;
  bool renamed = false;
  for (const auto& [id, src] : b.modules) {
    modules.push_back(SourceFile{id, src.text});
    renamed = renamed || id != src.name;
  }
  CompileOptions co;
  co.v0_compatible = b.rego_version == 0;
  co.disabled_builtins = disabled;
  try {
    return save_plan(*compile(modules, co));
  } catch (const Error& e) {
    errors = e.errors;
  }
  if (renamed) {  // report the problems with the file names as given
    modules.clear();
    for (const auto& [id, src] : b.modules) modules.push_back(src);
    try {
      compile(modules, co);
    } catch (const Error& e) {
      errors = e.errors;
    }
  }
  return {};
}

// Writes the bundle and its plan to `path` through a temporary file renamed
// into place (a failed write never leaves a partial bundle).
void write_bundle_with_plan(const sidecar::Bundle& b, const std::string& plan, const std::string& path) {
  auto files = sidecar::bundle_files(b);
  files.emplace_back("/" + std::string(lang::kPlanFileName), plan);
  std::string bytes = sidecar::gzip(sidecar::tar(files));
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw sidecar::BundleError("open " + path + ": cannot create file");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw sidecar::BundleError("write " + path + ": cannot write file");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw sidecar::BundleError("rename " + path + ": " + ec.message());
  }
}

void print_errors(const std::vector<ErrorInfo>& errors, std::ostream& err) {
  err << (errors.size() == 1 ? "1 error occurred:\n" : std::to_string(errors.size()) + " errors occurred:\n");
  for (const auto& e : errors) err << e.to_string() << "\n";
}

}  // namespace

int run_build(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      out << build_usage();
      return 0;
    }
  }
  BuildFlags f;
  if (!parse(args, f, err)) return 1;
  sidecar::Bundle b;
  std::vector<ErrorInfo> errors;
  std::string plan;
  try {
    b = f.bundle ? from_bundles(f) : from_files(f);
    std::set<std::string> disabled;
    if (!f.capabilities.empty()) disabled = disabled_by_capabilities(f.capabilities);
    plan = compile_plan(b, disabled, errors);
  } catch (const Error& e) {
    errors = e.errors;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";  // loading failed (file names and reasons, one per line)
    return 1;
  }
  if (!errors.empty()) {
    print_errors(errors, err);
    return 1;
  }
  if (f.revision) b.revision = *f.revision;
  try {
    write_bundle_with_plan(b, plan, f.output);
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace wartburg::cli
