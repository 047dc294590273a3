// Engine tests for concurrency: one compiled Policy and one PreparedQuery
// evaluated from 4 threads at once give the same results as a serial
// evaluation, every time (shared input/data values, memoized functions,
// `with`, errors, print output per evaluation).
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "policy/engine.h"
#include "policy/json.h"

namespace {

using wartburg::EvalOptions;
using wartburg::PreparedQuery;
using wartburg::QueryRow;
using wartburg::Value;

const char* kModule = R"(package t
import rego.v1

default allow := false
allow if {
  some role in input.roles
  role in data.admin_roles
}
sq(x) := x * x
squares := [sq(n) | some n in input.nums]
total := sum(squares)
evens contains n if { some n in input.nums; n % 2 == 0 }
by_parity[p] := ns if {
  some p in ["even", "odd"]
  ns := [n | some n in input.nums; parity(n) == p]
}
parity(n) := "even" if n % 2 == 0
else := "odd"
mocked := v if v := total with sq as 1
)";

const char* kQuery = "a := data.t.allow; t := data.t.total; e := data.t.evens; b := data.t.by_parity; m := data.t.mocked";

std::string rows_json(const std::vector<QueryRow>& rows) {
  std::string out;
  for (const auto& r : rows) {
    for (const auto& [n, v] : r.bindings) out += n + "=" + wartburg::to_json(v) + ";";
    out += "|";
  }
  return out;
}

Value input_for(int i) {
  std::string nums;
  for (int k = 0; k < 5 + i % 7; ++k) nums += (k ? "," : "") + std::to_string(i + k);
  return wartburg::parse_json(R"({"roles": [")" + std::string(i % 3 == 0 ? "admin" : "dev") + R"("], "nums": [)" +
                              nums + "]}");
}

TEST(EvalThreads, SerialResultIsAsExpected) {
  PreparedQuery q(wartburg::compile({{"t.rego", kModule}}), kQuery);
  auto rows = q.eval(wartburg::parse_json(R"({"roles": ["admin"], "nums": [1, 2, 3]})"),
                     wartburg::parse_json(R"({"admin_roles": ["admin"]})"));
  EXPECT_EQ(rows_json(rows), R"(a=true;t=14;e=[2];b={"even":[2],"odd":[1,3]};m=3;|)");
}

TEST(EvalThreads, SameQueryFromFourThreads) {
  PreparedQuery q(wartburg::compile({{"t.rego", kModule}}), kQuery);
  Value data = wartburg::parse_json(R"({"admin_roles": ["admin", "root"]})");
  constexpr int kInputs = 16;
  std::vector<Value> inputs;
  std::vector<std::string> expected;
  for (int i = 0; i < kInputs; ++i) {
    inputs.push_back(input_for(i));
    expected.push_back(rows_json(q.eval(inputs.back(), data)));
  }
  ASSERT_NE(expected[0], expected[1]);

  std::atomic<int> mismatches{0};
  std::atomic<int> evaluations{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        int i = (round * 5 + t) % kInputs;
        try {
          // inputs and data are shared Values: copies are cheap and reference-counted
          if (rows_json(q.eval(inputs[i], data)) != expected[i]) ++mismatches;
        } catch (...) {
          ++mismatches;
        }
        ++evaluations;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(evaluations.load(), 800);
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(EvalThreads, ErrorsAndResultsInterleaved) {
  // strict evaluations that fail and ones that succeed run side by side
  PreparedQuery q(wartburg::compile({{"t.rego", "package t\np := count(input)"}}), "x := data.t.p");
  EvalOptions strict;
  strict.strict_builtin_errors = true;
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 300; ++round) {
        bool fail = (round + t) % 2 == 0;
        Value input = fail ? Value::integer(round) : wartburg::parse_json("[1, 2, 3]");
        try {
          auto rows = q.eval(input, Value::empty_object(), strict);
          if (fail || rows.size() != 1 || wartburg::to_json(rows[0].bindings.at(0).second) != "3") ++bad;
        } catch (const wartburg::Error& e) {
          if (!fail || e.errors.at(0).code != "eval_type_error") ++bad;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST(EvalThreads, PrintOutputStaysWithItsEvaluation) {
  PreparedQuery q(wartburg::compile({{"t.rego", "package t\ns contains x if { some x in input; print(\"v\", x) }"}}),
                  "data.t.s");
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 100; ++round) {
        std::ostringstream out;
        EvalOptions o;
        o.print_to = &out;
        auto rows = q.eval(wartburg::parse_json("[" + std::to_string(t) + ", " + std::to_string(round) + "]"),
                           Value::empty_object(), o);
        std::string want = "v " + std::to_string(t) + "\nv " + std::to_string(round) + "\n";
        if (rows.size() != 1 || out.str() != want) ++bad;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST(EvalThreads, PreparingQueriesConcurrentlyOnOnePolicy) {
  auto policy = wartburg::compile({{"t.rego", kModule}});
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        PreparedQuery q(policy, "x := data.t.sq(" + std::to_string(t + round) + ")");
        auto rows = q.eval(Value(), Value::empty_object());
        if (rows.size() != 1 || wartburg::to_json(rows[0].bindings.at(0).second) !=
                                    std::to_string((t + round) * (t + round))) {
          ++bad;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
