// PolicyStore and Snapshot (see store.h): every write builds a fresh immutable
// Snapshot and publishes it with std::atomic_store; readers std::atomic_load
// the current one and never block writers. Policies are compiled, or loaded
// from the precompiled plan of a loaded bundle when it was built from exactly
// the same modules (compile_or_load_plan). Data writes keep the compiled
// policy (it does not depend on data) and carry the prepared-query cache over.
#include "sidecar/store.h"

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "policy/builtins/registry.h"
#include "sidecar/bundle.h"

namespace wartburg::sidecar {

namespace {

constexpr size_t kMaxPreparedQueries = 512;
constexpr size_t kMaxApiDataPaths = 4096;  // past this, API-written paths are widened to their first segment

// Array index from a path segment ("0", "12"); -1 when it is not one.
long array_index(const std::string& seg, size_t size) {
  if (seg.empty() || seg.size() > 18) return -1;
  if (seg.size() > 1 && seg[0] == '0') return -1;
  long i = 0;
  for (char c : seg) {
    if (c < '0' || c > '9') return -1;
    i = i * 10 + (c - '0');
  }
  return static_cast<size_t>(i) < size ? i : -1;
}

std::string path_text(const std::vector<std::string>& path) {
  std::string s;
  for (const auto& p : path) s += "/" + p;
  return s.empty() ? "/" : s;
}

// The document at `path` below `root`; nullptr when absent.
const Value* lookup(const Value& root, const std::vector<std::string>& path, size_t n) {
  const Value* cur = &root;
  for (size_t i = 0; i < n; ++i) {
    if (cur->is_object()) {
      cur = cur->find(path[i]);
    } else if (cur->is_array()) {
      long idx = array_index(path[i], cur->size());
      cur = idx < 0 ? nullptr : &cur->items()[idx];
    } else {
      return nullptr;
    }
    if (!cur) return nullptr;
  }
  return cur;
}

// Returns `node` with `v` stored at path[i..]; missing objects along the way are
// created (OPA's PUT semantics). Throws StoreError when a scalar is in the way.
Value set_at(const Value& node, const std::vector<std::string>& path, size_t i, const Value& v) {
  if (i == path.size()) return v;
  if (node.is_array()) {
    long idx = array_index(path[i], node.size());
    if (idx < 0) throw StoreError(StoreError::NotFound, path_text(path) + ": document does not exist");
    std::vector<Value> items = node.items();
    items[idx] = set_at(items[idx], path, i + 1, v);
    return Value::array(std::move(items));
  }
  if (node.defined() && !node.is_object()) {
    throw StoreError(StoreError::Conflict, path_text(path) + ": path refers to non-object document");
  }
  std::vector<std::pair<Value, Value>> items;
  if (node.defined()) items = node.entries();
  Value key = Value::string(path[i]);
  auto it = std::find_if(items.begin(), items.end(), [&](const auto& kv) { return kv.first == key; });
  if (it == items.end()) {
    items.emplace_back(key, set_at(Value(), path, i + 1, v));
  } else {
    it->second = set_at(it->second, path, i + 1, v);
  }
  return Value::object(std::move(items));
}

// Returns `node` without the document at path[i..]; `found` reports whether it existed.
Value remove_at(const Value& node, const std::vector<std::string>& path, size_t i, bool& found) {
  if (node.is_array()) {
    long idx = array_index(path[i], node.size());
    if (idx < 0) return node;
    std::vector<Value> items = node.items();
    if (i + 1 == path.size()) {
      items.erase(items.begin() + idx);
      found = true;
    } else {
      items[idx] = remove_at(items[idx], path, i + 1, found);
    }
    return found ? Value::array(std::move(items)) : node;
  }
  if (!node.is_object()) return node;
  std::vector<std::pair<Value, Value>> items = node.entries();
  Value key = Value::string(path[i]);
  auto it = std::find_if(items.begin(), items.end(), [&](const auto& kv) { return kv.first == key; });
  if (it == items.end()) return node;
  if (i + 1 == path.size()) {
    items.erase(it);
    found = true;
  } else {
    it->second = remove_at(it->second, path, i + 1, found);
  }
  return found ? Value::object(std::move(items)) : node;
}

}  // namespace

StoreError::StoreError(Kind k, const std::string& message)
    : std::runtime_error(std::string(k == NotFound ? "storage_not_found_error: " : k == Conflict ? "storage_write_conflict_error: "
                                                                                                  : "storage_invalid_patch_error: ") +
                         message),
      kind(k) {}

// ---- Snapshot ----

std::shared_ptr<const PreparedQuery> Snapshot::prepare(const std::string& query) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = prepared_.find(query);
    if (it != prepared_.end()) return it->second;
  }
  // Compiled outside the lock: two threads may race to prepare the same
  // query; both results are equivalent and the first stored wins.
  auto pq = std::make_shared<const PreparedQuery>(policy, query, compile_options);
  std::lock_guard<std::mutex> lock(mu_);
  if (prepared_.size() >= kMaxPreparedQueries) prepared_.clear();
  auto [it, inserted] = prepared_.emplace(query, pq);
  return it->second;
}

