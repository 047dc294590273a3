// Fuzz target "yaml": policy/json.h parse_yaml on hostile text, then the
// round trip: to_yaml of the value must parse back to the same value (as
// yaml.marshal / yaml.unmarshal must agree), and its JSON must parse too.
// Numbers are compared as float64: yaml.marshal writes numbers as go-yaml
// writes a float64 (as OPA's does), so integers beyond 2^53 lose digits.
#include <cmath>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "policy/json.h"
#include "policy/value.h"

namespace {

// The value with every number replaced by its float64 (as yaml.marshal sees it).
wartburg::Value as_float64(const wartburg::Value& v) {
  using wartburg::Value;
  if (v.is_number()) return std::isfinite(v.as_double()) ? Value::number(v.as_double()) : v;
  if (v.is_array()) {
    std::vector<Value> items;
    for (const auto& x : v.items()) items.push_back(as_float64(x));
    return Value::array(std::move(items));
  }
  if (v.is_object()) {
    std::vector<std::pair<Value, Value>> entries;
    for (const auto& [k, x] : v.entries()) entries.emplace_back(as_float64(k), as_float64(x));
    return Value::object(std::move(entries));
  }
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wartburg;
  Value v;
  try {
    v = parse_yaml(fuzz::bytes(data, size));
  } catch (const ParseError&) {
    return 0;
  }
  std::string json = to_json(v);
  std::string yaml = to_yaml(v);
  if (!fuzz::check_invariants()) return 0;
  Value back;
  try {
    back = parse_yaml(yaml);
  } catch (const ParseError& e) {
    fuzz::fail("yaml", "to_yaml output does not parse: " + std::string(e.what()) + "\n" + yaml);
  }
  if (to_json(as_float64(back)) != to_json(as_float64(v))) fuzz::fail("yaml", "round trip changed the value:\n" + json + "\n" + to_json(back) + "\n" + yaml);
  try {
    parse_json(json);
  } catch (const ParseError& e) {
    fuzz::fail("yaml", "to_json output does not parse: " + std::string(e.what()) + "\n" + json);
  }
  return 0;
}
