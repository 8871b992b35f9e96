#!/usr/bin/env bash
# Builds (only when missing) the Kubernetes binaries the tests run against, into $KUBE_BIN_DIR, and lays out what
# fabric8 kube-api-test expects in $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl}:
# wrappers that keep its etcd and kube-apiserver on 127.0.0.1 (it would bind them to every address).
#   hack/build-kube-binaries.sh          kube-apiserver (the bare control plane of the fast tests)
#   hack/build-kube-binaries.sh --node   also kubelet, kube-controller-manager, kube-scheduler, kube-proxy and
#                                        CoreDNS, for hack/local-cluster.sh up --with-node
# Prints the directory last.
#
# Why a Go build: there is no kind/Docker here and no way to download release binaries; the Go module proxy
# serves k8s.io/kubernetes. kube-apiserver 1.30.x is used because Debian's etcd (3.4.23) is older than what
# 1.31+ requires (3.4.29 / 3.5.11).
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.30.14}"
STAGING_VERSION="v0.${K8S_VERSION#1.}"
KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
KUBE_API_TEST_BIN="$KUBE_API_TEST_DIR/k8s/${K8S_VERSION}-linux-amd64"
TARGET="${KUBE_BIN_DIR:-$HOME/.cache/parallel-run/kube-$K8S_VERSION/bin}"
BUILD_DIR="${KUBE_BUILD_DIR:-$HOME/.cache/parallel-run/kube-build-$K8S_VERSION}"

log() { echo "[kube-binaries] $*" >&2; }

mkdir -p "$TARGET"

COREDNS_VERSION="${COREDNS_VERSION:-v1.11.3}"
components=(kube-apiserver)
[[ "${1:-}" == "--node" ]] && components+=(kubelet kube-controller-manager kube-scheduler kube-proxy)
missing=()
for c in "${components[@]}"; do [[ -x "$TARGET/$c" ]] || missing+=("$c"); done

if (( ${#missing[@]} )); then
  command -v go >/dev/null || { echo "go is required to build ${missing[*]}" >&2; exit 1; }
  log "building ${missing[*]} $K8S_VERSION from the k8s.io/kubernetes Go module (first run only: ~8 min for kube-apiserver, ~5 more for the node)"
  mkdir -p "$BUILD_DIR"
  cd "$BUILD_DIR"
  staging=(api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider
    cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api
    cri-client csi-translation-lib dynamic-resource-allocation endpointslice kms kube-aggregator
    kube-controller-manager kube-proxy kube-scheduler kubectl kubelet legacy-cloud-providers
    metrics mount-utils pod-security-admission sample-apiserver sample-cli-plugin sample-controller)
  {
    echo "module local/kubebuild"
    echo
    echo "go 1.22"
    echo
    echo "require k8s.io/kubernetes v$K8S_VERSION"
    echo
    echo "replace ("
    for m in "${staging[@]}"; do echo "  k8s.io/$m => k8s.io/$m $STAGING_VERSION"; done
    echo ")"
  } > go.mod
  {
    echo "//go:build tools"
    echo
    echo "package tools"
    echo
    echo "import ("
    for c in kube-apiserver kubelet kube-controller-manager kube-scheduler kube-proxy; do
      echo "	_ \"k8s.io/kubernetes/cmd/$c\""
    done
    echo ")"
  } > tools.go
  # Stamp the version, as the release build does, so `kubectl version` and skew checks see 1.30.x.
  version_flags=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    version_flags+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2)"
    version_flags+=" -X $pkg.gitTreeState=clean"
  done
  GOFLAGS=-mod=mod go get "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION" >&2
  for c in "${missing[@]}"; do
    GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -checklinkname=0 $version_flags" \
      -o "$TARGET/$c.tmp" "k8s.io/kubernetes/cmd/$c" >&2
    mv "$TARGET/$c.tmp" "$TARGET/$c"
    log "built $TARGET/$c"
  done
fi

if [[ "${1:-}" == "--node" && ! -x "$TARGET/coredns" ]]; then
  log "building CoreDNS $COREDNS_VERSION from its Go module (first run only)"
  GOBIN="$TARGET/coredns-build" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" \
    "github.com/coredns/coredns@$COREDNS_VERSION" >&2
  mv "$TARGET/coredns-build/coredns" "$TARGET/coredns"
  rmdir "$TARGET/coredns-build"
fi

if [[ ! -x "$TARGET/etcd" ]]; then
  etcd_bin="$(command -v etcd || true)"
  [[ -z "$etcd_bin" && -x /usr/bin/etcd ]] && etcd_bin=/usr/bin/etcd
  [[ -n "$etcd_bin" ]] || { echo "etcd not found: install Debian's etcd-server" >&2; exit 1; }
  ln -sf "$etcd_bin" "$TARGET/etcd"
fi

# kube-api-test starts etcd with --listen-client-urls http://0.0.0.0:PORT and kube-apiserver with no bind address;
# its binaries are these wrappers, so nothing a test starts listens beyond loopback.
mkdir -p "$KUBE_API_TEST_BIN"
cat > "$KUBE_API_TEST_BIN/etcd.tmp" <<WRAP
#!/usr/bin/env bash
exec "$TARGET/etcd" "\${@//0.0.0.0/127.0.0.1}"
WRAP
cat > "$KUBE_API_TEST_BIN/kube-apiserver.tmp" <<WRAP
#!/usr/bin/env bash
exec "$TARGET/kube-apiserver" "\$@" --bind-address=127.0.0.1
WRAP
chmod +x "$KUBE_API_TEST_BIN/etcd.tmp" "$KUBE_API_TEST_BIN/kube-apiserver.tmp"
mv -f "$KUBE_API_TEST_BIN/etcd.tmp" "$KUBE_API_TEST_BIN/etcd"
mv -f "$KUBE_API_TEST_BIN/kube-apiserver.tmp" "$KUBE_API_TEST_BIN/kube-apiserver"

if [[ ! -x "$KUBE_API_TEST_BIN/kubectl" ]]; then
  kubectl_bin="$(command -v kubectl || true)"
  [[ -n "$kubectl_bin" ]] || { echo "kubectl not found on PATH" >&2; exit 1; }
  ln -sf "$(readlink -f "$kubectl_bin")" "$KUBE_API_TEST_BIN/kubectl"
fi

echo "$TARGET"
