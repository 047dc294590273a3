// `wartburg capabilities` and --capabilities files (see capabilities.h).
#include "cli/capabilities.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "policy/builtins/registry.h"
#include "policy/json.h"

namespace wartburg::cli {

namespace {

Value str(const std::string& s) { return Value::string(s); }

Value type_of(std::string t) {
  while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  while (!t.empty() && t.back() == ' ') t.pop_back();
  if (t.find('|') != std::string::npos) {
    std::vector<Value> of;
    std::stringstream ss(t);
    for (std::string part; std::getline(ss, part, '|');) of.push_back(type_of(part));
    return Value::object({{str("type"), str("any")}, {str("of"), Value::array(std::move(of))}});
  }
  Value any = Value::object({{str("type"), str("any")}});
  if (t == "array") return Value::object({{str("type"), str("array")}, {str("dynamic"), any}});
  if (t == "set") return Value::object({{str("type"), str("set")}, {str("of"), any}});
  if (t == "object") {
    return Value::object({{str("type"), str("object")},
                          {str("dynamic"), Value::object({{str("key"), any}, {str("value"), any}})}});
  }
  if (t == "null" || t == "boolean" || t == "number" || t == "string") return Value::object({{str("type"), str(t)}});
  return any;
}

// Operators are builtins with an infix spelling.
const char* infix_of(const std::string& name) {
  static const std::pair<const char*, const char*> kInfix[] = {
      {"plus", "+"}, {"minus", "-"}, {"mul", "*"}, {"div", "/"}, {"rem", "%"}, {"and", "&"}, {"or", "|"},
      {"equal", "=="}, {"neq", "!="}, {"lt", "<"}, {"lte", "<="}, {"gt", ">"}, {"gte", ">="}, {"assign", ":="},
      {"eq", "="}};
  for (const auto& [n, op] : kInfix) {
    if (name == n) return op;
  }
  return nullptr;
}

}  // namespace

Value signature_decl(const std::string& signature) {
  std::vector<Value> args;
  Value result = Value::object({{str("type"), str("any")}});
  auto open = signature.find('(');
  auto close = signature.find(')');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    std::string inner = signature.substr(open + 1, close - open - 1);
    std::stringstream ss(inner);
    for (std::string a; std::getline(ss, a, ',');) {
      if (a.find_first_not_of(' ') != std::string::npos) args.push_back(type_of(a));
    }
    auto arrow = signature.find("=>", close);
    if (arrow != std::string::npos) result = type_of(signature.substr(arrow + 2));
  }
  return Value::object({{str("type"), str("function")}, {str("args"), Value::array(std::move(args))}, {str("result"), result}});
}

Value capabilities_document() {
  std::vector<Value> builtins;
  for (const auto& [name, b] : builtins::registry().all()) {
    std::vector<std::pair<Value, Value>> kv = {{str("name"), str(name)}, {str("decl"), signature_decl(b.signature)}};
    if (const char* op = infix_of(name)) kv.emplace_back(str("infix"), str(op));
    builtins.push_back(Value::object(std::move(kv)));
  }
  // print is implemented by the evaluator itself
  builtins.push_back(Value::object(
      {{str("name"), str("print")},
       {str("decl"), Value::object({{str("type"), str("function")},
                                    {str("variadic"), Value::object({{str("type"), str("any")}})}})}}));
  std::vector<Value> keywords = {str("contains"), str("every"), str("if"), str("in")};
  std::vector<Value> features = {str("rule_head_ref_string_prefixes"), str("rule_head_refs"), str("rego_v1")};
  return Value::object({{str("builtins"), Value::array(std::move(builtins))},
                        {str("future_keywords"), Value::array(std::move(keywords))},
                        {str("features"), Value::array(std::move(features))}});
}

std::set<std::string> disabled_by_capabilities(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("capabilities file " + path + ": cannot read it");
  std::stringstream ss;
  ss << in.rdbuf();
  Value doc;
  try {
    doc = parse_json(ss.str());
  } catch (const std::exception& e) {
    throw std::runtime_error("capabilities file " + path + ": " + e.what());
  }
  const Value* list = doc.is_object() ? doc.find("builtins") : nullptr;
  if (!list || !list->is_array()) throw std::runtime_error("capabilities file " + path + ": no \"builtins\" array");
  std::set<std::string> allowed;
  for (const auto& b : list->items()) {
    const Value* n = b.is_object() ? b.find("name") : nullptr;
    if (!n || !n->is_string()) throw std::runtime_error("capabilities file " + path + ": a builtin without a name");
    allowed.insert(n->str());
  }
  std::set<std::string> disabled;
  for (const auto& [name, b] : builtins::registry().all()) {
    if (!allowed.count(name)) disabled.insert(name);
  }
  return disabled;
}

std::string capabilities_usage() {
  return "Print the capabilities of this build: every builtin function with its type\n"
         "declaration, the future keywords and the language features, in OPA's\n"
         "capabilities JSON format. Pass a (trimmed) copy to --capabilities of eval,\n"
         "check, test or build to restrict which builtins policies may call.\n\n"
         "Usage:\n  wartburg capabilities [flags]\n\n"
         "Flags:\n"
         "      --current   print the capabilities of this build (the default)\n"
         "  -h, --help      help for capabilities\n";
}

int run_capabilities(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      out << capabilities_usage();
      return 0;
    }
    if (a != "--current") {
      err << "Error: unknown flag: " << a << "\n";
      return 1;
    }
  }
  out << to_json(capabilities_document(), 2) << "\n";
  return 0;
}

}  // namespace wartburg::cli
