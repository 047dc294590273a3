#!/usr/bin/env bash
# `make fuzz`: runs each libFuzzer target of a WARTBURG_FUZZ build for a bounded
# time, one after the other (one process: -jobs is not used), and prints
# executions per second at the end. See fuzz/README.md.
#
# Usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]   (default: every target)
# Environment: FUZZ_FORK=0 stops at the first crash instead of going on
# (default 1: libFuzzer's -fork=1 with -ignore_crashes/-ignore_timeouts/-ignore_ooms),
# FUZZ_RSS_MB (2048), FUZZ_TIMEOUT (10 s per input), FUZZ_ARGS (more libFuzzer flags).
#
# Per target T: working corpus BUILD_DIR/corpus/T (new inputs land here), read-only
# seeds fuzz/corpus/T and BUILD_DIR/seeds/T (fuzz/make_seeds.py), crashes, timeouts
# and out-of-memory inputs in BUILD_DIR/crashes/T/, the log in BUILD_DIR/logs/T.log.
set -uo pipefail

build=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
seconds=${2:?usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(rego json yaml admission http plan bundle grpc)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "$build" && pwd)
fork=${FUZZ_FORK:-1}
# Symbolized stacks: newer clang runtimes do not look for llvm-symbolizer on PATH.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
  for s in llvm-symbolizer-19 llvm-symbolizer-16 llvm-symbolizer; do
    if command -v "$s" >/dev/null; then export ASAN_SYMBOLIZER_PATH=$(command -v "$s"); break; fi
  done
fi

declare -A max_len=([rego]=16384 [json]=16384 [yaml]=8192 [admission]=32768 [http]=32768 [plan]=131072 [bundle]=131072)

python3 "$root/fuzz/make_seeds.py" --out "$build/seeds" --clean --conformance "${CONFORMANCE_DIR:-$root/../shared/conformance/opa}" \
  --wartburg "$build/wartburg" || exit 1

declare -A summary
status=0
for t in "${targets[@]}"; do
  bin="$build/fuzz_$t"
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin not built" >&2
    exit 2
  fi
  mkdir -p "$build/corpus/$t" "$build/crashes/$t" "$build/logs" "$build/seeds/$t"
  args=(-max_total_time="$seconds" -max_len="${max_len[$t]:-65536}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}"
        -timeout="${FUZZ_TIMEOUT:-10}" -artifact_prefix="$build/crashes/$t/" -print_final_stats=1)
  [ -f "$root/fuzz/dict/$t.dict" ] && args+=(-dict="$root/fuzz/dict/$t.dict")
  [ "$fork" = 1 ] && args+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  # shellcheck disable=SC2206
  args+=(${FUZZ_ARGS:-})
  before=$(find "$build/crashes/$t" -type f | wc -l)
  echo "== fuzz_$t for ${seconds}s (log: $build/logs/$t.log)"
  start=$(date +%s)
  "$bin" "${args[@]}" "$build/corpus/$t" "$root/fuzz/corpus/$t" "$build/seeds/$t" >"$build/logs/$t.log" 2>&1
  rc=$?
  elapsed=$(( $(date +%s) - start ))
  after=$(find "$build/crashes/$t" -type f | wc -l)
  log="$build/logs/$t.log"
  # executions: the final stats (plain mode) or the last status line (fork mode: "#N: cov: ... exec/s: E ...")
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  if [ -z "$execs" ]; then
    execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  fi
  execs=${execs:-0}
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  corpus=$(find "$build/corpus/$t" -type f | wc -l)
  rate=$(( elapsed > 0 ? execs / elapsed : 0 ))
  new=$(( after - before ))
  summary[$t]=$(printf '%-10s %6ss %10s %8s %6s %7s %6s' "$t" "$elapsed" "$execs" "$rate" "${cov:-?}" "$corpus" "$new")
  if [ "$new" -gt 0 ] || { [ "$rc" -ne 0 ] && [ "$fork" != 1 ]; }; then
    status=1
    echo "   new findings in $build/crashes/$t/ (exit code $rc)"
  fi
done

echo
printf '%-10s %7s %10s %8s %6s %7s %6s\n' target time execs exec/s cov corpus new
for t in "${targets[@]}"; do echo "${summary[$t]}"; done
if [ "$status" -ne 0 ]; then
  echo "fuzz: findings saved under $build/crashes/ (reproduce: $build/fuzz_<target> <file>)"
fi
exit $status
