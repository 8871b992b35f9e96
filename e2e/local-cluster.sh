#!/usr/bin/env bash
# A real local Kubernetes control plane (etcd + kube-apiserver, no kubelet) on 127.0.0.1.
#   e2e/local-cluster.sh up     start it (idempotent); the last line printed is `export KUBECONFIG=...`
#   e2e/local-cluster.sh down   stop what `up` started
#   e2e/local-cluster.sh status
# Binaries come from e2e/bin/build-kube-binaries.sh (built once from the k8s.io/kubernetes Go module and cached).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${PARALLELRUN_LOCAL_DIR:-$HOME/.cache/parallel-run/local-cluster}"
KUBECONFIG_FILE="$STATE_DIR/kubeconfig"

log() { echo "[local-cluster] $*" >&2; }
die() { echo "[local-cluster] error: $*" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

alive() { [[ -f "$STATE_DIR/$1.pid" ]] && kill -0 "$(cat "$STATE_DIR/$1.pid")" 2>/dev/null; }

api_ready() {
  [[ -f "$KUBECONFIG_FILE" ]] && kubectl --kubeconfig "$KUBECONFIG_FILE" get --raw /readyz >/dev/null 2>&1
}

up() {
  command -v python3 >/dev/null || die "python3 is required"
  command -v openssl >/dev/null || die "openssl is required"
  if alive etcd && alive kube-apiserver && api_ready; then
    log "already running"
    echo "export KUBECONFIG=$KUBECONFIG_FILE"
    return
  fi
  down quiet
  local bin_dir
  bin_dir="$("$HERE/bin/build-kube-binaries.sh" | tail -n 1)"
  mkdir -p "$STATE_DIR"
  rm -rf "$STATE_DIR/etcd-data"

  local etcd_port peer_port api_port token
  etcd_port="$(free_port)"; peer_port="$(free_port)"; api_port="$(free_port)"
  token="$(openssl rand -hex 24)"

  # Service-account signing key and a static admin token: enough for a control plane with no nodes.
  [[ -f "$STATE_DIR/sa.key" ]] || openssl genrsa -out "$STATE_DIR/sa.key" 2048 2>/dev/null
  echo "$token,admin,admin,system:masters" > "$STATE_DIR/tokens.csv"
  chmod 600 "$STATE_DIR/tokens.csv" "$STATE_DIR/sa.key"

  log "starting etcd on 127.0.0.1:$etcd_port"
  "$bin_dir/etcd" --data-dir "$STATE_DIR/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "default=http://127.0.0.1:$peer_port" \
    > "$STATE_DIR/etcd.log" 2>&1 &
  echo $! > "$STATE_DIR/etcd.pid"

  log "starting kube-apiserver on https://127.0.0.1:$api_port"
  "$bin_dir/kube-apiserver" \
    --bind-address 127.0.0.1 --secure-port "$api_port" --cert-dir "$STATE_DIR/certs" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --token-auth-file "$STATE_DIR/tokens.csv" --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc \
    --service-account-key-file "$STATE_DIR/sa.key" --service-account-signing-key-file "$STATE_DIR/sa.key" \
    --disable-admission-plugins ServiceAccount \
    --service-cluster-ip-range 10.96.0.0/16 \
    > "$STATE_DIR/kube-apiserver.log" 2>&1 &
  echo $! > "$STATE_DIR/kube-apiserver.pid"

  cat > "$KUBECONFIG_FILE" <<KC
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:$api_port
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: $token
contexts:
- name: local
  context: {cluster: local, user: admin, namespace: default}
current-context: local
KC
  chmod 600 "$KUBECONFIG_FILE"

  for _ in $(seq 1 120); do
    if api_ready && kubectl --kubeconfig "$KUBECONFIG_FILE" get namespace default >/dev/null 2>&1; then
      log "ready (logs in $STATE_DIR)"
      echo "export KUBECONFIG=$KUBECONFIG_FILE"
      return
    fi
    alive kube-apiserver || { tail -20 "$STATE_DIR/kube-apiserver.log" >&2; die "kube-apiserver exited"; }
    alive etcd || { tail -20 "$STATE_DIR/etcd.log" >&2; die "etcd exited"; }
    sleep 0.5
  done
  die "kube-apiserver not ready after 60s; see $STATE_DIR/kube-apiserver.log"
}

down() {
  local quiet="${1:-}"
  for p in kube-apiserver etcd; do
    if alive "$p"; then
      kill "$(cat "$STATE_DIR/$p.pid")" 2>/dev/null || true
      for _ in $(seq 1 50); do alive "$p" || break; sleep 0.1; done
      alive "$p" && kill -9 "$(cat "$STATE_DIR/$p.pid")" 2>/dev/null || true
      [[ -n "$quiet" ]] || log "stopped $p"
    fi
    rm -f "$STATE_DIR/$p.pid"
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) if alive kube-apiserver && api_ready; then echo "running: export KUBECONFIG=$KUBECONFIG_FILE"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
