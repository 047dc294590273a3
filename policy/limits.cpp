// Evaluation limits (see limits.h).
#include "policy/limits.h"

#include "policy/error.h"

#include <atomic>

namespace wartburg {

EvalBudget::EvalBudget(const EvalLimits& limits) : limits_(limits) {
  if (limits_.timeout.count() > 0) {
    has_deadline_ = true;
    deadline_ = std::chrono::steady_clock::now() + limits_.timeout;
  }
}

void EvalBudget::check_deadline() {
  if (has_deadline_ && std::chrono::steady_clock::now() > deadline_) {
    throw Error(ErrorInfo{"eval_cancel_error", "context deadline exceeded", "", 0, 0});
  }
}

void EvalBudget::memory_exceeded() const {
  throw Error(ErrorInfo{"eval_cancel_error",
                        "evaluation exceeded its memory limit of " + limits::bytes_text(limits_.memory_bytes) +
                            " (values built; --max-eval-memory)",
                        "", 0, 0});
}

namespace limits {

namespace {
std::atomic<uint64_t> g_max_text{kDefaultMaxTextBytes};
}

uint64_t max_text_bytes() { return g_max_text.load(std::memory_order_relaxed); }
void set_max_text_bytes(uint64_t n) { g_max_text.store(n, std::memory_order_relaxed); }

uint64_t text_cap() {
  if (EvalBudget* b = EvalBudget::current(); b && b->limits().value_bytes != 0) return b->limits().value_bytes;
  uint64_t n = max_text_bytes();
  return n == 0 ? UINT64_MAX : n;
}

std::string bytes_text(uint64_t n) {
  if (n >= (uint64_t{1} << 30) && n % (uint64_t{1} << 30) == 0) return std::to_string(n >> 30) + " GiB";
  if (n >= (uint64_t{1} << 20) && n % (uint64_t{1} << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n >= (uint64_t{1} << 10) && n % (uint64_t{1} << 10) == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " bytes";
}

uint64_t parse_byte_size(std::string_view text) {
  auto bad = [&] { return std::invalid_argument("invalid byte size \"" + std::string(text) + "\""); };
  size_t i = 0;
  uint64_t n = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (n > (UINT64_MAX - 9) / 10) throw bad();
    n = n * 10 + static_cast<uint64_t>(text[i] - '0');
  }
  if (i == 0) throw bad();
  std::string unit;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' && unit.empty()) continue;
    unit += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  uint64_t mul = 1;
  if (unit.empty() || unit == "b") mul = 1;
  else if (unit == "k" || unit == "kb") mul = 1000;
  else if (unit == "m" || unit == "mb") mul = 1000 * 1000;
  else if (unit == "g" || unit == "gb") mul = 1000 * 1000 * 1000;
  else if (unit == "ki" || unit == "kib") mul = uint64_t{1} << 10;
  else if (unit == "mi" || unit == "mib") mul = uint64_t{1} << 20;
  else if (unit == "gi" || unit == "gib") mul = uint64_t{1} << 30;
  else throw bad();
  if (n > UINT64_MAX / mul) throw bad();
  return n * mul;
}

void reserve(uint64_t bytes) {
  EvalBudget* b = EvalBudget::current();
  if (!b) return;
  const EvalLimits& l = b->limits();
  if (l.value_bytes != 0 && bytes > l.value_bytes) {
    throw LimitError("eval_builtin_error", "result would exceed the maximum value size of " +
                                               bytes_text(l.value_bytes) + " (--max-value-size)");
  }
  if (l.memory_bytes != 0 && (bytes > l.memory_bytes || b->used() > l.memory_bytes - bytes)) {
    throw LimitError("eval_cancel_error", "evaluation would exceed its memory limit of " +
                                              bytes_text(l.memory_bytes) + " (values built; --max-eval-memory)");
  }
}

void poll() {
  EvalBudget* b = EvalBudget::current();
  if (!b) return;
  try {
    b->tick();
  } catch (const Error& e) {
    throw LimitError(e.errors.front().code, e.errors.front().message);
  }
}

}  // namespace limits
}  // namespace wartburg
