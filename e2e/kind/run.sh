#!/usr/bin/env bash
# The same end-to-end suite on a kind cluster, for machines with Docker and kind (this project's CI has neither and
# runs it on hack/local-cluster.sh's node instead): only the cluster-up and the image-load steps differ.
#   e2e/kind/run.sh            create the cluster, run the suite, delete the cluster
#   e2e/kind/run.sh --keep     leave the cluster (kind-parallel-run) running
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER=parallel-run
KEEP=false; [[ "${1:-}" == "--keep" ]] && KEEP=true
for tool in docker kind kubectl mvn; do
  command -v "$tool" >/dev/null || { echo "kind e2e: $tool is required" >&2; exit 1; }
done
kind get clusters | grep -qx "$CLUSTER" || kind create cluster --name "$CLUSTER" --wait 120s
$KEEP || trap 'kind delete cluster --name "$CLUSTER"' EXIT
KUBECONFIG_FILE="$(mktemp)"; kind get kubeconfig --name "$CLUSTER" > "$KUBECONFIG_FILE"

echo "== images (Jib, the same configuration as the local node's, on the default JRE base), loaded into kind"
(cd "$ROOT" && mvn -B -q package jib:buildTar -DskipTests -pl proxy,operator,examples/sample-apps -am)
for m in proxy operator examples/sample-apps; do
  kind load image-archive --name "$CLUSTER" "$ROOT/$m/target/jib-image.tar"
done

echo "== the end-to-end suite"
E2E_KUBECONFIG="$KUBECONFIG_FILE" "$ROOT/e2e/run-tests.sh" -pl e2e -am -Dtest='ReturnsMigrationOnPodsTest' \
  -Dsurefire.failIfNoSpecifiedTests=false -De2e.prometheus.image=prom/prometheus:v2.53.0
