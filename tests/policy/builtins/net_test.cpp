// Tests for the net CIDR builtins (net.cidr_contains, net.cidr_overlap,
// net.cidr_intersects, net.cidr_contains_matches, net.cidr_expand,
// net.cidr_is_valid, net.cidr_merge), IPv4 and IPv6, including their errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"
#include "tests/policy/builtins/limits_util.h"

namespace {

using wartburg::Value;
using namespace wartburg::builtins::test_util::tagged;

Value T() { return Value::boolean(true); }
Value F() { return Value::boolean(false); }

}  // namespace

// ---- net.cidr_contains / net.cidr_overlap

TEST(NetCidrContains, Ipv4SubnetsAndAddresses) {
  EXPECT_EQ(call("net.cidr_contains", {Str("10.0.0.0/8"), Str("10.1.0.0/24")}), T());
  EXPECT_EQ(call("net.cidr_contains", {Str("10.0.0.0/8"), Str("10.1.2.3")}), T());
  EXPECT_EQ(call("net.cidr_contains", {Str("10.0.0.0/8"), Str("11.0.0.1")}), F());
  EXPECT_EQ(call("net.cidr_contains", {Str("10.0.0.0/24"), Str("10.0.0.0/23")}), F());  // larger than A
  EXPECT_EQ(call("net.cidr_contains", {Str("127.0.0.1/24"), Str("127.0.0.64/26")}), T());
  EXPECT_EQ(call("net.cidr_contains", {Str("192.168.1.0/24"), Str("192.168.1.255")}), T());
  EXPECT_EQ(call("net.cidr_contains", {Str("0.0.0.0/0"), Str("255.255.255.255")}), T());
  EXPECT_EQ(call("net.cidr_contains", {Str("10.0.0.1/32"), Str("10.0.0.1/32")}), T());
}

TEST(NetCidrContains, Ipv6SubnetsAndAddresses) {
  EXPECT_EQ(call("net.cidr_contains", {Str("2001:4860:4860::8888/32"), Str("2001:4860:4860:1234::8888/40")}), T());
  EXPECT_EQ(call("net.cidr_contains",
                 {Str("2001:4860:4860::8888/32"), Str("2001:4860:4860:1234:5678:1234:5678:8888/128")}),
            T());
  EXPECT_EQ(call("net.cidr_contains", {Str("2001:db8::/32"), Str("2001:db8:ffff::1")}), T());
  EXPECT_EQ(call("net.cidr_contains", {Str("2001:db8::/32"), Str("2001:db9::1")}), F());
  EXPECT_EQ(call("net.cidr_contains", {Str("2001:db8::/64"), Str("2001:db8::/48")}), F());
  EXPECT_EQ(call("net.cidr_contains", {Str("::/0"), Str("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")}), T());
}

TEST(NetCidrContains, FamiliesDoNotMix) {
  // As Go: an IPv6 network holds no IPv4 address, but IPv4-mapped IPv6 is IPv4.
  EXPECT_EQ(call("net.cidr_contains", {Str("::/0"), Str("10.0.0.1")}), F());
  EXPECT_EQ(call("net.cidr_contains", {Str("10.0.0.0/8"), Str("::ffff:10.1.2.3")}), T());
  EXPECT_EQ(call("net.cidr_contains", {Str("::ffff:10.0.0.0/104"), Str("10.9.9.9")}), T());
  EXPECT_EQ(call("net.cidr_contains", {Str("0.0.0.0/0"), Str("::1")}), F());
}

TEST(NetCidrContains, Errors) {
  EXPECT_EQ(error_of("net.cidr_contains", {Str("not-a-cidr"), Str("192.168.1.67")}),
            "builtin: invalid CIDR address: not-a-cidr");
  EXPECT_EQ(error_of("net.cidr_contains", {Str("192.168.1.0/28"), Str("not-a-cidr")}),
            "builtin: not a valid textual representation of an IP address or CIDR: not-a-cidr");
  EXPECT_EQ(error_of("net.cidr_contains", {Str("10.0.0.1"), Str("10.0.0.1")}),
            "builtin: invalid CIDR address: 10.0.0.1");
  EXPECT_EQ(error_of("net.cidr_contains", {Str("2001:db8::/129"), Str("::1")}),
            "builtin: invalid CIDR address: 2001:db8::/129");
  EXPECT_EQ(error_of("net.cidr_contains", {I(1), Str("10.0.0.1")}), "type: operand 1 must be string but got number");
  EXPECT_EQ(error_of("net.cidr_contains", {Str("10.0.0.0/8"), J("null")}), "type: operand 2 must be string but got null");
}

