// Bundle and file loading (see bundle.h): gzip via zlib, a small tar reader
// (ustar/GNU/PAX headers, regular files), OPA's bundle layout rules and
// manifest roots validation, precompiled plans (a bundle's /plan.wartburg is
// kept when it belongs to the bundle's modules; compile_or_load_plan uses it),
// the `-d`-style file loader and the mtime poller.
#include "sidecar/bundle.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include "lang/parser.h"
#include "lang/plan.h"
#include "policy/json.h"
#include "policy/loader.h"

namespace wartburg::sidecar {

namespace fs = std::filesystem;

namespace {

// Reader limits (hostile bundles, issue #9):
constexpr size_t kMaxUncompressed = size_t(1) << 30;  // inflated size of a tarball (gzip bombs)
constexpr size_t kMaxBundleFile = size_t(1) << 30;    // each file, as OPA's default size_limit_bytes
constexpr size_t kMaxBundleTotal = size_t(1) << 30;   // all files of a directory bundle together
constexpr size_t kMaxBundleEntries = 100000;          // tar entries / files of a bundle
constexpr size_t kMaxEntryPath = 4096;                // bytes of an entry's path
constexpr int kMaxBundleDepth = 256;                  // nested folders of a directory bundle

std::string read_whole_file(const std::string& path, size_t limit = kMaxBundleFile) {
  try {
    return wartburg::read_file(path, limit);  // bounded: never reads /dev/zero or a pipe without end
  } catch (const Error& e) {
    throw BundleError(e.errors.empty() ? "read " + path : e.errors.front().message);
  }
}

std::string too_large(const std::string& name, const std::string& file, size_t limit) {
  return name + ": bundle file '" + file + "' exceeded max size (" + std::to_string(limit) + " bytes)";
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// "./a//b/" -> "a/b"; ".." components are rejected (empty result).
std::string clean_path(std::string_view p) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view seg = p.substr(i, j - i);
    if (seg == "..") return {};
    if (!seg.empty() && seg != ".") parts.emplace_back(seg);
    i = j + 1;
  }
  std::string out;
  for (const auto& s : parts) out += (out.empty() ? "" : "/") + s;
  return out;
}

std::vector<std::string> split_slash(std::string_view p) {
  std::vector<std::string> out;
  std::string cleaned = clean_path(p);
  std::string_view s = cleaned;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find('/', i);
    if (j == std::string_view::npos) j = s.size();
    out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

Value place(const std::vector<std::string>& path, Value doc) {
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    ObjectBuilder b;
    b.add(*it, std::move(doc));
    doc = b.build();
  }
  return doc;
}

// Recursive object merge; nullopt on a conflict (the same key defined twice).
std::optional<Value> merge(const Value& a, const Value& b, std::string& at) {
  if (!a.is_object() || !b.is_object()) return std::nullopt;
  std::vector<std::pair<Value, Value>> items = a.entries();
  for (const auto& [k, bv] : b.entries()) {
    auto it = std::find_if(items.begin(), items.end(), [&](const auto& kv) { return kv.first == k; });
    if (it == items.end()) {
      items.emplace_back(k, bv);
      continue;
    }
    at += "/" + (k.is_string() ? k.str() : to_json(k));
    auto merged = merge(it->second, bv, at);
    if (!merged) return std::nullopt;
    it->second = std::move(*merged);
    at.erase(at.rfind('/'));
  }
  return Value::object(std::move(items));
}

std::string errors_text(const std::vector<std::string>& errors) {
  std::string s;
  for (const auto& e : errors) s += (s.empty() ? "" : "\n") + e;
  return s;
}

// Go's fmt of a []string: [a b c].
std::string roots_text(const std::vector<std::string>& roots) {
  std::string s = "[";
  for (size_t i = 0; i < roots.size(); ++i) s += (i ? " " : "") + roots[i];
  return s + "]";
}

// True when `path` ("a/b") lies under `root` ("a"; "" is everything).
bool under_root(const std::string& root, const std::string& path) {
  if (root.empty()) return true;
  if (path.size() < root.size() || path.compare(0, root.size(), root) != 0) return false;
  return path.size() == root.size() || path[root.size()] == '/';
}

bool under_any(const std::vector<std::string>& roots, const std::string& path) {
  return std::any_of(roots.begin(), roots.end(), [&](const std::string& r) { return under_root(r, path); });
}

// OPA's rule for data: every leaf must lie under a root; objects above a root are walked into.
void check_data_roots(const std::vector<std::string>& roots, const Value& node, const std::string& path,
                      std::vector<std::string>& errors) {
  if (under_any(roots, path)) return;
  if (node.is_object()) {
    bool above_root = std::any_of(roots.begin(), roots.end(), [&](const std::string& r) { return under_root(path, r); });
    if (above_root) {
      for (const auto& [k, v] : node.entries()) {
        std::string key = k.is_string() ? k.str() : to_json(k);
        check_data_roots(roots, v, path.empty() ? key : path + "/" + key, errors);
      }
      return;
    }
  }
  errors.push_back("manifest roots " + roots_text(roots) + " do not permit data at path '/" + path + "'");
}

Value parse_data_file(const std::string& display, const std::string& path, const std::string& text,
                      std::vector<std::string>& errors) {
  std::string_view t = text;
  if (t.substr(0, 3) == "\xEF\xBB\xBF") t.remove_prefix(3);
  try {
    std::string ext = lower(fs::path(path).extension().string());
    if (ext == ".yaml" || ext == ".yml") return parse_yaml(t);
    return parse_json(t);
  } catch (const ParseError& e) {
    errors.push_back(display + ": " + e.what());
    return {};
  }
}

void add_data(Value& data, const std::string& display, const std::vector<std::string>& at, Value doc,
              std::vector<std::string>& errors) {
  if (!doc.defined() || (doc.is_null() && at.empty())) return;
  if (at.empty() && !doc.is_object()) {
    errors.push_back(display + ": document must be of type object");
    return;
  }
  std::string conflict;
  auto merged = merge(data, place(at, std::move(doc)), conflict);
  if (!merged) {
    std::replace(conflict.begin(), conflict.end(), '/', '.');
    errors.push_back(display + ": merge error: data" + conflict + " is defined more than once");
    return;
  }
  data = std::move(*merged);
}

// ---- precompiled plans ----

// Plans of the bundles loaded by this process (the last few), by sources digest.
struct PlanRegistry {
  static constexpr size_t kMax = 8;
  std::mutex mu;
  std::vector<std::pair<std::string, std::shared_ptr<const std::string>>> plans;
};

PlanRegistry& plan_registry() {
  static PlanRegistry r;
  return r;
}

void remember_plan(const std::string& digest, const std::string& bytes) {
  auto& r = plan_registry();
  auto plan = std::make_shared<const std::string>(bytes);
  std::lock_guard<std::mutex> lock(r.mu);
  std::erase_if(r.plans, [&](const auto& p) { return p.first == digest; });
  r.plans.emplace_back(digest, std::move(plan));
  if (r.plans.size() > PlanRegistry::kMax) r.plans.erase(r.plans.begin());
}

std::shared_ptr<const std::string> remembered_plan(const std::string& digest) {
  auto& r = plan_registry();
  std::lock_guard<std::mutex> lock(r.mu);
  for (const auto& [d, plan] : r.plans) {
    if (d == digest) return plan;
  }
  return nullptr;
}

bool have_plans() {
  auto& r = plan_registry();
  std::lock_guard<std::mutex> lock(r.mu);
  return !r.plans.empty();
}

// The header of the bundle's plan when the plan belongs to its modules (same
// sources digest, wartburg version and Rego version); nullopt otherwise.
std::optional<lang::PlanInfo> matching_plan(const std::string& bytes, const Bundle& b) {
  lang::PlanInfo info;
  try {
    info = lang::read_plan_info(bytes);
  } catch (const Error&) {
    return std::nullopt;  // another version or corrupt: the modules are compiled instead
  }
  if (!b.modules.empty() && info.v0 != (b.rego_version == 0)) return std::nullopt;
  if (info.modules.size() != b.modules.size() || info.sources_digest.empty()) return std::nullopt;
  std::vector<std::pair<std::string_view, std::string_view>> files;
  for (const auto& [id, src] : b.modules) files.emplace_back(id, src.text);
  if (lang::sources_digest(std::move(files)) != info.sources_digest) return std::nullopt;
  for (const auto& m : info.modules) {
    if (!b.modules.count(m.file)) return std::nullopt;
  }
  return info;
}

// Builds a bundle from its files (paths relative to the bundle root).
Bundle assemble(std::vector<std::pair<std::string, std::string>> files, const std::string& name) {
  Bundle b;
  std::vector<std::string> errors;
  std::sort(files.begin(), files.end());
  auto shown = [&](const std::string& p) { return name + "/" + p; };
  for (const auto& [p, text] : files) {
    if (p != ".manifest") continue;
    Value m;
    try {
      m = parse_json(text);
    } catch (const ParseError& e) {
      throw BundleError(shown(p) + ": " + e.what());
    }
    if (!m.is_object()) throw BundleError(shown(p) + ": manifest must be an object");
    if (const Value* r = m.find("revision")) {
      if (!r->is_string()) throw BundleError(shown(p) + ": revision must be a string");
      b.revision = r->str();
    }
    if (const Value* roots = m.find("roots")) {
      if (!roots->is_array()) throw BundleError(shown(p) + ": roots must be an array of strings");
      for (const Value& r : roots->items()) {
        if (!r.is_string()) throw BundleError(shown(p) + ": roots must be an array of strings");
        b.roots.push_back(clean_path(r.str()));
      }
    }
    if (const Value* v = m.find("rego_version")) {
      int64_t n = 0;
      if (!v->to_int64(n) || (n != 0 && n != 1)) throw BundleError(shown(p) + ": rego_version must be 0 or 1");
      b.rego_version = static_cast<int>(n);
    }
    if (const Value* md = m.find("metadata")) b.metadata = *md;
  }
  if (b.roots.empty()) b.roots.push_back("");

  for (const auto& [p, text] : files) {
    std::string base = fs::path(p).filename().string();
    std::vector<std::string> dir = split_slash(fs::path(p).parent_path().string());
    if (ends_with(base, ".rego")) {
      b.modules[p] = SourceFile{p, text};
    } else if (base == "data.json" || base == "data.yaml" || base == "data.yml") {
      add_data(b.data, shown(p), dir, parse_data_file(shown(p), p, text, errors), errors);
    }
  }

  // A plan built from these modules gives their packages without parsing them.
  std::map<std::string, std::vector<std::string>> plan_packages;
  for (const auto& [p, text] : files) {
    if (p != lang::kPlanFileName) continue;
    if (auto info = matching_plan(text, b)) {
      b.plan = text;
      for (auto& m : info->modules) plan_packages[m.file] = std::move(m.package);
      remember_plan(info->sources_digest, text);
    }
  }

  // Roots: every module's package and every data path must lie under a root.
  for (const auto& [id, src] : b.modules) {
    try {
      std::vector<std::string> package;
      if (auto it = plan_packages.find(id); it != plan_packages.end()) {
        package = it->second;
      } else {
        lang::ParseOptions po;
        po.v0 = b.rego_version == 0;
        package = lang::parse_module(id, src.text, po)->package;
      }
      std::string pkg;
      for (const auto& seg : package) pkg += (pkg.empty() ? "" : "/") + seg;
      if (!under_any(b.roots, pkg)) {
        std::string dotted = pkg;
        std::replace(dotted.begin(), dotted.end(), '/', '.');
        errors.push_back("manifest roots " + roots_text(b.roots) + " do not permit 'package " + dotted +
                         "' in module '" + shown(id) + "'");
      }
    } catch (const Error& e) {
      for (const auto& info : e.errors) errors.push_back(info.to_string());
    }
  }
  check_data_roots(b.roots, b.data, "", errors);
  if (!errors.empty()) throw BundleError(errors_text(errors));
  return b;
}

void walk_dir(const fs::path& root, std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::follow_directory_symlink, ec);
  if (ec) throw BundleError("open " + root.string() + ": " + ec.message());
  size_t total = 0;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) throw BundleError("read " + root.string() + ": " + ec.message());
    // a symbolic link to a folder above would be followed without end
    if (it.depth() > kMaxBundleDepth) {
      throw BundleError("read " + it->path().string() + ": folders nested deeper than " +
                        std::to_string(kMaxBundleDepth) + " levels (a symbolic link loop?)");
    }
    if (!it->is_regular_file(ec)) continue;
    std::string rel = fs::relative(it->path(), root, ec).generic_string();
    if (files.size() >= kMaxBundleEntries) {
      throw BundleError(root.string() + ": more than " + std::to_string(kMaxBundleEntries) + " files");
    }
    std::string text = read_whole_file(it->path().string());
    if (text.size() > kMaxBundleTotal - total) {
      throw BundleError(root.string() + ": files exceed the total limit of " + std::to_string(kMaxBundleTotal) +
                        " bytes at " + rel);
    }
    total += text.size();
    files.emplace_back(rel, std::move(text));
  }
}

