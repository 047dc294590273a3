// Shared by the engine tests of evaluation limits: compile one module, run a
// query on it and keep what came out (the first expression's JSON, or the
// error) and how long it took.
#pragma once

#include <chrono>
#include <string>

#include "policy/engine.h"
#include "policy/json.h"

namespace wartburg::test_util {

struct Outcome {
  std::string value;  // JSON of the first expression, "undefined", or "" on error
  ErrorInfo error;
  double seconds = 0;
};

inline Outcome run(const std::string& module, const std::string& query, const std::string& input,
                   const EvalOptions& opts) {
  Outcome o;
  auto t0 = std::chrono::steady_clock::now();
  try {
    PreparedQuery q(compile({{"l.rego", module}}), query);
    auto rows = q.eval(input.empty() ? Value() : parse_json(input), Value::empty_object(), opts);
    o.value = rows.empty() ? "undefined" : to_json(rows[0].expressions.at(0).value);
  } catch (const Error& e) {
    o.error = e.errors.at(0);
  }
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return o;
}

}  // namespace wartburg::test_util
