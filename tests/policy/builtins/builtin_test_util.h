// Shared helpers for the builtin unit tests in tests/policy/builtins/: call a
// builtin by its OPA name through the registry, get the message of the error
// it throws, and spell operands briefly. The test files were written in two
// spellings that differ in what S and error_of mean; each file brings one of
// them in with `using namespace`:
//   test_util::tagged  S builds a set; error_of gives "type: <msg>" for a
//                      TypeError and "builtin: <msg>" for other BuiltinErrors.
//   test_util::plain   S builds a string; error_of gives the bare message.
// (The namespace is test_util, not testing, so that files which say
// `using namespace wartburg::builtins;` do not make gtest's ::testing ambiguous.)
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "policy/value.h"

namespace wartburg::builtins::test_util {

// A JSON document as a Value.
inline Value J(std::string_view text) { return parse_json(text); }
inline Value I(int64_t i) { return Value::integer(i); }
inline Value Str(const char* s) { return Value::string(s); }

// Calls builtin `name` on `args` with a fresh Context that has its own memo map
// (rand.intn and uuid.rfc4122 memoize in it). Throws std::runtime_error for an
// unknown name or the wrong number of operands.
inline Value call(std::string_view name, std::vector<Value> args) {
  const Builtin* b = registry().find(name);
  if (!b) throw std::runtime_error("no builtin " + std::string(name));
  if (b->arity != static_cast<int>(args.size())) {
    throw std::runtime_error("arity mismatch for " + std::string(name) + ": expected " +
                             std::to_string(b->arity) + ", got " + std::to_string(args.size()));
  }
  Context ctx;
  std::map<Value, Value> memo;
  ctx.memo = &memo;
  return b->fn(ctx, args.data());
}

// The message of the BuiltinError (TypeError included) that call(name, args)
// throws, or "no error".
inline std::string error_message(std::string_view name, std::vector<Value> args) {
  try {
    call(name, std::move(args));
  } catch (const BuiltinError& e) {
    return e.what();
  }
  return "no error";
}

// As error_message, but "type: <msg>" for a TypeError and "builtin: <msg>" for
// other BuiltinErrors.
inline std::string error_with_kind(std::string_view name, std::vector<Value> args) {
  try {
    call(name, std::move(args));
  } catch (const TypeError& e) {
    return std::string("type: ") + e.what();
  } catch (const BuiltinError& e) {
    return std::string("builtin: ") + e.what();
  }
  return "no error";
}

namespace tagged {
using test_util::call;
using test_util::I;
using test_util::J;
using test_util::Str;
inline Value S(std::vector<Value> items) { return Value::set(std::move(items)); }
inline std::string error_of(std::string_view name, std::vector<Value> args) {
  return error_with_kind(name, std::move(args));
}
}  // namespace tagged

namespace plain {
using test_util::call;
using test_util::J;
inline Value S(std::string_view s) { return Value::string(s); }
inline std::string error_of(std::string_view name, std::vector<Value> args) {
  return error_message(name, std::move(args));
}
}  // namespace plain

}  // namespace wartburg::builtins::test_util
