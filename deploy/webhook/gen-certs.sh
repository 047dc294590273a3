#!/usr/bin/env bash
# gen-certs.sh: certificates for the Wartburg admission webhook.
#
# Makes a private CA and a server certificate for the webhook Service
# (SAN: <service>.<namespace>.svc, plus the short forms), stores the server
# certificate and key as the TLS Secret the Deployment mounts at /certs,
# restarts the webhook pods so they load it, and writes the CA into the
# caBundle of both webhook configurations.
#
# Needs: bash, openssl (the CLI), kubectl with access to a cluster (the
# current kubectl context; permissions to create Secrets in the webhook
# namespace, restart its Deployment, and create/patch Validating- and
# MutatingWebhookConfigurations). Apply namespace.yaml, policy-configmap.yaml,
# service.yaml and deployment.yaml first.
#
# Re-run it to rotate the certificates: while the pods restart, both the old
# and the new CA are trusted, so admission keeps working.
#
# Settings (environment variables):
#   NAMESPACE   webhook namespace              (default wartburg-system)
#   SERVICE     webhook Service name           (default wartburg-webhook)
#   SECRET      TLS Secret name                (default wartburg-webhook-tls)
#   DEPLOYMENT  webhook Deployment name        (default wartburg-webhook)
#   WEBHOOKS    "kind/name" of the webhook configurations
#               (default "validatingwebhookconfiguration/wartburg-validate
#                         mutatingwebhookconfiguration/wartburg-mutate")
#   OUT_DIR     where the keys and certificates are written
#               (default: a new temporary directory, removed at the end;
#               set it to keep the CA, and keep that directory secret)
#   CA_DAYS     CA validity in days            (default 3650)
#   CERT_DAYS   server certificate validity    (default 365)
set -euo pipefail

NAMESPACE="${NAMESPACE:-wartburg-system}"
SERVICE="${SERVICE:-wartburg-webhook}"
SECRET="${SECRET:-wartburg-webhook-tls}"
DEPLOYMENT="${DEPLOYMENT:-wartburg-webhook}"
WEBHOOKS="${WEBHOOKS:-validatingwebhookconfiguration/wartburg-validate mutatingwebhookconfiguration/wartburg-mutate}"
CA_DAYS="${CA_DAYS:-3650}"
CERT_DAYS="${CERT_DAYS:-365}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

for tool in openssl kubectl; do
  command -v "$tool" >/dev/null || { echo "gen-certs.sh: $tool not found in PATH" >&2; exit 1; }
done
kubectl get namespace "$NAMESPACE" >/dev/null || {
  echo "gen-certs.sh: namespace $NAMESPACE not found (apply namespace.yaml first, and check the kubectl context)" >&2
  exit 1
}

if [[ -n "${OUT_DIR:-}" ]]; then
  mkdir -p "$OUT_DIR"
else
  OUT_DIR="$(mktemp -d)"
  trap 'rm -rf "$OUT_DIR"' EXIT
fi
umask 077
cd "$OUT_DIR"

DNS="${SERVICE}.${NAMESPACE}.svc"
echo "== making a CA and a server certificate for ${DNS} in ${OUT_DIR}"

# Our own minimal OpenSSL config, so that the result does not depend on the
# system's openssl.cnf (and works with OpenSSL 1.1, 3.x and LibreSSL).
cat > ca.cnf <<CNF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = ${SERVICE}-ca
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF

cat > server.cnf <<CNF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = ${DNS}
CNF

cat > server.ext <<CNF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:${SERVICE}, DNS:${SERVICE}.${NAMESPACE}, DNS:${DNS}, DNS:${DNS}.cluster.local
authorityKeyIdentifier = keyid
subjectKeyIdentifier = hash
CNF

openssl genrsa -out ca.key 2048 2>/dev/null
openssl req -x509 -new -sha256 -key ca.key -days "$CA_DAYS" -config ca.cnf -extensions v3_ca -out ca.crt

