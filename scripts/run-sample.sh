#!/usr/bin/env bash
# `make run`: evaluates the sample Kubernetes admission policy against the
# sample AdmissionReviews with `wartburg eval` and prints each decision,
# with the command that produced it so it can be copied and re-run.
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

policy=policies/kubernetes/admission.rego
query=data.kubernetes.admission.response

decide() {
  local review=$1
  local display=${bin#"$root"/}
  echo "\$ $display eval -d $policy -i $review -f pretty '$query'"
  "$bin" eval -d "$policy" -i "$review" -f pretty "$query"
  echo
}

echo "== A Pod that breaks the rules (expect allowed: false) =="
decide policies/kubernetes/testdata/admission_review.json
echo "== A compliant Deployment (expect allowed: true) =="
decide policies/kubernetes/testdata/admission_review_allowed.json
