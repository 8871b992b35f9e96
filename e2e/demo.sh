#!/usr/bin/env bash
# The parallel-run demo, on real pods, on this machine (Linux, root):
#   a one-node Kubernetes (hack/local-cluster.sh up --with-node: a network namespace with no route out), the
#   operator installed by the Helm chart, Prometheus, the sample legacy monolith and new returns service as
#   Deployments, and client traffic from a pod through the proxy the operator creates. The operator cuts endpoints
#   over one by one; the candidate's one buggy endpoint (return-reasons) must stay on legacy.
#
#   e2e/demo.sh          run it, then clean up
#   e2e/demo.sh --keep   leave the cluster and the story running; the last line is `export KUBECONFIG=...`
#   e2e/demo.sh --down   stop everything --keep left
# Elsewhere (no root, not Linux) it says so; the same story runs on kind with e2e/kind/run.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-run}"
[[ "$MODE" == "-h" || "$MODE" == "--help" ]] && { sed -n 2,10p "$0"; exit 0; }
DEMO_DIR="${PARALLELRUN_DEMO_DIR:-$HOME/.cache/parallel-run/demo}"
export PARALLELRUN_LOCAL_DIR="$DEMO_DIR/cluster" PARALLELRUN_NETNS=prun-demo
NS=shop
RUN=returns-demo
TIMEOUT_SECONDS="${DEMO_TIMEOUT_SECONDS:-300}"

say() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }
die() { echo "demo: error: $*" >&2; exit 1; }

if [[ "$MODE" == "--down" ]]; then
  "$ROOT/hack/local-cluster.sh" down
  exit 0
fi
[[ "$MODE" == "run" || "$MODE" == "--keep" ]] || die "unknown argument $MODE (try --help)"
[[ $(uname -s) == Linux && $(id -u) == 0 ]] || die "the demo runs a one-node Kubernetes here, which needs Linux and root.
  Elsewhere, with Docker and kind: e2e/kind/run.sh --keep runs the same story on kind"

# --- build: prerequisites, binaries, images (each only once, cached outside the repository) ---------------------
say "Installing what is missing, building what is missing (the first run builds Kubernetes, helm and the images)"
"$ROOT/hack/install-prerequisites.sh" --node
"$ROOT/hack/build-kube-binaries.sh" --node >/dev/null
HELM="$("$ROOT/hack/build-helm.sh")"
"$ROOT/hack/build-node-images.sh" base >/dev/null
APPS="$("$ROOT/hack/build-node-images.sh" apps | tail -n 1)"
"$ROOT/hack/install-kubectl-plugin.sh" "$DEMO_DIR/bin" >/dev/null
export PATH="$DEMO_DIR/bin:$PATH"  # kubectl parallelrun, for the story's last word

cleanup() {
  local code=$?
  if [[ "$MODE" == "--keep" ]] && (( code == 0 )); then return; fi
  "$ROOT/hack/local-cluster.sh" down >/dev/null 2>&1 || true
  (( code == 0 )) || echo "demo: failed; cluster logs were in $PARALLELRUN_LOCAL_DIR" >&2
}
trap cleanup EXIT

