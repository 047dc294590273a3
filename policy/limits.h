// Evaluation limits: what one evaluation may cost. An evaluation has a
// wall-clock deadline, a memory budget (bytes of values it builds) and a
// maximum size for any single value a builtin produces. The evaluator checks
// them in every loop; builtins that can run long or build large values check
// them too (poll() inside loops, reserve() before building). Exceeding one is
// an error that always stops the evaluation (never an undefined result):
// eval_cancel_error for the deadline and the memory budget, eval_builtin_error
// naming the builtin for an oversized value.
//
// The budget of the evaluation running on a thread is found through a
// thread-local pointer, so Value's constructors can charge it without being
// passed anything; outside an evaluation nothing is charged.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wartburg {

struct EvalLimits {
  // Defaults, documented in README "Limits and hardening".
  static constexpr uint64_t kDefaultMemoryBytes = uint64_t{512} << 20;  // 512 MiB of values built
  static constexpr uint64_t kDefaultValueBytes = uint64_t{128} << 20;  // 128 MiB for one value

  std::chrono::nanoseconds timeout{0};          // 0: no deadline
  uint64_t memory_bytes = kDefaultMemoryBytes;  // 0: unlimited
  uint64_t value_bytes = kDefaultValueBytes;    // 0: unlimited
};

// A limit was exceeded inside a builtin. The evaluator turns it into an Error
// with `code`, the builtin's name and the call's location; it is never
// swallowed as an undefined result, whatever strict-builtin-errors says.
struct LimitError : std::runtime_error {
  std::string code;
  LimitError(std::string c, const std::string& msg) : std::runtime_error(msg), code(std::move(c)) {}
};

class EvalBudget {
 public:
  explicit EvalBudget(const EvalLimits& limits);

  // Charged by Value's constructors while this budget is active (Scope).
  void charge(uint64_t bytes) noexcept { used_ += bytes; }
  uint64_t used() const { return used_; }
  const EvalLimits& limits() const { return limits_; }

  // Called by the evaluator in every loop: throws Error (eval_cancel_error)
  // past the memory budget, and, every 256th call, past the deadline.
  void tick() {
    if (limits_.memory_bytes != 0 && used_ > limits_.memory_bytes) memory_exceeded();
    if ((++ticks_ & 255) == 0 && has_deadline_) check_deadline();
  }
  void check_deadline();

  // Makes this budget the current thread's for its lifetime (nests).
  class Scope {
   public:
    explicit Scope(EvalBudget& b) : prev_(current_) { current_ = &b; }
    ~Scope() { current_ = prev_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    EvalBudget* prev_;
  };
  static EvalBudget* current() { return current_; }

  [[noreturn]] void memory_exceeded() const;

 private:
  friend class Scope;
  EvalLimits limits_;
  bool has_deadline_ = false;
  std::chrono::steady_clock::time_point deadline_;
  uint64_t used_ = 0;
  uint32_t ticks_ = 0;
  // constinit: other translation units access it directly, not through a
  // TLS wrapper function (g++'s UBSan reported stores through the wrapper
  // as null-pointer stores under make test-asan)
  static inline constinit thread_local EvalBudget* current_ = nullptr;
};

namespace limits {

// For builtins, about the evaluation running on this thread (no-ops outside one).
// Before building a value of about `bytes` bytes: throws LimitError when it
// would exceed the single-value limit or the evaluation's memory budget.
void reserve(uint64_t bytes);
// Inside long loops: checks the deadline every so often (LimitError).
void poll();
// A string or collection a builtin builds piece by piece: checked against the
// limits every 1 MiB of growth (and the deadline polled), so it cannot grow
// far past them before the builtin returns.
class Growth {
 public:
  void check(uint64_t size) {
    if (size >= next_) {
      reserve(size);
      poll();
      next_ = size + kStep;
    }
  }

 private:
  static constexpr uint64_t kStep = uint64_t{1} << 20;
  uint64_t next_ = kStep;
};
// The longest JSON/Rego/YAML text of a value outside an evaluation (inside
// one: the evaluation's value size limit): a server answering with a result,
// the CLI printing one. Process-wide; default 1 GiB; 0: unlimited.
constexpr uint64_t kDefaultMaxTextBytes = uint64_t{1} << 30;
uint64_t max_text_bytes();
void set_max_text_bytes(uint64_t n);
// The cap for a text built now: the running evaluation's value size, else max_text_bytes().
uint64_t text_cap();
// Bytes Value's constructors charge for a payload (the estimate reserve() compares).
constexpr uint64_t kValueOverhead = 64;   // header and allocation rounding
constexpr uint64_t kItemBytes = 16;        // one array/set element
constexpr uint64_t kEntryBytes = 32;       // one object entry
// Text of a byte count: "256 MiB", "1000 bytes".
std::string bytes_text(uint64_t n);
// "1048576", "512KB", "64MiB", "1G", "2gib" (decimal and binary units, case
// insensitive) -> bytes. Throws std::invalid_argument naming the text.
uint64_t parse_byte_size(std::string_view text);

}  // namespace limits

// Value's constructors: charge the active budget, if any.
inline void charge_value_bytes(uint64_t bytes) noexcept {
  if (EvalBudget* b = EvalBudget::current()) b->charge(bytes);
}

}  // namespace wartburg
