// Fuzz target "rego": the Rego front end and engine on hostile policy text.
//
// Input: one flags byte, then sections separated by marker lines:
//   <module text>
//   #--module--   (another module; any number)
//   #--query--    (a query; default "data")
//   #--input--    (JSON input; default a small fixed document)
//   #--data--     (JSON base document; default {})
// flags bit 0: parse as Rego v0; bit 1: strict builtin errors.
//
// Every module is formatted (lang/formatter.h) — the output must parse, and
// (for valid UTF-8) formatting it again must not change it — then all modules are compiled
// (wartburg::compile), the query is prepared against them and evaluated
// under a short deadline.
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "lang/formatter.h"
#include "policy/engine.h"
#include "policy/json.h"

namespace {

using namespace wartburg;

struct Sections {
  std::vector<std::string> modules{""};
  std::string query = "data";
  std::string input;
  std::string data;
};

// Lines of each section are joined with '\n' again, so a module is passed on byte for byte.
Sections split(std::string_view text) {
  Sections s;
  std::string* cur = &s.modules.back();
  bool fresh = true;  // nothing appended to *cur yet
  bool have_query = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    std::string* next = nullptr;
    if (line == "#--module--") {
      s.modules.emplace_back();
      next = &s.modules.back();
    } else if (line == "#--query--") {
      if (!have_query) s.query.clear();
      have_query = true;
      next = &s.query;
    } else if (line == "#--input--") {
      next = &s.input;
    } else if (line == "#--data--") {
      next = &s.data;
    }
    if (next) {
      cur = next;
      fresh = cur->empty();
      continue;
    }
    if (!fresh) cur->push_back('\n');
    cur->append(line);
    fresh = false;
  }
  return s;
}

Value json_or(const std::string& text, Value fallback) {
  if (text.empty()) return fallback;
  try {
    return parse_json(text);
  } catch (const ParseError&) {
    return fallback;
  }
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// Formatting must give text that parses; for valid UTF-8 sources it must also
// be a fixed point (invalid bytes in strings become U+FFFD on the first pass).
// v0 input is formatted both ways: as v0 (opa fmt --v0-compatible) and for v0
// and v1 (opa fmt --v0-v1).
void format(const std::string& module, bool v0, lang::FormatOutput output) {
  lang::FormatOptions fo;
  fo.v0 = v0;
  fo.output = output;
  std::string once;
  try {
    once = lang::format_source("fuzz.rego", module, fo);
  } catch (const Error& e) {
    if (fuzz::check_invariants() && !e.errors.empty() && e.errors[0].code == "rego_format_error") {
      fuzz::fail("rego", "formatter output does not parse: " + e.errors[0].to_string());
    }
    return;
  }
  if (!fuzz::check_invariants() || !valid_utf8(module)) return;
  std::string twice;
  try {
    lang::FormatOptions again;
    again.v0 = output == lang::FormatOutput::V0;
    again.output = output;
    twice = lang::format_source("fuzz.rego", once, again);
  } catch (const Error& e) {
    fuzz::fail("rego", "formatted module does not format again: " + e.errors[0].to_string());
  }
  if (twice != once) fuzz::fail("rego", "formatting is not idempotent:\n--- once\n" + once + "\n--- twice\n" + twice);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  Sections s = split(fuzz::bytes(data + 1, size - 1));
  CompileOptions co;
  co.v0_compatible = flags & 1;
  // No network or wall-clock dependence while fuzzing.
  co.disabled_builtins = {"http.send", "net.lookup_ip_addr"};

  std::vector<SourceFile> files;
  for (size_t i = 0; i < s.modules.size(); ++i) {
    if (co.v0_compatible) {
      format(s.modules[i], true, lang::FormatOutput::V0);
      format(s.modules[i], true, lang::FormatOutput::V0V1);
    } else {
      format(s.modules[i], false, lang::FormatOutput::V1);
    }
    files.push_back({"fuzz" + std::to_string(i) + ".rego", s.modules[i]});
  }
  std::shared_ptr<const Policy> policy;
  try {
    policy = compile(files, co);
  } catch (const Error& e) {
    fuzz::trace("rego", "compile: " + e.errors.at(0).to_string());
    return 0;
  }
  try {
    PreparedQuery q(policy, s.query, co);
    EvalOptions eo = eval_options(fuzz::eval_limits());
    eo.strict_builtin_errors = flags & 2;
    eo.print_to = &fuzz::null_stream();
    Value input = json_or(s.input, parse_json(R"({"user": "alice", "roles": ["admin"], "n": 3, "m": {"a": [1, 2.5, "x"]}})"));
    Value base = json_or(s.data, Value::empty_object());
    auto rows = q.eval(input, base, eo);
    fuzz::trace("rego", "eval: " + std::to_string(rows.size()) + " rows");
  } catch (const Error& e) {
    fuzz::trace("rego", "query: " + e.errors.at(0).to_string());
  }
  return 0;
}
