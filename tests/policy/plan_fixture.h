// The "tricky" policy of the plan tests (tests/lang/plan_test.cpp and
// tests/policy/eval_plan_test.cpp): one module with every construct a plan
// must carry — defaults, else chains, function overloads, partial sets and
// objects, ref heads, every, comprehensions, not, with-mocks of input,
// functions and builtins, imports. Each test file appends rules of its own.
#pragma once

namespace wartburg::testing_fixtures {

inline constexpr const char* kTrickyPolicyHead = R"(package tricky

import data.lib.helpers as h

default allow := false

allow if input.user == "admin"

allow if {
  input.role in {"ops", "sre"}
  count(input.groups) > 0
}

grade(x) := "A" if x >= 90
else := "B" if x >= 80
else := "C"

f(1) := "one"
f(2) := "two"
f(x) := "many" if x > 2

names contains name if some name in input.names
by_len[name] := count(name) if some name in input.names

servers.prod[id] := s if {
  some s in input.servers
  s.env == "prod"
  id := s.id
}
servers.total := count(input.servers)

all_positive if every n in input.nums { n > 0 }

squares := [y | some x in input.nums; y := x * x]
evens := {x | some x in input.nums; x % 2 == 0}
index := {k: v | some k, v in input.map}

not_admin if not input.user == "admin"

mocked_allow if allow with input as {"user": "admin"}
mock_grade(_) := "mocked"
mocked_grade := g if g := grade(50) with grade as mock_grade
mock_count(_) := 42
mocked_count := n if n := count([1, 2, 3]) with count as mock_count
mocked_upper := u if u := upper("x") with upper as "constant"
mocked_data := d if d := data.tricky.squares with input.nums as [5]

doubled := h.double(21)
)";

}  // namespace wartburg::testing_fixtures
