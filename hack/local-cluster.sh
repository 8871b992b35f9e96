#!/usr/bin/env bash
# A real local Kubernetes on this machine, reachable only on 127.0.0.1.
#   hack/local-cluster.sh up               etcd + kube-apiserver on 127.0.0.1 (no nodes): the fast tests' control plane
#   hack/local-cluster.sh up --with-node   a one-node cluster: etcd, kube-apiserver, kube-controller-manager,
#                                          kube-scheduler, containerd + runc, the kubelet, kube-proxy (iptables),
#                                          a CNI bridge and CoreDNS, all inside the network namespace
#                                          $PARALLELRUN_NETNS (default prun-node) that has no route out
#   hack/local-cluster.sh down             stop what `up` started and leave the machine as it was
#   hack/local-cluster.sh status
#   hack/local-cluster.sh import IMAGE.tar...   load image tars into the node's containerd
# `up` is idempotent and prints `export KUBECONFIG=...` last. Binaries come from hack/build-kube-binaries.sh and
# images from hack/build-node-images.sh, both built once and cached outside the repository.
#
# Hermetic by construction: the node's address, the pod bridge and the Service range live in a network namespace
# with only a loopback, a veth pair and the bridge, and no default route; the host reaches the API server
# through socat over a UNIX socket on 127.0.0.1. CoreDNS answers cluster.local and forwards nothing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${PARALLELRUN_LOCAL_DIR:-$HOME/.cache/parallel-run/local-cluster}"
KUBECONFIG_FILE="$STATE_DIR/kubeconfig"
NETNS="${PARALLELRUN_NETNS:-prun-node}"
NODE_NAME=prun-node
NODE_IP=10.210.0.2
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
API_SERVICE_IP=10.96.0.1
DNS_SERVICE_IP=10.96.0.10
BRIDGE=prun-cni0
CONTAINERD_SOCK="$STATE_DIR/containerd/containerd.sock"
# Paths containerd 1.6 and kubelet 1.30 use whatever they are told; `down` removes those that `up` created.
FIXED_PATHS=(/run/containerd /var/lib/cni /var/lib/kubelet /var/log/containers /var/log/pods /etc/cni)

log() { echo "[local-cluster] $*" >&2; }
die() { echo "[local-cluster] error: $*" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
alive() { [[ -f "$STATE_DIR/$1.pid" ]] && kill -0 "$(cat "$STATE_DIR/$1.pid")" 2>/dev/null; }
in_node() { nsenter --net="/run/netns/$NETNS" -- "$@"; }
kc() { kubectl --kubeconfig "$KUBECONFIG_FILE" "$@"; }
api_ready() { [[ -f "$KUBECONFIG_FILE" ]] && kc get --raw /readyz >/dev/null 2>&1; }

launch() { # name, command...: runs in the node's network namespace when the cluster has a node
  local name=$1; shift
  "${RUNNER[@]}" "$@" > "$STATE_DIR/$name.log" 2>&1 &
  echo $! > "$STATE_DIR/$name.pid"
}
RUNNER=()

wait_for() { # what, seconds, command...
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || die "$what not ready after ${seconds}s (logs in $STATE_DIR)"
    sleep 0.5
  done
}

# --- certificates --------------------------------------------------------------------------------------------
cert() { # name, subject, [SANs]: a key and certificate signed by the cluster's own CA
  local name=$1 subj=$2 sans=${3:-}
  [[ -f "$STATE_DIR/pki/$name.crt" ]] && openssl x509 -checkend 86400 -noout -in "$STATE_DIR/pki/$name.crt" >/dev/null && return
  openssl genrsa -out "$STATE_DIR/pki/$name.key" 2048 2>/dev/null
  openssl req -new -key "$STATE_DIR/pki/$name.key" -subj "$subj" -out "$STATE_DIR/pki/$name.csr" 2>/dev/null
  local ext="$STATE_DIR/pki/$name.ext"
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=digitalSignature,keyEncipherment"
    if [[ -n "$sans" ]]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$sans"
    else echo "extendedKeyUsage=clientAuth"; fi; } > "$ext"
  openssl x509 -req -in "$STATE_DIR/pki/$name.csr" -CA "$STATE_DIR/pki/ca.crt" -CAkey "$STATE_DIR/pki/ca.key" \
    -CAcreateserial -days 365 -extfile "$ext" -out "$STATE_DIR/pki/$name.crt" 2>/dev/null
  rm -f "$STATE_DIR/pki/$name.csr" "$ext"
}

