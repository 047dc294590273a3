// Result comparison for the conformance runner (see compare.h).
#include "tests/conformance/compare.h"

#include <algorithm>

#include "policy/json.h"

namespace wartburg::conformance {
namespace {

// What OPA's ast.JSON + util.RoundTrip does to a value: sets become arrays,
// non-string object keys become their JSON text.
Value json_round_trip(const Value& v) { return parse_json(to_json(v)); }

Value sorted_array(const Value& v) {
  if (!v.is_array()) return v;
  std::vector<Value> items = v.items();
  std::sort(items.begin(), items.end());
  return Value::array(std::move(items));
}

Value normalize_row(const Value& row, bool sort_bindings) {
  if (!row.is_object()) return json_round_trip(row);
  ObjectBuilder b;
  for (const auto& [k, v] : row.entries()) {
    Value n = json_round_trip(v);
    b.add(k, sort_bindings ? sorted_array(n) : n);
  }
  return b.build();
}

}  // namespace

Value row_to_object(const QueryRow& row) {
  ObjectBuilder b;
  for (const auto& [name, value] : row.bindings) b.add(name, value);
  return b.build();
}

Value normalize_rows(const std::vector<Value>& rows, bool sort_bindings) {
  SetBuilder s;
  for (const auto& r : rows) s.add(normalize_row(r, sort_bindings));
  return s.build();
}

bool results_equal(const std::vector<Value>& want, const std::vector<Value>& got, bool sort_bindings) {
  return normalize_rows(want, sort_bindings) == normalize_rows(got, sort_bindings);
}

std::string rows_json(const std::vector<Value>& rows) { return to_json(Value::array(rows)); }

}  // namespace wartburg::conformance
