// PolicyStore: the server's policies and data. Readers take the current
// Snapshot (an immutable, compiled policy plus its data) without locking;
// every change (PUT /v1/policies, PUT/PATCH/DELETE /v1/data, a bundle or file
// reload) builds a new snapshot and swaps it in atomically, so a request in
// flight finishes on the snapshot it started with.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "policy/engine.h"
#include "policy/value.h"

namespace wartburg::sidecar {

// A Data API write that cannot be done; what() is OPA's storage error text
// ("storage_not_found_error: /a/b: document does not exist").
struct StoreError : std::runtime_error {
  enum Kind { NotFound, Conflict, BadPatch } kind;
  StoreError(Kind k, const std::string& message);
};

class Snapshot {
 public:
  std::shared_ptr<const Policy> policy;           // compiled modules
  std::map<std::string, SourceFile> modules;      // policy id -> source
  Value data;                                     // base documents
  std::map<std::string, std::string> revisions;   // bundle name -> revision
  CompileOptions compile_options;

  // A prepared query for `query`, compiled once per snapshot and shared by all
  // threads. Throws wartburg::Error when the query does not compile.
  std::shared_ptr<const PreparedQuery> prepare(const std::string& query) const;
  size_t prepared_count() const;  // cached prepared queries (for tests)
  // The base document at `path` below data (not rule values); nullptr when absent.
  const Value* base_document(const std::vector<std::string>& path) const;

 private:
  friend class PolicyStore;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const PreparedQuery>> prepared_;
};

class PolicyStore {
 public:
  explicit PolicyStore(CompileOptions opts = {});

  std::shared_ptr<const Snapshot> current() const;

  // Policy API. put_policy compiles all modules with the new one; on errors the
  // current snapshot is kept and the errors are returned.
  std::vector<ErrorInfo> put_policy(const std::string& id, const std::string& text);
  bool delete_policy(const std::string& id);  // false: no such policy
  // As delete_policy, but reports compile errors of the remaining modules (the
  // policy is then kept, as OPA does) and whether `id` existed.
  std::vector<ErrorInfo> remove_policy(const std::string& id, bool& found);

  // Data API on base documents; `path` is below data (empty: the root).
  // put_data creates missing parent objects; throws StoreError when a non-object
  // document is in the way (or the root would not be an object).
  void put_data(const std::vector<std::string>& path, const Value& v);
  bool delete_data(const std::vector<std::string>& path);  // false: no such document
  // RFC 6902 JSON Patch at `path`; returns an error message, empty on success.
  std::string patch_data(const std::vector<std::string>& path, const Value& ops);
  // As patch_data, but throws StoreError (NotFound: no document at path or an
  // operation's path is missing; BadPatch: malformed operations).
  void patch_data_checked(const std::vector<std::string>& path, const Value& ops);

  // Replaces everything (a bundle or a set of files) and forgets what the API
  // wrote; on compile errors keeps the current snapshot and returns the errors.
  std::vector<ErrorInfo> replace_all(std::map<std::string, SourceFile> modules, Value data,
                                     std::map<std::string, std::string> revisions);

  // A (re)load of what came from files and bundles (start-up, --watch): it
  // replaces the previously loaded modules and data but keeps what the REST
  // API wrote since, as OPA does: policies PUT through /v1/policies, and the
  // documents at every path written (PUT, PATCH or DELETE) through /v1/data.
  // A file policy deleted through the API comes back with the next reload.
  // On compile errors keeps the current snapshot and returns the errors.
  std::vector<ErrorInfo> replace_files(std::map<std::string, SourceFile> modules, Value data,
                                       std::map<std::string, std::string> revisions);

 private:
  std::shared_ptr<const Snapshot> build(std::map<std::string, SourceFile> modules, Value data,
                                        std::map<std::string, std::string> revisions,
                                        std::vector<ErrorInfo>& errors) const;
  void publish(std::shared_ptr<const Snapshot> s);
  // A copy of `old` with other data (same policy, prepared queries carried over).
  std::shared_ptr<Snapshot> with_data(const Snapshot& old, Value data) const;

  // Remembers an API data write at `path` (kept minimal: no path below another).
  void note_api_path(const std::vector<std::string>& path);

  CompileOptions opts_;
  std::mutex write_mu_;  // serializes writers
  // What the REST API wrote (under write_mu_): survives replace_files.
  std::set<std::string> api_policies_;
  std::vector<std::vector<std::string>> api_data_paths_;
  std::shared_ptr<const Snapshot> current_;  // read/written with std::atomic_load/atomic_store
};

}  // namespace wartburg::sidecar
