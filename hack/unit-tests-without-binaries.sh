#!/usr/bin/env bash
# The unit tier on a machine without the real parts: runs `mvn -o test` with go, etcd, Prometheus, kubectl, helm
# and the Kubernetes binaries hidden from PATH, PROMETHEUS_BIN and HELM_BIN (test-support's absolute paths)
# pointing at nothing, and HOME an empty directory, also as the JVMs' user.home (so no ~/.kubeapitest, no
# ~/.cache/parallel-run). It proves that `mvn test` needs none of them (docs/development.md, "Test tiers").
#   hack/unit-tests-without-binaries.sh [mvn args...]
# The Maven repository stays the real one (-Dmaven.repo.local, default ~/.m2/repository), read offline.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
M2_REPO="${M2_REPO:-$HOME/.m2/repository}"
HIDDEN=(go gofmt etcd etcdctl prometheus promtool kubectl helm kind docker
        kube-apiserver kubelet kube-controller-manager kube-scheduler kube-proxy containerd runc)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/home"

# A PATH of one directory: a link to every command the current PATH finds, except the hidden ones.
IFS=: read -ra dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  [[ -d "$dir" ]] || continue
  for file in "$dir"/*; do
    name="${file##*/}"
    [[ -x "$file" && ! -d "$file" && ! -e "$work/bin/$name" ]] || continue
    [[ " ${HIDDEN[*]} " == *" $name "* ]] && continue
    ln -s "$file" "$work/bin/$name"
  done
done

echo "hidden from PATH:"
for name in "${HIDDEN[@]}"; do
  if found="$(command -v "$name")"; then echo "  $name ($found)"; fi
  if PATH="$work/bin" command -v "$name" >/dev/null; then echo "still found: $name" >&2; exit 1; fi
done
echo "HOME: $work/home (empty; was $HOME)"
echo "PROMETHEUS_BIN, HELM_BIN: $work/absent (nothing); KUBECONFIG unset"

cd "$ROOT"
# Java takes user.home from the password database, not from HOME: set it for Maven and for surefire's JVMs.
env -u KUBECONFIG PATH="$work/bin" HOME="$work/home" PROMETHEUS_BIN="$work/absent" HELM_BIN="$work/absent" \
    MAVEN_OPTS="${MAVEN_OPTS:-} -Duser.home=$work/home" \
  mvn -o -B -q test -Dmaven.repo.local="$M2_REPO" -DargLine="-Duser.home=$work/home" "$@"
echo "unit tier passed without the binaries"
