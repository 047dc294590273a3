// OPA bundles and plain policy/data files for the servers: a bundle is a
// directory or a .tar.gz holding .rego modules, data.json / data.yaml files
// (placed under data at their directory's path) and an optional .manifest
// (revision, roots, rego_version, metadata), plus the precompiled plan that
// `wartburg build` adds (/plan.wartburg). load_paths reads plain files and
// folders with `wartburg eval -d` layout rules. PathWatcher polls files for
// --watch.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "policy/engine.h"
#include "policy/value.h"

namespace wartburg::sidecar {

// Loading failed; the message names the file (and the problems, one per line).
struct BundleError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Bundle {
  std::map<std::string, SourceFile> modules;  // id (path inside the bundle, e.g. "authz/policy.rego") -> source
  Value data = Value::empty_object();
  std::string revision;
  std::vector<std::string> roots;  // from the manifest; {""} (everything) when not given
  Value metadata;                  // manifest "metadata", Undefined when absent
  int rego_version = 1;            // manifest "rego_version" (0: modules are Rego v0)
  // The precompiled plan (/plan.wartburg, written by `wartburg build`), kept only
  // when it was built from exactly these modules by this wartburg version for
  // this Rego version; empty otherwise (the modules are then compiled as usual).
  std::string plan;
};

// The policy for `modules`: loaded from the plan of a bundle that this process
// loaded when that plan was built from exactly these modules (same names and
// texts) and fits `opts`; otherwise (or when the plan does not load) compiled.
// Throws Error as compile() does. `from_plan` (optional) tells which happened.
std::shared_ptr<const Policy> compile_or_load_plan(const std::vector<SourceFile>& modules, const CompileOptions& opts,
                                                   bool* from_plan = nullptr);

// A directory or a gzipped tarball (decided by content, not by name).
// Throws BundleError.
Bundle load_bundle(const std::string& path);
// A gzipped tarball already in memory; `name` is used in messages.
Bundle load_bundle_tarball(std::string_view bytes, const std::string& name);

// Plain files and folders: .rego files are modules (ids are the file paths),
// .json/.yaml/.yml files are data placed at their folder's path relative to the
// argument (DIR/a/b/x.json -> data.a.b). Throws BundleError.
Bundle load_paths(const std::vector<std::string>& paths);

// Exposed for tests: gunzip (throws BundleError) and tar entries (regular files only).
std::string gunzip(std::string_view bytes, const std::string& name);
std::vector<std::pair<std::string, std::string>> untar(std::string_view tar, const std::string& name);

// Polls the modification times (and sizes) of everything under `paths` every
// `interval` on a background thread and calls `on_change` (on that thread)
// when anything was added, removed or modified.
class PathWatcher {
 public:
  PathWatcher(std::vector<std::string> paths, std::chrono::milliseconds interval, std::function<void()> on_change);
  ~PathWatcher();  // stops the thread
  PathWatcher(const PathWatcher&) = delete;
  PathWatcher& operator=(const PathWatcher&) = delete;
  void stop();

 private:
  std::string fingerprint() const;
  void run();

  std::vector<std::string> paths_;
  std::chrono::milliseconds interval_;
  std::function<void()> on_change_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace wartburg::sidecar
