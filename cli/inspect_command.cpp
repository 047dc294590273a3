// `wartburg inspect <path>`: summarizes a bundle (.tar.gz or directory) or a
// single .rego file like `opa inspect`: the manifest (revision, roots,
// rego_version, metadata), the namespaces (package or data path -> files),
// the signatures config and, with --annotations, the `# METADATA` annotations
// of packages and rules. Output is OPA's tables (pretty) or its JSON shape.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/inspect_command.h"
#include "cli/flags.h"
#include "lang/annotations.h"
#include "lang/parser.h"
#include "policy/json.h"
#include "sidecar/bundle.h"

namespace wartburg::cli {

namespace fs = std::filesystem;

std::string inspect_usage() {
  return "Inspect OPA bundle(s).\n\n"
         "Summarizes a bundle (a .tar.gz file or a directory) or a single Rego file:\n"
         "the packages contributed by .rego files, the data locations of data.json and\n"
         "data.yaml files, the manifest, the signatures and (with -a) the package and\n"
         "rule annotations of `# METADATA` comment blocks.\n\n"
         "Usage:\n  wartburg inspect <path> [flags]\n\n"
         "Flags:\n"
         "  -a, --annotations      list annotations\n"
         "  -f, --format string    output format: pretty or json (default \"pretty\")\n"
         "  -h, --help             help for inspect\n"
         "      --v0-compatible    parse Rego v0 modules\n"
         "      --v1-compatible    parse Rego v1 modules (the default)\n";
}

namespace {

struct InspectFlags {
  std::vector<std::string> paths;
  bool json = false;
  bool annotations = false;
  bool v0 = false;
};

const std::vector<FlagSpec<InspectFlags>>& specs() {
  static const std::vector<FlagSpec<InspectFlags>> s = {
      {"annotations", 'a', false, bool_flag<InspectFlags>(&InspectFlags::annotations, "-a, --annotations")},
      {"v0-compatible", 0, false, bool_flag<InspectFlags>(&InspectFlags::v0, "--v0-compatible")},
      {"v1-compatible", 0, false,
       [](InspectFlags& f, const std::string& v) { f.v0 = !parse_bool("--v1-compatible", v); }},
      {"format", 'f', true,
       [](InspectFlags& f, const std::string& v) {
         if (v != "pretty" && v != "json") {
           throw UsageError("invalid argument \"" + v + "\" for \"-f, --format\" flag: must be one of {pretty,json}");
         }
         f.json = v == "json";
       }},
  };
  return s;
}

bool parse(const std::vector<std::string>& args, InspectFlags& f, std::ostream& err) {
  if (!parse_args_or_report(specs(), args, f, f.paths, err)) return false;
  if (f.paths.size() != 1) {
    err << "Error: specify exactly one OPA bundle or path\n";
    return false;
  }
  return true;
}

std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw sidecar::BundleError("open " + path + ": cannot read file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

// data.a.b["c-d"] as OPA prints a ref.
std::string ref_text(const std::vector<std::string>& path) {
  std::string s = "data";
  for (const auto& seg : path) s += is_identifier(seg) ? "." + seg : "[" + to_json(Value::string(seg)) + "]";
  return s;
}

// A ref in OPA's AST JSON: [{"type":"var","value":"data"},{"type":"string","value":"a"},...].
Value ref_json(const std::vector<std::string>& path) {
  std::vector<Value> items;
  items.push_back(Value::object({{Value::string("type"), Value::string("var")}, {Value::string("value"), Value::string("data")}}));
  for (const auto& seg : path) {
    items.push_back(Value::object({{Value::string("type"), Value::string("string")}, {Value::string("value"), Value::string(seg)}}));
  }
  return Value::array(std::move(items));
}

struct Annotation {
  std::vector<std::string> path;  // below data
  bool is_rule = false;
  Value fields;  // the METADATA YAML, normalized, with "scope"
  std::string file;
  int row = 0;
};

struct Info {
  Value manifest;
  Value signatures = Value::empty_object();
  std::map<std::string, std::vector<std::string>> namespaces;
  std::vector<Annotation> annotations;
};

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// The `# METADATA` blocks of a module (parsed and checked by lang/annotations).
void collect_annotations(const lang::Module& mod, const std::string& shown, std::vector<Annotation>& out) {
  std::vector<ErrorInfo> errors;
  for (auto& b : lang::module_annotations(mod, errors)) {
    Annotation a;
    a.path = b.path;
    a.is_rule = b.rule != nullptr;
    a.fields = b.fields;
    a.file = shown;
    a.row = b.loc.row;
    out.push_back(std::move(a));
  }
  if (!errors.empty()) throw Error(std::move(errors));
}

std::vector<std::string> dir_parts(const std::string& rel) {
  std::vector<std::string> parts;
  std::stringstream ss(fs::path(rel).parent_path().generic_string());
  for (std::string seg; std::getline(ss, seg, '/');) {
    if (!seg.empty() && seg != ".") parts.push_back(seg);
  }
  return parts;
}

Info inspect(const InspectFlags& f) {
  const std::string& path = f.paths[0];
  Info info;
  std::error_code ec;
  bool is_dir = fs::is_directory(path, ec);
  if (!is_dir && !fs::exists(path, ec)) throw sidecar::BundleError("stat " + path + ": no such file or directory");
  std::vector<std::pair<std::string, std::string>> files;  // (relative path, text)
  std::map<std::string, SourceFile> modules;               // shown name -> source
  int rego_version = f.v0 ? 0 : 1;
  std::string bytes = is_dir ? "" : read_file_bytes(path);
  bool tarball = bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
                 static_cast<unsigned char>(bytes[1]) == 0x8b;
  auto shown = [&](const std::string& rel) {
    return is_dir ? (fs::path(path) / rel).lexically_normal().generic_string() : "/" + rel;
  };
  if (!is_dir && !tarball) {  // a single Rego file
    modules[path] = SourceFile{path, bytes};
    info.manifest = Value::object({{Value::string("revision"), Value::string("")},
                                   {Value::string("roots"), Value::array({Value::string("")})}});
  } else {
    sidecar::Bundle b = is_dir ? sidecar::load_bundle(path) : sidecar::load_bundle_tarball(bytes, path);
    if (is_dir) {
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) files.emplace_back(fs::relative(it->path(), path, ec).generic_string(), "");
      }
    } else {
      files = sidecar::untar(sidecar::gunzip(bytes, path), path);
    }
    std::sort(files.begin(), files.end());
    rego_version = b.rego_version;
    for (const auto& [id, src] : b.modules) modules[shown(id)] = SourceFile{shown(id), src.text};
    std::vector<std::pair<Value, Value>> m = {{Value::string("revision"), Value::string(b.revision)}};
    std::vector<Value> roots;
    for (const auto& r : b.roots) roots.push_back(Value::string(r));
    m.emplace_back(Value::string("roots"), Value::array(std::move(roots)));
    for (const auto& [rel, text] : files) {
      std::string base = fs::path(rel).filename().string();
      if (rel == ".manifest") {
        std::string t = is_dir ? read_file_bytes((fs::path(path) / rel).string()) : text;
        Value raw = parse_json(t);
        if (const Value* v = raw.find("rego_version")) m.emplace_back(Value::string("rego_version"), *v);
      } else if (rel == ".signatures.json") {
        std::string t = is_dir ? read_file_bytes((fs::path(path) / rel).string()) : text;
        try {
          info.signatures = parse_json(t);
        } catch (const ParseError& e) {
          throw sidecar::BundleError(shown(rel) + ": bundle load failed on signatures decode: " + e.what());
        }
      } else if (base == "data.json" || base == "data.yaml") {
        std::vector<std::string> at = dir_parts(rel);
        info.namespaces[at.empty() ? "data" : ref_text(at)].push_back(shown(rel));
      }
    }
    if (b.metadata.defined()) m.emplace_back(Value::string("metadata"), b.metadata);
    info.manifest = Value::object(std::move(m));
  }
  lang::ParseOptions po;
  po.v0 = rego_version == 0;
  for (const auto& [name, src] : modules) {
    auto mod = lang::parse_module(name, src.text, po);
    info.namespaces[ref_text(mod->package)].push_back(name);
    if (f.annotations) collect_annotations(*mod, name, info.annotations);
  }
  for (auto& [ns, list] : info.namespaces) std::sort(list.begin(), list.end());
  std::stable_sort(info.annotations.begin(), info.annotations.end(), [](const Annotation& a, const Annotation& b) {
    if (a.path != b.path) return a.path < b.path;
    return std::tie(a.file, a.row) < std::tie(b.file, b.row);
  });
  return info;
}

Value info_json(const Info& info, bool with_annotations) {
  std::vector<std::pair<Value, Value>> top;
  top.emplace_back(Value::string("manifest"), info.manifest);
  top.emplace_back(Value::string("signatures_config"), info.signatures);
  std::vector<std::pair<Value, Value>> ns;
  for (const auto& [k, files] : info.namespaces) {
    std::vector<Value> items;
    for (const auto& f : files) items.push_back(Value::string(f));
    ns.emplace_back(Value::string(k), Value::array(std::move(items)));
  }
  if (!ns.empty()) top.emplace_back(Value::string("namespaces"), Value::object(std::move(ns)));
  if (with_annotations && !info.annotations.empty()) {
    std::vector<Value> list;
    for (const auto& a : info.annotations) {
      Value loc = Value::object({{Value::string("file"), Value::string(a.file)},
                                 {Value::string("row"), Value::integer(a.row)},
                                 {Value::string("col"), Value::integer(1)}});
      list.push_back(Value::object({{Value::string("path"), ref_json(a.path)},
                                    {Value::string("annotations"), a.fields},
                                    {Value::string("location"), loc}}));
    }
    top.emplace_back(Value::string("annotations"), Value::array(std::move(list)));
  }
  return Value::object(std::move(top));
}

std::string truncate(const std::string& s, size_t max = 50) {
  if (s.size() < max) return s;
  return s.substr(0, max - 3) + "...";
}

std::string truncate_file(const std::string& s, size_t max = 50) {
  if (s.size() < max) return s;
  return "..." + s.substr(s.size() - (max - 4));
}

// A table as OPA's tablewriter draws it: upper-case centered headers, left-aligned
// cells; with merge_first, repeated first-column values are left blank.
void render_table(std::ostream& out, const std::vector<std::string>& headers,
                  std::vector<std::vector<std::string>> rows, bool merge_first) {
  if (merge_first) {
    for (size_t i = rows.size(); i-- > 1;) {
      if (rows[i][0] == rows[i - 1][0]) rows[i][0].clear();
    }
  }
  std::vector<size_t> width(headers.size());
  for (size_t c = 0; c < headers.size(); ++c) {
    width[c] = headers[c].size();
    for (const auto& r : rows) width[c] = std::max(width[c], r[c].size());
  }
  std::string rule = "+";
  for (size_t w : width) rule += std::string(w + 2, '-') + "+";
  out << rule << "\n|";
  for (size_t c = 0; c < headers.size(); ++c) {
    std::string h = headers[c];
    std::transform(h.begin(), h.end(), h.begin(), [](unsigned char ch) { return std::toupper(ch); });
    size_t pad = width[c] - h.size();
    out << " " << std::string(pad / 2, ' ') << h << std::string(pad - pad / 2, ' ') << " |";
  }
  out << "\n" << rule << "\n";
  for (const auto& r : rows) {
    out << "|";
    for (size_t c = 0; c < r.size(); ++c) out << " " << r[c] << std::string(width[c] - r[c].size(), ' ') << " |";
    out << "\n";
  }
  out << rule << "\n";
}

std::string path_text(const std::vector<std::string>& path) {
  std::string s = ref_text(path);
  return s.size() > 5 ? s.substr(5) : "";  // drop "data."
}

void print_pretty(const Info& info, bool with_annotations, std::ostream& out) {
  std::vector<std::vector<std::string>> rows;
  if (const Value* v = info.manifest.find("rego_version")) rows.push_back({"Rego Version", truncate(to_json(*v))});
  if (const Value* v = info.manifest.find("revision"); v && v->is_string() && !v->str().empty()) {
    rows.push_back({"Revision", truncate(v->str())});
  }
  if (const Value* v = info.manifest.find("roots"); v && v->is_array()) {
    std::vector<std::string> roots;
    for (const auto& r : v->items()) roots.push_back(r.str());
    std::sort(roots.begin(), roots.end());
    if (!(roots.size() == 1 && roots[0].empty())) {
      for (const auto& r : roots) rows.push_back({"Roots", truncate_file(r)});
    }
  }
  if (const Value* v = info.manifest.find("metadata")) rows.push_back({"Metadata", truncate(to_json(*v))});
  if (!rows.empty()) {
    out << "MANIFEST:\n";
    render_table(out, {"Field", "Value"}, rows, false);
  }
  rows.clear();
  for (const auto& [ns, files] : info.namespaces) {
    for (const auto& f : files) rows.push_back({ns, truncate_file(f)});
  }
  if (!rows.empty()) {
    out << "NAMESPACES:\n";
    render_table(out, {"Namespace", "File"}, rows, true);
  }
  if (!with_annotations || info.annotations.empty()) return;
  out << "ANNOTATIONS:\n";
  for (const auto& a : info.annotations) {
    const Value* t = a.fields.find("title");
    std::string title = t && t->is_string() ? trim(t->str()) : "";
    if (title.empty()) title = path_text(a.path);
    out << title << "\n" << std::string(std::min<size_t>(title.size(), 80), '=') << "\n\n";
    if (const Value* d = a.fields.find("description"); d && d->is_string() && !d->str().empty()) {
      out << d->str() << "\n\n";
    }
    if (a.is_rule) {
      out << "Rule:     " << path_text(a.path) << "\n";
    } else {
      out << "Package:  " << path_text(a.path) << "\n";
    }
    out << "Location: " << a.file << ":" << a.row << "\n";
    if (const Value* s = a.fields.find("scope"); s && s->is_string()) out << "Scope: " << s->str() << "\n";
    if (const Value* e = a.fields.find("entrypoint"); e && e->is_bool() && e->as_bool()) out << "Entrypoint: true\n";
    out << "\n";
    if (const Value* c = a.fields.find("custom"); c && c->is_object() && !c->entries().empty()) {
      out << "Custom:\n";
      for (const auto& [k, v] : c->entries()) out << " " << (k.is_string() ? k.str() : to_json(k)) << ": " << to_json(v) << "\n";
      out << "\n";
    }
  }
}

}  // namespace

int run_inspect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      out << inspect_usage();
      return 0;
    }
  }
  InspectFlags f;
  if (!parse(args, f, err)) return 1;
  Info info;
  try {
    info = inspect(f);
  } catch (const Error& e) {
    err << "error: ";
    if (e.errors.size() > 1) err << e.errors.size() << " errors occurred:\n";
    for (const auto& i : e.errors) err << i.to_string() << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
  if (f.json) {
    out << to_json(info_json(info, f.annotations), 2) << "\n";
  } else {
    print_pretty(info, f.annotations, out);
  }
  return 0;
}

}  // namespace wartburg::cli
