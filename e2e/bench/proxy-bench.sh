#!/usr/bin/env bash
# Benchmarks the parallel-run proxy against direct access and nginx's mirror directive, on loopback.
#
#   mvn -B -q -pl api,proxy -am package -DskipTests && e2e/bench/proxy-bench.sh [SECONDS_PER_RUN]
#
# Needs wrk, nginx (Debian nginx-light is enough), java 17 and python3. Everything listens on 127.0.0.1
# only, runs for a bounded time (about 21 x SECONDS_PER_RUN, default 8) and is cleaned up on exit.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAR=${PROXY_JAR:-$ROOT/proxy/target/parallel-run-proxy.jar}
D=${1:-8}
THREADS=${THREADS:-2}
CONN=${CONN:-64}
PACE_MS=${PACE_MS:-5}          # per-connection pause in paced (fixed-rate) runs
SLOW_MS=${SLOW_MS:-50}
LEGACY=18081 CANDIDATE=18082 SLOW=18083 PROMPT=18084 MIRROR=18090 NETTY=18092 PROXY=18080 ADMIN=19901

[ -f "$JAR" ] || { echo "missing $JAR: build it with mvn -B -q -pl api,proxy -am package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

WORK=$(mktemp -d /tmp/proxy-bench.XXXXXX)
chmod 755 "$WORK"   # nginx workers run as an unprivileged user
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

log() { echo "# $*" >&2; }

wait_http() { # url
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2
  exit 1
}

stop() { # pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- content: JSON bodies of about 1 KB and 32 KB --------------------------------------------------------
mkdir -p "$WORK/www/items" "$WORK/tmp"
python3 - "$WORK/www/items" <<'PY'
import json, sys
for name, size in (("1k", 1024), ("32k", 32 * 1024)):
    items, doc = [], None
    while True:
        items.append({"id": len(items), "name": "item-%d" % len(items), "price": 12.5, "tags": ["a", "b"]})
        doc = json.dumps({"items": items, "total": len(items)})
        if len(doc) >= size:
            break
    open(sys.argv[1] + "/" + name, "w").write(doc)
PY
mkdir -p "$WORK/www/other" && cp "$WORK/www/items/1k" "$WORK/www/other/1k"   # a path no endpoint matches

nginx_conf() { # name workers body
  cat > "$WORK/$1.conf" <<NGX
worker_processes $2;
pid $WORK/$1.pid;
error_log $WORK/$1.error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path $WORK/tmp/$1-body;
  proxy_temp_path $WORK/tmp/$1-proxy;
  fastcgi_temp_path $WORK/tmp/$1-fastcgi;
  uwsgi_temp_path $WORK/tmp/$1-uwsgi;
  scgi_temp_path $WORK/tmp/$1-scgi;
  keepalive_requests 1000000;
$3
}
NGX
  "$NGINX" -t -q -c "$WORK/$1.conf" -p "$WORK" -g 'daemon off;'
  "$NGINX" -c "$WORK/$1.conf" -p "$WORK" -g 'daemon off;' >"$WORK/$1.out" 2>&1 &
  NGINX_PID=$!
  PIDS+=($NGINX_PID)
}

# --- backends: legacy and candidate (nginx static, 1 worker), slow candidate (Vert.x, +50 ms) -------------
nginx_conf backends 1 "
  server { listen 127.0.0.1:$LEGACY; root $WORK/www; }
  server { listen 127.0.0.1:$CANDIDATE; root $WORK/www; }"
java -cp "$JAR" "$HERE/SlowBackend.java" $SLOW "$SLOW_MS" "$WORK/www" >"$WORK/slow.log" 2>&1 &
PIDS+=($!)
# The same server without the delay, so the slow-candidate comparison differs in nothing but the delay.
java -cp "$JAR" "$HERE/SlowBackend.java" $PROMPT 0 "$WORK/www" >"$WORK/prompt.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$LEGACY/items/1k"
wait_http "http://127.0.0.1:$CANDIDATE/items/1k"
wait_http "http://127.0.0.1:$SLOW/items/1k"
wait_http "http://127.0.0.1:$PROMPT/items/1k"

declare -A RPS P50 P99 ERR
measure() { # key url seconds [conns] [pace_ms]
  local out
  out=$(WRK_DELAY_MS=${5:-0} wrk -t"$THREADS" -c"${4:-$CONN}" -d"${3}s" -s "$HERE/result.lua" "$2" | grep '^RESULT')
  RPS[$1]=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$out")
  P50[$1]=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$out")
  P99[$1]=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$out")
  ERR[$1]=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$out")
  log "$1: $out"
}

calc() { python3 -c "print($1)"; }

# Connections for a paced run at a target rate: each connection sends one request every PACE_MS (+latency).
conns_for() { # rps
  calc "max(2, round($1 * ($PACE_MS + 0.3) / 1000))"
}

metric_sum() { # name
  curl -fs "http://127.0.0.1:$ADMIN/metrics" | awk -v n="$1" '$1 ~ "^"n"[{ ]" || $1 == n { s += $2 } END { printf "%d\n", s }'
}

manifest() { # candidate port
  cat > "$WORK/parallelrun-$1.yaml" <<YAML
apiVersion: parallelrun.io/v1alpha1
kind: ParallelRun
metadata:
  name: bench
  namespace: bench
spec:
  legacy:
    url: http://127.0.0.1:$LEGACY
  candidate:
    url: http://127.0.0.1:$1
  endpoints:
  - name: get-item
    method: GET
    path: /items/{id}
status:
  endpoints:
  - name: get-item
    weight: 0
YAML
  echo "$WORK/parallelrun-$1.yaml"
}

start_proxy() { # candidate port
  java -Xms512m -Xmx512m -XX:+UseParallelGC -jar "$JAR" --manifest "$(manifest "$1")" \
    --listen 127.0.0.1:$PROXY --admin 127.0.0.1:$ADMIN --event-loops 2 --compare-threads 1 \
    --max-in-flight-comparisons 4096 >"$WORK/proxy-$1.log" 2>&1 &
  PIDS+=($!)
  PROXY_PID=$!
  wait_http "http://127.0.0.1:$ADMIN/readyz"
}

# --- 1. direct to legacy, maximum load -----------------------------------------------------------------------
log "direct to legacy"
measure direct-1k "http://127.0.0.1:$LEGACY/items/1k" "$D"
measure direct-32k "http://127.0.0.1:$LEGACY/items/32k" "$D"

# --- 2. nginx with mirror -----------------------------------------------------------------------------------
log "nginx mirror"
nginx_conf mirror 2 "
  upstream legacy { server 127.0.0.1:$LEGACY; keepalive 128; }
  upstream candidate { server 127.0.0.1:$CANDIDATE; keepalive 128; }
  server {
    listen 127.0.0.1:$MIRROR;
    location / {
      mirror /mirror;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_pass http://legacy;
    }
    location = /mirror {
      internal;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_pass http://candidate\$request_uri;
    }
  }"
MIRROR_PID=$NGINX_PID
wait_http "http://127.0.0.1:$MIRROR/items/1k"
wrk -t"$THREADS" -c"$CONN" -d2s "http://127.0.0.1:$MIRROR/items/1k" >/dev/null
measure mirror-1k "http://127.0.0.1:$MIRROR/items/1k" "$D"
measure mirror-32k "http://127.0.0.1:$MIRROR/items/32k" "$D"
stop "$MIRROR_PID"

# --- 3. this proxy, comparison on, fast candidate -------------------------------------------------------------
log "parallel-run proxy (comparing every request)"
start_proxy $CANDIDATE
wrk -t"$THREADS" -c"$CONN" -d"$D"s "http://127.0.0.1:$PROXY/items/1k" >/dev/null   # JIT warm-up
wrk -t"$THREADS" -c"$CONN" -d3s "http://127.0.0.1:$PROXY/items/32k" >/dev/null
measure proxy-1k "http://127.0.0.1:$PROXY/items/1k" "$D"
measure proxy-32k "http://127.0.0.1:$PROXY/items/32k" "$D"

HALF=$(calc "int(${RPS[proxy-1k]} / 2)")
HALF_C=$(conns_for "$HALF")
log "paced runs at about half of the proxy's maximum: $HALF req/s ($HALF_C connections, ${PACE_MS} ms pause)"
measure direct-half "http://127.0.0.1:$LEGACY/items/1k" "$D" "$HALF_C" "$PACE_MS"
measure proxy-half "http://127.0.0.1:$PROXY/items/1k" "$D" "$HALF_C" "$PACE_MS"

EIGHTY=$(calc "int(${RPS[proxy-1k]} * 0.8)")
EIGHTY_C=$(conns_for "$EIGHTY")
DROPPED0=$(metric_sum parallelrun_shadows_dropped_total)
COMPARED0=$(metric_sum parallelrun_comparisons_total)
measure proxy-80 "http://127.0.0.1:$PROXY/items/1k" "$D" "$EIGHTY_C" "$PACE_MS"
sleep 1
DROPPED=$(( $(metric_sum parallelrun_shadows_dropped_total) - DROPPED0 ))
COMPARED=$(( $(metric_sum parallelrun_comparisons_total) - COMPARED0 ))
MATCHED=$(curl -fs "http://127.0.0.1:$ADMIN/metrics" | awk '/^parallelrun_comparisons_total/ && /result="matched"/ && /endpoint="get-item"/ { print int($2) }')
# Stack cost: the same proxy on a path no endpoint matches (plain pass-through to legacy) ...
measure proxy-passthrough-1k "http://127.0.0.1:$PROXY/other/1k" "$D"
stop "$PROXY_PID"
# ... against a plain Netty HTTP reverse proxy (codecs on both sides, one upstream connection per client).
java -cp "$JAR" "$HERE/NettyPlainProxy.java" $NETTY $LEGACY >"$WORK/netty.log" 2>&1 &
NETTY_PID=$!
PIDS+=($NETTY_PID)
wait_http "http://127.0.0.1:$NETTY/other/1k"
wrk -t"$THREADS" -c"$CONN" -d"$D"s "http://127.0.0.1:$NETTY/other/1k" >/dev/null
measure netty-plain-1k "http://127.0.0.1:$NETTY/other/1k" "$D"
stop "$NETTY_PID"

# --- 4. slow candidate (+50 ms) vs the same candidate without delay, same paced load ----------------------------
for c in $PROMPT $SLOW; do
  key=$([ $c = $SLOW ] && echo proxy-slow-half || echo proxy-prompt-half)
  log "parallel-run proxy, candidate $key"
  start_proxy $c
  wrk -t"$THREADS" -c"$CONN" -d"$D"s "http://127.0.0.1:$PROXY/items/1k" >/dev/null
  measure "$key" "http://127.0.0.1:$PROXY/items/1k" "$D" "$HALF_C" "$PACE_MS"
  [ $c = $SLOW ] && SLOW_DROPPED=$(metric_sum parallelrun_shadows_dropped_total)
  stop "$PROXY_PID"
done

# --- report ---------------------------------------------------------------------------------------------------
echo
echo "Proxy benchmark, $(nproc) CPUs, wrk -t$THREADS -c$CONN -d${D}s, everything on 127.0.0.1"
echo "load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
printf '%-34s %12s %10s %10s %8s\n' "run" "req/s" "p50 ms" "p99 ms" "errors"
for k in direct-1k mirror-1k proxy-1k direct-32k mirror-32k proxy-32k direct-half proxy-half proxy-80 proxy-passthrough-1k netty-plain-1k proxy-prompt-half proxy-slow-half; do
  printf '%-34s %12s %10s %10s %8s\n' "$k" "${RPS[$k]}" "${P50[$k]}" "${P99[$k]}" "${ERR[$k]}"
done
echo
echo "throughput vs nginx-mirror, 1 KB:  $(calc "round(${RPS[proxy-1k]} / ${RPS[mirror-1k]}, 2)")x   (target >= 1.0x)"
echo "throughput vs nginx-mirror, 32 KB: $(calc "round(${RPS[proxy-32k]} / ${RPS[mirror-32k]}, 2)")x"
echo "latency added over direct at ~half load ($HALF req/s): p50 +$(calc "round(${P50[proxy-half]} - ${P50[direct-half]}, 3)") ms, p99 +$(calc "round(${P99[proxy-half]} - ${P99[direct-half]}, 3)") ms   (target p99 <= 1 ms)"
echo "slow candidate (+${SLOW_MS} ms) moves client p99 by $(calc "round((${P99[proxy-slow-half]} - ${P99[proxy-prompt-half]}) / ${P99[proxy-prompt-half]} * 100, 1)")% vs the same candidate without delay (target < 5%), shadows dropped: $SLOW_DROPPED"
echo "stack cost: this proxy's pass-through path (Vert.x; no endpoint matched) vs a plain Netty HTTP proxy: $(calc "round(${RPS[proxy-passthrough-1k]} / ${RPS[netty-plain-1k]}, 2)")x throughput, p99 ${P99[proxy-passthrough-1k]} vs ${P99[netty-plain-1k]} ms"
echo "at ~80% load ($EIGHTY req/s): shadows dropped $DROPPED, comparisons counted $COMPARED for ${RPS[proxy-80]} req/s x ${D}s (target: 0 dropped)"
