// Fuzz target "yaml": policy/json.h parse_yaml on hostile text, then the
// round trip: to_yaml of the value must parse back to the same value (as
// yaml.marshal / yaml.unmarshal must agree), and its JSON must parse too.
#include <string>

#include "fuzz/fuzz_util.h"
#include "policy/json.h"
#include "policy/value.h"

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
  if (to_json(back) != json) fuzz::fail("yaml", "round trip changed the value:\n" + json + "\n" + to_json(back) + "\n" + yaml);
  try {
    parse_json(json);
  } catch (const ParseError& e) {
    fuzz::fail("yaml", "to_json output does not parse: " + std::string(e.what()) + "\n" + json);
  }
  return 0;
}
