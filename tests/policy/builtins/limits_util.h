// Helpers for builtin tests with hostile operands: call a builtin while an
// evaluation budget (policy/limits.h) is active, and report the limit it hit;
// run a call on a thread with an 8 MiB stack (as the servers' worker threads)
// to see that deep operands do not overflow it; time a call.
#pragma once

#include <pthread.h>

#include <chrono>
#include <exception>
#include <functional>
#include <string>
#include <utility>

#include "policy/error.h"
#include "policy/limits.h"
#include "tests/policy/builtins/builtin_test_util.h"

namespace wartburg::builtins::test_util {

// Limits for a test: a deadline and/or small memory and value limits.
inline EvalLimits test_limits(std::chrono::milliseconds timeout, uint64_t memory = EvalLimits::kDefaultMemoryBytes,
                              uint64_t value = EvalLimits::kDefaultValueBytes) {
  EvalLimits l;
  l.timeout = timeout;
  l.memory_bytes = memory;
  l.value_bytes = value;
  return l;
}

// Runs f under an evaluation budget with `limits`: "ok", "limit <code>: <msg>"
// for a LimitError, "builtin: <msg>" for a BuiltinError, "error <code>: <msg>"
// for an Error (what the evaluator throws for the deadline).
inline std::string under_limits(const EvalLimits& limits, const std::function<void()>& f) {
  EvalBudget budget(limits);
  EvalBudget::Scope scope(budget);
  try {
    f();
  } catch (const LimitError& e) {
    return "limit " + e.code + ": " + e.what();
  } catch (const BuiltinError& e) {
    return std::string("builtin: ") + e.what();
  } catch (const Error& e) {
    return "error " + e.errors.front().code + ": " + e.errors.front().message;
  }
  return "ok";
}

// Seconds f takes.
inline double seconds_of(const std::function<void()>& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// AddressSanitizer's redzones make stack frames several times larger: a
// stack of N bytes in a release build holds the recursion of N * factor here.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr size_t kStackFactor = 4;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr size_t kStackFactor = 4;
#else
inline constexpr size_t kStackFactor = 1;
#endif
#else
inline constexpr size_t kStackFactor = 1;
#endif

// Runs f on a thread with a stack of `stack_bytes` (default 8 MiB, as the
// server's threads; scaled under ASan) and rethrows what it throws.
inline void on_small_stack(const std::function<void()>& f, size_t stack_bytes = size_t{8} << 20) {
  stack_bytes *= kStackFactor;
  struct Job {
    const std::function<void()>* f;
    std::exception_ptr error;
  } job{&f, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes);
  pthread_t t;
  auto run = [](void* p) -> void* {
    auto* j = static_cast<Job*>(p);
    try {
      (*j->f)();
    } catch (...) {
      j->error = std::current_exception();
    }
    return nullptr;
  };
  if (pthread_create(&t, &attr, run, &job) != 0) throw std::runtime_error("pthread_create failed");
  pthread_join(t, nullptr);
  pthread_attr_destroy(&attr);
  if (job.error) std::rethrow_exception(job.error);
}

// [[[...[leaf]...]]] nested `depth` arrays deep, built without recursion.
inline Value nested_arrays(size_t depth, Value leaf = Value::integer(1)) {
  Value v = std::move(leaf);
  for (size_t i = 0; i < depth; ++i) v = Value::array({v});
  return v;
}

// {"a": {"a": ... leaf}} nested `depth` objects deep.
inline Value nested_objects(size_t depth, Value leaf = Value::integer(1)) {
  Value v = std::move(leaf);
  for (size_t i = 0; i < depth; ++i) v = Value::object({{Value::string("a"), v}});
  return v;
}

}  // namespace wartburg::builtins::test_util
