#!/usr/bin/env bash
# Builds (only when missing) the control-plane binaries the tests run against, and lays them out the way
# fabric8 kube-api-test expects: $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl}.
#
# Why a Go build: there is no kind/Docker here and no way to download release binaries; the Go module proxy
# serves k8s.io/kubernetes. kube-apiserver 1.30.x is used because Debian's etcd (3.4.23) is older than what
# 1.31+ requires (3.4.29 / 3.5.11).
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.30.14}"
STAGING_VERSION="v0.${K8S_VERSION#1.}"
KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
TARGET="$KUBE_API_TEST_DIR/k8s/${K8S_VERSION}-linux-amd64"
BUILD_DIR="${KUBE_BUILD_DIR:-$HOME/.cache/parallel-run/kube-build-$K8S_VERSION}"

log() { echo "[kube-binaries] $*" >&2; }

mkdir -p "$TARGET"

if [[ ! -x "$TARGET/kube-apiserver" ]]; then
  command -v go >/dev/null || { echo "go is required to build kube-apiserver" >&2; exit 1; }
  log "building kube-apiserver $K8S_VERSION from the k8s.io/kubernetes Go module (first run only, ~10 min)"
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
  cat > tools.go <<'GO'
//go:build tools

package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
GO
  # Stamp the version, as the release build does, so `kubectl version` and skew checks see 1.30.x.
  version_flags=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    version_flags+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2)"
    version_flags+=" -X $pkg.gitTreeState=clean"
  done
  GOFLAGS=-mod=mod go get "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION" >&2
  GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -checklinkname=0 $version_flags" \
    -o "$TARGET/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
  log "built $TARGET/kube-apiserver"
fi

if [[ ! -x "$TARGET/etcd" ]]; then
  etcd_bin="$(command -v etcd || true)"
  [[ -z "$etcd_bin" && -x /usr/bin/etcd ]] && etcd_bin=/usr/bin/etcd
  [[ -n "$etcd_bin" ]] || { echo "etcd not found: install Debian's etcd-server" >&2; exit 1; }
  ln -sf "$etcd_bin" "$TARGET/etcd"
fi

if [[ ! -x "$TARGET/kubectl" ]]; then
  kubectl_bin="$(command -v kubectl || true)"
  [[ -n "$kubectl_bin" ]] || { echo "kubectl not found on PATH" >&2; exit 1; }
  ln -sf "$(readlink -f "$kubectl_bin")" "$TARGET/kubectl"
fi

echo "$TARGET"