pki() {
  mkdir -p "$STATE_DIR/pki"
  if [[ ! -f "$STATE_DIR/pki/ca.crt" ]] || ! openssl x509 -checkend 86400 -noout -in "$STATE_DIR/pki/ca.crt" >/dev/null; then
    rm -f "$STATE_DIR"/pki/*.crt # everything the old CA signed
    openssl genrsa -out "$STATE_DIR/pki/ca.key" 2048 2>/dev/null
    openssl req -x509 -new -key "$STATE_DIR/pki/ca.key" -subj "/CN=parallel-run-local-ca" -days 365 \
      -out "$STATE_DIR/pki/ca.crt" 2>/dev/null
  fi
  cert apiserver "/CN=kube-apiserver" \
    "IP:$API_SERVICE_IP,IP:$NODE_IP,IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin "/O=system:masters/CN=admin"
  cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME"
  cert controller-manager "/CN=system:kube-controller-manager"
  cert scheduler "/CN=system:kube-scheduler"
  cert kube-proxy "/CN=system:kube-proxy"
  [[ -f "$STATE_DIR/pki/sa.key" ]] || openssl genrsa -out "$STATE_DIR/pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$STATE_DIR/pki/sa.key" -pubout -out "$STATE_DIR/pki/sa.pub" 2>/dev/null
  chmod 600 "$STATE_DIR"/pki/*.key
}

kubeconfig() { # file, server, user-cert-name
  cat > "$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "$2", certificate-authority: "$STATE_DIR/pki/ca.crt"}
users:
- name: $3
  user: {client-certificate: "$STATE_DIR/pki/$3.crt", client-key: "$STATE_DIR/pki/$3.key"}
contexts:
- name: local
  context: {cluster: local, user: $3, namespace: default}
current-context: local
KC
  chmod 600 "$1"
}

# --- the bare control plane (no node) ------------------------------------------------------------------------
up_bare() {
  local bin_dir=$1 etcd_port peer_port api_port
  etcd_port="$(free_port)"; peer_port="$(free_port)"; api_port="$(free_port)"
  rm -f "$STATE_DIR/with-node"
  APISERVER_FLAGS+=(--authorization-mode RBAC)
  start_etcd "$bin_dir" 127.0.0.1 "$etcd_port" "$peer_port"
  log "starting kube-apiserver on https://127.0.0.1:$api_port"
  launch kube-apiserver "$bin_dir/kube-apiserver" --bind-address 127.0.0.1 --secure-port "$api_port" \
    "${APISERVER_FLAGS[@]}" --etcd-servers "http://127.0.0.1:$etcd_port" --disable-admission-plugins ServiceAccount
  kubeconfig "$KUBECONFIG_FILE" "https://127.0.0.1:$api_port" admin
  wait_for "kube-apiserver" 60 kc get --raw /readyz
}

start_etcd() { # bin_dir, host, client port, peer port
  rm -rf "$STATE_DIR/etcd-data"
  log "starting etcd"
  launch etcd "$1/etcd" --data-dir "$STATE_DIR/etcd-data" \
    --listen-client-urls "http://$2:$3" --advertise-client-urls "http://$2:$3" \
    --listen-peer-urls "http://$2:$4" --initial-advertise-peer-urls "http://$2:$4" \
    --initial-cluster "default=http://$2:$4"
}

# --- the one-node cluster ------------------------------------------------------------------------------------
preflight_node() {
  [[ $(id -u) == 0 ]] || die "--with-node needs root (network namespace, containerd, kubelet); use the kind path otherwise"
  # Two nodes on one host would share the kubelet's cgroup root and containerd's fixed paths.
  local other
  other=$(pgrep -a kubelet 2>/dev/null | grep -v -- "$STATE_DIR/" | head -n 1 || true)
  [[ -z "$other" ]] || die "another kubelet runs on this host ($other); stop that cluster first (e.g. e2e/demo.sh --down)"
  local missing=()
  for tool in containerd runc containerd-shim-runc-v2 ctr ip iptables socat nsenter conntrack; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [[ -x /usr/lib/cni/bridge ]] || missing+=(containernetworking-plugins)
  (( ${#missing[@]} == 0 )) || die "missing: ${missing[*]} (hack/install-prerequisites.sh --node installs them)"
  [[ -d /sys/fs/cgroup/memory || -f /sys/fs/cgroup/cgroup.controllers ]] || die "no cgroup filesystem at /sys/fs/cgroup"
}

# Host-wide kernel settings the kubelet sets (they are not per network namespace); `down` puts them back.
HOST_SYSCTLS=(kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom kernel.keys.root_maxkeys
  kernel.keys.root_maxbytes)

record_host_state() { # what `down` must restore or remove, recorded once before the first `up` changes it
  [[ -f "$STATE_DIR/created-paths" ]] && return
  local p
  for p in "${FIXED_PATHS[@]}" /run/netns; do [[ -e "$p" ]] || echo "$p"; done > "$STATE_DIR/created-paths"
  mountpoint -q /run/netns 2>/dev/null || echo /run/netns > "$STATE_DIR/created-mounts"
  sysctl -e "${HOST_SYSCTLS[@]}" 2>/dev/null | sed 's/ = /=/' > "$STATE_DIR/host-sysctls"
  # Stock Debian kernels build br_netfilter as a module; the bridge's traffic must pass kube-proxy's iptables.
  if [[ ! -d /proc/sys/net/bridge ]]; then
    modprobe br_netfilter || die "the bridge netfilter (br_netfilter) is missing"
    echo br_netfilter > "$STATE_DIR/loaded-modules"
  fi
}

network_up() {
  ip netns add "$NETNS"
  in_node ip link set lo up
  # The node's address, on one end of a veth pair whose both ends stay in the namespace (these kernels have no
  # dummy interfaces): an interface with a carrier that leads nowhere.
  in_node ip link add prun-node0 type veth peer name prun-node1
  in_node ip addr add "$NODE_IP/24" dev prun-node0
  in_node ip link set prun-node0 up
  in_node ip link set prun-node1 up
  # Service and pod traffic stays in this namespace: the Service range is routed to the node's interface (where
  # kube-proxy's DNAT catches it), and there is no default route, so nothing can be sent anywhere else.
  in_node ip route add "$SERVICE_CIDR" dev prun-node0
  in_node sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.ipv4.conf.all.route_localnet=1
  mkdir -p "$STATE_DIR/cni/net.d"
  cat > "$STATE_DIR/cni/net.d/10-$NETNS.conflist" <<CNI
{"cniVersion": "1.0.0", "name": "$NETNS", "plugins": [
  {"type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
CNI
}

containerd_up() {
  mkdir -p "$STATE_DIR/containerd"
  cat > "$STATE_DIR/containerd/config.toml" <<TOML
version = 2
root = "$STATE_DIR/containerd/root"
state = "$STATE_DIR/containerd/state"
# The opt plugin would create /opt/containerd on the host.
disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/parallel-run/pause:1"
  # These VMs withhold CAP_SYS_RESOURCE: without this, runc fails to give the sandbox oom_score_adj=-998.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE_DIR/cni/net.d"
TOML
  log "starting containerd"
  launch containerd containerd --config "$STATE_DIR/containerd/config.toml"
  wait_for "containerd" 30 ctr --address "$CONTAINERD_SOCK" version
}

import_images() { # image tars
  local tar
  for tar in "$@"; do
    ctr --address "$CONTAINERD_SOCK" -n k8s.io images import --no-unpack "$tar" >/dev/null \
      || die "importing $tar failed"
  done
}

kubelet_up() {
  local bin_dir=$1
  mkdir -p "$STATE_DIR/kubelet" "$STATE_DIR/kubelet-plugins"
  : > "$STATE_DIR/resolv.conf" # pods with dnsPolicy Default get no upstream resolver
  cat > "$STATE_DIR/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$STATE_DIR/pki/ca.crt"}
authorization: {mode: Webhook}
address: "$NODE_IP"
healthzBindAddress: 127.0.0.1
readOnlyPort: 0
cgroupDriver: cgroupfs
containerRuntimeEndpoint: "unix://$CONTAINERD_SOCK"
clusterDNS: ["$DNS_SERVICE_IP"]
clusterDomain: cluster.local
resolvConf: "$STATE_DIR/resolv.conf"
failSwapOn: false
# Imported images can't be pulled again: never collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
serializeImagePulls: false
maxPods: 60
YAML
  kubeconfig "$STATE_DIR/kubelet/kubeconfig" "https://127.0.0.1:6443" kubelet
  log "starting the kubelet"
  launch kubelet "$bin_dir/kubelet" --config "$STATE_DIR/kubelet/config.yaml" \
    --kubeconfig "$STATE_DIR/kubelet/kubeconfig" --root-dir "$STATE_DIR/kubelet/root" \
    --cert-dir "$STATE_DIR/kubelet/pki" --volume-plugin-dir "$STATE_DIR/kubelet-plugins" \
    --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v 1
}

kube_proxy_up() {
  local bin_dir=$1
  kubeconfig "$STATE_DIR/kube-proxy.kubeconfig" "https://127.0.0.1:6443" kube-proxy
  cat > "$STATE_DIR/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: "$STATE_DIR/kube-proxy.kubeconfig"}
mode: iptables
hostnameOverride: $NODE_NAME
clusterCIDR: 10.244.0.0/16
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# Inside a network namespace the conntrack table size is not ours to set.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
# Masquerade every Service connection, so a pod reaching itself or a neighbour on the bridge gets its replies
# back through conntrack.
iptables: {masqueradeAll: true}
YAML
  log "starting kube-proxy"
  launch kube-proxy "$bin_dir/kube-proxy" --config "$STATE_DIR/kube-proxy.yaml"
}

coredns_up() {
  kc apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ServiceAccount
metadata: {name: coredns, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:coredns"}
rules:
  - {apiGroups: [""], resources: [endpoints, services, pods, namespaces], verbs: [list, watch]}
  - {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns"}
subjects: [{kind: ServiceAccount, name: coredns, namespace: kube-system}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  # cluster.local only: no `forward`, so no query ever leaves the cluster.
  Corefile: |
    .:1053 {
        errors
        health :8080
        ready :8181
        kubernetes cluster.local in-addr.arpa ip6.arpa {
            pods insecure
        }
        cache 30
    }
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  replicas: 1
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec:
      serviceAccountName: coredns
      dnsPolicy: Default
      securityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: coredns
          image: localhost/parallel-run/coredns:1.11.3
          imagePullPolicy: Never
          args: [-conf, /etc/coredns/Corefile]
          ports: [{containerPort: 1053, protocol: UDP, name: dns}, {containerPort: 1053, protocol: TCP, name: dns-tcp}]
          readinessProbe: {httpGet: {path: /ready, port: 8181}, periodSeconds: 2}
          livenessProbe: {httpGet: {path: /health, port: 8080}}
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
          volumeMounts: [{name: config, mountPath: /etc/coredns}]
      volumes: [{name: config, configMap: {name: coredns}}]
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  selector: {k8s-app: kube-dns}
  clusterIP: 10.96.0.10
  ports:
    - {name: dns, port: 53, targetPort: 1053, protocol: UDP}
    - {name: dns-tcp, port: 53, targetPort: 1053, protocol: TCP}
YAML
}

up_node() {
  local bin_dir=$1 api_port
  preflight_node
  local images
  images="$("$HERE/build-node-images.sh" base | tail -n 1)"
  record_host_state
  touch "$STATE_DIR/with-node"
  network_up
  RUNNER=(nsenter --net="/run/netns/$NETNS" --)
  APISERVER_FLAGS+=(--authorization-mode Node,RBAC
    --kubelet-client-certificate "$STATE_DIR/pki/admin.crt" --kubelet-client-key "$STATE_DIR/pki/admin.key"
    --kubelet-preferred-address-types InternalIP)
  start_etcd "$bin_dir" 127.0.0.1 2379 2380
  log "starting kube-apiserver on $NODE_IP:6443 in network namespace $NETNS"
  launch kube-apiserver "$bin_dir/kube-apiserver" --bind-address 0.0.0.0 --advertise-address "$NODE_IP" \
    --secure-port 6443 "${APISERVER_FLAGS[@]}" --etcd-servers http://127.0.0.1:2379
  # The host's only way in: 127.0.0.1:<port> -> a UNIX socket -> 127.0.0.1:6443 inside the namespace.
  api_port="$(free_port)"
  rm -f "$STATE_DIR/api.sock"
  launch api-socket socat "UNIX-LISTEN:$STATE_DIR/api.sock,fork,mode=600" TCP:127.0.0.1:6443
  local in_netns=("${RUNNER[@]}"); RUNNER=()
  launch api-forward socat "TCP-LISTEN:$api_port,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$STATE_DIR/api.sock"
  RUNNER=("${in_netns[@]}")
  kubeconfig "$KUBECONFIG_FILE" "https://127.0.0.1:$api_port" admin
  wait_for "kube-apiserver" 60 kc get --raw /readyz

  kubeconfig "$STATE_DIR/controller-manager.kubeconfig" "https://127.0.0.1:6443" controller-manager
  log "starting kube-controller-manager and kube-scheduler"
  launch kube-controller-manager "$bin_dir/kube-controller-manager" \
    --kubeconfig "$STATE_DIR/controller-manager.kubeconfig" --authentication-kubeconfig "$STATE_DIR/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$STATE_DIR/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
    --root-ca-file "$STATE_DIR/pki/ca.crt" --service-account-private-key-file "$STATE_DIR/pki/sa.key" \
    --cluster-signing-cert-file "$STATE_DIR/pki/ca.crt" --cluster-signing-key-file "$STATE_DIR/pki/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --flex-volume-plugin-dir "$STATE_DIR/kubelet-plugins" \
    --controllers '*,-nodeipam,-cloud-node-lifecycle'
  kubeconfig "$STATE_DIR/scheduler.kubeconfig" "https://127.0.0.1:6443" scheduler
  launch kube-scheduler "$bin_dir/kube-scheduler" --kubeconfig "$STATE_DIR/scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE_DIR/scheduler.kubeconfig" --authorization-kubeconfig "$STATE_DIR/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false

  containerd_up
  import_images "$images"/*.tar
  kubelet_up "$bin_dir"
  kube_proxy_up "$bin_dir"
  wait_for "node $NODE_NAME" 60 kc wait --for=condition=Ready "node/$NODE_NAME" --timeout=1s
  local p
  for p in kube-controller-manager kube-scheduler kube-proxy containerd kubelet; do
    alive "$p" || { tail -5 "$STATE_DIR/$p.log" >&2; die "$p exited (log: $STATE_DIR/$p.log)"; }
  done
  coredns_up
  wait_for "CoreDNS" 90 kc -n kube-system wait --for=condition=Available deployment/coredns --timeout=1s
}

up() {
  local with_node=false
  [[ "${1:-}" == "--with-node" ]] && with_node=true
  command -v python3 >/dev/null || die "python3 is required"
  command -v openssl >/dev/null || die "openssl is required"
  if alive kube-apiserver && api_ready && { ! $with_node || { [[ -f "$STATE_DIR/with-node" ]] && alive kubelet; }; }; then
    log "already running"
    echo "export KUBECONFIG=$KUBECONFIG_FILE"
    return
  fi
  down quiet
  local bin_dir
  if $with_node; then
    bin_dir="$("$HERE/build-kube-binaries.sh" --node | tail -n 1)"
  else
    bin_dir="$("$HERE/build-kube-binaries.sh" | tail -n 1)"
  fi
  mkdir -p "$STATE_DIR"
  pki
  APISERVER_FLAGS=(--client-ca-file "$STATE_DIR/pki/ca.crt"
    --tls-cert-file "$STATE_DIR/pki/apiserver.crt" --tls-private-key-file "$STATE_DIR/pki/apiserver.key"
    --service-account-issuer https://kubernetes.default.svc.cluster.local
    --service-account-key-file "$STATE_DIR/pki/sa.pub" --service-account-signing-key-file "$STATE_DIR/pki/sa.key"
    --service-cluster-ip-range "$SERVICE_CIDR")
  if $with_node; then up_node "$bin_dir"; else up_bare "$bin_dir"; fi
  log "ready (logs in $STATE_DIR)"
  echo "export KUBECONFIG=$KUBECONFIG_FILE"
}

stop_process() { # name
  local p=$1
  if alive "$p"; then
    kill "$(cat "$STATE_DIR/$p.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$p" || break; sleep 0.1; done
    alive "$p" && kill -9 "$(cat "$STATE_DIR/$p.pid")" 2>/dev/null || true
  fi
  rm -f "$STATE_DIR/$p.pid"
}

down() {
  local quiet="${1:-}" node=false
  if [[ -f "$STATE_DIR/with-node" ]] || ip netns list 2>/dev/null | grep -qw "$NETNS"; then node=true; fi
  if $node; then
    # The kubelet first, so nothing restarts containers; then kill and remove (not only stop) every one of them.
    stop_process kube-proxy
    stop_process kubelet
    if alive containerd; then
      local ctr_=(ctr --address "$CONTAINERD_SOCK" -n k8s.io)
      local id
      for id in $("${ctr_[@]}" tasks list -q 2>/dev/null); do "${ctr_[@]}" tasks kill -s KILL "$id" >/dev/null 2>&1 || true; done
      for _ in $(seq 1 20); do [[ -z "$("${ctr_[@]}" tasks list -q 2>/dev/null)" ]] && break; sleep 0.25; done
      for id in $("${ctr_[@]}" tasks list -q 2>/dev/null); do "${ctr_[@]}" tasks delete -f "$id" >/dev/null 2>&1 || true; done
      for id in $("${ctr_[@]}" containers list -q 2>/dev/null); do "${ctr_[@]}" containers delete "$id" >/dev/null 2>&1 || true; done
    fi
    stop_process containerd
    pkill -f "containerd-shim-runc-v2 -namespace k8s.io -id .* -address $CONTAINERD_SOCK" 2>/dev/null || true
  fi
  for p in api-forward api-socket kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_process "$p"; done
  # The cluster's data (every Secret in it) and its socket do not outlive it.
  rm -rf "$STATE_DIR/etcd-data" "$STATE_DIR/api.sock"
  if $node; then
    # Mounts the kubelet and containerd left (pod volumes, sandboxes' netns and shm, overlay rootfs).
    local m
    for m in $(awk -v s="$STATE_DIR/" -v n="/run/netns/cni-" 'index($2, s) == 1 || index($2, n) == 1 || index($2, "/run/containerd/") == 1 {print $2}' /proc/mounts | sort -r); do
      umount -l "$m" 2>/dev/null || true
    done
    rm -f /run/netns/cni-* 2>/dev/null || true
    # Deleting the namespace removes its interfaces, the bridge, routes, iptables chains and sysctls with it.
    ip netns delete "$NETNS" 2>/dev/null || true
    remove_cgroups
    if [[ -f "$STATE_DIR/host-sysctls" ]]; then
      while read -r setting; do [[ -n "$setting" ]] && sysctl -qw "$setting" 2>/dev/null || true; done < "$STATE_DIR/host-sysctls"
      rm -f "$STATE_DIR/host-sysctls"
    fi
    if [[ -f "$STATE_DIR/created-mounts" ]] && [[ -z "$(ls -A /run/netns 2>/dev/null)" ]]; then
      umount /run/netns 2>/dev/null || true
    fi
    rm -f "$STATE_DIR/created-mounts"
    if [[ -f "$STATE_DIR/loaded-modules" ]]; then
      modprobe -r "$(cat "$STATE_DIR/loaded-modules")" 2>/dev/null || true
      rm -f "$STATE_DIR/loaded-modules"
    fi
    if [[ -f "$STATE_DIR/created-paths" ]]; then
      while read -r p; do
        [[ -n "$p" ]] || continue
        # /run/netns only when no other namespace lives there
        [[ "$p" == /run/netns && -n "$(ls -A /run/netns 2>/dev/null)" ]] && continue
        rm -rf "$p"
      done < "$STATE_DIR/created-paths"
      rm -f "$STATE_DIR/created-paths"
    fi
    rm -rf "$STATE_DIR/containerd/root" "$STATE_DIR/containerd/state" "$STATE_DIR/kubelet" "$STATE_DIR/with-node"
  fi
  [[ -n "$quiet" ]] || log "stopped"
}

remove_cgroups() { # the kubelet's pod cgroups (cgroupfs driver), deepest first
  local c
  for c in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
    [[ -d "$c" ]] || continue
    find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  status) if alive kube-apiserver && api_ready; then echo "running: export KUBECONFIG=$KUBECONFIG_FILE"; else echo "not running"; exit 1; fi ;;
  import) shift; import_images "$@" ;;
  *) echo "usage: $0 up [--with-node] | down | status | import IMAGE.tar..." >&2; exit 2 ;;
esac