size_t Snapshot::prepared_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return prepared_.size();
}

const Value* Snapshot::base_document(const std::vector<std::string>& path) const {
  return lookup(data, path, path.size());
}

// ---- PolicyStore ----

PolicyStore::PolicyStore(CompileOptions opts) : opts_(opts) {
  std::vector<ErrorInfo> errors;
  auto s = build({}, Value::empty_object(), {}, errors);
  if (!s) throw Error(errors);
  publish(std::move(s));
}

std::shared_ptr<const Snapshot> PolicyStore::current() const { return std::atomic_load(&current_); }

void PolicyStore::publish(std::shared_ptr<const Snapshot> s) { std::atomic_store(&current_, std::move(s)); }

std::shared_ptr<const Snapshot> PolicyStore::build(std::map<std::string, SourceFile> modules, Value data,
                                                   std::map<std::string, std::string> revisions,
                                                   std::vector<ErrorInfo>& errors) const {
  std::vector<SourceFile> files;
  files.reserve(modules.size());
  for (const auto& [id, src] : modules) files.push_back(src);
  std::shared_ptr<const Policy> policy;
  try {
    policy = compile_or_load_plan(files, opts_);  // a loaded bundle's plan when it fits these modules
  } catch (const Error& e) {
    errors = e.errors;
    return nullptr;
  }
  auto s = std::make_shared<Snapshot>();
  s->policy = std::move(policy);
  s->modules = std::move(modules);
  s->data = data.defined() ? std::move(data) : Value::empty_object();
  s->revisions = std::move(revisions);
  s->compile_options = opts_;
  return s;
}

std::shared_ptr<Snapshot> PolicyStore::with_data(const Snapshot& old, Value data) const {
  auto s = std::make_shared<Snapshot>();
  s->policy = old.policy;
  s->modules = old.modules;
  s->data = std::move(data);
  s->revisions = old.revisions;
  s->compile_options = old.compile_options;
  {
    // Prepared queries depend only on the policy, which is unchanged.
    std::lock_guard<std::mutex> lock(old.mu_);
    s->prepared_ = old.prepared_;
  }
  return s;
}

std::vector<ErrorInfo> PolicyStore::put_policy(const std::string& id, const std::string& text) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto cur = current();
  auto modules = cur->modules;
  modules[id] = SourceFile{id, text};
  std::vector<ErrorInfo> errors;
  auto s = build(std::move(modules), cur->data, cur->revisions, errors);
  if (s) {
    publish(std::move(s));
    api_policies_.insert(id);
  }
  return errors;
}

std::vector<ErrorInfo> PolicyStore::remove_policy(const std::string& id, bool& found) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto cur = current();
  found = cur->modules.count(id) > 0;
  if (!found) return {};
  auto modules = cur->modules;
  modules.erase(id);
  std::vector<ErrorInfo> errors;
  auto s = build(std::move(modules), cur->data, cur->revisions, errors);
  if (s) {
    publish(std::move(s));
    api_policies_.erase(id);
  }
  return errors;
}

bool PolicyStore::delete_policy(const std::string& id) {
  bool found = false;
  remove_policy(id, found);
  return found;
}

void PolicyStore::put_data(const std::vector<std::string>& path, const Value& v) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto cur = current();
  if (path.empty() && !v.is_object()) {
    throw StoreError(StoreError::Conflict, "/: root must be object");
  }
  publish(with_data(*cur, set_at(cur->data, path, 0, v)));
  note_api_path(path);
}

bool PolicyStore::delete_data(const std::vector<std::string>& path) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto cur = current();
  if (path.empty()) {
    publish(with_data(*cur, Value::empty_object()));
    note_api_path(path);
    return true;
  }
  bool found = false;
  Value next = remove_at(cur->data, path, 0, found);
  if (!found) return false;
  publish(with_data(*cur, std::move(next)));
  note_api_path(path);
  return true;
}

