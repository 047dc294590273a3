#!/usr/bin/env bash
# Load test of the authorization endpoints on the sample API policy
# (policies/api): the ext_authz gRPC endpoint with bench/grpc/grpc_load.cpp
# (async, N calls in flight), then the HTTP ext_authz endpoint with wrk in the
# same run, same policy, same request. Prints checks/s and latency
# percentiles of each, and the server's resident memory idle and after.
# usage: bench/load_grpc.sh [build dir] [seconds] [concurrency]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
secs=${2:-10}
conc=${3:-32}
bin=$build/wartburg
load=$build/wartburg_grpc_load
[ -x "$load" ] || { echo "load_grpc: $load is not built (cmake --build $build --target wartburg_grpc_load)" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
api=$(free_port); grpc=$(free_port); http=$(free_port)
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" run --server --addr "127.0.0.1:$api" --authz-grpc-addr "127.0.0.1:$grpc" --authz-addr "127.0.0.1:$http" \
  --log-level error "$root/policies/api" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$api/health" >/dev/null && break; sleep 0.05; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
idle_kb=$(rss)
input=$root/policies/api/testdata/allowed/request.json

echo "== gRPC ext_authz (Check), $conc calls in flight, ${secs}s"
"$load" --target "127.0.0.1:$grpc" --input "$input" --concurrency "$conc" --channels 2 --seconds 1 >/dev/null || true
"$load" --target "127.0.0.1:$grpc" --input "$input" --concurrency "$conc" --channels 2 --seconds "$secs"
grpc_kb=$(rss)

if command -v wrk >/dev/null; then
  # the same request as Envoy's HTTP ext_authz service sends it
  cat >"$work/authz.lua" <<'LUA'
wrk.method = "POST"
wrk.path = "/api/orders"
wrk.headers["Host"] = "shop.example.com"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInJvbGVzIjpbIndyaXRlciJdfQ.aoE_83GL3nfmD6pzMtxrWBsRFcXKOqJGB3IMdKonDWM"
LUA
  echo "== HTTP ext_authz (same policy and request), $conc connections, ${secs}s"
  wrk -t2 -c"$conc" -d"${secs}s" --latency -s "$work/authz.lua" "http://127.0.0.1:$http" >"$work/wrk.txt"
  awk '/Requests\/sec/ {print "checks/s:           " $2}' "$work/wrk.txt"
  echo "latency p50 / p90 / p99: $(awk '$1=="50%" {a=$2} $1=="90%" {b=$2} $1=="99%" {c=$2} END {print a " / " b " / " c}' "$work/wrk.txt")"
  awk '/Non-2xx/ {print "non-2xx answers:    " $5}' "$work/wrk.txt"
fi
end_kb=$(rss)
echo "resident memory:    idle $((idle_kb / 1024)) MiB, after gRPC $((grpc_kb / 1024)) MiB, after all $((end_kb / 1024)) MiB"