TEST(NetCidrOverlap, IsCidrContains) {
  EXPECT_EQ(call("net.cidr_overlap", {Str("10.0.0.0/8"), Str("10.1.2.3")}), T());
  EXPECT_EQ(call("net.cidr_overlap", {Str("fd00::/8"), Str("fe00::1")}), F());
  EXPECT_EQ(error_of("net.cidr_overlap", {Str("x"), Str("10.1.2.3")}), "builtin: invalid CIDR address: x");
}

// ---- net.cidr_intersects

TEST(NetCidrIntersects, Ipv4AndIpv6) {
  EXPECT_EQ(call("net.cidr_intersects", {Str("192.168.0.0/16"), Str("192.168.1.0/24")}), T());
  EXPECT_EQ(call("net.cidr_intersects", {Str("192.168.1.0/24"), Str("192.168.0.0/16")}), T());
  EXPECT_EQ(call("net.cidr_intersects", {Str("192.168.1.0/24"), Str("192.168.2.0/24")}), F());
  EXPECT_EQ(call("net.cidr_intersects", {Str("fd1e:5bfe:8af3:9ddc::/64"), Str("fd1e:5bfe:8af3:9ddc:1111::/72")}), T());
  EXPECT_EQ(call("net.cidr_intersects", {Str("fd1e:5bfe:8af3:9ddc::/64"), Str("2001:4860:4860::8888/32")}), F());
  EXPECT_EQ(call("net.cidr_intersects", {Str("0.0.0.0/0"), Str("::/0")}), F());
}

TEST(NetCidrIntersects, Errors) {
  EXPECT_EQ(error_of("net.cidr_intersects", {Str("192.168.1.0/28"), Str("not-a-cidr")}),
            "builtin: invalid CIDR address: not-a-cidr");
  EXPECT_EQ(error_of("net.cidr_intersects", {Str("192.168.1.0/28"), Str("192.168.1.1")}),
            "builtin: invalid CIDR address: 192.168.1.1");
  EXPECT_EQ(error_of("net.cidr_intersects", {Str("::/0"), I(3)}), "type: operand 2 must be string but got number");
}

// ---- net.cidr_is_valid

TEST(NetCidrIsValid, NeverErrors) {
  EXPECT_EQ(call("net.cidr_is_valid", {Str("192.168.1.0/24")}), T());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("192.168.0.0/30")}), T());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("2002::1234:abcd:ffff:c0a8:101/64")}), T());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("::/0")}), T());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("10.0.0.0/08")}), T());  // leading zeros in the length, as Go
  EXPECT_EQ(call("net.cidr_is_valid", {Str("")}), F());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("there goes a string")}), F());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("192.168.1.2")}), F());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("192.168.0.500/30")}), F());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("192.168.1.0/33")}), F());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("192.168.1.0/")}), F());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("192.168.1.0/-1")}), F());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("010.1.1.0/24")}), F());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("::1/129")}), F());
  EXPECT_EQ(call("net.cidr_is_valid", {Str("fe80::1%eth0/64")}), F());
  EXPECT_EQ(call("net.cidr_is_valid", {I(42)}), F());
  EXPECT_EQ(call("net.cidr_is_valid", {J("null")}), F());
}

// ---- net.cidr_expand

TEST(NetCidrExpand, Ipv4) {
  EXPECT_EQ(call("net.cidr_expand", {Str("192.168.1.1/30")}),
            S({Str("192.168.1.0"), Str("192.168.1.1"), Str("192.168.1.2"), Str("192.168.1.3")}));
  EXPECT_EQ(call("net.cidr_expand", {Str("1.1.0.0/32")}), S({Str("1.1.0.0")}));
  EXPECT_EQ(call("net.cidr_expand", {Str("10.0.0.254/31")}), S({Str("10.0.0.254"), Str("10.0.0.255")}));
  EXPECT_EQ(call("net.cidr_expand", {Str("10.0.0.0/16")}).size(), 65536u);
}

