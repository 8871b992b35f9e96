#!/usr/bin/env bash
# The project's test command (README): every module's tests, including those against a real kube-apiserver
# and a real Prometheus. Builds kube-apiserver from its Go module on first use (cached in ~/.kubeapitest).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
for tool in java mvn go kubectl prometheus etcd; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if (( ${#missing[@]} )); then
  echo "error: missing prerequisites: ${missing[*]}" >&2
  echo "  Debian/Ubuntu: apt-get install -y openjdk-17-jdk-headless maven etcd-server prometheus; Go >= 1.22 and kubectl on PATH" >&2
  exit 1
fi

e2e/bin/build-kube-binaries.sh >/dev/null
e2e/bin/build-helm.sh >/dev/null
exec mvn -B verify "$@"
