#!/usr/bin/env bash
# `make run`: evaluates the sample admission policy once with `wartburg eval`,
# then starts the policy server on localhost:8181 (REST API and admission
# webhook) and localhost:9191 (authorization endpoint) with the sample
# policies, and prints curl commands to try against it. Ctrl-C stops it.
# Usage: bash scripts/run-sample.sh [path/to/wartburg]
set -euo pipefail

bin=${1:-build/wartburg}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ! -x "$bin" ]]; then
  echo "run-sample: $bin is not an executable; build it first (make build)" >&2
  exit 1
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
cd "$root"
display=${bin#"$root"/}

addr=${WARTBURG_ADDR:-localhost:8181}
authz_addr=${WARTBURG_AUTHZ_ADDR:-localhost:9191}
admission=policies/kubernetes/admission.rego
api=policies/api/authz.rego
review=policies/kubernetes/testdata/denied/admission_review.json

echo "== A Pod that breaks the admission rules, decided by \`wartburg eval\` =="
echo "\$ $display eval -d $admission -i $review -f pretty 'data.kubernetes.admission.response'"
"$bin" eval -d "$admission" -i "$review" -f pretty 'data.kubernetes.admission.response'
echo

cat <<TXT
== Starting the policy server: REST API and admission webhook on $addr,
   authorization endpoint on $authz_addr (Ctrl-C stops it). Try:

  # a Data API decision (OPA's REST API)
  curl -s -X POST ${addr}/v1/data/envoy/authz/allow -d @policies/api/testdata/allowed/request.json
  curl -s -X POST ${addr}/v1/data/envoy/authz/allow -d @policies/api/testdata/denied/request.json

  # the Kubernetes admission webhook (an AdmissionReview in, an AdmissionReview out)
  curl -s -X POST ${addr}/v1/admit -d @$review

  # the authorization endpoint: the request itself is what gets authorized (200 or 403)
  curl -s -o /dev/null -w '%{http_code}\n' ${authz_addr}/health
  curl -s -o /dev/null -w '%{http_code}\n' -X DELETE ${authz_addr}/api/orders/7

  # load a policy, health and metrics
  curl -s -X PUT ${addr}/v1/policies/example --data-binary 'package example
  hello := "world"'
  curl -s ${addr}/v1/data/example/hello
  curl -s ${addr}/health
  curl -s ${addr}/metrics | head

TXT
echo "\$ $display run --server --addr $addr --authz-addr $authz_addr --log-format text $admission $api"
exec "$bin" run --server --addr "$addr" --authz-addr "$authz_addr" --log-format text "$admission" "$api"
