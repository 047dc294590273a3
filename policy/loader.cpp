// Loading -d paths and input documents for the CLI (see loader.h). Follows
// OPA's loader: folders are walked in name order, files named on the command
// line are loaded whatever their extension, data documents are merged and any
// key defined twice is a merge error (here naming both files).
#include "policy/loader.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "policy/json.h"

namespace wartburg {

namespace fs = std::filesystem;

namespace {

Error plain_error(const std::string& message) {
  ErrorInfo e;
  e.message = message;
  return Error(std::move(e));
}

// strerror text in Go's style: "no such file or directory".
std::string errno_text(int err) {
  std::string s = std::strerror(err);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

std::string lower_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

// Go's filepath.Join: joined and cleaned ("./a/" + "x" -> "a/x").
std::string join_path(const std::string& dir, const std::string& name) {
  std::string s = (fs::path(dir) / name).lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) parts.push_back(cur);
  return parts;
}

// "a.b:path" -> ({"a","b"}, "path"), as OPA's loader.SplitPrefix.
std::pair<std::vector<std::string>, std::string> split_prefix(const std::string& arg) {
  auto colon = arg.find(':');
  if (colon == std::string::npos || colon == 0 || arg.compare(colon + 1, 2, "//") == 0) return {{}, arg};
  std::error_code ec;
  if (fs::exists(arg, ec)) return {{}, arg};  // a file name that happens to hold ':'
  return {split(arg.substr(0, colon), '.'), arg.substr(colon + 1)};
}

std::string strip_file_url(const std::string& path) {
  return path.rfind("file://", 0) == 0 ? path.substr(7) : path;
}

// A UTF-8 byte order mark is skipped, as OPA's util.Unmarshal does.
std::string_view without_bom(const std::string& text) {
  std::string_view v(text);
  if (v.substr(0, 3) == "\xEF\xBB\xBF") v.remove_prefix(3);
  return v;
}

Value parse_json_named(const std::string& name, const std::string& text) {
  try {
    return parse_json(without_bom(text));
  } catch (const ParseError& pe) {
    throw plain_error(name + ": " + pe.what());
  }
}

Value parse_yaml_named(const std::string& name, const std::string& text) {
  try {
    return parse_yaml(without_bom(text));
  } catch (const ParseError& pe) {
    std::string msg = pe.what();
    if (pe.line > 0 && msg.rfind("line ", 0) != 0) {
      msg = "line " + std::to_string(pe.line) + ", column " + std::to_string(pe.column) + ": " + msg;
    }
    throw plain_error(name + ": " + msg);
  }
}

// Wraps `doc` in objects along `path`: ({"a","b"}, 1) -> {"a": {"b": 1}}.
Value place(const std::vector<std::string>& path, Value doc) {
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    ObjectBuilder b;
    b.add(*it, std::move(doc));
    doc = b.build();
  }
  return doc;
}

// Recursive object merge; nullopt on a conflict, with its path in `at`.
std::optional<Value> merge(const Value& a, const Value& b, std::vector<std::string>& at) {
  if (!a.is_object() || !b.is_object()) return std::nullopt;
  if (a.entries().empty()) return b;
  std::vector<std::pair<Value, Value>> items = a.entries();
  std::map<Value, size_t> index;  // key -> position in items (linear in the keys, not quadratic)
  for (size_t i = 0; i < items.size(); ++i) index.emplace(items[i].first, i);
  for (const auto& [k, bv] : b.entries()) {
    auto found = index.find(k);
    if (found == index.end()) {
      index.emplace(k, items.size());
      items.emplace_back(k, bv);
      continue;
    }
    auto& slot = items[found->second].second;
    at.push_back(k.is_string() ? k.str() : to_json(k));
    auto merged = merge(slot, bv, at);
    if (!merged) return std::nullopt;
    at.pop_back();
    slot = std::move(*merged);
  }
  return Value::object(std::move(items));
}

// True when `doc` defines something at `path` (or a leaf above it).
bool defines(const Value& doc, const std::vector<std::string>& path) {
  const Value* cur = &doc;
  for (const auto& key : path) {
    if (!cur->is_object()) return true;
    cur = cur->find(key);
    if (!cur) return false;
  }
  return true;
}

std::string data_path_text(const std::vector<std::string>& path) {
  std::string s = "data";
  for (const auto& k : path) s += "." + k;
  return s;
}

class Loader {
 public:
  explicit Loader(const LoadOptions& opts) : opts_(opts) {}

  void load_root(const std::string& arg) {
    auto [prefix, path] = split_prefix(arg);
    walk(strip_file_url(path), prefix, 0);
  }

  LoadedFiles take() {
    if (!errors_.empty()) throw Error(errors_);
    return std::move(out_);
  }

 private:
  struct DataFile {
    std::string name;
    Value placed;  // the document as placed under data
  };

