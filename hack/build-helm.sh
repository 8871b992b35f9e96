#!/usr/bin/env bash
# Builds helm (only when missing) from its Go module — there is no other way to get it on an offline machine —
# and prints its path. Cached outside the repo.
set -euo pipefail
HELM_VERSION="${HELM_VERSION:-v3.19.0}"
BIN_DIR="${PARALLELRUN_BIN_DIR:-$HOME/.cache/parallel-run/bin}"
if [[ ! -x "$BIN_DIR/helm" ]] || ! "$BIN_DIR/helm" version --short 2>/dev/null | grep -q "^$HELM_VERSION"; then
  command -v go >/dev/null || { echo "go is required to build helm" >&2; exit 1; }
  echo "[helm] building helm $HELM_VERSION from helm.sh/helm/v3 (first run only)" >&2
  mkdir -p "$BIN_DIR"
  GOBIN="$BIN_DIR" CGO_ENABLED=0 go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
fi
echo "$BIN_DIR/helm"