TEST(NetCidrExpand, Ipv6) {
  EXPECT_EQ(call("net.cidr_expand", {Str("2002::1234:abcd:ffff:c0a8:101/128")}),
            S({Str("2002::1234:abcd:ffff:c0a8:101")}));
  EXPECT_EQ(call("net.cidr_expand", {Str("2002::1234:abcd:ffff:c0a8:101/127")}),
            S({Str("2002::1234:abcd:ffff:c0a8:100"), Str("2002::1234:abcd:ffff:c0a8:101")}));
  EXPECT_EQ(call("net.cidr_expand", {Str("2001:db8::/126")}),
            S({Str("2001:db8::"), Str("2001:db8::1"), Str("2001:db8::2"), Str("2001:db8::3")}));
  // Go's text forms: no ::a.b.c.d for IPv4-compatible, dotted for IPv4-mapped.
  EXPECT_EQ(call("net.cidr_expand", {Str("::c000:200/127")}), S({Str("::c000:200"), Str("::c000:201")}));
  EXPECT_EQ(call("net.cidr_expand", {Str("::ffff:1.2.3.4/127")}), S({Str("1.2.3.4"), Str("1.2.3.5")}));
  EXPECT_EQ(call("net.cidr_expand", {Str("1:0:0:1::/128")}), S({Str("1:0:0:1::")}));
  EXPECT_EQ(call("net.cidr_expand", {Str("1:0:2:0:0:3::/128")}), S({Str("1:0:2::3:0:0")}));
}

TEST(NetCidrExpand, Errors) {
  EXPECT_EQ(error_of("net.cidr_expand", {Str("192.168.1.1/33")}), "builtin: invalid CIDR address: 192.168.1.1/33");
  EXPECT_EQ(error_of("net.cidr_expand", {Str("192.168.1.1")}), "builtin: invalid CIDR address: 192.168.1.1");
  EXPECT_EQ(error_of("net.cidr_expand", {I(1)}), "type: operand 1 must be string but got number");
  EXPECT_EQ(error_of("net.cidr_expand", {Str("10.0.0.0/8")}),
            "builtin: CIDR too large to expand: 10.0.0.0/8 has more than 65536 addresses");
  EXPECT_EQ(error_of("net.cidr_expand", {Str("::/0")}),
            "builtin: CIDR too large to expand: ::/0 has more than 65536 addresses");
}

// ---- net.cidr_contains_matches

TEST(NetCidrContainsMatches, StringsArraysSetsObjects) {
  EXPECT_EQ(call("net.cidr_contains_matches", {Str("1.1.1.0/24"), Str("1.1.1.128")}),
            S({J(R"(["1.1.1.0/24", "1.1.1.128"])")}));
  EXPECT_EQ(call("net.cidr_contains_matches", {J(R"(["1.1.2.0/24", "1.1.1.0/24"])"), J(R"(["1.1.1.1", "1.1.2.1"])")}),
            S({J("[0, 1]"), J("[1, 0]")}));
  EXPECT_EQ(call("net.cidr_contains_matches",
                 {J(R"([["1.1.2.0/24", 1], "1.1.1.0/24"])"), J(R"(["1.1.1.1", "1.1.2.1"])")}),
            S({J("[0, 1]"), J("[1, 0]")}));
  EXPECT_EQ(call("net.cidr_contains_matches",
                 {S({Str("1.1.1.0/24"), Str("1.1.2.0/24")}), S({Str("1.1.1.1"), Str("1.1.2.1")})}),
            S({J(R"(["1.1.1.0/24", "1.1.1.1"])"), J(R"(["1.1.2.0/24", "1.1.2.1"])")}));
  // Set elements that are tuples are their own keys; object keys are keys.
  EXPECT_EQ(call("net.cidr_contains_matches", {S({J(R"(["1.1.2.0/24", "foo", 1])"), Str("1.1.0.0/16")}),
                                               J(R"({"x": "1.1.1.128", "y": ["1.1.254.254", "bar"]})")}),
            S({J(R"(["1.1.0.0/16", "x"])"), J(R"(["1.1.0.0/16", "y"])")}));
  EXPECT_EQ(call("net.cidr_contains_matches", {J(R"({"a": "2001:db8::/32"})"), J(R"(["2001:db8::1", "::1"])")}),
            S({J(R"(["a", 0])")}));
  EXPECT_EQ(call("net.cidr_contains_matches", {J("[]"), J(R"([1])")}), S({}));
}