// Octal (or GNU base-256) number of a tar header field.
uint64_t tar_number(const char* f, size_t n) {
  if (static_cast<unsigned char>(f[0]) & 0x80) {
    uint64_t v = static_cast<unsigned char>(f[0]) & 0x7f;
    for (size_t i = 1; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(f[i]);
    return v;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < n && f[i]; ++i) {
    if (f[i] == ' ') continue;
    if (f[i] < '0' || f[i] > '7') break;
    v = v * 8 + static_cast<uint64_t>(f[i] - '0');
  }
  return v;
}

std::string tar_string(const char* f, size_t n) { return std::string(f, strnlen(f, n)); }

// PAX extended header records "LEN key=value\n"; returns the "path" value if any.
std::string pax_path(std::string_view data) {
  std::string path;
  while (!data.empty()) {
    size_t sp = data.find(' ');
    if (sp == std::string_view::npos) break;
    size_t len = 0;
    for (size_t i = 0; i < sp; ++i) len = len * 10 + static_cast<size_t>(data[i] - '0');
    if (len <= sp || len > data.size()) break;
    std::string_view rec = data.substr(sp + 1, len - sp - 1);
    if (!rec.empty() && rec.back() == '\n') rec.remove_suffix(1);
    if (rec.substr(0, 5) == "path=") path = std::string(rec.substr(5));
    data.remove_prefix(len);
  }
  return path;
}

}  // namespace

