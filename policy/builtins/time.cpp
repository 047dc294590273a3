// Builtins: time. time.now_ns returns one value per evaluation (the
// evaluation's start), as OPA does. The rest of the time category
// (parse_ns, date, clock, format, ...) comes with the full builtin library.
#include <chrono>

#include "policy/builtins/registry.h"

namespace wartburg::builtins {

namespace {
Value now_ns(Context& ctx, const Value*) {
  if (ctx.now_ns == 0) {
    ctx.now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  }
  return Value::integer(ctx.now_ns);
}
}  // namespace

void register_time(Registry& r) { r.add({"time.now_ns", 0, now_ns, "() => number"}); }

}  // namespace wartburg::builtins
