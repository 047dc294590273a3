// YAML (stub, to be filled).
#include "policy/json.h"

namespace wartburg {
Value parse_yaml(std::string_view) { throw ParseError("not implemented", 0, 0); }
std::string to_yaml(const Value&) { return {}; }
}  // namespace wartburg
