// Builtins about Rego and the runtime: rego.parse_module (through a parse hook
// the front end installs, since this library does not link lang/),
// opa.runtime (the process-wide runtime document, credentials of its "config"
// redacted as OPA does) and trace (notes for explanations; we keep none, so it
// only checks its operand).
#include "policy/builtins/rego.h"

#include <atomic>
#include <mutex>

#include "policy/builtins/registry.h"

extern char** environ;

namespace wartburg::builtins {
namespace {

std::atomic<ParseModuleHook> g_parse_hook{nullptr};

// The runtime document as opa.runtime returns it (or the error it raises).
struct RuntimeState {
  std::mutex mu;
  Value info;         // Undefined until set
  std::string error;  // non-empty: the config could not be redacted
};

RuntimeState& runtime_state() {
  static RuntimeState s;
  return s;
}

// Go's %T of a JSON value decoded into interface{} (for OPA's messages).
std::string go_type(const Value& v) {
  switch (v.kind()) {
    case Kind::Null: return "<nil>";
    case Kind::Bool: return "bool";
    case Kind::Number: return "json.Number";
    case Kind::String: return "string";
    case Kind::Array:
    case Kind::Set: return "[]interface {}";
    case Kind::Object: return "map[string]interface {}";
    case Kind::Undefined: break;
  }
  return "<nil>";
}

// `entry` without the given keys; throws when it is not an object.
Value without_keys(const Value& entry, std::initializer_list<std::string_view> keys) {
  if (!entry.is_object()) throw std::runtime_error("type assertion error");
  ObjectBuilder b;
  for (const auto& [k, v] : entry.entries()) {
    bool drop = false;
    for (auto key : keys) drop = drop || (k.is_string() && k.str() == key);
    if (!drop) b.add(k, v);
  }
  return b.build();
}

// OPA's activeConfig: drops services[*].credentials and keys[*].key/private_key.
Value redact_config(const Value& config) {
  ObjectBuilder out;
  for (const auto& [k, v] : config.entries()) {
    if (k.is_string() && k.str() == "services" && !v.is_null()) {
      if (v.is_array()) {
        std::vector<Value> items;
        for (const auto& s : v.items()) items.push_back(without_keys(s, {"credentials"}));
        out.add(k, Value::array(std::move(items)));
      } else if (v.is_object()) {
        ObjectBuilder services;
        for (const auto& [name, s] : v.entries()) services.add(name, without_keys(s, {"credentials"}));
        out.add(k, services.build());
      } else {
        throw std::runtime_error("illegal service config type: " + go_type(v));
      }
    } else if (k.is_string() && k.str() == "keys" && !v.is_null()) {
      if (!v.is_object()) throw std::runtime_error("illegal keys config type: " + go_type(v));
      ObjectBuilder keys;
      for (const auto& [name, key] : v.entries()) keys.add(name, without_keys(key, {"key", "private_key"}));
      out.add(k, keys.build());
    } else {
      out.add(k, v);
    }
  }
  return out.build();
}

Value parse_module(Context&, const Value* a) {
  const std::string& filename = need_string(a, 1);
  const std::string& source = need_string(a, 2);
  ParseModuleHook hook = g_parse_hook.load(std::memory_order_acquire);
  if (!hook) throw BuiltinError("parser unavailable");
  return hook(filename, source);
}

Value runtime(Context&, const Value*) {
  RuntimeState& s = runtime_state();
  std::lock_guard<std::mutex> lock(s.mu);
  if (!s.error.empty()) throw BuiltinError(s.error);
  return s.info.defined() ? s.info : Value::empty_object();
}

Value trace(Context&, const Value* a) {
  need_string(a, 1);
  return Value::boolean(true);
}

}  // namespace

void set_runtime_info(Value info) {
  Value redacted = info;
  std::string error;
  if (info.is_object()) {
    const Value* config = info.find("config");
    if (config && config->is_object()) {
      try {
        ObjectBuilder b;
        for (const auto& [k, v] : info.entries()) {
          b.add(k, k.is_string() && k.str() == "config" ? redact_config(v) : v);
        }
        redacted = b.build();
      } catch (const std::runtime_error& e) {
        error = e.what();
      }
    }
  }
  RuntimeState& s = runtime_state();
  std::lock_guard<std::mutex> lock(s.mu);
  s.info = std::move(redacted);
  s.error = std::move(error);
}

void set_parse_module_hook(ParseModuleHook hook) { g_parse_hook.store(hook, std::memory_order_release); }

Value default_runtime_info(std::string version, const Value& config) {
  ObjectBuilder env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) {
      env.add(entry, Value::null());
    } else {
      env.add(entry.substr(0, eq), Value::string(entry.substr(eq + 1)));
    }
  }
  ObjectBuilder out;
  if (config.defined()) out.add("config", config);
  out.add("env", env.build());
  out.add("version", Value::string(std::move(version)));
  out.add("commit", Value::string(""));
  out.add("authorization_enabled", Value::boolean(false));
  out.add("skip_known_schema_check", Value::boolean(false));
  return out.build();
}

void register_rego(Registry& r) {
  r.add({"rego.parse_module", 2, parse_module, "(string, string) => object"});
  r.add({"opa.runtime", 0, runtime, "() => object"});
  r.add({"trace", 1, trace, "(string) => boolean"});
}

}  // namespace wartburg::builtins
