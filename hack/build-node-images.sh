#!/usr/bin/env bash
# Container images for the local node, built without Docker and cached outside the repository.
#   hack/build-node-images.sh base   the node's own images (pause, CoreDNS, Prometheus) and the JRE base image the
#                                    project's images build on (Debian bookworm + openjdk-17-jre-headless, made by
#                                    debootstrap); only what is missing. Prints the directory of tars to import.
#   hack/build-node-images.sh apps   the operator, proxy and sample-app images, by Jib (jib:buildTar) on that JRE
#                                    base. Prints the directory of their tars.
# The same Jib configuration pushes to a registry (`mvn package jib:build -Dimage.registry=...`): see README.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
IMAGES="${PARALLELRUN_IMAGES_DIR:-$HOME/.cache/parallel-run/images}"
NODE_IMAGES="$IMAGES/node"          # imported into the node's containerd at every `up`
JRE_BASE="$IMAGES/base/jre17.tar"   # Jib's base image (tar://), never imported itself
DEBIAN_MIRROR="${DEBIAN_MIRROR:-$(awk '/^URIs:/ && $2 ~ /debian$/ {print $2; exit} /^deb / && $3 == "bookworm" {print $2; exit}' \
  /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true)}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Prometheus 3.x's Go module versions are v0.3XX.Y.
PROMETHEUS_MODULE_VERSION="${PROMETHEUS_MODULE_VERSION:-v0.316.0}"

log() { echo "[node-images] $*" >&2; }
die() { echo "[node-images] error: $*" >&2; exit 1; }

base() {
  local bin_dir
  bin_dir="$("$HERE/build-kube-binaries.sh" --node | tail -n 1)"
  mkdir -p "$NODE_IMAGES" "$IMAGES/base"
  if [[ ! -f "$NODE_IMAGES/pause.tar" ]]; then
    log "pause image"
    (cd "$HERE/pause" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$IMAGES/pause" main.go)
    python3 "$HERE/image-tar.py" --name localhost/parallel-run/pause:1 --out "$NODE_IMAGES/pause.tar" \
      --file "$IMAGES/pause:/pause" --entrypoint '["/pause"]' --user 65535:65535
  fi
  if [[ ! -f "$NODE_IMAGES/coredns.tar" ]]; then
    log "CoreDNS image"
    python3 "$HERE/image-tar.py" --name localhost/parallel-run/coredns:1.11.3 --out "$NODE_IMAGES/coredns.tar" \
      --file "$bin_dir/coredns:/coredns" --entrypoint '["/coredns"]'
  fi
  if [[ ! -f "$NODE_IMAGES/prometheus.tar" ]]; then
    # Built from its Go module: Debian's prometheus leaves out Kubernetes service discovery.
    if [[ ! -x "$IMAGES/prometheus-$PROMETHEUS_MODULE_VERSION" ]]; then
      log "building Prometheus (module $PROMETHEUS_MODULE_VERSION) from its Go module (first run only, ~6 min)"
      GOBIN="$IMAGES/prometheus-build" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" \
        "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_MODULE_VERSION" >&2
      mv "$IMAGES/prometheus-build/prometheus" "$IMAGES/prometheus-$PROMETHEUS_MODULE_VERSION"
      rmdir "$IMAGES/prometheus-build"
    fi
    log "Prometheus image"
    python3 "$HERE/image-tar.py" --name localhost/parallel-run/prometheus:1 --out "$NODE_IMAGES/prometheus.tar" \
      --file "$IMAGES/prometheus-$PROMETHEUS_MODULE_VERSION:/bin/prometheus" --entrypoint '["/bin/prometheus"]' \
      --user 65534:65534
  fi
  if [[ ! -f "$JRE_BASE" ]]; then
    command -v debootstrap >/dev/null || die "debootstrap is required (hack/install-prerequisites.sh --node)"
    local rootfs="$IMAGES/base/jre17-rootfs"
    if [[ ! -x "$rootfs/usr/bin/java" ]]; then
      log "JRE base: debootstrap bookworm + openjdk-17-jre-headless from $DEBIAN_MIRROR (first run only, ~1 min)"
      rm -rf "$rootfs"
      debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$DEBIAN_MIRROR" \
        > "$IMAGES/base/debootstrap.log" 2>&1 || { tail -20 "$IMAGES/base/debootstrap.log" >&2; die "debootstrap failed"; }
    fi
    log "JRE base image"
    python3 "$HERE/image-tar.py" --name localhost/parallel-run/jre17:bookworm --out "$JRE_BASE" --rootfs "$rootfs"
  fi
  echo "$NODE_IMAGES"
}

apps() {
  [[ -f "$JRE_BASE" ]] || base >/dev/null
  mkdir -p "$IMAGES/apps"
  log "operator, proxy and sample-app images (Jib, on $JRE_BASE)"
  (cd "$ROOT" && mvn -B -q package jib:buildTar -DskipTests -Djib.from.image="tar://$JRE_BASE" \
      -pl operator,proxy,examples/sample-apps -am) >&2
  local m
  for m in operator proxy examples/sample-apps; do
    cp "$ROOT/$m/target/jib-image.tar" "$IMAGES/apps/$(basename "$m").tar"
  done
  echo "$IMAGES/apps"
}

case "${1:-}" in
  base) base ;;
  apps) apps ;;
  *) echo "usage: $0 base|apps" >&2; exit 2 ;;
esac