  void walk(const std::string& path, std::vector<std::string> at, int depth) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      fail("stat " + path + ": " + errno_text(ec ? ec.value() : ENOENT));
      return;
    }
    if (depth > 0 && ignored(fs::path(path).filename().string())) return;
    if (opts_.only_rego && depth > 0 && !fs::is_directory(status) && !path.ends_with(".rego")) return;
    if (!fs::is_directory(status)) {
      load_file(path, at, depth);
      return;
    }
    if (depth > kMaxFolderDepth) {
      fail("open " + path + ": folders nested deeper than " + std::to_string(kMaxFolderDepth) + " levels");
      return;
    }
    // a symbolic link back to a folder being walked is skipped (no endless walk)
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return;
    std::pair<dev_t, ino_t> id{st.st_dev, st.st_ino};
    if (std::find(open_dirs_.begin(), open_dirs_.end(), id) != open_dirs_.end()) return;
    open_dirs_.push_back(id);
    if (depth > 0) at.push_back(fs::path(path).filename().string());
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path, ec)) names.push_back(entry.path().filename().string());
    if (ec) fail("open " + path + ": " + errno_text(ec.value()));
    std::sort(names.begin(), names.end());
    for (const auto& name : names) walk(join_path(path, name), at, depth + 1);
    open_dirs_.pop_back();
  }

  bool ignored(const std::string& name) const {
    return std::any_of(opts_.ignore.begin(), opts_.ignore.end(),
                       [&](const std::string& p) { return fnmatch(p.c_str(), name.c_str(), 0) == 0; });
  }

  void load_file(const std::string& path, const std::vector<std::string>& at, int depth) {
    std::string ext = lower_extension(path);
    bool known = ext == ".rego" || ext == ".json" || ext == ".yaml" || ext == ".yml";
    if (!known && depth > 0) return;  // unrecognized files inside folders are skipped
    try {
      std::string text = read_file(path, opts_.max_file_bytes);
      if (text.size() > opts_.max_total_bytes - total_bytes_) {
        throw plain_error("read " + path + ": the files loaded exceed the total limit of " +
                          std::to_string(opts_.max_total_bytes) + " bytes");
      }
      total_bytes_ += text.size();
      if (ext == ".rego") {
        out_.modules.push_back({path, std::move(text)});
      } else if (ext == ".json") {
        add_data(path, at, parse_json_named(path, text));
      } else if (ext == ".yaml" || ext == ".yml") {
        add_data(path, at, parse_yaml_named(path, text));
      } else {
        load_any(path, at, std::move(text));
      }
    } catch (const Error& e) {
      errors_.insert(errors_.end(), e.errors.begin(), e.errors.end());
    }
  }

  // A file named on the command line with an unknown extension: data if it
  // parses as JSON or YAML, a module otherwise.
  void load_any(const std::string& path, const std::vector<std::string>& at, std::string text) {
    try {
      add_data(path, at, parse_json(text));
      return;
    } catch (const ParseError&) {
    }
    try {
      Value doc = parse_yaml(text);
      if (doc.is_object()) {
        add_data(path, at, std::move(doc));
        return;
      }
    } catch (const ParseError&) {
    }
    out_.modules.push_back({path, std::move(text)});
  }

  void add_data(const std::string& name, const std::vector<std::string>& at, Value doc) {
    if (doc.is_null() && at.empty()) return;  // an empty YAML file
    if (at.empty() && !doc.is_object()) {
      fail(name + ": document must be of type object");
      return;
    }
    Value placed = place(at, std::move(doc));
    std::vector<std::string> conflict;
    auto merged = merge(out_.data, placed, conflict);
    if (!merged) {
      fail(name + ": merge error" + conflict_detail(conflict));
      return;
    }
    out_.data = std::move(*merged);
    files_.push_back({name, std::move(placed)});
  }

  std::string conflict_detail(const std::vector<std::string>& path) const {
    for (const auto& f : files_) {
      if (defines(f.placed, path)) return ": " + data_path_text(path) + " is also defined by " + f.name;
    }
    return "";
  }

  void fail(const std::string& message) {
    ErrorInfo e;
    e.message = message;
    errors_.push_back(std::move(e));
  }

  LoadOptions opts_;
  size_t total_bytes_ = 0;
  std::vector<std::pair<dev_t, ino_t>> open_dirs_;  // folders on the current walk path
  LoadedFiles out_;
  std::vector<DataFile> files_;
  std::vector<ErrorInfo> errors_;
};

}  // namespace

LoadedFiles load_paths(const std::vector<std::string>& paths, const LoadOptions& opts) {
  Loader loader(opts);
  for (const auto& p : paths) loader.load_root(p);
  return loader.take();
}

std::string read_file(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == EISDIR) throw plain_error("read " + path + ": is a directory");
    throw plain_error("open " + path + ": " + errno_text(err));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw plain_error("stat " + path + ": " + errno_text(errno));
  if (S_ISDIR(st.st_mode)) throw plain_error("read " + path + ": is a directory");
  auto too_large = [&] {
    return plain_error("read " + path + ": file is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  };
  // devices cannot be sized and may never end (/dev/zero, /dev/urandom): refused;
  // pipes and sockets (`-d <(cmd)`) are read up to the limit
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
    throw plain_error("read " + path + ": not a regular file (a " + (S_ISCHR(st.st_mode) ? "character" : "block") +
                      " device)");
  }
  bool regular = S_ISREG(st.st_mode);
  if (regular && static_cast<unsigned long long>(st.st_size) > max_bytes) throw too_large();
  std::string out;
  if (regular) out.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw plain_error("read " + path + ": " + errno_text(errno));
    }
    if (n == 0) break;
    if (static_cast<size_t>(n) > max_bytes - out.size()) throw too_large();  // grew, or a device without end
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Value parse_document(const std::string& name, const std::string& text) {
  std::string ext = lower_extension(name);
  if (ext == ".yaml" || ext == ".yml") return parse_yaml_named(name, text);
  if (ext == ".json") return parse_json_named(name, text);
  try {
    return parse_json(without_bom(text));
  } catch (const ParseError& json_error) {
    try {
      return parse_yaml(without_bom(text));
    } catch (const ParseError&) {
      throw plain_error(name + ": " + json_error.what());
    }
  }
}

}  // namespace wartburg
