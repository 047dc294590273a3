// Fuzz target "json": policy/json.h parse_json on hostile text, then the
// round trip: to_json of the value (compact and indented) must parse back to
// the same JSON text.
#include <string>

#include "fuzz/fuzz_util.h"
#include "policy/json.h"
#include "policy/value.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wartburg;
  Value v;
  try {
    v = parse_json(fuzz::bytes(data, size));
  } catch (const ParseError&) {
    return 0;
  }
  std::string compact = to_json(v);
  std::string pretty = to_json(v, 2);
  if (!fuzz::check_invariants()) return 0;
  for (const std::string* text : {&compact, &pretty}) {
    Value back;
    try {
      back = parse_json(*text);
    } catch (const ParseError& e) {
      fuzz::fail("json", "to_json output does not parse: " + std::string(e.what()) + "\n" + *text);
    }
    std::string again = to_json(back);
    if (again != compact) fuzz::fail("json", "round trip changed the value:\n" + compact + "\n" + again);
  }
  return 0;
}
