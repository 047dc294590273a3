// Builtins: semver.is_valid and semver.compare (SemVer 2.0.0: no leading
// zeros in numeric parts, non-empty pre-release/build sections, pre-release
// precedence, build metadata ignored). A leading "v" is tolerated as in OPA.
#include <optional>

#include "policy/builtins/registry.h"

namespace wartburg::builtins {
namespace {

struct Version {
  int64_t major = 0, minor = 0, patch = 0;
  std::vector<std::string> pre;
};

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t p = s.find(sep, start);
    out.emplace_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) return out;
    start = p + 1;
  }
}

bool valid_identifier(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Dot-separated identifiers; numeric ones must not have leading zeros when strict.
bool valid_identifiers(const std::vector<std::string>& ids, bool numeric_strict) {
  for (const std::string& id : ids) {
    if (!valid_identifier(id)) return false;
    if (numeric_strict && all_digits(id) && id.size() > 1 && id[0] == '0') return false;
  }
  return true;
}

bool parse_number(const std::string& s, int64_t& out) {
  if (!all_digits(s) || (s.size() > 1 && s[0] == '0') || s.size() > 18) return false;
  out = std::stoll(s);
  return true;
}

std::optional<Version> parse(std::string_view s) {
  if (!s.empty() && s[0] == 'v') s.remove_prefix(1);
  size_t plus = s.find('+');
  if (plus != std::string_view::npos) {
    if (!valid_identifiers(split(s.substr(plus + 1), '.'), false)) return std::nullopt;
    s = s.substr(0, plus);
  }
  Version v;
  size_t dash = s.find('-');
  if (dash != std::string_view::npos) {
    v.pre = split(s.substr(dash + 1), '.');
    if (!valid_identifiers(v.pre, true)) return std::nullopt;
    s = s.substr(0, dash);
  }
  auto core = split(s, '.');
  if (core.size() != 3) return std::nullopt;
  if (!parse_number(core[0], v.major) || !parse_number(core[1], v.minor) || !parse_number(core[2], v.patch)) {
    return std::nullopt;
  }
  return v;
}

int cmp(int64_t a, int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

int compare_identifier(const std::string& a, const std::string& b) {
  bool an = all_digits(a), bn = all_digits(b);
  if (an && bn) return a.size() != b.size() ? cmp(a.size(), b.size()) : cmp(a.compare(b), 0);
  if (an != bn) return an ? -1 : 1;
  return cmp(a.compare(b), 0);
}

int compare_versions(const Version& a, const Version& b) {
  if (int c = cmp(a.major, b.major)) return c;
  if (int c = cmp(a.minor, b.minor)) return c;
  if (int c = cmp(a.patch, b.patch)) return c;
  // a version without pre-release ranks above one with it
  if (a.pre.empty() || b.pre.empty()) return cmp(a.pre.empty(), b.pre.empty());
  for (size_t i = 0; i < a.pre.size() && i < b.pre.size(); ++i) {
    if (int c = compare_identifier(a.pre[i], b.pre[i])) return c;
  }
  return cmp(a.pre.size(), b.pre.size());
}

Value is_valid(Context&, const Value* a) {
  return Value::boolean(a[0].is_string() && parse(a[0].str()).has_value());
}

Version need_version(const Value* a, int pos) {
  const std::string& s = need_string(a, pos);
  auto v = parse(s);
  if (!v) throw BuiltinError("operand " + std::to_string(pos) + ": string \"" + s + "\" is not a valid SemVer");
  return *v;
}

Value compare_fn(Context&, const Value* a) {
  need_string(a, 1);
  need_string(a, 2);
  Version x = need_version(a, 1);
  Version y = need_version(a, 2);
  return Value::integer(compare_versions(x, y));
}

}  // namespace

void register_semver(Registry& r) {
  r.add({"semver.is_valid", 1, is_valid, "(any) => boolean"});
  r.add({"semver.compare", 2, compare_fn, "(string, string) => number"});
}

}  // namespace wartburg::builtins