TEST(NetCidrContainsMatches, Errors) {
  EXPECT_EQ(error_of("net.cidr_contains_matches",
                     {S({J(R"(["1.1.1.0/24", "bar"])"), J(R"(["1.1.2.0/24", "foo"])")}),
                      S({I(1), J(R"(["1.1.2.1", "qux"])")})}),
            "builtin: operand 2: element must be string or non-empty array");
  EXPECT_EQ(error_of("net.cidr_contains_matches", {J("[[]]"), Str("1.1.1.1")}),
            "builtin: operand 1: element must be string or non-empty array");
  EXPECT_EQ(error_of("net.cidr_contains_matches", {J("[[7]]"), Str("1.1.1.1")}),
            "type: operand 1 must be string but got number");
  EXPECT_EQ(error_of("net.cidr_contains_matches", {Str("1.1.1.0/24"), Str("nope")}),
            "builtin: not a valid textual representation of an IP address or CIDR: nope");
}

// ---- net.cidr_merge

TEST(NetCidrMerge, Ipv4) {
  auto merge = [](const char* json) { return call("net.cidr_merge", {J(json)}); };
  EXPECT_EQ(merge(R"(["192.0.128.0/24"])"), S({Str("192.0.128.0/24")}));
  EXPECT_EQ(merge(R"(["192.0.128.0/24", "192.0.128.0/24"])"), S({Str("192.0.128.0/24")}));
  EXPECT_EQ(merge(R"(["192.0.128.0/24", "0.0.0.0/0"])"), S({Str("0.0.0.0/0")}));
  EXPECT_EQ(merge(R"(["192.0.128.0/24", "192.0.129.0/24"])"), S({Str("192.0.128.0/23")}));
  EXPECT_EQ(merge(R"(["192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31"])"), S({Str("192.0.2.112/29")}));
  EXPECT_EQ(merge(R"(["192.0.129.0/24", "192.0.130.0/24"])"), S({Str("192.0.129.0/24"), Str("192.0.130.0/24")}));
  EXPECT_EQ(merge(R"(["192.0.2.112/30", "192.0.2.116/32", "192.0.2.118/31"])"),
            S({Str("192.0.2.112/30"), Str("192.0.2.116/32"), Str("192.0.2.118/31")}));
  EXPECT_EQ(merge(R"(["192.0.2.112/31", "192.0.2.116/31", "192.0.2.118/31"])"),
            S({Str("192.0.2.112/31"), Str("192.0.2.116/30")}));
  EXPECT_EQ(merge(R"(["192.0.1.254/31", "192.0.2.0/28", "192.0.2.16/28", "192.0.2.32/28", "192.0.2.48/28",
                      "192.0.2.64/28", "192.0.2.80/28", "192.0.2.96/28", "192.0.2.112/28", "192.0.2.128/28",
                      "192.0.2.144/28", "192.0.2.160/28", "192.0.2.176/28", "192.0.2.192/28", "192.0.2.208/28",
                      "192.0.2.224/28", "192.0.2.240/28", "192.0.3.0/28"])"),
            S({Str("192.0.1.254/31"), Str("192.0.2.0/24"), Str("192.0.3.0/28")}));
  // A merged range that is not one block becomes the fewest blocks.
  EXPECT_EQ(merge(R"(["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/30"])"),
            S({Str("10.0.0.1/32"), Str("10.0.0.2/31"), Str("10.0.0.4/30")}));
  EXPECT_EQ(merge("[]"), S({}));
}

TEST(NetCidrMerge, BareIpv4TakesItsClassfulMask) {
  auto merge = [](const char* json) { return call("net.cidr_merge", {J(json)}); };
  EXPECT_EQ(merge(R"(["192.0.2.112", "192.0.2.116/31", "192.0.2.118/31"])"), S({Str("192.0.2.0/24")}));
  EXPECT_EQ(merge(R"(["192.0.128.0", "192.0.129.0"])"), S({Str("192.0.128.0/23")}));
  EXPECT_EQ(merge(R"(["10.0.0.0"])"), S({Str("10.0.0.0/8")}));
  EXPECT_EQ(merge(R"(["172.16.0.0"])"), S({Str("172.16.0.0/16")}));
  // As OPA: an unmerged bare address keeps its host bits in the text.
  EXPECT_EQ(merge(R"(["10.1.2.3"])"), S({Str("10.1.2.3/8")}));
}

