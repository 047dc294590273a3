#!/usr/bin/env bash
# Load test of the policy server with wrk (Debian package): keep-alive, 4
# connections, 10 s of Data API decisions on the sample API policy, while the
# policy is replaced 10 times through the Policy API. Prints decisions/s, the
# count of non-2xx answers, and the server's resident memory idle and after.
# usage: bench/load_server.sh [path/to/wartburg] [seconds]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$root/build/wartburg}
secs=${2:-10}
command -v wrk >/dev/null || { echo "load_server: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" run --server --addr "127.0.0.1:$port" --log-level error >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.05; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
put_policy() {
  curl -s -o /dev/null -w '%{http_code}\n' -X PUT --data-binary @"$root/policies/api/authz.rego" \
    "http://127.0.0.1:$port/v1/policies/authz"
}
[ "$(put_policy)" = 200 ] || { echo "load_server: could not load the sample API policy" >&2; exit 1; }
idle_kb=$(rss)

url="http://127.0.0.1:$port/v1/data/envoy/authz/allow"
want=$(curl -s -X POST -H 'Content-Type: application/json' -d @"$root/policies/api/testdata/allowed/request.json" "$url")
[ "$want" = '{"result":true}' ] || { echo "load_server: unexpected decision $want" >&2; exit 1; }

# replace the policy 10 times during the run (same rules, so decisions stay the same)
(
  sleep 0.5
  for _ in $(seq 10); do
    put_policy >>"$work/reloads.txt"
    sleep "$(python3 -c "print($secs/12)")"
  done
) &
reloader=$!

WRK_BODY_FILE="$root/policies/api/testdata/allowed/request.json" \
  wrk -t2 -c4 -d"${secs}s" --latency -s "$root/bench/wrk_post.lua" "$url" >"$work/wrk.txt"
wait $reloader
end_kb=$(rss)

rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt")
errors=$(awk '/Socket errors/ {print $0}' "$work/wrk.txt")
p50=$(awk '$1=="50%" {print $2}' "$work/wrk.txt")
p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
reload_ok=$(grep -c '^200$' "$work/reloads.txt" || true)
echo "decisions/s:        $rps"
echo "latency p50 / p99:  $p50 / $p99"
echo "non-2xx answers:    ${non2xx:-0}"
echo "socket errors:      ${errors:-none}"
echo "policy reloads:     $reload_ok of 10 answered 200"
echo "resident memory:    idle $((idle_kb / 1024)) MiB, after the run $((end_kb / 1024)) MiB"
