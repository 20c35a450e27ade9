#!/usr/bin/env bash
# For clusters without cert-manager: makes a CA and a serving certificate for hpaguard.hpaguard-system.svc with
# openssl, stores them as the Secret hpaguard-tls, and patches the CA into both webhook configurations.
#
#   deploy/scripts/self-signed-certs.sh            # after `kubectl apply -k deploy` without certificate.yaml
#   NAMESPACE=x SERVICE=y DAYS=365 deploy/scripts/self-signed-certs.sh
#   DRY_RUN=1 OUT=/tmp/certs deploy/scripts/self-signed-certs.sh   # only write the files, touch no cluster
#
# Run it again before the certificate expires (DAYS, default 365): the webhook reloads the new Secret in place.
set -euo pipefail

NAMESPACE="${NAMESPACE:-hpaguard-system}"
SERVICE="${SERVICE:-hpaguard}"
SECRET="${SECRET:-hpaguard-tls}"
WEBHOOK="${WEBHOOK:-hpaguard}"
DAYS="${DAYS:-365}"
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"

command -v openssl >/dev/null || { echo "self-signed-certs.sh: openssl is required" >&2; exit 2; }

openssl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days "$DAYS" \
  -subj "/CN=hpaguard-ca" -keyout "$OUT/ca.key" -out "$OUT/ca.crt" 2>/dev/null
openssl req -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
  -subj "/CN=$SERVICE.$NAMESPACE.svc" -keyout "$OUT/tls.key" -out "$OUT/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:%s.%s.svc,DNS:%s.%s.svc.cluster.local\nextendedKeyUsage=serverAuth\n' \
  "$SERVICE" "$NAMESPACE" "$SERVICE" "$NAMESPACE" > "$OUT/ext.cnf"
openssl x509 -req -in "$OUT/tls.csr" -CA "$OUT/ca.crt" -CAkey "$OUT/ca.key" -CAcreateserial -days "$DAYS" \
  -extfile "$OUT/ext.cnf" -out "$OUT/tls.crt" 2>/dev/null
echo "certificates in $OUT (CA: ca.crt; serving: tls.crt, tls.key)"

if [ -n "${DRY_RUN:-}" ]; then exit 0; fi

kubectl -n "$NAMESPACE" create secret tls "$SECRET" --cert="$OUT/tls.crt" --key="$OUT/tls.key" \
  --dry-run=client -o yaml | kubectl apply -f -
CA_BUNDLE="$(base64 < "$OUT/ca.crt" | tr -d '\n')"
for kind in validatingwebhookconfiguration mutatingwebhookconfiguration; do
  kubectl patch "$kind" "$WEBHOOK" --type=json \
    -p "[{\"op\":\"add\",\"path\":\"/webhooks/0/clientConfig/caBundle\",\"value\":\"$CA_BUNDLE\"}]"
done
echo "secret $NAMESPACE/$SECRET written; caBundle patched into $WEBHOOK webhooks"
