#!/usr/bin/env bash
# Installs what the demo and the tests need and the machine lacks, the one way CI, e2e/demo.sh and
# e2e/run-tests.sh all use: Debian's packages, as root. Elsewhere it stops with one line saying what to install.
#   hack/install-prerequisites.sh          Java 17, Maven, etcd, Prometheus, openssl, curl, python3
#   hack/install-prerequisites.sh --node   also what the one-node cluster needs: containerd, runc, CNI plugins,
#                                          iptables, conntrack, socat, debootstrap
# Go (>= 1.23, to build the Kubernetes binaries and helm once) and kubectl must already be on PATH.
set -euo pipefail

want=(java:openjdk-17-jdk-headless javac:openjdk-17-jdk-headless mvn:maven etcd:etcd-server
  prometheus:prometheus openssl:openssl curl:curl python3:python3)
if [[ "${1:-}" == "--node" ]]; then
  want+=(containerd:containerd runc:runc /usr/lib/cni/bridge:containernetworking-plugins iptables:iptables
    conntrack:conntrack socat:socat debootstrap:debootstrap nsenter:util-linux ip:iproute2)
fi

have() { [[ "$1" == /* ]] && [[ -x "$1" ]] || command -v "$1" >/dev/null 2>&1; }

packages=()
for entry in "${want[@]}"; do
  tool=${entry%%:*} package=${entry#*:}
  have "$tool" || [[ " ${packages[*]} " == *" $package "* ]] || packages+=("$package")
done

missing_other=()
command -v go >/dev/null 2>&1 || missing_other+=("Go >= 1.23")
command -v kubectl >/dev/null 2>&1 || missing_other+=(kubectl)

if (( ${#packages[@]} )); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "[prerequisites] installing ${packages[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Debian would start etcd, Prometheus (on *:9090) and containerd as services; the project starts its own, on
    # loopback, when it needs them. policy-rc.d forbids starting services during this install.
    own_policy=false
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=true
    fi
    trap '$own_policy && rm -f /usr/sbin/policy-rc.d' EXIT
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends "${packages[@]}" >&2
    # Nor at the next boot (where systemd runs them).
    if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
      systemctl disable --now etcd prometheus containerd >/dev/null 2>&1 || true
    fi
  else
    echo "error: missing Debian packages: ${packages[*]}${missing_other:+; and ${missing_other[*]}} (install them, or run this as root on Debian/Ubuntu)" >&2
    exit 1
  fi
fi
if (( ${#missing_other[@]} )); then
  echo "error: missing ${missing_other[*]} on PATH" >&2
  exit 1
fi
