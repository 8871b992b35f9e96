#!/usr/bin/env bash
# The project's test command (README): every module's tests on real parts — a real kube-apiserver, a real
# Prometheus, real HTTP servers on 127.0.0.1 — and the end-to-end story on real pods, on a one-node cluster that
# this script starts (hack/local-cluster.sh up --with-node, in a network namespace with no route out) and stops.
#   e2e/run-tests.sh [mvn args...]
#   E2E_KUBECONFIG=PATH e2e/run-tests.sh   use an existing cluster whose node already has the images (the kind
#                                          path: e2e/kind/run.sh); no local node is started
# Installs what it lacks (hack/install-prerequisites.sh) and builds the Kubernetes binaries, helm and the images
# once, cached outside the repository.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -n "${E2E_KUBECONFIG:-}" ]]; then
  hack/install-prerequisites.sh
  hack/build-kube-binaries.sh >/dev/null
  hack/build-helm.sh >/dev/null
  exec mvn -B verify -De2e.kubeconfig="$E2E_KUBECONFIG" "$@"
fi

[[ $(id -u) == 0 && $(uname -s) == Linux ]] || {
  echo "error: the end-to-end story runs on a local one-node cluster, which needs Linux and root;" \
    "elsewhere run it on kind: e2e/kind/run.sh (or E2E_KUBECONFIG=PATH e2e/run-tests.sh)" >&2
  exit 1
}
hack/install-prerequisites.sh --node
hack/build-kube-binaries.sh --node >/dev/null
hack/build-helm.sh >/dev/null
hack/build-node-images.sh base >/dev/null
apps="$(hack/build-node-images.sh apps | tail -n 1)"

export PARALLELRUN_LOCAL_DIR="${PARALLELRUN_TEST_CLUSTER_DIR:-$HOME/.cache/parallel-run/test-cluster}"
hack/local-cluster.sh down >/dev/null 2>&1 || true
# What the host looked like before the node: NodeIsHermeticTest compares while the node runs.
before="$PARALLELRUN_LOCAL_DIR/host-before"
mkdir -p "$before"
ip route show table all > "$before/routes"
ss -Hltun > "$before/listeners"
trap 'hack/local-cluster.sh down' EXIT
kubeconfig="$(hack/local-cluster.sh up --with-node | tail -n 1 | sed 's/^export KUBECONFIG=//')"
hack/local-cluster.sh import "$apps"/*.tar
mvn -B verify -De2e.kubeconfig="$kubeconfig" -De2e.host.before="$before" "$@"