std::string gunzip(std::string_view bytes, const std::string& name) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw BundleError(name + ": cannot initialize gzip");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      std::string msg = zs.msg ? zs.msg : "corrupt or truncated data";
      inflateEnd(&zs);
      throw BundleError(name + ": gzip: " + msg);
    }
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > kMaxUncompressed) {
      inflateEnd(&zs);
      throw BundleError(name + ": gzip: uncompressed size exceeds the limit of " + std::to_string(kMaxUncompressed) +
                        " bytes");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      throw BundleError(name + ": gzip: unexpected end of data");
    }
  }
  inflateEnd(&zs);
  return out;
}

std::vector<std::pair<std::string, std::string>> untar(std::string_view tar, const std::string& name) {
  std::vector<std::pair<std::string, std::string>> files;
  std::string long_name;
  size_t off = 0, entries = 0;
  while (off + 512 <= tar.size()) {
    const char* h = tar.data() + off;
    if (std::all_of(h, h + 512, [](char c) { return c == 0; })) break;  // end of archive
    uint64_t sum = 0;
    for (int i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
    if (sum != tar_number(h + 148, 8)) throw BundleError(name + ": tar: invalid header checksum");
    uint64_t size = tar_number(h + 124, 12);
    char type = h[156];
    off += 512;
    if (size > tar.size() - off) throw BundleError(name + ": tar: unexpected end of archive");
    std::string_view body = tar.substr(off, size);
    off += std::min<uint64_t>((size + 511) / 512 * 512, tar.size() - off);
    if (++entries > kMaxBundleEntries) {
      throw BundleError(name + ": tar: more than " + std::to_string(kMaxBundleEntries) + " entries");
    }

    std::string path = tar_string(h, 100);
    if (std::string_view(h + 257, 5) == "ustar") {
      std::string prefix = tar_string(h + 345, 155);
      if (!prefix.empty()) path = prefix + "/" + path;
    }
    if (!long_name.empty()) {
      path = long_name;
      long_name.clear();
    }
    if (type == 'L' || type == 'x') {  // GNU long name / PAX header for the next entry
      if (body.size() > 2 * kMaxEntryPath + 1024) {
        throw BundleError(name + ": tar: header of an entry exceeds " + std::to_string(2 * kMaxEntryPath + 1024) +
                          " bytes");
      }
      long_name = type == 'L' ? tar_string(body.data(), body.size()) : pax_path(body);
      if (long_name.size() > kMaxEntryPath) {
        throw BundleError(name + ": tar: file path longer than " + std::to_string(kMaxEntryPath) + " bytes");
      }
    } else if (type == '0' || type == '\0' || type == '7') {
      std::string cleaned = clean_path(path);
      // ".." components (path traversal) and empty names are refused
      if (cleaned.empty()) throw BundleError(name + ": tar: invalid file path " + path);
      if (body.size() > kMaxBundleFile) throw BundleError(too_large(name, cleaned, kMaxBundleFile));
      files.emplace_back(cleaned, std::string(body));
    }
  }
  return files;
}

std::shared_ptr<const Policy> compile_or_load_plan(const std::vector<SourceFile>& modules, const CompileOptions& opts,
                                                   bool* from_plan) {
  if (from_plan) *from_plan = false;
  if (!modules.empty() && have_plans()) {
    std::vector<std::pair<std::string_view, std::string_view>> files;
    for (const auto& m : modules) files.emplace_back(m.name, m.text);
    if (auto plan = remembered_plan(lang::sources_digest(std::move(files)))) {
      try {
        auto policy = load_plan(*plan, opts);
        if (from_plan) *from_plan = true;
        return policy;
      } catch (const Error&) {
        // not loadable with these options (e.g. a disabled builtin): compile instead
      }
    }
  }
  return compile(modules, opts);
}

Bundle load_bundle_tarball(std::string_view bytes, const std::string& name) {
  return assemble(untar(gunzip(bytes, name), name), name);
}

Bundle load_bundle(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::pair<std::string, std::string>> files;
    walk_dir(path, files);
    std::string name = path;
    while (name.size() > 1 && name.back() == '/') name.pop_back();
    return assemble(std::move(files), name);
  }
  if (!fs::exists(path, ec)) throw BundleError("stat " + path + ": no such file or directory");
  std::string bytes = read_whole_file(path);
  if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0x1f || static_cast<unsigned char>(bytes[1]) != 0x8b) {
    throw BundleError(path + ": not a bundle (expected a directory or a gzipped tarball)");
  }
  return load_bundle_tarball(bytes, path);
}

