#!/usr/bin/env bash
# The end-to-end story on a kind cluster, for machines with Docker (not run in this project's CI, which has none):
# images built by Jib and loaded into kind, the operator installed by the Helm chart, real pods throughout.
#   e2e/kind/run.sh            create the cluster, run, delete the cluster
#   e2e/kind/run.sh --keep     leave the cluster (kind-parallel-run) running
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER=parallel-run
KEEP=false; [[ "${1:-}" == "--keep" ]] && KEEP=true
for tool in docker kind kubectl helm mvn; do
  command -v "$tool" >/dev/null || { echo "kind e2e: $tool is required" >&2; exit 1; }
done
kind get clusters | grep -qx "$CLUSTER" || kind create cluster --name "$CLUSTER" --wait 120s
$KEEP || trap 'kind delete cluster --name "$CLUSTER"' EXIT
export KUBECONFIG="$(mktemp)"; kind get kubeconfig --name "$CLUSTER" > "$KUBECONFIG"

echo "== images (Jib, to the local Docker daemon)"
(cd "$ROOT" && mvn -B -q package jib:dockerBuild -DskipTests -pl proxy,operator,examples/sample-apps -am \
  -Dimage.registry=parallel-run -Dimage.tag=dev)
for image in parallel-run/parallel-run-operator:dev parallel-run/parallel-run-proxy:dev parallel-run/sample-returns-app:dev; do
  kind load docker-image --name "$CLUSTER" "$image"
done

echo "== Prometheus, the operator (Helm), the sample apps"
kubectl apply -f "$ROOT/e2e/kind/prometheus.yaml"
helm upgrade --install parallel-run "$ROOT/charts/parallel-run-operator" --namespace parallel-run-system --create-namespace \
  --set image.repository=parallel-run/parallel-run-operator,image.tag=dev,image.pullPolicy=Never \
  --set proxyImage.repository=parallel-run/parallel-run-proxy,proxyImage.tag=dev \
  --set prometheusUrl=http://prometheus.monitoring:9090 --wait
kubectl create namespace shop --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -n shop -f "$ROOT/e2e/kind/sample-apps.yaml"
kubectl rollout status -n shop deployment/order-monolith deployment/returns-service --timeout=120s

echo "== the ParallelRun, and client traffic through the proxy Service"
kubectl apply -n shop -f "$ROOT/examples/returns-demo.yaml"
for _ in $(seq 1 60); do kubectl get -n shop deployment/returns-demo-proxy >/dev/null 2>&1 && break; sleep 2; done
kubectl -n shop patch deployment returns-demo-proxy --type=json \
  -p '[{"op":"add","path":"/spec/template/spec/containers/0/imagePullPolicy","value":"Never"}]' >/dev/null || true
kubectl rollout status -n shop deployment/returns-demo-proxy --timeout=180s
kubectl run traffic -n shop --image=curlimages/curl:8.8.0 --restart=Never --command -- sh -c '
  n=0; errors=0
  while [ $n -lt 30000 ]; do
    id=$((n % 50 + 1))
    for p in /api/returns /api/returns/$id /api/returns/$id/label /api/returns/$id/refund /api/return-reasons/all; do
      code=$(curl -s -o /dev/null -w "%{http_code}" http://returns-demo-proxy:8080$p) ; [ "$code" -ge 500 ] && errors=$((errors+1))
    done
    code=$(curl -s -o /dev/null -w "%{http_code}" -X POST -H "Content-Type: application/json" -d "{}" http://returns-demo-proxy:8080/api/returns); [ "$code" -ge 500 ] && errors=$((errors+1))
    n=$((n+1)); [ $((n % 500)) -eq 0 ] && echo "sent=$((n*6)) errors=$errors"
  done'

echo "== waiting for every correct endpoint to be cut over"
for e in list-returns get-return return-label refund-status; do
  kubectl wait -n shop prun/returns-demo --for=jsonpath="{.status.endpoints[?(@.name==\"$e\")].state}"=CutOver --timeout=600s
done
kubectl get prun -n shop -o wide
state=$(kubectl get prun -n shop returns-demo -o jsonpath='{.status.endpoints[?(@.name=="return-reasons")].weight}')
[[ "$state" == "0" ]] || { echo "kind e2e: the buggy endpoint moved (weight $state)" >&2; exit 1; }
kubectl logs -n shop traffic | tail -1
kubectl logs -n shop traffic | tail -1 | grep -q 'errors=0' || { echo "kind e2e: clients saw errors" >&2; exit 1; }
echo "kind e2e: passed"
