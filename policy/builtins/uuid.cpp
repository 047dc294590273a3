// Builtins: uuid.rfc4122 (random version-4 UUID, stable per argument within
// one evaluation) and uuid.parse (version, variant and, for versions 1 and 2,
// the time, clock sequence, node id and DCE fields, as OPA reports them).
#include <array>
#include <cctype>
#include <cstdio>
#include <optional>

#include "policy/builtins/registry.h"

namespace wartburg::builtins {
namespace {

using Bytes = std::array<uint8_t, 16>;

std::string hex(const uint8_t* p, size_t n, const char* sep = "") {
  std::string out;
  char buf[3];
  for (size_t i = 0; i < n; ++i) {
    if (i && *sep) out += sep;
    std::snprintf(buf, sizeof buf, "%02x", p[i]);
    out += buf;
  }
  return out;
}

std::mt19937_64& fallback_rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

std::string new_v4(std::mt19937_64& rng) {
  Bytes b;
  for (size_t i = 0; i < 16; i += 8) {
    uint64_t r = rng();
    for (size_t k = 0; k < 8; ++k) b[i + k] = static_cast<uint8_t>(r >> (8 * k));
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  return hex(&b[0], 4) + "-" + hex(&b[4], 2) + "-" + hex(&b[6], 2) + "-" + hex(&b[8], 2) + "-" + hex(&b[10], 6);
}

Value rfc4122(Context& ctx, const Value* a) {
  Value key = Value::array({Value::string("uuid.rfc4122"), a[0]});
  if (ctx.memo) {
    auto it = ctx.memo->find(key);
    if (it != ctx.memo->end()) return it->second;
  }
  Value r = Value::string(new_v4(ctx.rng ? *ctx.rng : fallback_rng()));
  if (ctx.memo) (*ctx.memo)[key] = r;
  return r;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool decode_hex(std::string_view s, Bytes& b) {
  for (size_t i = 0; i < 16; ++i) {
    int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    b[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// The forms Go's google/uuid accepts: canonical, {canonical}, urn:uuid:canonical, 32 hex digits.
std::optional<Bytes> parse_uuid(std::string_view s) {
  Bytes b;
  if (s.size() == 32) return decode_hex(s, b) ? std::optional(b) : std::nullopt;
  if (s.size() == 45) {
    if (!iequals(s.substr(0, 9), "urn:uuid:")) return std::nullopt;
    s.remove_prefix(9);
  } else if (s.size() == 38) {
    if (s.front() != '{' || s.back() != '}') return std::nullopt;
    s = s.substr(1, 36);
  } else if (s.size() != 36) {
    return std::nullopt;
  }
  if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return std::nullopt;
  std::string compact;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i != 8 && i != 13 && i != 18 && i != 23) compact += s[i];
  }
  return decode_hex(compact, b) ? std::optional(b) : std::nullopt;
}

const char* variant_name(uint8_t b8) {
  if ((b8 & 0xc0) == 0x80) return "RFC4122";
  if ((b8 & 0xe0) == 0xc0) return "Microsoft";
  if ((b8 & 0xe0) == 0xe0) return "Future";
  return "Reserved";
}

const char* mac_variables(uint8_t b) {
  if ((b & 3) == 3) return "local:multicast";
  if (b & 1) return "global:multicast";
  if (b & 2) return "local:unicast";
  return "global:unicast";
}

uint64_t be(const Bytes& b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | b[at + i];
  return v;
}

// 100ns intervals since 1582-10-15 converted to Unix nanoseconds.
int64_t unix_nanos(const Bytes& b) {
  int64_t t = static_cast<int64_t>(be(b, 0, 4) | (be(b, 4, 2) << 32) | ((be(b, 6, 2) & 0xfff) << 48));
  int64_t since_unix = t - 122192928000000000LL;
  return (since_unix / 10000000) * 1000000000 + (since_unix % 10000000) * 100;
}

std::string domain_name(uint8_t d) {
  if (d == 0) return "Person";
  if (d == 1) return "Group";
  if (d == 2) return "Org";
  return "Domain" + std::to_string(d);
}

Value parse(Context&, const Value* a) {
  auto b = parse_uuid(need_string(a, 1));
  if (!b) return {};
  int version = (*b)[6] >> 4;
  ObjectBuilder o;
  o.add("version", Value::integer(version));
  o.add("variant", Value::string(variant_name((*b)[8])));
  if (version == 1 || version == 2) {
    o.add("time", Value::integer(unix_nanos(*b)));
    o.add("nodeid", Value::string(hex(&(*b)[10], 6, "-")));
    o.add("macvariables", Value::string(mac_variables((*b)[10])));
    o.add("clocksequence", Value::integer(static_cast<int64_t>(be(*b, 8, 2) & 0x3fff)));
    if (version == 2) {
      o.add("id", Value::integer(static_cast<int64_t>(be(*b, 0, 4))));
      o.add("domain", Value::string(domain_name((*b)[9])));
    }
  }
  return o.build();
}

}  // namespace

void register_uuid(Registry& r) {
  r.add({"uuid.rfc4122", 1, rfc4122, "(string) => string"});
  r.add({"uuid.parse", 1, parse, "(string) => object"});
}

}  // namespace wartburg::builtins
