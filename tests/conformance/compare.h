// Compares query results with a case's want_result the way OPA's own test
// harness does: every binding value goes through JSON (sets become arrays),
// optionally has its arrays sorted, and the rows compare as a set.
#pragma once

#include <string>
#include <vector>

#include "policy/engine.h"
#include "policy/value.h"

namespace wartburg::conformance {

// One result row as a binding object {"x": value, ...}.
Value row_to_object(const QueryRow& row);

// JSON round trip of each binding value, then (sort_bindings) sorting of the
// binding's array. Returns the set of normalized binding objects.
Value normalize_rows(const std::vector<Value>& rows, bool sort_bindings);

// True when the two lists of binding objects are equal as sets after normalizing.
bool results_equal(const std::vector<Value>& want, const std::vector<Value>& got, bool sort_bindings);

// JSON text of a list of binding objects, for failure reports.
std::string rows_json(const std::vector<Value>& rows);

}  // namespace wartburg::conformance
