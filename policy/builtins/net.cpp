// Builtins: net — the CIDR family (net.cidr_contains, net.cidr_contains_matches,
// net.cidr_expand, net.cidr_intersects, net.cidr_is_valid, net.cidr_merge and
// the deprecated net.cidr_overlap), for IPv4 and IPv6. Parsing, containment
// and text forms follow OPA, i.e. Go's net package: an address is kept as 16
// bytes (IPv4 as ::ffff:a.b.c.d); a CIDR remembers whether it was written in
// IPv4 or IPv6 notation; an IPv4-mapped IPv6 address only ever matches IPv4
// addresses and prints in dotted form. net.lookup_ip_addr resolves a host name
// with getaddrinfo (an IP literal is returned as is), memoized per evaluation.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"

namespace wartburg::builtins {
namespace {

using Addr = std::array<uint8_t, 16>;

// net.cidr_expand refuses CIDRs with more addresses than this (OPA has no
// limit and relies on the query timeout; a /8 would build 16M strings).
constexpr int kMaxExpandHostBits = 16;

// ---------------------------------------------------------------- addresses

constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_mapped(const Addr& a) { return std::memcmp(a.data(), kMappedPrefix, 12) == 0; }

Addr mapped(const uint8_t v4[4]) {
  Addr a{};
  std::memcpy(a.data(), kMappedPrefix, 12);
  std::memcpy(a.data() + 12, v4, 4);
  return a;
}

// Keeps the top `prefix` bits of a (0..128).
Addr masked(Addr a, int prefix) {
  for (int i = 0; i < 16; ++i) {
    int keep = std::clamp(prefix - 8 * i, 0, 8);
    a[i] &= static_cast<uint8_t>(0xff00 >> keep);
  }
  return a;
}

// Sets every bit below the top `prefix` bits.
Addr with_host_bits(Addr a, int prefix) {
  for (int i = 0; i < 16; ++i) {
    int keep = std::clamp(prefix - 8 * i, 0, 8);
    a[i] |= static_cast<uint8_t>(0xff >> keep);
  }
  return a;
}

bool same_prefix(const Addr& a, const Addr& b, int prefix) { return masked(a, prefix) == masked(b, prefix); }

void increment(Addr& a) {
  for (int i = 15; i >= 0; --i) {
    if (++a[i] != 0) break;
  }
}

void decrement(Addr& a) {
  for (int i = 15; i >= 0; --i) {
    if (a[i]-- != 0) break;
  }
}

// Go's net.ParseIP: dotted IPv4 or IPv6 text (no zone).
std::optional<Addr> parse_ip(const std::string& s) {
  uint8_t buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return mapped(buf);
  if (s.find(':') != std::string::npos && inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    Addr a;
    std::memcpy(a.data(), buf, 16);
    return a;
  }
  return std::nullopt;
}

// Go's IP.String: IPv4 (and IPv4-mapped) dotted, IPv6 in RFC 5952 form. glibc's
// inet_ntop would print ::a.b.c.d for IPv4-compatible addresses, Go does not,
// so IPv6 is formatted here.
std::string ip_text(const Addr& a) {
  char buf[INET6_ADDRSTRLEN];
  if (is_mapped(a)) {
    inet_ntop(AF_INET, a.data() + 12, buf, sizeof buf);
    return buf;
  }
  uint16_t w[8];
  for (int i = 0; i < 8; ++i) w[i] = static_cast<uint16_t>(a[2 * i] << 8 | a[2 * i + 1]);
  int best = -1, best_len = 0;  // longest run of zero groups (at least two), first on ties
  for (int i = 0; i < 8;) {
    if (w[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && w[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", w[i]);
    out += buf;
  }
  return out;
}

// ---------------------------------------------------------------- networks

struct Net {
  Addr ip{};        // masked by ParseCIDR; unmasked for a bare IPv4 in net.cidr_merge
  int prefix = 0;   // prefix length in the notation's bits
  int bits = 128;   // 32: written in IPv4 notation; 128: IPv6 notation

  // Prefix length over the 16-byte form.
  int prefix128() const { return bits == 32 ? 96 + prefix : prefix; }
  Addr first() const { return masked(ip, prefix128()); }
  Addr last() const { return with_host_bits(first(), prefix128()); }
  // Go's IPNet.Contains: an IPv4(-mapped) network holds only IPv4 addresses,
  // any other network only non-IPv4 ones.
  bool contains(const Addr& a) const { return is_mapped(ip) == is_mapped(a) && same_prefix(ip, a, prefix128()); }
};

// Go's IPNet.String: a network whose address is IPv4(-mapped) prints as IPv4
// with the low 32 bits of its mask.
std::string net_text(const Addr& ip, int prefix128) {
  if (is_mapped(ip)) return ip_text(ip) + "/" + std::to_string(std::max(0, prefix128 - 96));
  return ip_text(ip) + "/" + std::to_string(prefix128);
}

// Go's net.ParseCIDR: "<address>/<decimal prefix>"; the address is masked.
std::optional<Net> parse_cidr(const std::string& s) {
  size_t slash = s.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::string addr = s.substr(0, slash);
  std::string_view len = std::string_view(s).substr(slash + 1);
  Net n;
  uint8_t buf[16];
  if (inet_pton(AF_INET, addr.c_str(), buf) == 1) {
    n.ip = mapped(buf);
    n.bits = 32;
  } else if (addr.find(':') != std::string::npos && inet_pton(AF_INET6, addr.c_str(), buf) == 1) {
    std::memcpy(n.ip.data(), buf, 16);
    n.bits = 128;
  } else {
    return std::nullopt;
  }
  if (len.empty()) return std::nullopt;
  int p = 0;
  for (char c : len) {
    if (c < '0' || c > '9') return std::nullopt;
    p = std::min(p * 10 + (c - '0'), 1000);  // leading zeros are allowed, as in Go
  }
  if (p > n.bits) return std::nullopt;
  n.prefix = p;
  n.ip = n.first();
  return n;
}

[[noreturn]] void invalid_cidr(const std::string& s) { throw BuiltinError("invalid CIDR address: " + s); }

Net need_cidr(const Value* args, int pos) {
  const std::string& s = need_string(args, pos);
  auto n = parse_cidr(s);
  if (!n) invalid_cidr(s);
  return *n;
}

// ---------------------------------------------------------------- contains / intersects

// net.cidr_contains on two values; `pos_a`/`pos_b` name the operands in type errors.
bool cidr_contains(const Value& a, const Value& b, int pos_a, int pos_b) {
  if (!a.is_string()) operand_error(pos_a, "string", a);
  auto net_a = parse_cidr(a.str());
  if (!net_a) invalid_cidr(a.str());
  if (!b.is_string()) operand_error(pos_b, "string", b);
  if (auto ip = parse_ip(b.str())) return net_a->contains(*ip);
  auto net_b = parse_cidr(b.str());
  if (!net_b) throw BuiltinError("not a valid textual representation of an IP address or CIDR: " + b.str());
  // A contains B when it holds B's first and last addresses.
  return net_a->contains(net_b->ip) && net_a->contains(net_b->last());
}

Value contains(Context&, const Value* args) { return Value::boolean(cidr_contains(args[0], args[1], 1, 2)); }

Value intersects(Context&, const Value* args) {
  Net a = need_cidr(args, 1);
  Net b = need_cidr(args, 2);
  return Value::boolean(a.contains(b.ip) || b.contains(a.ip));
}

Value is_valid(Context&, const Value* args) {
  return Value::boolean(args[0].is_string() && parse_cidr(args[0].str()).has_value());
}

// ---------------------------------------------------------------- contains_matches

// The CIDR of a collection element: a string, or the first element of a non-empty array.
const Value& match_term(const Value& elem, int operand) {
  if (elem.is_string()) return elem;
  if (elem.is_array() && elem.size() > 0) return elem.items()[0];
  throw BuiltinError("operand " + std::to_string(operand) + ": element must be string or non-empty array");
}

// Calls f(cidr, key) for each element of a string, array (key: index), set
// (key: the element) or object (key: the key). Other values have no elements.
template <typename F>
void each_match_operand(const Value& v, int operand, F&& f) {
  switch (v.kind()) {
    case Kind::String:
      f(v, v);
      break;
    case Kind::Array: {
      const auto& items = v.items();
      for (size_t i = 0; i < items.size(); ++i) f(match_term(items[i], operand), Value::integer(static_cast<int64_t>(i)));
      break;
    }
    case Kind::Set:
      for (const Value& x : v.items()) f(match_term(x, operand), x);
      break;
    case Kind::Object:
      for (const auto& [k, x] : v.entries()) f(match_term(x, operand), k);
      break;
    default:
      break;
  }
}

// Every (cidr, ip) pair is tried (as OPA does), but each element is parsed
// once, on first use (so errors come in the order the pairs are tried), the
// deadline is polled, and the pairs found count against the limits: two
// arrays of 100,000 elements make 10^10 pairs.
Value contains_matches(Context&, const Value* args) {
  auto count = [](const Value& v) -> size_t {
    return v.is_string() ? 1 : (v.is_array() || v.is_set() || v.is_object()) ? v.size() : 0;
  };
  std::vector<std::optional<Net>> nets(count(args[0]));
  // operand 2 elements: an address, or a network (its first and last address)
  struct Target {
    bool parsed = false, is_ip = false;
    Addr ip{}, first{}, last{};
  };
  std::vector<Target> targets(count(args[1]));
  SetBuilder out;
  uint64_t pairs = 0, found = 0;
  limits::Growth growth;
  size_t i = 0;
  each_match_operand(args[0], 1, [&](const Value& a, const Value& key1) {
    size_t j = 0;
    each_match_operand(args[1], 2, [&](const Value& b, const Value& key2) {
      if ((++pairs & 4095) == 0) limits::poll();
      if (!nets[i]) {
        if (!a.is_string()) operand_error(1, "string", a);
        nets[i] = parse_cidr(a.str());
        if (!nets[i]) invalid_cidr(a.str());
      }
      Target& t = targets[j++];
      if (!t.parsed) {
        if (!b.is_string()) operand_error(2, "string", b);
        if (auto ip = parse_ip(b.str())) {
          t.is_ip = true;
          t.ip = *ip;
        } else {
          auto nb = parse_cidr(b.str());
          if (!nb) throw BuiltinError("not a valid textual representation of an IP address or CIDR: " + b.str());
          t.first = nb->ip;
          t.last = nb->last();
        }
        t.parsed = true;
      }
      const Net& n = *nets[i];
      // as cidr_contains: a network holds another when it holds its first and last address
      bool hit = t.is_ip ? n.contains(t.ip) : n.contains(t.first) && n.contains(t.last);
      if (hit) {
        growth.check(++found * (limits::kValueOverhead + 2 * limits::kItemBytes));
        out.add(Value::array({key1, key2}));
      }
    });
    ++i;
  });
  return out.build();
}

// ---------------------------------------------------------------- expand

Value expand(Context&, const Value* args) {
  const std::string& s = need_string(args, 1);
  auto n = parse_cidr(s);
  if (!n) invalid_cidr(s);
  int host_bits = n->bits - n->prefix;
  if (host_bits > kMaxExpandHostBits) {
    throw BuiltinError("CIDR too large to expand: " + s + " has more than " +
                       std::to_string(1 << kMaxExpandHostBits) + " addresses");
  }
  std::vector<Value> hosts;
  hosts.reserve(size_t{1} << host_bits);
  Addr a = n->ip;
  for (size_t i = 0; i < (size_t{1} << host_bits); ++i, increment(a)) hosts.push_back(Value::string(ip_text(a)));
  return Value::set(std::move(hosts));
}

// ---------------------------------------------------------------- merge

struct Range {
  Addr first, last;
  std::string text;  // the original network's text while it has not been merged; "" once merged
};

// An element of net.cidr_merge's operand: an IPv4 address (taking its classful
// default mask, as Go's IP.DefaultMask) or a CIDR. IPv6 needs a prefix length.
Net merge_element(const Value& v) {
  if (!v.is_string()) throw BuiltinError("element must be string");
  const std::string& s = v.str();
  if (auto ip = parse_ip(s)) {
    if (!is_mapped(*ip)) throw BuiltinError("IPv6 invalid: needs prefix length");
    Net n;
    n.ip = *ip;  // left unmasked, as OPA does
    n.bits = 32;
    uint8_t b0 = (*ip)[12];
    n.prefix = b0 < 0x80 ? 8 : b0 < 0xC0 ? 16 : 24;
    return n;
  }
  auto n = parse_cidr(s);
  if (!n) invalid_cidr(s);
  return *n;
}

// The fewest CIDRs covering [first, last].
void cover(Addr first, const Addr& last, SetBuilder& out) {
  for (;;) {
    int k = 128;  // host bits of the largest aligned block at `first` that ends at or before `last`
    while (k > 0 && (masked(first, 128 - k) != first || with_host_bits(first, 128 - k) > last)) --k;
    Addr end = with_host_bits(first, 128 - k);
    out.add(Value::string(net_text(first, 128 - k)));
    if (end >= last) return;
    first = end;
    increment(first);
  }
}

Value merge(Context&, const Value* args) {
  const Value& v = args[0];
  if (!v.is_array() && !v.is_set()) throw BuiltinError("operand must be an array");
  std::vector<Range> ranges;
  ranges.reserve(v.size());
  for (const Value& e : v.items()) {
    Net n = merge_element(e);
    ranges.push_back({n.first(), n.last(), net_text(n.ip, n.prefix128())});
  }
  std::stable_sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.last < b.last; });
  // Walking down from the highest range, fold each into its predecessor when
  // they overlap or touch. (As in OPA, the address before ::ffff:0.0.0.0 is
  // taken to be itself, so IPv4 ranges never join IPv6 ones below them.)
  // (One pass from the top keeping the range being grown: erasing merged
  // ranges from the vector one by one was quadratic.)
  static const Addr v4_zero = mapped(std::array<uint8_t, 4>{}.data());
  std::vector<Range> merged;  // from the highest down
  if (!ranges.empty()) {
    Range cur = ranges.back();
    for (size_t i = ranges.size() - 1; i-- > 0;) {
      Addr before = cur.first;
      if (before != Addr{} && before != v4_zero) decrement(before);
      if (before <= ranges[i].last) {
        cur = {std::min(ranges[i].first, cur.first), cur.last, ""};
      } else {
        merged.push_back(std::move(cur));
        cur = ranges[i];
      }
    }
    merged.push_back(std::move(cur));
  }
  SetBuilder out;
  for (const Range& r : merged) {
    if (!r.text.empty()) {
      out.add(Value::string(r.text));
    } else {
      cover(r.first, r.last, out);
    }
  }
  return out.build();
}

// ---------------------------------------------------------------- lookup

// net.lookup_ip_addr(name): the set of the name's IPv4 and IPv6 addresses, as
// Go's net.LookupIPAddr returns them (an IP literal is its own answer; no
// network is touched for it). The answer is memoized per evaluation.
Value lookup_ip_addr(Context& ctx, const Value* args) {
  const std::string& name = need_string(args, 1);
  if (auto ip = parse_ip(name)) return Value::set({Value::string(ip_text(*ip))});
  Value key = Value::array({Value::string("net.lookup_ip_addr"), args[0]});
  if (ctx.memo) {
    auto it = ctx.memo->find(key);
    if (it != ctx.memo->end()) return it->second;
  }
  if (name.find('\0') != std::string::npos) throw BuiltinError("lookup " + name + ": no such host");
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(name.c_str(), nullptr, &hints, &res);
  if (rc != 0) {
    std::string why = (rc == EAI_NONAME || rc == EAI_NODATA) ? "no such host"
                      : rc == EAI_AGAIN                     ? "temporary failure in name resolution"
                                                            : gai_strerror(rc);
    throw BuiltinError("lookup " + name + ": " + why);
  }
  SetBuilder out;
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    Addr a{};
    if (ai->ai_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(ai->ai_addr);
      a = mapped(reinterpret_cast<const uint8_t*>(&sin->sin_addr));
    } else if (ai->ai_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(ai->ai_addr);
      std::memcpy(a.data(), &sin6->sin6_addr, 16);
    } else {
      continue;
    }
    out.add(Value::string(ip_text(a)));
  }
  freeaddrinfo(res);
  Value r = out.build();
  if (ctx.memo) (*ctx.memo)[key] = r;
  return r;
}

}  // namespace

void register_net(Registry& r) {
  r.add({"net.cidr_contains", 2, contains, "(string, string) => boolean"});
  r.add({"net.cidr_overlap", 2, contains, "(string, string) => boolean"});  // deprecated alias
  r.add({"net.cidr_intersects", 2, intersects, "(string, string) => boolean"});
  r.add({"net.cidr_contains_matches", 2, contains_matches,
         "(string|array|object|set, string|array|object|set) => set"});
  r.add({"net.cidr_expand", 1, expand, "(string) => set"});
  r.add({"net.cidr_is_valid", 1, is_valid, "(string) => boolean"});
  r.add({"net.cidr_merge", 1, merge, "(array|set) => set"});
  r.add({"net.lookup_ip_addr", 1, lookup_ip_addr, "(string) => set"});
}

}  // namespace wartburg::builtins