std::string PolicyStore::patch_data(const std::vector<std::string>& path, const Value& ops) {
  try {
    patch_data_checked(path, ops);
  } catch (const StoreError& e) {
    return e.what();
  }
  return {};
}

void PolicyStore::patch_data_checked(const std::vector<std::string>& path, const Value& ops) {
  if (!ops.is_array()) throw StoreError(StoreError::BadPatch, "patch must be an array of operations");
  for (const Value& op : ops.items()) {
    const Value* kind = op.is_object() ? op.find("op") : nullptr;
    const Value* at = op.is_object() ? op.find("path") : nullptr;
    if (!kind || !kind->is_string()) throw StoreError(StoreError::BadPatch, "patch operation must have a string \"op\"");
    const std::string& k = kind->str();
    if (k != "add" && k != "remove" && k != "replace" && k != "move" && k != "copy" && k != "test") {
      throw StoreError(StoreError::BadPatch, "bad patch operation: " + k);
    }
    if (!at || !at->is_string()) throw StoreError(StoreError::BadPatch, "patch operation must have a string \"path\"");
    if ((k == "add" || k == "replace" || k == "test") && !op.find("value")) {
      throw StoreError(StoreError::BadPatch, "patch operation " + k + " must have a \"value\"");
    }
  }
  std::lock_guard<std::mutex> lock(write_mu_);
  auto cur = current();
  const Value* target = lookup(cur->data, path, path.size());
  if (!target) throw StoreError(StoreError::NotFound, path_text(path) + ": document does not exist");
  const builtins::Builtin* patch = builtins::registry().find("json.patch");
  if (!patch) throw std::logic_error("json.patch builtin is not registered");
  builtins::Context ctx;
  Value args[2] = {*target, ops};
  Value patched = patch->fn(ctx, args);
  if (!patched.defined()) {
    throw StoreError(StoreError::NotFound, path_text(path) + ": patch failed (a path does not exist or a test failed)");
  }
  if (path.empty() && !patched.is_object()) throw StoreError(StoreError::Conflict, "/: root must be object");
  publish(with_data(*cur, set_at(cur->data, path, 0, patched)));
  note_api_path(path);
}

std::vector<ErrorInfo> PolicyStore::replace_all(std::map<std::string, SourceFile> modules, Value data,
                                                std::map<std::string, std::string> revisions) {
  std::lock_guard<std::mutex> lock(write_mu_);
  std::vector<ErrorInfo> errors;
  auto s = build(std::move(modules), std::move(data), std::move(revisions), errors);
  if (s) {
    publish(std::move(s));
    api_policies_.clear();
    api_data_paths_.clear();
  }
  return errors;
}

void PolicyStore::note_api_path(const std::vector<std::string>& path) {
  auto is_prefix = [](const std::vector<std::string>& p, const std::vector<std::string>& of) {
    return p.size() <= of.size() && std::equal(p.begin(), p.end(), of.begin());
  };
  for (const auto& p : api_data_paths_) {
    if (is_prefix(p, path)) return;  // already covered
  }
  std::erase_if(api_data_paths_, [&](const std::vector<std::string>& p) { return is_prefix(path, p); });
  api_data_paths_.push_back(path);
  if (api_data_paths_.size() > kMaxApiDataPaths) {
    std::set<std::vector<std::string>> wide;
    for (const auto& p : api_data_paths_) {
      wide.insert(p.empty() ? p : std::vector<std::string>{p.front()});
    }
    api_data_paths_.assign(wide.begin(), wide.end());
    if (wide.count({})) api_data_paths_ = {{}};
  }
}

std::vector<ErrorInfo> PolicyStore::replace_files(std::map<std::string, SourceFile> modules, Value data,
                                                  std::map<std::string, std::string> revisions) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto cur = current();
  for (const auto& id : api_policies_) {
    if (auto it = cur->modules.find(id); it != cur->modules.end()) modules[id] = it->second;
  }
  if (!data.defined()) data = Value::empty_object();
  for (const auto& path : api_data_paths_) {
    const Value* now = lookup(cur->data, path, path.size());
    try {
      if (path.empty()) {
        data = *now;
      } else if (now) {
        data = set_at(data, path, 0, *now);
      } else {
        bool found = false;
        data = remove_at(data, path, 0, found);
      }
    } catch (const StoreError&) {
      // the files now hold a non-object where the API wrote below it: the files win there
    }
  }
  std::vector<ErrorInfo> errors;
  auto s = build(std::move(modules), std::move(data), std::move(revisions), errors);
  if (s) publish(std::move(s));
  return errors;
}

}  // namespace wartburg::sidecar
