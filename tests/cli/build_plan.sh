# End-to-end: `wartburg build` adds the precompiled plan (/plan.wartburg) to
# the bundle; `eval -b` and `run -b` load it and decide the sample admission
# reviews exactly as the sources do (`eval -d`); a stale or corrupt plan is
# ignored and the modules are compiled instead.
source "$(dirname "$0")/testlib.bash"

query=data.kubernetes.admission.response
denied=$ROOT/policies/kubernetes/testdata/denied/admission_review.json
allowed=$ROOT/policies/kubernetes/testdata/allowed/admission_review.json

# Build from the repository root so module ids read policies/kubernetes/...
CMD="wartburg build policies/kubernetes -o k.tar.gz (in the repository root)"
OUT=$(cd "$ROOT" && "$WARTBURG" build policies/kubernetes -o "$TMP/k.tar.gz" 2>"$TMP/.stderr")
RC=$?
ERR=$(cat "$TMP/.stderr")
expect_rc 0
[[ -f k.tar.gz ]] || fail "k.tar.gz was not written"

if command -v tar >/dev/null; then
  listing=$(tar -tzf k.tar.gz 2>/dev/null)
  grep -qx '/plan.wartburg' <<<"$listing" || fail "the bundle has no /plan.wartburg: $listing"
  grep -qx '/policies/kubernetes/admission.rego' <<<"$listing" || fail "the bundle lacks the modules: $listing"
  magic=$(tar -xzOf k.tar.gz /plan.wartburg 2>/dev/null | head -c 7)
  [[ "$magic" == "WBGPLAN" ]] || fail "plan.wartburg does not start with the plan magic: $magic"
fi

# The bundle decides as the sources do, for both sample reviews.
for review in "$denied" "$allowed"; do
  run eval -d "$ROOT/policies/kubernetes" -i "$review" "$query"
  expect_rc 0
  from_sources=$OUT
  run eval -b k.tar.gz -i "$review" "$query"
  expect_rc 0
  [[ "$OUT" == "$from_sources" ]] || fail "eval -b differs from eval -d for $(basename "$(dirname "$review")"):
$from_sources"
done
run eval -b k.tar.gz -i "$denied" -f raw 'count(data.kubernetes.admission.deny)'
expect_out '3'
run eval -b k.tar.gz -i "$denied" -f raw 'data.kubernetes.admission.response.response.allowed'
expect_out 'false'
run eval -b k.tar.gz -i "$allowed" -f raw 'data.kubernetes.admission.response.response.allowed'
expect_out 'true'

# The library's own tests pass on the bundle (its test_ rules are in it).
for t in test_compliant_deployment_allowed test_violations_of_every_policy_collected test_response_for_admission_review; do
  run eval -b k.tar.gz -f raw "data.kubernetes.library_test.$t"
  expect_out 'true'
done

# The plan is for Rego v1; with --v0-compatible the modules are compiled as v0
# instead, exactly as without a plan: the library's v1 syntax (`in` without
# future.keywords) does not parse as v0, with or without the plan.
run eval -d "$ROOT/policies/kubernetes" --v0-compatible -i "$denied" "$query"
expect_rc 1
[[ "$OUT" == *rego_parse_error* ]] || fail "v1 modules parsed as v0: $OUT"
run eval -b k.tar.gz --v0-compatible -i "$denied" "$query"
expect_rc 1
[[ "$OUT" == *rego_parse_error* ]] || fail "the v1 plan was used under --v0-compatible: $OUT"

if command -v tar >/dev/null; then
  # A directory bundle with the plan.
  mkdir dirbundle && tar -xzf k.tar.gz -C dirbundle 2>/dev/null
  run eval -b dirbundle -i "$denied" "$query"
  expect_rc 0
  run eval -d "$ROOT/policies/kubernetes" -i "$denied" "$query"
  [[ "$OUT" == "$(cd "$TMP" && "$WARTBURG" eval -b dirbundle -i "$denied" "$query")" ]] ||
    fail "the directory bundle decides differently"

  # A stale plan (a module changed after the build) is ignored: the new source decides.
  sed -i 's/must not run as privileged/is privileged: rejected/' dirbundle/policies/kubernetes/admission.rego
  grep -q 'is privileged: rejected' dirbundle/policies/kubernetes/admission.rego || fail "could not edit the module"
  run eval -b dirbundle -i "$denied" "$query"
  expect_rc 0
  expect_grep out 'is privileged: rejected'

  # A corrupt plan is ignored too.
  mkdir corrupt && tar -xzf k.tar.gz -C corrupt 2>/dev/null
  printf 'WBGPLAN\0garbage' >corrupt/plan.wartburg
  run eval -b corrupt -i "$denied" -f raw 'data.kubernetes.admission.response.response.allowed'
  expect_rc 0
  expect_out 'false'
  truncate -s 100 dirbundle/plan.wartburg
  run eval -b dirbundle -i "$denied" "$query"
  expect_rc 0
  expect_grep out 'is privileged: rejected'
fi

# Rebuilding from the bundle (build -b) writes a fresh plan.
run build -b k.tar.gz -o k2.tar.gz
expect_rc 0
if command -v tar >/dev/null; then
  tar -tzf k2.tar.gz 2>/dev/null | grep -qx '/plan.wartburg' || fail "build -b wrote no plan"
fi
run eval -b k2.tar.gz -i "$denied" -f raw 'count(data.kubernetes.admission.deny)'
expect_out '3'

# Nothing is written when compilation fails (and no plan either).
mkdir broken && printf 'package broken\n\nallow if {\n' >broken/x.rego
run build broken -o broken.tar.gz
expect_rc 1
[[ ! -e broken.tar.gz ]] || fail "a bundle was written for a module that does not compile"

# The server loads the bundle (and its plan) and decides the same.
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
if command -v curl >/dev/null && command -v python3 >/dev/null; then
  API_PORT=$(port)
  AUTHZ_PORT=$(port)
  "$WARTBURG" run --server --addr "127.0.0.1:$API_PORT" --authz-addr "127.0.0.1:$AUTHZ_PORT" -b k.tar.gz \
    >server.log 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$API_PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done
  python3 -c 'import json,sys; print(json.dumps({"input": json.load(open(sys.argv[1]))}))' "$denied" >denied_input.json
  CMD="curl POST /v1/data/kubernetes/admission/response (server with -b k.tar.gz)"
  OUT=$(curl -s -X POST "127.0.0.1:$API_PORT/v1/data/kubernetes/admission/response" -d @denied_input.json)
  RC=$?
  ERR=$(cat server.log)
  from_server=$OUT
  run eval -b k.tar.gz -i "$denied" -f raw "$query"
  python3 - "$from_server" "$OUT" <<'PY' || fail "the server's decision differs from eval -b: $from_server"
import json, sys
server, cli = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.exit(0 if server.get("result") == cli else 1)
PY
  kill "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
fi

finish