openssl genrsa -out tls.key 2048 2>/dev/null
openssl req -new -sha256 -key tls.key -config server.cnf -out tls.csr
openssl x509 -req -sha256 -in tls.csr -CA ca.crt -CAkey ca.key \
  -set_serial "0x$(openssl rand -hex 16)" -days "$CERT_DAYS" -extfile server.ext -out tls.crt 2>/dev/null

openssl verify -CAfile ca.crt tls.crt >/dev/null
openssl x509 -in tls.crt -noout -subject -enddate

b64() { openssl base64 -A -in "$1"; }

# patch_ca_bundle KIND/NAME FILE: replace the caBundle of every webhook in the
# configuration with the base64 of FILE.
patch_ca_bundle() {
  local ref="$1" bundle n i ops=""
  bundle="$(b64 "$2")"
  n="$(kubectl get "$ref" -o jsonpath='{range .webhooks[*]}x{end}')"
  for ((i = 0; i < ${#n}; i++)); do
    ops+="${ops:+,}{\"op\":\"add\",\"path\":\"/webhooks/${i}/clientConfig/caBundle\",\"value\":\"${bundle}\"}"
  done
  kubectl patch "$ref" --type=json -p "[${ops}]" >/dev/null
  echo "   caBundle of $ref set"
}

# 1. Webhook configurations that already exist (a rotation): trust the old
#    and the new CA while the pods switch certificates.
for ref in $WEBHOOKS; do
  if kubectl get "$ref" >/dev/null 2>&1; then
    old="$(kubectl get "$ref" -o jsonpath='{.webhooks[0].clientConfig.caBundle}' | openssl base64 -d -A 2>/dev/null || true)"
    if grep -q "BEGIN CERTIFICATE" <<<"$old"; then
      { printf '%s\n' "$old"; cat ca.crt; } > "bundle-$(basename "$ref").pem"
      echo "== trusting old and new CA in $ref during the switch"
      patch_ca_bundle "$ref" "bundle-$(basename "$ref").pem"
    fi
  fi
done

# 2. The TLS Secret (created, or replaced in place).
echo "== storing Secret ${NAMESPACE}/${SECRET}"
kubectl -n "$NAMESPACE" create secret tls "$SECRET" --cert=tls.crt --key=tls.key \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null

# 3. Restart the webhook so every replica serves the new certificate.
if kubectl -n "$NAMESPACE" get deployment "$DEPLOYMENT" >/dev/null 2>&1; then
  echo "== restarting deployment/${DEPLOYMENT}"
  kubectl -n "$NAMESPACE" rollout restart deployment "$DEPLOYMENT" >/dev/null
  kubectl -n "$NAMESPACE" rollout status deployment "$DEPLOYMENT" --timeout=180s
else
  echo "== deployment/${DEPLOYMENT} not found in ${NAMESPACE}; apply deployment.yaml (it will mount the Secret)"
fi

# 4. Only the new CA in the webhook configurations. Configurations that do
#    not exist yet are created from the files next to this script, with the
#    CA filled in (so they are never live with the placeholder).
echo "== writing the CA into the webhook configurations"
for ref in $WEBHOOKS; do
  if kubectl get "$ref" >/dev/null 2>&1; then
    patch_ca_bundle "$ref" ca.crt
  else
    case "$ref" in
      validatingwebhookconfiguration/*) file="$HERE/validating-webhook.yaml" ;;
      mutatingwebhookconfiguration/*) file="$HERE/mutating-webhook.yaml" ;;
      *) echo "gen-certs.sh: unknown webhook configuration kind in $ref" >&2; exit 1 ;;
    esac
    if [[ ! -f "$file" ]]; then
      echo "gen-certs.sh: $ref does not exist and $file is missing" >&2
      exit 1
    fi
    sed -E "s|^([[:space:]]*caBundle:).*$|\1 $(b64 ca.crt)|" "$file" | kubectl apply -f - >/dev/null
    echo "   $ref created from $(basename "$file") with the CA"
  fi
done

echo "== done. Check with:"
echo "   kubectl -n ${NAMESPACE} get pods"
echo "   kubectl run wartburg-check --rm -i --restart=Never --image=busybox:latest -- true   # denied: unpinned tag"
