// Reads conformance case files with yaml-cpp and converts their YAML
// documents (data, input, want_result) into Values.
#include "tests/conformance/case_loader.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <regex>

namespace wartburg::conformance {
namespace fs = std::filesystem;

namespace {

bool is_null_text(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

int bool_text(const std::string& s) {  // 1 true, 0 false, -1 neither
  if (s == "true" || s == "True" || s == "TRUE") return 1;
  if (s == "false" || s == "False" || s == "FALSE") return 0;
  return -1;
}

Value special_float(const std::string& s) {
  static const std::regex inf(R"([-+]?\.(inf|Inf|INF))"), nan(R"(\.(nan|NaN|NAN))");
  if (std::regex_match(s, inf)) {
    double d = std::numeric_limits<double>::infinity();
    return Value::number(s[0] == '-' ? -d : d);
  }
  if (std::regex_match(s, nan)) return Value::number(std::nan(""));
  return {};
}

Value radix_int(const std::string& s) {
  static const std::regex hex("0x[0-9a-fA-F]+"), oct("0o[0-7]+");
  int base = std::regex_match(s, hex) ? 16 : std::regex_match(s, oct) ? 8 : 0;
  if (base == 0) return {};
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str() + 2, nullptr, base);
  if (errno != 0 || v > static_cast<unsigned long long>(INT64_MAX)) return Value::number(std::strtod(s.c_str(), nullptr));
  return Value::integer(static_cast<int64_t>(v));
}

Value number_text(const std::string& s) {
  static const std::regex integer(R"([-+]?[0-9]+)");
  static const std::regex flt(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (std::regex_match(s, integer) || std::regex_match(s, flt)) {
    std::string t = s[0] == '+' ? s.substr(1) : s;
    Value v = Value::number_from_text(t);
    if (v.defined()) return v;
    return Value::number(std::strtod(t.c_str(), nullptr));
  }
  if (Value v = radix_int(s); v.defined()) return v;
  return special_float(s);
}

Value plain_scalar(const std::string& s) {
  if (is_null_text(s)) return Value::null();
  if (int b = bool_text(s); b >= 0) return Value::boolean(b == 1);
  if (Value n = number_text(s); n.defined()) return n;
  return Value::string(s);
}

Value scalar_to_value(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  const std::string& s = node.Scalar();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return Value::string(s);
  if (tag == "tag:yaml.org,2002:null") return Value::null();
  if (tag == "tag:yaml.org,2002:bool" && bool_text(s) >= 0) return Value::boolean(bool_text(s) == 1);
  if ((tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float")) {
    if (Value n = number_text(s); n.defined()) return n;
  }
  return plain_scalar(s);
}

std::string scalar_text(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : std::string(); }

bool flag(const YAML::Node& n) { return n && yaml_to_value(n).is_true(); }

std::vector<Value> binding_list(const YAML::Node& n) {
  std::vector<Value> rows;
  if (!n || n.IsNull()) return rows;
  for (const auto& row : n) rows.push_back(yaml_to_value(row));
  return rows;
}

Case read_case(const YAML::Node& n, const std::string& file, const std::string& area, bool v0) {
  Case c;
  c.file = file;
  c.area = area;
  c.v0 = v0;
  c.note = scalar_text(n["note"]);
  c.query = scalar_text(n["query"]);
  if (const auto& m = n["modules"]; m && m.IsSequence())
    for (const auto& mod : m) c.modules.push_back(mod.Scalar());
  c.data = n["data"] && !n["data"].IsNull() ? yaml_to_value(n["data"]) : Value::empty_object();
  if (n["input"] && !n["input"].IsNull()) c.input = yaml_to_value(n["input"]);  // null: no input, as in OPA
  if (n["input_term"]) c.input_term = scalar_text(n["input_term"]);
  if (n["want_result"]) c.want_result = binding_list(n["want_result"]);
  c.sort_bindings = flag(n["sort_bindings"]);
  if (n["want_error_code"]) c.want_error_code = scalar_text(n["want_error_code"]);
  if (n["want_error"]) c.want_error = scalar_text(n["want_error"]);
  c.strict_error = flag(n["strict_error"]);
  c.skip = flag(n["skip"]);
  return c;
}

Case broken_case(const std::string& path, const std::string& area, bool v0, std::string note, std::string why) {
  Case c;
  c.file = path;
  c.area = area;
  c.v0 = v0;
  c.note = std::move(note);
  c.load_error = std::move(why);
  return c;
}

void load_file(const std::string& path, std::vector<Case>& out) {
  bool v0 = false;
  std::string area = area_of(path, v0);
  try {
    YAML::Node doc = YAML::LoadFile(path);
    size_t index = 0;
    for (const auto& n : doc["cases"]) {
      try {
        out.push_back(read_case(n, path, area, v0));
      } catch (const std::exception& e) {
        out.push_back(broken_case(path, area, v0, path + " case " + std::to_string(index), e.what()));
      }
      ++index;
    }
  } catch (const std::exception& e) {
    out.push_back(broken_case(path, area, v0, path, e.what()));
  }
}

}  // namespace

Value yaml_to_value(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return Value::null();
    case YAML::NodeType::Scalar:
      return scalar_to_value(node);
    case YAML::NodeType::Sequence: {
      std::vector<Value> items;
      for (const auto& item : node) items.push_back(yaml_to_value(item));
      return Value::array(std::move(items));
    }
    case YAML::NodeType::Map: {
      ObjectBuilder b;
      for (const auto& kv : node) b.add(yaml_to_value(kv.first), yaml_to_value(kv.second));
      return b.build();
    }
  }
  return {};
}

std::string area_of(const std::string& path, bool& v0) {
  std::vector<std::string> parts;
  for (const auto& p : fs::path(path)) parts.push_back(p.string());
  v0 = std::find(parts.begin(), parts.end(), "v0") != parts.end();
  for (size_t i = parts.size(); i-- > 0;) {
    if (parts[i] != "v0" && parts[i] != "v1") continue;
    if (i + 2 < parts.size()) return parts[i] + "/" + parts[i + 1];
    return parts[i];
  }
  return parts.size() >= 2 ? parts[parts.size() - 2] : std::string(".");
}

std::vector<Case> load_cases(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink)) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<Case> cases;
  for (const auto& f : files) load_file(f, cases);
  return cases;
}

}  // namespace wartburg::conformance
