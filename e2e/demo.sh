#!/usr/bin/env bash
# The parallel-run demo, on this machine, in a few minutes:
#   a real local control plane (etcd + kube-apiserver), a real Prometheus, the sample legacy monolith and new
#   returns service, the operator, and the proxy started exactly as the Deployment the operator created says.
#   Client traffic flows through the proxy while the operator cuts endpoints over one by one; the candidate's one
#   buggy endpoint (return-reasons) must stay on legacy.
#
#   e2e/demo.sh          run it, then clean up
#   e2e/demo.sh --keep   leave everything running and print how to reach it
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEEP=false
[[ "${1:-}" == "--keep" ]] && KEEP=true
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { sed -n 2,9p "$0"; exit 0; }
DEMO_DIR="${PARALLELRUN_DEMO_DIR:-$HOME/.cache/parallel-run/demo}"
NS=shop
RUN=returns-demo
TIMEOUT_SECONDS="${DEMO_TIMEOUT_SECONDS:-300}"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { echo "demo: error: $*" >&2; exit 1; }

# --- prerequisites ------------------------------------------------------------------------------------------
missing=()
for tool in java mvn go kubectl prometheus etcd python3 openssl curl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if (( ${#missing[@]} )); then
  die "missing prerequisites: ${missing[*]}
  Debian/Ubuntu: apt-get install -y openjdk-17-jdk-headless maven etcd-server prometheus python3 openssl curl
  plus Go >= 1.22 (builds kube-apiserver once) and kubectl on PATH"
fi
java -version 2>&1 | grep -q -E 'version "(1[7-9]|2[0-9])' || die "Java 17 or newer is required"

mkdir -p "$DEMO_DIR"
PIDS=()
cleanup() {
  local code=$?
  if $KEEP && (( code == 0 )); then return; fi
  [[ -n "${TRAFFIC_PID:-}" ]] && kill "$TRAFFIC_PID" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PARALLELRUN_LOCAL_DIR="$DEMO_DIR/cluster" "$ROOT/e2e/local-cluster.sh" down >/dev/null 2>&1 || true
  (( code == 0 )) || echo "demo: failed; logs are in $DEMO_DIR" >&2
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # url, what
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done
  die "$2 did not come up at $1 (logs in $DEMO_DIR)"
}
start() { # name, command...
  local name=$1; shift
  "$@" > "$DEMO_DIR/$name.log" 2>&1 &
  PIDS+=($!)
}

# --- build and control plane ------------------------------------------------------------------------------
say "Building (mvn package -DskipTests)"
(cd "$ROOT" && mvn -B -q package -DskipTests -pl proxy,operator,examples/sample-apps -am) || die "build failed"

say "Starting a local control plane (etcd + kube-apiserver)"
export KUBECONFIG
KUBECONFIG="$(PARALLELRUN_LOCAL_DIR="$DEMO_DIR/cluster" "$ROOT/e2e/local-cluster.sh" up | tail -n 1 | sed 's/^export KUBECONFIG=//')"
kubectl apply --server-side -f "$ROOT/crds/" >/dev/null
kubectl wait --for=condition=Established crd/parallelruns.parallelrun.io --timeout=60s >/dev/null
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null

# --- the two implementations, Prometheus, the operator ----------------------------------------------------
LEGACY_PORT=$(free_port); CANDIDATE_PORT=$(free_port)
PROXY_PORT=$(free_port); PROXY_ADMIN_PORT=$(free_port); OPERATOR_PORT=$(free_port); PROM_PORT=$(free_port)
APP_JAR="$ROOT/examples/sample-apps/target/sample-returns-app.jar"
say "Starting the legacy monolith (:$LEGACY_PORT) and the new returns service (:$CANDIDATE_PORT)"
start legacy java -jar "$APP_JAR" --flavor legacy --listen "127.0.0.1:$LEGACY_PORT"
start candidate java -jar "$APP_JAR" --flavor candidate --listen "127.0.0.1:$CANDIDATE_PORT"
wait_http "http://127.0.0.1:$LEGACY_PORT/api/return-reasons/all" "legacy"
wait_http "http://127.0.0.1:$CANDIDATE_PORT/api/return-reasons/all" "candidate"

say "Starting Prometheus (:$PROM_PORT), scraping the proxy and the operator every second"
mkdir -p "$DEMO_DIR/prometheus"
cat > "$DEMO_DIR/prometheus/prometheus.yml" <<PROM
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  # honor_labels: false (the default): the operator reads only series Prometheus attributes to a proxy pod of the
  # run by its own target labels namespace and pod, which kubernetes_sd attaches in a cluster and the static
  # labels below attach here (the proxy process stands in for a pod of the $RUN-proxy Deployment).
  - job_name: parallel-run
    honor_labels: false
    static_configs:
      - targets: ['127.0.0.1:$PROXY_ADMIN_PORT']
        labels: {namespace: $NS, pod: $RUN-proxy-6d5f8b9c7-x2k4p}
      - targets: ['127.0.0.1:$OPERATOR_PORT']
PROM
rm -rf "$DEMO_DIR/prometheus/data"
start prometheus prometheus --config.file="$DEMO_DIR/prometheus/prometheus.yml" \
  --storage.tsdb.path="$DEMO_DIR/prometheus/data" --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn
wait_http "http://127.0.0.1:$PROM_PORT/-/ready" "Prometheus"

say "Starting the operator"
start operator java -jar "$ROOT/operator/target/parallel-run-operator.jar" \
  --prometheus-url="http://127.0.0.1:$PROM_PORT" --health-port="$OPERATOR_PORT" --proxy-image=local/parallel-run-proxy:demo
wait_http "http://127.0.0.1:$OPERATOR_PORT/readyz" "the operator"

say "Applying examples/returns-demo.yaml (service ports pointed at the local apps)"
sed -e "s/port: 18081/port: $LEGACY_PORT/" -e "s/port: 18082/port: $CANDIDATE_PORT/" \
  "$ROOT/examples/returns-demo.yaml" | kubectl apply -n "$NS" -f -

say "Starting the proxy exactly as the Deployment $RUN-proxy says (no kubelet here, so as a process)"
for _ in $(seq 1 60); do kubectl get deployment -n "$NS" "$RUN-proxy" >/dev/null 2>&1 && break; sleep 1; done
kubectl get deployment -n "$NS" "$RUN-proxy" -o json > "$DEMO_DIR/proxy-deployment.json" \
  || die "the operator did not create deployment/$RUN-proxy (see $DEMO_DIR/operator.log)"
# Arguments and environment come from the Deployment; only the loopback ports, the kubeconfig and the
# service-URL template (no cluster DNS here) are supplied locally.
mapfile -t PROXY_ARGS < <(python3 - "$DEMO_DIR/proxy-deployment.json" "$PROXY_PORT" "$PROXY_ADMIN_PORT" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); c = d["spec"]["template"]["spec"]["containers"][0]
for a in c.get("args", []):
    if a.startswith("--listen="): a = "--listen=127.0.0.1:" + sys.argv[2]
    elif a.startswith("--admin="): a = "--admin=127.0.0.1:" + sys.argv[3]
    print(a)
PY
)
mapfile -t PROXY_ENV < <(python3 - "$DEMO_DIR/proxy-deployment.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); c = d["spec"]["template"]["spec"]["containers"][0]
for e in c.get("env", []):
    if "value" in e: print(f"{e['name']}={e['value']}")
    elif e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "metadata.namespace": print(f"{e['name']}={d['metadata']['namespace']}")
    elif e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "metadata.name": print(f"{e['name']}={d['metadata']['name']}-local")
PY
)
start proxy env "${PROXY_ENV[@]}" KUBECONFIG="$KUBECONFIG" PARALLELRUN_SERVICE_URL_TEMPLATE='http://127.0.0.1:{port}' \
  java -jar "$ROOT/proxy/target/parallel-run-proxy.jar" "${PROXY_ARGS[@]}"
wait_http "http://127.0.0.1:$PROXY_ADMIN_PORT/readyz" "the proxy"

# --- traffic and the story ------------------------------------------------------------------------------
say "Driving client traffic through the proxy (:$PROXY_PORT)"
python3 - "$PROXY_PORT" "$DEMO_DIR/traffic.json" <<'PY' &
import http.client, json, sys, threading, time
port, out = int(sys.argv[1]), sys.argv[2]
calls = [("GET", "/api/returns"), ("GET", "/api/returns/%d"), ("GET", "/api/returns/%d/label"),
         ("GET", "/api/returns/%d/refund"), ("POST", "/api/returns"), ("GET", "/api/return-reasons/all")]
stats = {"ok": 0, "errors": 0}
lock = threading.Lock()
def client(offset):
    n = offset
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while True:
        method, path = calls[n % len(calls)]
        try:
            body = json.dumps({"orderId": n, "reason": "WRONG_SIZE"}) if method == "POST" else None
            conn.request(method, path.replace("%d", str(1 + n % 50)), body=body, headers={"Content-Type": "application/json"})
            r = conn.getresponse(); r.read()
            key = "errors" if r.status >= 500 else "ok"
        except Exception:
            key = "errors"; conn.close(); conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        with lock: stats[key] += 1
        n += 1
        time.sleep(0.02)
for i in range(4): threading.Thread(target=client, args=(i,), daemon=True).start()
while True:
    time.sleep(1)
    with lock: json.dump(stats, open(out + ".tmp", "w"))
    import os; os.replace(out + ".tmp", out)
PY
TRAFFIC_PID=$!

status_line() {
  local eps traffic
  eps=$(kubectl get prun -n "$NS" "$RUN" -o jsonpath='{range .status.endpoints[*]}{.name}={.state}/{.weight}% {end}' 2>/dev/null || true)
  traffic=$(cat "$DEMO_DIR/traffic.json" 2>/dev/null || echo '{}')
  printf '\r\033[K[%3ss] %s | requests %s' "$SECONDS_IN" "${eps:-waiting for status}" "$traffic"
}
say "Watching the cutover (kubectl get prun -n $NS $RUN -w shows the same)"
START=$(date +%s); DONE=false
while (( $(date +%s) - START < TIMEOUT_SECONDS )); do
  SECONDS_IN=$(( $(date +%s) - START ))
  status_line
  states=$(kubectl get prun -n "$NS" "$RUN" -o jsonpath='{range .status.endpoints[*]}{.name}={.state} {end}' 2>/dev/null || true)
  if [[ "$states" == *"list-returns=CutOver"* && "$states" == *"get-return=CutOver"* \
     && "$states" == *"return-label=CutOver"* && "$states" == *"refund-status=CutOver"* ]]; then
    DONE=true; break
  fi
  sleep 2
done
echo

say "kubectl get prun -n $NS"
kubectl get prun -n "$NS" -o wide
say "Summary"
kubectl get prun -n "$NS" "$RUN" -o json > "$DEMO_DIR/status.json"
python3 - "$DEMO_DIR/status.json" <<'PY'
import json, sys
status = json.load(open(sys.argv[1]))["status"]
print(f"{'ENDPOINT':16} {'STATE':18} {'WEIGHT':>6} {'MATCH %':>8} {'SAMPLES':>8}  MESSAGE")
for e in status.get("endpoints", []):
    rate = e.get("matchRate")
    rate = f"{rate:.1f}" if rate is not None else "-"
    print(f"{e['name']:16} {e.get('state', '-'):18} {e.get('weight', 0):>5}% {rate:>8} {e.get('samples', 0):>8}  {e.get('message', '')}")
PY
echo "client traffic through the proxy: $(cat "$DEMO_DIR/traffic.json" 2>/dev/null)"
echo "a sample of what the proxy saw differ (redacted): curl -s http://127.0.0.1:$PROXY_ADMIN_PORT/mismatches"
curl -s "http://127.0.0.1:$PROXY_ADMIN_PORT/mismatches" | python3 -c '
import json, sys
try:
    data = json.load(sys.stdin)
except Exception:
    sys.exit(0)
samples = [s for v in data.get("endpoints", {}).values() for s in v]
if samples:
    print(json.dumps(samples[-1], indent=1))' || true

$DONE || die "not every correct endpoint was cut over within ${TIMEOUT_SECONDS}s (logs in $DEMO_DIR)"
errors=$(python3 -c "import json; print(json.load(open('$DEMO_DIR/traffic.json'))['errors'])")
(( errors == 0 )) || die "clients saw $errors errors through the proxy"
say "Done: every correct endpoint is cut over; return-reasons (the candidate's bug) stays on legacy; create-return (a write, never mirrored) waits for: kubectl annotate prun -n $NS $RUN parallelrun.io/approve=create-return"

if $KEEP; then
  kill "$TRAFFIC_PID" 2>/dev/null || true
  cat <<INFO

Everything is still running (--keep):
  export KUBECONFIG=$KUBECONFIG
  kubectl get prun -n $NS -w
  proxy:      http://127.0.0.1:$PROXY_PORT   (admin: http://127.0.0.1:$PROXY_ADMIN_PORT/metrics, /mismatches)
  prometheus: http://127.0.0.1:$PROM_PORT
  operator:   http://127.0.0.1:$OPERATOR_PORT/metrics
  logs:       $DEMO_DIR/*.log
Stop it all: kill ${PIDS[*]}; PARALLELRUN_LOCAL_DIR=$DEMO_DIR/cluster $ROOT/e2e/local-cluster.sh down
INFO
fi