TEST(NetCidrMerge, Ipv6AndMixed) {
  auto merge = [](const char* json) { return call("net.cidr_merge", {J(json)}); };
  EXPECT_EQ(merge(R"(["::/0", "fe80::1/128"])"), S({Str("::/0")}));
  EXPECT_EQ(merge(R"(["::/0", "::192.0.2.0/124", "ff00::101/128"])"), S({Str("::/0")}));
  EXPECT_EQ(merge(R"(["fe80::/120", "192.0.2.0/24", "192.0.3.0/24", "192.0.4.0/25", "192.0.4.128/25"])"),
            S({Str("192.0.2.0/23"), Str("192.0.4.0/24"), Str("fe80::/120")}));
  EXPECT_EQ(merge(R"(["2001:0db8::/32", "2001:0db9::/32"])"), S({Str("2001:db8::/31")}));
  EXPECT_EQ(merge(R"(["1900::1/96", "1900::20/64"])"), S({Str("1900::/64")}));
  EXPECT_EQ(merge(R"(["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"])"),
            S({Str("2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128")}));
  EXPECT_EQ(merge(R"(["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64", "2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"])"),
            S({Str("2601:600:8a80:207e::/64")}));
  EXPECT_EQ(merge(R"(["::/1", "8000::/1"])"), S({Str("::/0")}));
  EXPECT_EQ(call("net.cidr_merge", {S({Str("192.0.2.112/30"), Str("192.0.2.116/31"), Str("192.0.2.118/31")})}),
            S({Str("192.0.2.112/29")}));
}

TEST(NetCidrMerge, Errors) {
  EXPECT_EQ(error_of("net.cidr_merge", {J(R"(["2601:600:8a80:207e:a57d:7567:e2c9:e7b3"])")}),
            "builtin: IPv6 invalid: needs prefix length");
  EXPECT_EQ(error_of("net.cidr_merge", {J(R"(["foo"])")}), "builtin: invalid CIDR address: foo");
  EXPECT_EQ(error_of("net.cidr_merge", {J(R"(["10.0.0.0/8", 1])")}), "builtin: element must be string");
  EXPECT_EQ(error_of("net.cidr_merge", {Str("10.0.0.0/8")}), "builtin: operand must be an array");
}

// ---- hostile operands ----

namespace {
namespace tu = wartburg::builtins::test_util;
using namespace std::chrono_literals;

Value addresses(int n, const char* fmt) {
  std::vector<Value> v;
  char buf[64];
  for (int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, fmt, (i >> 8) & 255, i & 255);
    v.push_back(Value::string(buf));
  }
  return Value::array(std::move(v));
}
}  // namespace

// Every pair re-parsed both strings, with no deadline check: 3,000 x 3,000
// elements took seconds; all pairs matching made 9 million results.
TEST(NetHostile, CidrContainsMatchesIsBounded) {
  Value nets = addresses(3000, "10.%d.%d.0/8");
  Value ips = addresses(3000, "10.0.%d.%d");
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(tu::under_limits(tu::test_limits(100ms), [&] { call("net.cidr_contains_matches", {nets, ips}); }),
            "limit eval_cancel_error: context deadline exceeded");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0);
  EXPECT_EQ(tu::under_limits(tu::test_limits(0ms, 64 << 20), [&] { call("net.cidr_contains_matches", {nets, ips}); }),
            "limit eval_cancel_error: evaluation would exceed its memory limit of 64 MiB (values built; --max-eval-memory)");
  EXPECT_EQ(call("net.cidr_contains_matches", {addresses(300, "10.%d.%d.0/24"), addresses(300, "10.0.%d.%d")}).size(), 300u);
}

// Merged ranges were erased from a vector one at a time (quadratic).
TEST(NetHostile, CidrMergeIsLinear) {
  std::vector<Value> v;
  char buf[64];
  for (int i = 0; i < 65536; ++i) {
    std::snprintf(buf, sizeof buf, "10.%d.%d.0/24", (i >> 8) & 255, i & 255);
    v.push_back(Value::string(buf));
    std::snprintf(buf, sizeof buf, "10.%d.%d.128/25", (i >> 8) & 255, i & 255);
    v.push_back(Value::string(buf));
  }
  Value r;
  EXPECT_LT(tu::seconds_of([&] { r = call("net.cidr_merge", {Value::array(v)}); }), 2.0);
  EXPECT_EQ(r, S({Str("10.0.0.0/8")}));
  EXPECT_EQ(call("net.cidr_merge", {J(R"(["10.0.0.0/24", "10.0.1.0/24", "10.0.3.0/24", "192.168.0.1"])")}),
            S({Str("10.0.0.0/23"), Str("10.0.3.0/24"), Str("192.168.0.1/24")}));
}
