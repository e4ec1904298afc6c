#!/usr/bin/env bash
# Smoke test: etcd + kube-apiserver + kube-controller-manager on loopback, with
# generated certs; checks kubectl and garbage collection. Mirrors what the Java
# JUnit extension does. Usage: e2e/control-plane/smoke.sh [BIN_DIR]
# KEEP=1 keeps the work dir (certs, logs) for debugging.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="${1:-$("$HERE/build.sh" | tail -1)}"
W="$(mktemp -d "${TMPDIR:-/tmp}/portico-cp.XXXXXX")"
PIDS=()
log() { printf '[smoke] %s\n' "$*" >&2; }
cleanup() {
  local rc=$?
  # Stop in reverse start order (kcm, apiserver, etcd): an apiserver whose etcd
  # is already gone spends minutes in graceful shutdown. SIGKILL after 10s.
  local i p n
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    p=${PIDS[i]}; kill "$p" 2>/dev/null || continue
    for ((n = 0; n < 100; n++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true
  done
  if (( rc != 0 )); then log "FAILED; last log lines:"; tail -n 15 "$W"/*.log >&2 2>/dev/null || true; fi
  if [[ "${KEEP:-0}" == 1 ]]; then log "kept $W"; else rm -rf "$W"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {  # random free loopback port
  local p; while :; do p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done
}
wait_for() {  # wait_for SECONDS DESC CMD...
  local t=$1 what=$2 start=$SECONDS; shift 2; local end=$((SECONDS + t))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < end )) || { log "timed out waiting for $what"; return 1; }
    sleep 0.5
  done
  log "$what: ok after $((SECONDS - start))s"
}

# ---- certificates -----------------------------------------------------------
c="$W/pki"; mkdir -p "$c"
ossl() { openssl "$@" 2>/dev/null; }
ossl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=portico-e2e-ca" \
  -keyout "$c/ca.key" -out "$c/ca.crt"
issue() {  # issue NAME SUBJECT EXTFILE-CONTENT
  ossl req -new -newkey rsa:2048 -nodes -subj "$2" -keyout "$c/$1.key" -out "$c/$1.csr"
  printf '%s\n' "$3" > "$c/$1.ext"
  ossl x509 -req -in "$c/$1.csr" -CA "$c/ca.crt" -CAkey "$c/ca.key" -CAcreateserial \
    -days 3650 -extfile "$c/$1.ext" -out "$c/$1.crt"
}
issue apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
issue admin "/O=system:masters/CN=portico-admin" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
ossl genrsa -out "$c/sa.key" 2048
ossl rsa -in "$c/sa.key" -pubout -out "$c/sa.pub"

ETCD_PORT=$(free_port); ETCD_PEER_PORT=$(free_port); API_PORT=$(free_port); KCM_PORT=$(free_port)
KUBECONFIG="$W/admin.kubeconfig"
cat > "$KUBECONFIG" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster: {server: "https://127.0.0.1:$API_PORT", certificate-authority: "$c/ca.crt"}
users:
- name: admin
  user: {client-certificate: "$c/admin.crt", client-key: "$c/admin.key"}
contexts:
- name: e2e
  context: {cluster: e2e, user: admin}
current-context: e2e
EOF
export KUBECONFIG
k() { "$BIN/kubectl" "$@"; }

# ---- etcd -------------------------------------------------------------------
"$BIN/etcd" --name=e2e --data-dir="$W/etcd" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="e2e=http://127.0.0.1:$ETCD_PEER_PORT" \
  --unsafe-no-fsync --log-level=warn >"$W/etcd.log" 2>&1 &
PIDS+=($!)
wait_for 30 "etcd /health" curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

# ---- kube-apiserver ---------------------------------------------------------
"$BIN/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
  --tls-cert-file="$c/apiserver.crt" --tls-private-key-file="$c/apiserver.key" \
  --client-ca-file="$c/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$c/sa.pub" --service-account-signing-key-file="$c/sa.key" \
  --service-cluster-ip-range=10.0.0.0/24 \
  --authorization-mode=RBAC \
  --endpoint-reconciler-type=none `# required: the lease reconciler rejects a loopback advertise address` \
  >"$W/kube-apiserver.log" 2>&1 &
PIDS+=($!)
wait_for 90 "kube-apiserver /readyz" k get --raw=/readyz
k get ns
log "api-resources: $(k api-resources --no-headers | wc -l) resource types"
k api-resources --no-headers | grep -w configmaps >/dev/null  # no -q: SIGPIPE + pipefail
k version >&2

# ---- kube-controller-manager ------------------------------------------------
"$BIN/kube-controller-manager" \
  --kubeconfig="$KUBECONFIG" \
  --bind-address=127.0.0.1 --secure-port="$KCM_PORT" \
  --service-account-private-key-file="$c/sa.key" --root-ca-file="$c/ca.crt" \
  --cluster-signing-cert-file="$c/ca.crt" --cluster-signing-key-file="$c/ca.key" \
  --controllers='*' --leader-elect=false --use-service-account-credentials=false \
  --flex-volume-plugin-dir="$W/flexvolume" \
  >"$W/kube-controller-manager.log" 2>&1 &
PIDS+=($!)
wait_for 60 "kube-controller-manager /healthz" curl -fsSk "https://127.0.0.1:$KCM_PORT/healthz"
wait_for 60 "default ServiceAccount (serviceaccount controller)" k get serviceaccount default -n default

# ---- garbage collection -----------------------------------------------------
k create configmap gc-owner --from-literal=a=b >/dev/null
uid="$(k get configmap gc-owner -o jsonpath='{.metadata.uid}')"
k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: gc-dependent
  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: gc-owner, uid: "$uid"}]
data: {c: d}
EOF
k get configmap gc-dependent >/dev/null
k delete configmap gc-owner >/dev/null
wait_for 60 "garbage collection of gc-dependent" bash -c "'$BIN/kubectl' get configmap gc-dependent 2>&1 | grep -q NotFound"
log "OK: etcd + kube-apiserver + kube-controller-manager work (GC verified)"
