# End-to-end: the sample Kubernetes admission policy decides the sample
# AdmissionReviews as documented, and `make run`'s script runs it.
source "$(dirname "$0")/testlib.bash"

policy=$ROOT/policies/kubernetes/admission.rego
testdata=$ROOT/policies/kubernetes/testdata
query=data.kubernetes.admission.response

run eval -d "$policy" -i "$testdata/denied/admission_review.json" "$query"
expect_rc 0
expect_json 'd["result"][0]["expressions"][0]["value"] == {
  "apiVersion": "admission.k8s.io/v1",
  "kind": "AdmissionReview",
  "response": {
    "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
    "allowed": False,
    "status": {
      "code": 403,
      "reason": "Forbidden",
      "message": "; ".join([
        "container \"app\" must not run as privileged",
        "container \"app\" uses image \"docker.io/library/nginx:latest\" from an untrusted registry",
        "container \"app\" uses image \"docker.io/library/nginx:latest\" with the mutable tag latest; pin a version or digest",
      ]),
    },
    "warnings": [
      "container \"app\" has no memory limit",
      "container \"app\" should set securityContext.allowPrivilegeEscalation to false",
    ],
  },
}'

run eval -d "$policy" -i "$testdata/denied/admission_review.json" -f raw 'count(data.kubernetes.admission.deny)'
expect_out '3'

run eval -d "$policy" -i "$testdata/allowed/admission_review.json" "$query"
expect_rc 0
expect_json 'd["result"][0]["expressions"][0]["value"]["response"] == {
  "uid": "a1f0c9d2-7e41-4c55-9d1b-3f6c2b8e9a10", "allowed": True, "warnings": []}'

# --fail-defined on deny as a CI gate: fails for the bad Pod, passes for the good one.
run eval -d "$policy" -i "$testdata/denied/admission_review.json" --fail-defined 'data.kubernetes.admission.deny[_]'
expect_rc 1
run eval -d "$policy" -i "$testdata/allowed/admission_review.json" --fail-defined 'data.kubernetes.admission.deny[_]'
expect_rc 0

# Exempt namespaces are always allowed.
python3 - "$testdata/denied/admission_review.json" >kube-system.json <<'PY'
import json, sys
review = json.load(open(sys.argv[1]))
review["request"]["namespace"] = "kube-system"
print(json.dumps(review))
PY
run eval -d "$policy" -i kube-system.json -f raw 'data.kubernetes.admission.response.response.allowed'
expect_out 'true'

# The policy is valid Rego v1: the package loads from the policies folder too.
run eval -d "$ROOT/policies/kubernetes/admission.rego" 'data.kubernetes.admission.allowed'
expect_rc 0

# make run's script prints the eval command and decision, then starts the server
# (on free loopback ports here) and prints curl commands that work against it.
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
API_PORT=$(port)
AUTHZ_PORT=$(port)
LOG=$(mktemp)
(cd "$ROOT" && WARTBURG_ADDR=127.0.0.1:$API_PORT WARTBURG_AUTHZ_ADDR=127.0.0.1:$AUTHZ_PORT \
  exec bash scripts/run-sample.sh "$WARTBURG" >"$LOG" 2>&1) &
SAMPLE_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$API_PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done
CMD="bash scripts/run-sample.sh"
OUT=$(cat "$LOG")
RC=0
ERR=""
expect_grep out "eval -d policies/kubernetes/admission.rego -i policies/kubernetes/testdata/denied/admission_review.json"
expect_grep out '"allowed": false'
expect_grep out "curl -s -X POST 127.0.0.1:$API_PORT/v1/data/envoy/authz/allow"
CMD="curl (Data API on the sample API policy)"
OUT=$(cd "$ROOT" && curl -s -X POST "127.0.0.1:$API_PORT/v1/data/envoy/authz/allow" -d @policies/api/testdata/allowed/request.json)
expect_grep out '"result":true'
CMD="curl (admission webhook)"
OUT=$(cd "$ROOT" && curl -s -X POST "127.0.0.1:$API_PORT/v1/admit" -d @policies/kubernetes/testdata/denied/admission_review.json)
expect_grep out '"allowed":false'
CMD="curl (authorization endpoint)"
OUT=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "127.0.0.1:$AUTHZ_PORT/api/orders/7")
expect_grep out '403'
kill "$SAMPLE_PID" 2>/dev/null
wait "$SAMPLE_PID" 2>/dev/null
rm -f "$LOG"

finish
