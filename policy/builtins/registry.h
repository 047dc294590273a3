// The builtin function table: every builtin is registered once, under its OPA
// name, with its arity, its type signature and its implementation. One file
// per category (strings.cpp, regex.cpp, ...) provides a register_<category>()
// function; registry.cpp calls them all. The evaluator looks builtins up by
// name at compile time and calls them through a plain function pointer.
#pragma once

#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "policy/number.h"
#include "policy/value.h"

namespace wartburg::builtins {

// A builtin failed on valid-typed operands (e.g. "divide by zero").
// The evaluator reports it as eval_builtin_error "<name>: <message>" when
// strict builtin errors are on; otherwise the call is undefined.
struct BuiltinError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// An operand has the wrong type: eval_type_error "<name>: operand N must be T but got U".
struct TypeError : BuiltinError {
  using BuiltinError::BuiltinError;
};

// Per-evaluation state a builtin may use. Builtins must be otherwise pure and
// thread-safe: the same Builtin is called from many threads at once.
struct Context {
  int64_t now_ns = 0;  // time.now_ns: one value per evaluation, taken on first use (0: not yet)
  std::mt19937_64* rng = nullptr;
  // Per-evaluation memo (e.g. rand.intn returns the same value for the same args).
  std::map<Value, Value>* memo = nullptr;
};

using Fn = Value (*)(Context& ctx, const Value* args);

struct Builtin {
  std::string name;  // OPA name, e.g. "strings.replace_n"
  int arity;         // number of operands (the result is not counted)
  Fn fn;             // returns Undefined to make the call undefined
  // OPA type signature, e.g. "(string, string) => boolean". Types: any, null,
  // boolean, number, string, array, object, set, and unions "a|b".
  std::string signature;
  // A relation yields several results: fn returns an array of results and the
  // evaluator tries each (used by walk).
  bool relation = false;
};

class Registry {
 public:
  void add(Builtin b);
  const Builtin* find(std::string_view name) const;
  const std::map<std::string, Builtin, std::less<>>& all() const { return table_; }

 private:
  std::map<std::string, Builtin, std::less<>> table_;
};

// The process-wide table with every category registered (built once, then read-only).
const Registry& registry();

// ---- helpers for implementations ----
// OPA operand type names used in error messages.
std::string type_name_for_error(const Value& v);
// Throws TypeError("operand <pos> must be <want> but got <type>"), pos is 1-based.
[[noreturn]] void operand_error(int pos, std::string_view want, const Value& got);
const std::string& need_string(const Value* args, int pos);    // pos 1-based
const Value& need_number(const Value* args, int pos);
int64_t need_int(const Value* args, int pos);  // "integer number" / "floating-point number"
const Value& need_array(const Value* args, int pos);
const Value& need_object(const Value* args, int pos);
const Value& need_set(const Value* args, int pos);
bool need_bool(const Value* args, int pos);
// An integral number of any size ("operand N must be integer number but got floating-point number").
boost::multiprecision::cpp_int need_bigint(const Value* args, int pos);

// Go's strconv.Quote (error messages and sprintf's %q quote as Go does). strings.cpp
std::string go_quote(std::string_view s);
// The JSON text Go's json.Marshal gives: <, >, & and U+2028/U+2029 escaped. encoding.cpp
std::string go_json(const Value& v);

// Base64 (RFC 4648) encoding, standard or URL alphabet, with or without padding.
std::string encode_base64(std::string_view s, bool url, bool pad);

// Category registration functions (one per file under policy/builtins/).
void register_comparison(Registry&);
void register_arithmetic(Registry&);
void register_aggregates(Registry&);
void register_arrays(Registry&);
void register_sets(Registry&);
void register_objects(Registry&);
void register_strings(Registry&);
void register_regex(Registry&);
void register_glob(Registry&);
void register_types(Registry&);
void register_casts(Registry&);
void register_encoding(Registry&);
void register_bits(Registry&);
void register_numbers(Registry&);
void register_units(Registry&);
void register_semver(Registry&);
void register_uuid(Registry&);
void register_graph(Registry&);
void register_time(Registry&);
void register_jwt(Registry&);
void register_net(Registry&);
void register_crypto(Registry&);      // crypto.cpp: hashes, HMAC, x509, keys (OpenSSL)
void register_graphql(Registry&);     // graphql.cpp: graphql.*
void register_jsonschema(Registry&);  // jsonschema.cpp: json.match_schema, json.verify_schema
void register_http(Registry&);        // http.cpp: http.send
void register_aws(Registry&);         // aws.cpp: providers.aws.sign_req
void register_template(Registry&);    // template.cpp: strings.render_template
void register_template_strings(Registry&);  // template_strings.cpp: internal.template_string ($"..." strings)
void register_rego(Registry&);        // rego.cpp: rego.parse_module, opa.runtime, trace

// opa.runtime(): the runtime document ({"env": ..., "version": ..., "config": ...}).
// The CLI / server sets it once at start-up (rego.cpp); Undefined until then.
void set_runtime_info(Value info);
// rego.parse_module(): the front end (lang/) parses a module into OPA's JSON AST.
// lang/ installs the hook (the builtins library does not link the front end).
using ParseModuleHook = Value (*)(const std::string& filename, const std::string& text);
void set_parse_module_hook(ParseModuleHook hook);

}  // namespace wartburg::builtins