Bundle load_paths(const std::vector<std::string>& paths) {
  Bundle b;
  std::vector<std::string> errors;
  for (const auto& arg : paths) {
    std::error_code ec;
    if (!fs::exists(arg, ec)) {
      errors.push_back("stat " + arg + ": no such file or directory");
      continue;
    }
    if (!fs::is_directory(arg, ec)) {
      std::string text = read_whole_file(arg);
      std::string ext = lower(fs::path(arg).extension().string());
      if (ext == ".rego") {
        b.modules[arg] = SourceFile{arg, text};
      } else if (ext == ".json" || ext == ".yaml" || ext == ".yml") {
        add_data(b.data, arg, {}, parse_data_file(arg, arg, text, errors), errors);
      } else {
        errors.push_back(arg + ": unsupported file type (want .rego, .json, .yaml or .yml)");
      }
      continue;
    }
    std::vector<std::pair<std::string, std::string>> files;
    try {
      walk_dir(arg, files);
    } catch (const BundleError& e) {
      errors.push_back(e.what());
      continue;
    }
    std::sort(files.begin(), files.end());
    for (const auto& [rel, text] : files) {
      std::string full = (fs::path(arg) / rel).lexically_normal().generic_string();
      std::string ext = lower(fs::path(rel).extension().string());
      if (ext == ".rego") {
        b.modules[full] = SourceFile{full, text};
      } else if (ext == ".json" || ext == ".yaml" || ext == ".yml") {
        add_data(b.data, full, split_slash(fs::path(rel).parent_path().generic_string()),
                 parse_data_file(full, rel, text, errors), errors);
      }
    }
  }
  b.roots.push_back("");
  if (!errors.empty()) throw BundleError(errors_text(errors));
  return b;
}

