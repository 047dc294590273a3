#!/usr/bin/env bash
# One line per fuzz finding: the input, what happened (sanitizer report, broken
# invariant, timeout, out of memory) and the innermost frames in Wartburg's own
# code (outside fuzz/), to group findings by cause.
# Usage: fuzz/triage.sh BUILD_DIR/fuzz_<target> FILE...
set -uo pipefail
bin=${1:?usage: fuzz/triage.sh BUILD_DIR/fuzz_<target> FILE...}
shift
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Symbolized stacks: newer clang runtimes do not look for llvm-symbolizer on PATH.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
  for s in llvm-symbolizer-19 llvm-symbolizer-16 llvm-symbolizer; do
    if command -v "$s" >/dev/null; then export ASAN_SYMBOLIZER_PATH=$(command -v "$s"); break; fi
  done
fi
for f in "$@"; do
  out=$(timeout 120 "$bin" -timeout=20 -rss_limit_mb=2048 "$f" 2>&1)
  rc=$?
  what=$(grep -m1 -oE 'ERROR: [A-Za-z]+Sanitizer: [a-z-]+|runtime error: .*|fuzz [a-z]+: .{0,100}|ERROR: libFuzzer: [a-z-]+|out-of-memory \([^)]*\)' <<<"$out" | head -1)
  [ -z "$what" ] && [ "$rc" -eq 124 ] && what="hang (killed after 120 s)"
  [ -z "$what" ] && what="exit $rc (no report)"
  frames=$(grep -E '^ +#[0-9]+ .* in .*\.(cpp|h):[0-9]+' <<<"$out" | grep -F "$root/" | grep -vF "/fuzz/" |
           sed -E 's/.* in ([^ (]+).* ([^ ]+:[0-9]+):?[0-9]*$/\1 \2/; s#'"$root"'/(build[^/]*/\.\./)?##' |
           awk '!seen[$0]++' | head -3 | tr '\n' ';')
  printf '%s | %s | %s\n' "$(basename "$f")" "$what" "${frames%;}"
done