say "Starting a one-node Kubernetes (network namespace $PARALLELRUN_NETNS, API server on 127.0.0.1 only)"
export KUBECONFIG
KUBECONFIG="$("$ROOT/hack/local-cluster.sh" up --with-node | tail -n 1 | sed 's/^export KUBECONFIG=//')"
"$ROOT/hack/local-cluster.sh" import "$APPS"/*.tar

say "Installing: the CRD and the operator (helm), Prometheus, the legacy and candidate Deployments"
for ns in "$NS" monitoring parallel-run-system; do kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f - >/dev/null; done
kubectl apply --server-side -f "$ROOT/crds/" >/dev/null
"$ROOT/hack/render-prometheus.sh" | kubectl apply -f - >/dev/null
kubectl apply -f "$ROOT/e2e/manifests/sample-apps.yaml" >/dev/null
"$HELM" upgrade --install parallel-run "$ROOT/charts/parallel-run-operator" -n parallel-run-system \
  --set prometheusUrl=http://prometheus.monitoring:9090 --wait --timeout 180s >/dev/null
kubectl rollout status -n "$NS" deployment/order-monolith deployment/returns-service --timeout=120s >/dev/null
kubectl rollout status -n monitoring deployment/prometheus --timeout=120s >/dev/null

say "kubectl apply -n $NS -f examples/returns-demo.yaml, and client traffic from a pod through $RUN-proxy"
kubectl apply -n "$NS" -f "$ROOT/examples/returns-demo.yaml"
for _ in $(seq 1 60); do kubectl get deployment -n "$NS" "$RUN-proxy" >/dev/null 2>&1 && break; sleep 1; done
kubectl rollout status -n "$NS" "deployment/$RUN-proxy" --timeout=120s >/dev/null || die "the proxy did not become ready"
kubectl apply -f "$ROOT/e2e/manifests/traffic.yaml" >/dev/null
kubectl wait -n "$NS" pod/traffic --for=condition=Ready --timeout=90s >/dev/null

stats() { kubectl get --raw "/api/v1/namespaces/$NS/pods/traffic:8080/proxy/stats" 2>/dev/null || echo '{}'; }
say "Watching the cutover (kubectl get prun -n $NS $RUN -w shows the same)"
START=$(date +%s); DONE=false
while (( $(date +%s) - START < TIMEOUT_SECONDS )); do
  states=$(kubectl get prun -n "$NS" "$RUN" -o jsonpath='{range .status.endpoints[*]}{.name}={.state}/{.weight}% {end}' 2>/dev/null || true)
  traffic=$(stats | python3 -c 'import json,sys; d=json.load(sys.stdin); print("ok=%s errors=%s" % (d.get("ok", 0), d.get("errors", 0)))' 2>/dev/null || true)
  printf '\r\033[K[%3ss] %s | clients %s' "$(( $(date +%s) - START ))" "${states:-waiting for status}" "$traffic" >&2
  if [[ "$states" == *"list-returns=CutOver"* && "$states" == *"get-return=CutOver"* \
     && "$states" == *"return-label=CutOver"* && "$states" == *"refund-status=CutOver"* ]]; then
    DONE=true; break
  fi
  sleep 2
done
echo >&2

say "kubectl get prun -n $NS"
kubectl get prun -n "$NS" -o wide >&2
say "kubectl parallelrun status -n $NS $RUN: why each endpoint is where it is"
kubectl parallelrun status -n "$NS" "$RUN" >&2
kubectl get prun -n "$NS" "$RUN" -o json > "$DEMO_DIR/status.json"
say "What the proxy learned (comparator.noise: Ignore): X-Served-At differs even between legacy's own answers"
python3 - "$DEMO_DIR/status.json" >&2 <<'PY'
import json, sys
for e in json.load(open(sys.argv[1]))["status"].get("endpoints", []):
    noise = ", ".join(e.get("ignoredNoise", [])) or "-"
    top = e.get("differences", [])
    real = "; ".join(f"{d['field']} {d.get('percent', 0):.0f}%" for d in top if not d.get("noise")) or "-"
    print(f"{e['name']:16} ignored as noise: {noise:24} real differences: {real}")
PY
say "kubectl parallelrun suggest -n $NS $RUN: the rules to commit through Git (the operator never writes spec)"
kubectl parallelrun suggest -n "$NS" "$RUN" >&2
echo "client traffic through the proxy Service: $(stats)" >&2
kubectl get pods -A -o wide >&2

$DONE || die "not every correct endpoint was cut over within ${TIMEOUT_SECONDS}s"
errors=$(stats | python3 -c 'import json,sys; print(json.load(sys.stdin).get("errors", -1))')
[[ "$errors" == 0 ]] || die "clients saw $errors errors through the proxy"
say "Done: every correct endpoint is cut over, though every answer carried noise no rule listed (X-Served-At, learned from legacy itself); return-reasons (the candidate's bug, at body:\$.reasons[*]) stays on legacy; return-history (correct but 200 ms slower) is held by its p99 latency gate; create-return (a write, never mirrored) waits for: kubectl annotate prun -n $NS $RUN parallelrun.io/approve=create-return"

if [[ "$MODE" == "--keep" ]]; then
  cat >&2 <<INFO

Everything is still running (--keep): the cluster, the operator, Prometheus, the apps and the client pod.
  kubectl get prun -A -w;  kubectl get pods -A
  Prometheus: kubectl get --raw '/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query?query=parallelrun_comparisons_total'
  Stop it all: e2e/demo.sh --down
INFO
  echo "export KUBECONFIG=$KUBECONFIG"
fi