// ---- PathWatcher ----

PathWatcher::PathWatcher(std::vector<std::string> paths, std::chrono::milliseconds interval,
                         std::function<void()> on_change)
    : paths_(std::move(paths)), interval_(interval), on_change_(std::move(on_change)) {
  thread_ = std::thread([this] { run(); });
}

PathWatcher::~PathWatcher() { stop(); }

void PathWatcher::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

std::string PathWatcher::fingerprint() const {
  std::vector<std::string> entries;
  auto add = [&](const fs::path& p) {
    std::error_code ec;
    auto t = fs::last_write_time(p, ec);
    auto size = fs::is_regular_file(p, ec) ? fs::file_size(p, ec) : 0;
    entries.push_back(p.string() + "\t" + std::to_string(t.time_since_epoch().count()) + "\t" + std::to_string(size));
  };
  for (const auto& root : paths_) {
    std::error_code ec;
    if (!fs::exists(root, ec)) {
      entries.push_back(root + "\tmissing");
      continue;
    }
    add(root);
    if (!fs::is_directory(root, ec)) continue;
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) add(it->path());
  }
  std::sort(entries.begin(), entries.end());
  std::string s;
  for (const auto& e : entries) s += e + "\n";
  return s;
}

void PathWatcher::run() {
  std::string last = fingerprint();
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (cv_.wait_for(lock, interval_, [this] { return stopping_; })) break;
    lock.unlock();
    std::string now = fingerprint();
    if (now != last) {
      last = std::move(now);
      on_change_();
    }
    lock.lock();
  }
}

}  // namespace wartburg::sidecar
