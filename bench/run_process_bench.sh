#!/usr/bin/env bash
# Times the whole `wartburg eval` process (start-up, loading, parsing,
# evaluation, output) on the shared workloads: median wall time of N runs.
# usage: bench/run_process_bench.sh [WARTBURG] [WORKLOADS_DIR] [RUNS]
#   defaults: build/wartburg, ../shared/bench (both relative to the repo root), 20
# Uses hyperfine when installed, else a bash loop timed with $EPOCHREALTIME
# (or date +%s%N on older shells).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/build/wartburg}"
dir="${2:-$root/../shared/bench}"
runs="${3:-20}"

[ -x "$bin" ] || { echo "run_process_bench: no executable $bin" >&2; exit 2; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"  # we cd into the workloads
[ -d "$dir" ] || { echo "run_process_bench: no workloads folder $dir" >&2; exit 2; }

# name | eval arguments (paths relative to $dir) | text the JSON output must contain
workloads=(
  "k8s|-d k8s/policy.rego -i k8s/input.json data.k8s.admission.response|\"allowed\": *false"
  "rbac|-d rbac/policy.rego -d rbac/data.json -i rbac/input.json data.authz.allow|\"value\": *true"
  "tiny|-d tiny/policy.rego -i tiny/input.json data.tiny.allow|\"value\": *true"
)

now_us() {  # wall clock in µs: bash 5's $EPOCHREALTIME (no fork), else date
  if [ -n "${EPOCHREALTIME:-}" ]; then
    echo "${EPOCHREALTIME/[.,]/}"
  else
    echo $(( $(date +%s%N) / 1000 ))
  fi
}

median_loop() {  # median_loop CMD...: median of $runs runs, in ms
  local times=() t0 t1
  for ((i = 0; i < runs; i++)); do
    t0=${EPOCHREALTIME:+${EPOCHREALTIME/[.,]/}}; t0=${t0:-$(now_us)}
    "$@" >/dev/null 2>&1
    t1=${EPOCHREALTIME:+${EPOCHREALTIME/[.,]/}}; t1=${t1:-$(now_us)}
    times+=($(( t1 - t0 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.2f", m / 1000}'
}

median_hyperfine() {  # median_hyperfine CMD-STRING: median in ms via hyperfine
  local json
  json=$(mktemp)
  hyperfine -N --warmup 3 --runs "$runs" --export-json "$json" "$1" >/dev/null 2>&1
  python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$json"
  rm -f "$json"
}

cd "$dir"
for w in "${workloads[@]}"; do
  IFS='|' read -r name args want <<<"$w"
  # shellcheck disable=SC2086 # args are word-split on purpose
  out=$("$bin" eval -f json $args 2>&1) || true
  if ! grep -Eq "$want" <<<"$out"; then
    echo "$name: wrong or failed decision (want /$want/): ${out:0:300}" >&2
    continue
  fi
  if command -v hyperfine >/dev/null 2>&1; then
    ms=$(median_hyperfine "$bin eval -f json $args")
  else
    # shellcheck disable=SC2086
    ms=$(median_loop "$bin" eval -f json $args)
  fi
  echo "$name  median ${ms} ms over $runs runs ($bin eval)"
done
