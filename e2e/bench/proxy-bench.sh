#!/usr/bin/env bash
# Benchmarks the parallel-run proxy against direct access and nginx's mirror directive, on loopback.
#
#   mvn -B -q -pl api,proxy -am package -DskipTests && e2e/bench/proxy-bench.sh [SECONDS_PER_RUN]
#
# Needs wrk, nginx (Debian nginx-light is enough) with libnginx-mod-http-echo (the slow candidate), java 17 (a JDK: jstat), python3 and taskset. Everything listens on 127.0.0.1
# only, runs for a bounded time (about 47 min split, PROXY_CPUS=1, on a 2-vCPU VM with the default 8 s per run, 4 rounds and 12 slow rounds) and is
# cleaned up on exit; KEEP_WORK=1 keeps its work directory (/tmp/proxy-bench.*), whose hist/ and steal/ slow_effect.py can pool with
# later runs at the same rate (slow_effect.py DIR1/hist:DIR2/hist ...).
#
# Method. A JVM compiles its hot paths while it serves: on 2 CPUs the proxy needs 10-20 s of full load
# before its throughput settles, so every proxy is first driven closed-loop in 2 s steps until the last three
# steps agree within 10 % (at most WARMUP_MAX_S); the cold-start steps are printed, not hidden. Then the
# competitors are measured in interleaved rounds (A, B, A, B, ...) and each figure is the median of its
# rounds, so that drift of a shared machine hits both sides alike.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAR=${PROXY_JAR:-$ROOT/proxy/target/parallel-run-proxy.jar}
D=${1:-8}
THREADS=${THREADS:-2}
CONN=${CONN:-64}
PACE_MS=${PACE_MS:-5}          # per-connection pause in paced (fixed-rate) runs
SLOW_MS=${SLOW_MS:-50}
ROUNDS=${ROUNDS:-4}             # interleaved rounds per comparison, an even number: the order alternates
# The slow-candidate comparison runs SLOW_FORKS proxies per side (fresh JVMs: two identical JVMs on the same
# machine differ in what the JIT compiled and where things lie in memory; JMH forks for the same reason) in
# SLOW_ROUNDS rounds, each running every proxy once; a multiple of 2 x SLOW_FORKS puts every proxy once in
# every place of a round.
SLOW_FORKS=${SLOW_FORKS:-2}
SLOW_ROUNDS=${SLOW_ROUNDS:-12}
# The target the slow candidate's effect is judged against (client p99, per cent): slow_effect.py says met or
# missed only when its whole 95 % interval lies on one side of it.
SLOW_TARGET_PCT=${SLOW_TARGET_PCT:-5}
WARMUP_MAX_S=${WARMUP_MAX_S:-60}
# The proxy image's JVM flags (proxy/pom.xml: collector, thread priorities), with a fixed heap.
PROXY_JAVA_OPTS=${PROXY_JAVA_OPTS:--Xms512m -Xmx512m $(sed -n 's|.*<jvmFlag>\(-XX:[^<]*\)</jvmFlag>.*|\1|p' "$ROOT/proxy/pom.xml" | grep -v MaxRAMPercentage | tr '\n' ' ')}
# CANDIDATE_NICE=19 repeats the slow-candidate comparison with the two candidate servers at that nice value (empty,
# the default, skips it): a candidate runs on machines of its own, while here its extra work (timers, 500
# connections, answers written one by one) takes the CPUs wrk and legacy use. Set ALT_JAVA_OPTS to repeat it once more
# with other proxy JVM options, e.g. without thread priorities:
#   ALT_JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseShenandoahGC" e2e/bench/proxy-bench.sh
CANDIDATE_NICE=${CANDIDATE_NICE-}
ALT_JAVA_OPTS=${ALT_JAVA_OPTS-}
# IDLE_LANES=1 repeats it once more with the proxies' low-priority threads (shadow lanes, comparison threads) moved
# to SCHED_IDLE (chrt), which a waking client loop preempts at once (an experiment: the image does not do this).
IDLE_LANES=${IDLE_LANES-}
# CONTROL=1 (the default; empty skips it) repeats it once more with both proxies in front of the same prompt
# candidate: the difference it reports is this method's own noise, against which the slow candidate's effect is read.
CONTROL=${CONTROL-1}
# HTTP2=1 (the default; empty skips it) repeats it once more with the candidate declared `protocol: HTTP2`: the
# proxy speaks h2c to both candidate servers, and a few connections carry the hundreds of slow shadows in flight.
HTTP2=${HTTP2-1}
# CPU layout. By default everything shares all CPUs, as on one small machine. PROXY_CPUS (a taskset CPU list,
# e.g. 1) splits the machine as a cluster would: the proxies under test (this proxy, nginx's mirror, the plain
# Netty proxy) run on PROXY_CPUS, and wrk and the backends on LOAD_CPUS (default: all the other CPUs), so that
# a proxy's tail latency is its own and not the load generator's. Each proxy then sizes itself to its CPUs
# (event loops, nginx workers), as in a pod given that many CPUs.
PROXY_CPUS=${PROXY_CPUS-}
LOAD_CPUS=${LOAD_CPUS-}
if [ -n "$PROXY_CPUS$LOAD_CPUS" ]; then
  command -v taskset >/dev/null || { echo "PROXY_CPUS/LOAD_CPUS need taskset (apt-get install -y util-linux)" >&2; exit 1; }
fi
cpus_of() { # the CPUs a command started with the given taskset list may use ('' = this shell's), as "0 1 ..."
  local -a on=()
  [ -z "$1" ] || on=(taskset -c "$1")
  "${on[@]}" python3 -c 'import os; print(" ".join(map(str, sorted(os.sched_getaffinity(0)))))' \
    || { echo "not a CPU list taskset accepts here: '$1'" >&2; exit 1; }
}
[ -z "$LOAD_CPUS" ] || cpus_of "$LOAD_CPUS" >/dev/null
if [ -n "$PROXY_CPUS" ]; then
  PROXY_NCPU=$(cpus_of "$PROXY_CPUS" | wc -w)
  if [ -z "$LOAD_CPUS" ]; then
    LOAD_CPUS=$(comm -23 <(cpus_of "" | tr ' ' '\n' | sort) <(cpus_of "$PROXY_CPUS" | tr ' ' '\n' | sort) | sort -n | paste -sd,)
    [ -n "$LOAD_CPUS" ] || { echo "PROXY_CPUS=$PROXY_CPUS leaves no CPU for wrk and the backends" >&2; exit 1; }
  fi
else
  PROXY_NCPU=$(nproc)
fi
# Command prefixes (arrays, not functions, so that a background job's $! is the server itself: taskset execs it).
ON_PROXY_CPUS=() ON_LOAD_CPUS=()
[ -z "$PROXY_CPUS" ] || ON_PROXY_CPUS=(taskset -c "$PROXY_CPUS")
[ -z "$LOAD_CPUS" ] || ON_LOAD_CPUS=(taskset -c "$LOAD_CPUS")
LAYOUT="proxies on CPUs ${PROXY_CPUS:-(all)}, wrk and backends on CPUs ${LOAD_CPUS:-(all)}"
[ -n "$PROXY_CPUS$LOAD_CPUS" ] || LAYOUT="all processes share all CPUs"
LEGACY=18081 CANDIDATE=18082 SLOW=18083 PROMPT=18084 SLOW_NICE=18087 PROMPT_NICE=18088 MIRROR=18090 NETTY=18092
PROXY=18080 ADMIN=19901 FORK_PORT=18100 FORK_ADMIN=19910 # the slow-candidate comparison's proxies: FORK_PORT + i

[ -f "$JAR" ] || { echo "missing $JAR: build it with mvn -B -q -pl api,proxy -am package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)" >&2; exit 1; }
command -v jstat >/dev/null || { echo "jstat not found: the warm-up needs a JDK's jstat on PATH" >&2; exit 1; }
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
trap 'echo "proxy-bench: failed at line $LINENO" >&2' ERR

log() { echo "# $*" >&2; }
calc() { python3 -c "print($1)"; }

wait_http() { # url
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2
  exit 1
}

# What Prometheus and the kubelet do to a proxy pod all the time: scrape /metrics, probe /readyz. The warm-ups do it
# too. The admin port runs on the proxy's event loop, so a first scrape after the hot paths were compiled gives
# them new types: in a harness (2026-12-01) a proxy warmed for 80 s without it had 96 compiled methods made not
# entrant by its first scrape (HTTP header parsing and encoding, Netty's buffer pool) and its next 8 s run had a p99
# of 3.6 ms against 1.2-1.4 ms in the runs after. Before this, the script scraped only the slow side's proxies
# just before the first measured round, and that round was the worst paired round in 11 of 12 series, the
# control's identical proxies included (+57 % and +59 %).
probe_admin() { # admin port
  curl -fs -o /dev/null "http://127.0.0.1:$1/metrics"
  curl -fs -o /dev/null "http://127.0.0.1:$1/readyz"
}

# /proc/PID/stat and /proc/PID/task/TID/stat without "PID (comm) ", which may hold spaces: field 12 is then utime,
# 13 stime (clock ticks), 17 nice.
stat_fields() { sed 's/.*) //' "$1"; }
ticks_to_ms() { echo $(( $1 * 1000 / $(getconf CLK_TCK) )); }

cpu_ms() { # pids...: CPU time (user + system, all threads) the processes have used so far, in ms
  local total=0 pid f
  for pid in "$@"; do
    # Called inside $(...), where errexit is off: a gone process must not read as 0 ms.
    f=$(stat_fields "/proc/$pid/stat" 2>/dev/null) || { echo "cpu_ms: process $pid is gone" >&2; echo NaN; return 1; }
    total=$(( total + $(echo "$f" | awk '{ print $12 + $13 }') ))
  done
  ticks_to_ms "$total"
}

low_priority_ms() { # pid: CPU time (ms) of its threads above nice 0, i.e. the shadow lanes and comparison threads
  local total=0 f
  for f in /proc/"$1"/task/*/stat; do # a thread that ended meanwhile counts 0
    total=$(( total + $(stat_fields "$f" 2>/dev/null | awk '$17 > 0 { print $12 + $13; next } { print 0 }' || echo 0) ))
  done
  ticks_to_ms "$total"
}

idle_low_priority_threads() { # pid: SCHED_IDLE for its threads above nice 0
  local f
  for f in /proc/"$1"/task/*/stat; do
    if stat_fields "$f" | awk '$17 > 0 { found = 1 } END { exit !found }'; then
      chrt --idle -p 0 "$(basename "$(dirname "$f")")" >/dev/null
    fi
  done
}

stop() { # pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- content: JSON bodies of about 1 KB and 32 KB --------------------------------------------------------
mkdir -p "$WORK/www/items" "$WORK/tmp" "$WORK/hist" "$WORK/steal"
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

nginx_write() { # name workers http-body [main-context directives]: writes $WORK/NAME.conf and checks it
  cat > "$WORK/$1.conf" <<NGX
${4:-}
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
}
nginx_start() { # name [command prefix ...]: runs $WORK/NAME.conf in the foreground under the prefix; sets NGINX_PID
  local name=$1
  shift
  "$@" "$NGINX" -c "$WORK/$name.conf" -p "$WORK" -g 'daemon off;' >"$WORK/$name.out" 2>&1 &
  NGINX_PID=$!
  PIDS+=($NGINX_PID)
}
nginx_conf() { # name workers body [proxy: runs on PROXY_CPUS]
  nginx_write "$1" "$2" "$3"
  local -a on=("${ON_LOAD_CPUS[@]}")
  [ "${4:-}" != proxy ] || on=("${ON_PROXY_CPUS[@]}")
  nginx_start "$1" "${on[@]}"
}

# --- backends: legacy and candidate (nginx static, 1 worker each), candidates with and without +50 ms ---------
# Two processes, as legacy and candidate are two services: one worker serving both made legacy's answers wait
# behind the candidate's.
nginx_conf legacy 1 "server { listen 127.0.0.1:$LEGACY; root $WORK/www; }"
nginx_conf candidate 1 "server { listen 127.0.0.1:$CANDIDATE; root $WORK/www; }"
# The slow-candidate comparison's candidate servers: the same server with and without the delay, so that the
# comparison differs in nothing but the delay. A real candidate runs on machines of its own; here its work lands on
# the CPUs wrk and legacy use, and a slow one holds hundreds of connections, so its own cost becomes part of the
# client's latency. SLOW_SERVER=nginx (the default) keeps that cost small: one nginx process answering after
# echo_sleep (Debian's libnginx-mod-http-echo), HTTP/1.1 on the port and h2c on the port + H2_OFFSET.
# SLOW_SERVER=vertx uses SlowBackend.java (one Vert.x event loop and a timer per request; HTTP/1.1 and h2c on the
# one port), the server of the runs up to 2026-12-01, which used 40-96 % more CPU when slow.
SLOW_SERVER=${SLOW_SERVER:-nginx}
NGINX_ECHO_MODULE=${NGINX_ECHO_MODULE:-/usr/lib/nginx/modules/ngx_http_echo_module.so}
H2_OFFSET=200
case $SLOW_SERVER in
  nginx) [ -f "$NGINX_ECHO_MODULE" ] || { echo "SLOW_SERVER=nginx needs $NGINX_ECHO_MODULE (apt-get install -y libnginx-mod-http-echo) or NGINX_ECHO_MODULE" >&2; exit 1; } ;;
  vertx) ;;
  *) echo "SLOW_SERVER must be nginx or vertx, not '$SLOW_SERVER'" >&2; exit 1 ;;
esac
h2_port() { # candidate port -> the port it speaks h2c on
  if [ "$SLOW_SERVER" = vertx ]; then echo "$1"; else echo $(($1 + H2_OFFSET)); fi
}
declare -A SERVER_PID # candidate port (and its h2c port) -> pid of the one process serving it
candidate_server() { # port delay-ms [nice]
  local nice=${3:-0}
  if [ "$SLOW_SERVER" = vertx ]; then
    "${ON_LOAD_CPUS[@]}" nice -n "$nice" java -cp "$JAR" "$HERE/SlowBackend.java" "$1" "$2" "$WORK/www" >"$WORK/candidate-$1.log" 2>&1 &
    PIDS+=($!) SERVER_PID[$1]=$!
  else
    local sleep=
    [ "$2" -le 0 ] || sleep="echo_sleep $(calc "$2 / 1000");"
    # master_process off: one process, whose CPU time is the server's
    nginx_write "candidate-$1" 1 "server {
    listen 127.0.0.1:$1;
    listen 127.0.0.1:$(h2_port "$1") http2;
    location /items/ { $sleep echo_location /static\$uri; }
    location /static/ { internal; alias $WORK/www/; }
  }" "load_module $NGINX_ECHO_MODULE;
master_process off;"
    nginx_start "candidate-$1" "${ON_LOAD_CPUS[@]}" nice -n "$nice"
    SERVER_PID[$1]=$NGINX_PID
  fi
  SERVER_PID[$(h2_port "$1")]=${SERVER_PID[$1]}
}
candidate_server $SLOW "$SLOW_MS"
candidate_server $PROMPT 0
BACKENDS="$LEGACY $CANDIDATE $SLOW $PROMPT"
if [ -n "$CANDIDATE_NICE" ]; then
  candidate_server $SLOW_NICE "$SLOW_MS" "$CANDIDATE_NICE"
  candidate_server $PROMPT_NICE 0 "$CANDIDATE_NICE"
  BACKENDS+=" $SLOW_NICE $PROMPT_NICE"
fi
for port in $BACKENDS; do
  wait_http "http://127.0.0.1:$port/items/1k"
done

declare -A RPS P50 P99 ERR CPS ADMIN_OF STEAL
# On a virtual machine the hypervisor takes CPU time away from a vCPU now and then (the steal column of
# /proc/stat). A proxy on one vCPU that loses it for a few ms has a ms tail that is not its own: on the machine of
# 2026-12-03 a plain Netty proxy's p99 at the same pacing went from 1.3 to 8.9 ms in runs where 0.8 s of 8 were
# stolen from its CPU. Every run therefore reports the share of the proxies' CPUs stolen during it.
STEAL_CPUS=$(cpus_of "$PROXY_CPUS")   # PROXY_CPUS empty: every CPU of this shell, as the proxies then use (PROXY_NCPU of them)
CLK_TCK=$(getconf CLK_TCK)
steal_ticks() { # steal ticks so far, summed over STEAL_CPUS
  awk -v cpus=" $STEAL_CPUS " '$1 ~ /^cpu[0-9]+$/ && index(cpus, " " substr($1, 4) " ") { s += $9 } END { print s + 0 }' /proc/stat
}
# For a key with an admin port in ADMIN_OF, CPS is the rate of requests mirrored and compared: under CPU
# saturation the proxy sheds shadows (they run at low priority) and serves more clients than it compares.
measure() { # key url seconds [conns] [pace_ms]
  local out c0=0 s0
  [ -z "${ADMIN_OF[$1]:-}" ] || c0=$(metric_sum parallelrun_comparisons_total "${ADMIN_OF[$1]}")
  s0=$(steal_ticks)
  out=$(WRK_DELAY_MS=${5:-0} WRK_HIST="$WORK/hist/$1" "${ON_LOAD_CPUS[@]}" wrk -t"$THREADS" -c"${4:-$CONN}" -d"${3}s" -s "$HERE/result.lua" "$2" | grep '^RESULT')
  # per cent of the proxies' CPU time stolen during the run; slow_effect.py reads $WORK/steal/KEY
  STEAL[$1]=$(calc "round(100 * ($(steal_ticks) - $s0) / $CLK_TCK / ($3 * $PROXY_NCPU), 1)")
  echo "${STEAL[$1]}" > "$WORK/steal/$1"
  out+=" steal_pct=${STEAL[$1]}"
  RPS[$1]=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$out")
  P50[$1]=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$out")
  P99[$1]=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$out")
  ERR[$1]=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$out")
  if [ -n "${ADMIN_OF[$1]:-}" ]; then
    sleep 0.5   # the last shadows of the run
    CPS[$1]=$(calc "round(($(metric_sum parallelrun_comparisons_total "${ADMIN_OF[$1]}") - $c0) / $3, 1)")
    out+=" compared_per_s=${CPS[$1]}"
  fi
  log "$1: $out"
}


# Connections for a paced run at a target rate: each connection sends one request every PACE_MS (+latency).
conns_for() { # rps
  calc "max(2, round($1 * ($PACE_MS + 0.3) / 1000))"
}

metric_sum() { # name [admin port] [label, e.g. reason="shadow_pool_full"]: the sum of the name's series (with that label)
  curl -fs "http://127.0.0.1:${2:-$ADMIN}/metrics" \
    | awk -v n="$1" -v l="${3:-}" '($1 ~ "^"n"[{ ]" || $1 == n) && (l == "" || index($1, l)) { s += $2 } END { printf "%d\n", s }'
}

CANDIDATE_PROTOCOL=HTTP1 # of the manifests written from here on
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
    protocol: $CANDIDATE_PROTOCOL
  defaults:
    comparator:
      # nginx's static-file headers, which the Vert.x candidates do not send: a healthy migration
      ignoreHeaders: [ETag, Last-Modified, Accept-Ranges]
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

start_proxy() { # candidate-port listen-port admin-port [java options]; sets PROXY_PID
  # shellcheck disable=SC2086
  "${ON_PROXY_CPUS[@]}" java ${4:-$PROXY_JAVA_OPTS} -jar "$JAR" --manifest "$(manifest "$1")" \
    --listen 127.0.0.1:$2 --admin 127.0.0.1:$3 --event-loops "$PROXY_NCPU" --compare-threads 1 \
    --max-in-flight-comparisons 4096 >"$WORK/proxy-$2.log" 2>&1 &
  PIDS+=($!)
  PROXY_PID=$!
  wait_http "http://127.0.0.1:$3/readyz"
}

# p50 and p99 of every request of every round of a key: wrk appends each run's histogram to $WORK/hist/KEY.
# One round's p99 rests on its slowest 1 % (a few hundred requests) and moves by a third between rounds here;
# pooling the rounds gives the p99 the clients saw over the whole comparison.
pooled() { # key -> "p50_ms p99_ms"
  python3 "$HERE/histogram.py" "$WORK/hist/$1"
}

median() { python3 -c "import statistics, sys; print(round(statistics.median(float(a) for a in sys.argv[1:]), 3))" "$@"; }

declare -A WARM
# Closed-loop load in 2 s steps until the last three steps agree within 10 % (at least 5 steps, at most
# WARMUP_MAX_S) and the JIT compiled at most WARMUP_JIT_QUIET methods in the last step: the hot paths are
# compiled. Rates alone are not enough: on one CPU a JVM plateaus for a while at a fifth of its speed while C2
# still compiles. Records the steps (the first one is the cold start) and the methods compiled in each.
WARMUP_JIT_QUIET=${WARMUP_JIT_QUIET:-20}
jit_compiled() { # pid: methods the JIT has compiled so far
  jstat -compiler "$1" 2>/dev/null | awk 'NR == 2 { print $1 }'
}
warm_up() { # key url pid [admin port]
  local rates=() jit=() r i c0 c1 quiet
  c0=$(jit_compiled "$3")
  for i in $(seq 1 $((WARMUP_MAX_S / 2))); do
    r=$("${ON_LOAD_CPUS[@]}" wrk -t"$THREADS" -c"$CONN" -d2s -s "$HERE/result.lua" "$2" | grep '^RESULT' | sed -E 's/.*rps=([0-9]+).*/\1/')
    [ -z "${4:-}" ] || probe_admin "$4"
    c1=$(jit_compiled "$3")
    rates+=("$r")
    jit+=("$((c1 - c0))")
    quiet=$((c1 - c0 <= WARMUP_JIT_QUIET))
    c0=$c1
    if [ "$i" -ge 5 ] && [ "$quiet" = 1 ] && python3 -c "
import sys; r = [float(a) for a in sys.argv[1:]][-3:]; m = sorted(r)[1]
sys.exit(0 if max(abs(x - m) for x in r) <= 0.1 * m else 1)" "${rates[@]}"; then
      break
    fi
  done
  WARM[$1]="$((i * 2)) s (req/s per 2 s step: ${rates[*]}; methods compiled per step: ${jit[*]})"
  log "$1 warm-up: ${WARM[$1]}"
}

# The slow-candidate comparisons warm their two proxies at the load they are measured at, in SETTLE_ROUNDS
# discarded rounds, not closed-loop: at saturation a proxy in front of the 50 ms candidate opened 1 000-2 000 shadow
# connections, which then idled out together 60 s later (the client's idle timeout), in the middle of the
# measured rounds. In the split run of 2026-11-30 22:15 UTC the first round and the fifth, about 60 s after the
# warm-up, had the largest paired changes in each slow variant (+75 and +73 %, +21 and +45 %, +69 and +38 %; the
# other rounds -21 to +24 %).
SETTLE_ROUNDS=${SETTLE_ROUNDS:-4}
# Then more such rounds, up to SETTLE_MAX_ROUNDS, until the JIT compiled at most WARMUP_JIT_QUIET methods in each
# proxy in the last one: after 4 rounds it still compiled 24-118 per round, and the first measured round was the
# slowest for both proxies in 15 of 16 series (2026-11-30). Code first run in the rounds is compiled there: the
# first idle connections to close (60 s after a burst) set C2 compiling for 180-290 ms on the proxy's CPU. With
# every admin port scraped after each run, no proxy fell quiet in 8 rounds (32-74 methods in the eighth, 12-01);
# by the twelfth they compiled 13-33, and a lone proxy on one CPU settled after 9-12 rounds.
SETTLE_MAX_ROUNDS=${SETTLE_MAX_ROUNDS:-12}
warm_up_paced() { # suffix: paced runs of every proxy of the comparison (SIDE_URL, SIDE_PID), in the rounds'
  # rotation, until the JIT is quiet in each; then records how many methods each compiled per round
  local r i n=${#SIDE_URL[@]} c0=() c1=() jit=() quiet per
  for ((i = 0; i < n; i++)); do c0[i]=$(jit_compiled "${SIDE_PID[i]}"); done
  for r in $(seq 1 "$SETTLE_MAX_ROUNDS"); do
    for i in $(rotation "$r" "$n"); do
      WRK_DELAY_MS=$PACE_MS "${ON_LOAD_CPUS[@]}" wrk -t"$THREADS" -c"$HALF_C" -d"${D}s" -s "$HERE/result.lua" "${SIDE_URL[i]}" >/dev/null
      probe_admin "${SIDE_ADMIN[i]}"
    done
    quiet=1 per=
    for ((i = 0; i < n; i++)); do
      c1[i]=$(jit_compiled "${SIDE_PID[i]}")
      [ $((c1[i] - c0[i])) -le "$WARMUP_JIT_QUIET" ] || quiet=0
      per+="${per:+/}$((c1[i] - c0[i]))"
      c0[i]=${c1[i]}
    done
    jit+=("$per")
    if [ "$r" -ge "$SETTLE_ROUNDS" ] && [ "$quiet" = 1 ]; then
      break
    fi
  done
  WARM[slow$1]="${#jit[@]} paced rounds of ${D} s per proxy (methods compiled per round, ${SIDE_NAMES[*]}: ${jit[*]})"
  log "slow-candidate comparison $1 warm-up: ${WARM[slow$1]}"
}

# The order of the proxies in a round of the slow-candidate comparison: the start order (prompt 1, slow 1,
# prompt 2, slow 2, ...) rotated by one place per round, so that over 2 x SLOW_FORKS rounds every proxy runs once
# in every place.
rotation() { # round (from 1) count: the proxies' indexes in that round's order
  local i
  for ((i = 0; i < $2; i++)); do echo $(( (i + $1 - 1) % $2 )); done
}

# Runs each key's URL once per round, alternating, then keeps the median of each key's figures. Every other
# round runs the keys in reverse order: when one of two identical proxies always went second, its p99 came out
# 9-15 % higher (CONTROL, split layout, 2026-11-30), which the slow-candidate comparison would count as effect.
rounds() { # seconds conns pace_ms key url [key url ...]
  local d=$1 c=$2 pace=$3 r i j
  shift 3
  local -a args=("$@")
  declare -A rps p50 p99 err cps
  for r in $(seq 1 "$ROUNDS"); do
    for ((j = 0; j < ${#args[@]}; j += 2)); do
      i=$(( r % 2 == 1 ? j : ${#args[@]} - 2 - j ))
      measure "${args[i]}" "${args[i+1]}" "$d" "$c" "$pace"
      rps[${args[i]}]+=" ${RPS[${args[i]}]}"
      p50[${args[i]}]+=" ${P50[${args[i]}]}"
      p99[${args[i]}]+=" ${P99[${args[i]}]}"
      err[${args[i]}]=$(( ${err[${args[i]}]:-0} + ${ERR[${args[i]}]} ))
      [ -z "${CPS[${args[i]}]:-}" ] || cps[${args[i]}]+=" ${CPS[${args[i]}]}"
    done
  done
  for ((i = 0; i < ${#args[@]}; i += 2)); do
    local k=${args[i]}
    keep_runs "$k" "${rps[$k]}" "${p50[$k]}" "${p99[$k]}" "${err[$k]}"
    # shellcheck disable=SC2086
    [ -z "${cps[$k]:-}" ] || CPS[$k]=$(median ${cps[$k]})
  done
}
keep_runs() { # key "rps ..." "p50 ..." "p99 ..." errors: a key's figures over its runs (medians, each run's, pooled)
  local k=$1
  # shellcheck disable=SC2086
  RPS[$k]=$(median $2); P50[$k]=$(median $3); P99[$k]=$(median $4); ERR[$k]=$5
  ROUND_RPS[$k]=${2# }
  ROUND_P99[$k]=${4# }
  read -r "POOLED_P50[$k]" "POOLED_P99[$k]" < <(pooled "$k")
}
declare -A ROUND_RPS ROUND_P99 POOLED_P50 POOLED_P99

# SLOW_ONLY=1 runs the slow-candidate comparison alone (section 6) at HALF_RPS requests per second, e.g. the
# "half" rate of an earlier full run: its rounds can then be many more in the same time.
SLOW_ONLY=${SLOW_ONLY-}
if [ -n "$SLOW_ONLY" ]; then
  [[ "${HALF_RPS:-}" =~ ^[0-9]+$ ]] || { echo "SLOW_ONLY=1 needs HALF_RPS, the paced rate in req/s (e.g. HALF_RPS=8400)" >&2; exit 1; }
  HALF=$HALF_RPS
  HALF_C=$(conns_for "$HALF")
  log "slow-candidate comparison alone at $HALF req/s ($HALF_C connections, ${PACE_MS} ms pause)"
else # sections 1 to 5

# --- 1. direct to legacy, maximum load -----------------------------------------------------------------------
log "direct to legacy"
measure direct-1k "http://127.0.0.1:$LEGACY/items/1k" "$D"
measure direct-32k "http://127.0.0.1:$LEGACY/items/32k" "$D"

# --- 2. nginx with mirror against this proxy comparing every request (fast candidate), interleaved ----------
nginx_conf mirror "$PROXY_NCPU" "
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
  }" proxy
MIRROR_PID=$NGINX_PID
wait_http "http://127.0.0.1:$MIRROR/items/1k"
start_proxy $CANDIDATE $PROXY $ADMIN
MAIN_PROXY_PID=$PROXY_PID
ADMIN_OF[proxy-1k]=$ADMIN ADMIN_OF[proxy-32k]=$ADMIN
log "warming up the proxy (comparing every request)"
warm_up proxy "http://127.0.0.1:$PROXY/items/1k" "$MAIN_PROXY_PID" "$ADMIN"
"${ON_LOAD_CPUS[@]}" wrk -t"$THREADS" -c"$CONN" -d3s "http://127.0.0.1:$PROXY/items/32k" >/dev/null
"${ON_LOAD_CPUS[@]}" wrk -t"$THREADS" -c"$CONN" -d3s "http://127.0.0.1:$MIRROR/items/1k" >/dev/null
log "nginx mirror vs proxy, $ROUNDS interleaved rounds"
rounds "$D" "$CONN" 0 mirror-1k "http://127.0.0.1:$MIRROR/items/1k" proxy-1k "http://127.0.0.1:$PROXY/items/1k"
rounds "$D" "$CONN" 0 mirror-32k "http://127.0.0.1:$MIRROR/items/32k" proxy-32k "http://127.0.0.1:$PROXY/items/32k"

# --- 3. added latency at about half of the proxy's maximum, paced, interleaved with direct -------------------
# The maximum is what the proxy mirrors and compares per second at saturation, not the clients it serves then.
MAX=${CPS[proxy-1k]}
HALF=$(calc "int($MAX / 2)")
HALF_C=$(conns_for "$HALF")
log "paced runs at about half of the proxy's maximum: $HALF req/s ($HALF_C connections, ${PACE_MS} ms pause)"
# nginx's mirror at the same pacing is the reference for what any mirroring hop adds on this machine.
rounds "$D" "$HALF_C" "$PACE_MS" direct-half "http://127.0.0.1:$LEGACY/items/1k" proxy-half "http://127.0.0.1:$PROXY/items/1k" \
  mirror-half "http://127.0.0.1:$MIRROR/items/1k"
stop "$MIRROR_PID"

# --- 4. no dropped comparisons at 80 % ------------------------------------------------------------------------
EIGHTY=$(calc "int($MAX * 0.8)")
EIGHTY_C=$(conns_for "$EIGHTY")
DROPPED0=$(metric_sum parallelrun_shadows_dropped_total)
POOL_FULL0=$(metric_sum parallelrun_shadows_dropped_total $ADMIN 'reason="shadow_pool_full"')
COMPARED0=$(metric_sum parallelrun_comparisons_total)
measure proxy-80 "http://127.0.0.1:$PROXY/items/1k" "$D" "$EIGHTY_C" "$PACE_MS"
sleep 1   # let the last shadows of the run be compared before counting
DROPPED=$(( $(metric_sum parallelrun_shadows_dropped_total) - DROPPED0 ))
POOL_FULL=$(( $(metric_sum parallelrun_shadows_dropped_total $ADMIN 'reason="shadow_pool_full"') - POOL_FULL0 ))
COMPARED=$(( $(metric_sum parallelrun_comparisons_total) - COMPARED0 ))

# --- 5. stack cost: the proxy's pass-through path (no endpoint matches) against a plain Netty HTTP proxy -----
"${ON_PROXY_CPUS[@]}" java -cp "$JAR" "$HERE/NettyPlainProxy.java" $NETTY $LEGACY >"$WORK/netty.log" 2>&1 &
NETTY_PID=$!
PIDS+=($NETTY_PID)
wait_http "http://127.0.0.1:$NETTY/other/1k"
log "warming up the plain Netty proxy and the proxy's pass-through path"
warm_up netty "http://127.0.0.1:$NETTY/other/1k" "$NETTY_PID"
"${ON_LOAD_CPUS[@]}" wrk -t"$THREADS" -c"$CONN" -d4s "http://127.0.0.1:$PROXY/other/1k" >/dev/null
rounds "$D" "$CONN" 0 proxy-passthrough-1k "http://127.0.0.1:$PROXY/other/1k" netty-plain-1k "http://127.0.0.1:$NETTY/other/1k"
stop "$NETTY_PID"
stop "$MAIN_PROXY_PID"
fi # sections 1 to 5

# --- 6. slow candidate (+50 ms) vs the same candidate server without delay, same paced load, interleaved -------
# Run with the image's JVM flags, then with the candidate servers at CANDIDATE_NICE, then with ALT_JAVA_OPTS.
slow_vs_prompt() { # suffix java-options [prompt-port slow-port]
  local f i r k n=0
  local -A port=([prompt]=${3:-$PROMPT} [slow]=${4:-$SLOW}) # each side's candidate server
  SIDE_URL=() SIDE_PID=() SIDE_KEY=() SIDE_NAMES=() SIDE_ADMIN=() SIDE=()
  for f in $(seq 1 "$SLOW_FORKS"); do
    for k in prompt slow; do
      start_proxy "${port[$k]}" $((FORK_PORT + n)) $((FORK_ADMIN + n)) "$2"
      SIDE_URL+=("http://127.0.0.1:$((FORK_PORT + n))/items/1k") SIDE_PID+=("$PROXY_PID") SIDE_ADMIN+=($((FORK_ADMIN + n)))
      SIDE+=("$k") SIDE_KEY+=("proxy-$k-half$1") SIDE_NAMES+=("$k$f")
      n=$((n + 1))
    done
  done
  log "warming up ${SLOW_FORKS} proxies in front of the prompt and ${SLOW_FORKS} in front of the slow candidate ($2) at the rounds' pacing"
  warm_up_paced "$1"
  if [ "$1" = -idle ]; then for i in "${SIDE_PID[@]}"; do idle_low_priority_threads "$i"; done; fi
  # Where the slow candidate's cost lands: CPU time of each side's proxies (and of their low-priority threads) and
  # of each candidate server over the rounds.
  local cpu0=() low0=() server0=("$(cpu_ms "${SERVER_PID[${port[prompt]}]}")" "$(cpu_ms "${SERVER_PID[${port[slow]}]}")")
  local drops0
  for ((i = 0; i < n; i++)); do
    cpu0[i]=$(cpu_ms "${SIDE_PID[i]}") low0[i]=$(low_priority_ms "${SIDE_PID[i]}")
  done
  drops0=$(slow_side_drops)
  declare -A rps p50 p99 err
  for r in $(seq 1 "$SLOW_ROUNDS"); do
    for i in $(rotation "$r" "$n"); do
      local run=${SIDE_KEY[i]}.${SIDE_NAMES[i]}.r$r # its histogram: $WORK/hist/KEY.PROXY.rROUND, read by slow_effect.py
      measure "$run" "${SIDE_URL[i]}" "$D" "$HALF_C" "$PACE_MS"
      probe_admin "${SIDE_ADMIN[i]}"
      k=${SIDE_KEY[i]}
      rps[$k]+=" ${RPS[$run]}" p50[$k]+=" ${P50[$run]}" p99[$k]+=" ${P99[$run]}"
      err[$k]=$(( ${err[$k]:-0} + ${ERR[$run]} ))
    done
  done
  local -A ms=([prompt]=0 [slow]=0) low=([prompt]=0 [slow]=0) conns=([prompt]=0 [slow]=0)
  for ((i = 0; i < n; i++)); do
    k=${SIDE[i]}
    ms[$k]=$(( ${ms[$k]} + $(cpu_ms "${SIDE_PID[i]}") - cpu0[i] ))
    low[$k]=$(( ${low[$k]} + $(low_priority_ms "${SIDE_PID[i]}") - low0[i] ))
    conns[$k]=$(( ${conns[$k]} + $(conns_to "${SIDE_PID[i]}" "${port[$k]}") ))
    # each proxy's own pooled p99, to show how far two identical JVMs differ
    cat "$WORK/hist/${SIDE_KEY[i]}.${SIDE_NAMES[i]}".r* > "$WORK/hist/${SIDE_KEY[i]}.${SIDE_NAMES[i]}"
    read -r _ "FORK_P99[$1.${SIDE_NAMES[i]}]" < <(pooled "${SIDE_KEY[i]}.${SIDE_NAMES[i]}")
  done
  for k in "proxy-prompt-half$1" "proxy-slow-half$1"; do
    cat "$WORK/hist/$k".*.r* > "$WORK/hist/$k"
    keep_runs "$k" "${rps[$k]}" "${p50[$k]}" "${p99[$k]}" "${err[$k]}"
  done
  SLOW_EFFECT[x$1]=$(python3 "$HERE/slow_effect.py" "$WORK/hist" "proxy-prompt-half$1" "proxy-slow-half$1" "$SLOW_ROUNDS" "$SLOW_TARGET_PCT")
  local dropped pool_full dropped0 pool_full0
  read -r dropped0 pool_full0 <<<"$drops0"
  read -r dropped pool_full < <(slow_side_drops)
  SLOW_DROPPED[x$1]="$((dropped - dropped0)) ($((pool_full - pool_full0)) for a full shadow pool)"
  SLOW_CPU[x$1]="proxies ${ms[prompt]} vs ${ms[slow]} ms (lanes and comparison threads ${low[prompt]} vs ${low[slow]} ms), \
candidate server $(( $(cpu_ms "${SERVER_PID[${port[prompt]}]}") - server0[0] )) vs $(( $(cpu_ms "${SERVER_PID[${port[slow]}]}") - server0[1] )) ms"
  # Still pooled after the rounds (idle connections are kept 60 s): over HTTP/1.1 one per shadow in flight at the peak.
  SLOW_CONNS[x$1]="${conns[prompt]} vs ${conns[slow]}"
  for i in "${SIDE_PID[@]}"; do stop "$i"; done
}
slow_side_drops() { # "dropped pool_full": shadows the slow side's proxies have dropped so far, and those for a full pool
  # Every proxy's /metrics is read, the prompt side's too, so that both sides are scraped alike.
  local i d p dropped=0 pool_full=0
  for ((i = 0; i < ${#SIDE[@]}; i++)); do
    d=$(metric_sum parallelrun_shadows_dropped_total "${SIDE_ADMIN[i]}")
    p=$(metric_sum parallelrun_shadows_dropped_total "${SIDE_ADMIN[i]}" 'reason="shadow_pool_full"')
    [ "${SIDE[i]}" = slow ] || continue
    dropped=$((dropped + d)) pool_full=$((pool_full + p))
  done
  echo "$dropped $pool_full"
}
conns_to() { # pid port: that process's established connections to that port
  ss -Htnp state established "( dport = :$2 )" | grep -c "pid=$1," || true
}
declare -A SLOW_DROPPED SLOW_CPU SLOW_CONNS FORK_P99 SLOW_EFFECT
slow_vs_prompt "" "$PROXY_JAVA_OPTS"
[ -z "$CANDIDATE_NICE" ] || slow_vs_prompt "-nice" "$PROXY_JAVA_OPTS" $PROMPT_NICE $SLOW_NICE
[ -z "$ALT_JAVA_OPTS" ] || slow_vs_prompt "-alt" "$ALT_JAVA_OPTS"
[ -z "$IDLE_LANES" ] || slow_vs_prompt "-idle" "$PROXY_JAVA_OPTS"
[ -z "$CONTROL" ] || slow_vs_prompt "-control" "$PROXY_JAVA_OPTS" $PROMPT $PROMPT
if [ -n "$HTTP2" ]; then
  CANDIDATE_PROTOCOL=HTTP2
  slow_vs_prompt "-h2" "$PROXY_JAVA_OPTS" "$(h2_port $PROMPT)" "$(h2_port $SLOW)"
  CANDIDATE_PROTOCOL=HTTP1
fi

# --- report ---------------------------------------------------------------------------------------------------
echo
echo "Proxy benchmark, $(nproc) CPUs ($LAYOUT), proxy JVM: $PROXY_JAVA_OPTS, wrk -t$THREADS -c$CONN -d${D}s, medians of $ROUNDS interleaved rounds (slow candidate: $SLOW_FORKS proxies per side, $SLOW_ROUNDS rotated rounds, candidate servers: $SLOW_SERVER), all on 127.0.0.1"
echo "load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
printf '%-24s %10s %10s %9s %9s %13s %7s   %s\n' "run" "req/s" "compared/s" "p50 ms" "p99 ms" "pooled p99 ms" "errors" "req/s per round | p99 ms per round"
for k in direct-1k mirror-1k proxy-1k direct-32k mirror-32k proxy-32k direct-half proxy-half mirror-half proxy-80 \
    proxy-passthrough-1k netty-plain-1k proxy-prompt-half proxy-slow-half proxy-prompt-half-nice proxy-slow-half-nice \
    proxy-prompt-half-alt proxy-slow-half-alt proxy-prompt-half-idle proxy-slow-half-idle proxy-prompt-half-control proxy-slow-half-control proxy-prompt-half-h2 proxy-slow-half-h2; do
  [ -n "${RPS[$k]:-}" ] || continue
  printf '%-24s %10s %10s %9s %9s %13s %7s   %s\n' "$k" "${RPS[$k]}" "${CPS[$k]:--}" "${P50[$k]}" "${P99[$k]}" "${POOLED_P99[$k]:--}" "${ERR[$k]}" "${ROUND_RPS[$k]:-}${ROUND_P99[$k]:+ | ${ROUND_P99[$k]}}"
done
echo
[ -n "$SLOW_ONLY" ] || echo "warm-up (closed loop until three 2 s steps agree within 10 % and the JIT is quiet): proxy ${WARM[proxy]}"
for k in slow slow-nice slow-alt slow-idle slow-control slow-h2; do
  [ -z "${WARM[$k]:-}" ] || echo "slow-candidate comparison ${k#slow}, warm-up at the rounds' pacing: ${WARM[$k]}"
done
if [ -z "$SLOW_ONLY" ]; then
  echo "throughput vs nginx-mirror (which mirrors every request), counting only requests the proxy mirrored and compared:"
  echo "  1 KB:  $(calc "round(${CPS[proxy-1k]} / ${RPS[mirror-1k]}, 2)")x   (target >= 1.0x); clients served: $(calc "round(${RPS[proxy-1k]} / ${RPS[mirror-1k]}, 2)")x"
  echo "  32 KB: $(calc "round(${CPS[proxy-32k]} / ${RPS[mirror-32k]}, 2)")x; clients served: $(calc "round(${RPS[proxy-32k]} / ${RPS[mirror-32k]}, 2)")x"
  echo "latency added over direct at ~half load ($HALF req/s, half of the $MAX compared/s at saturation):" \
    "p99 pooled over all rounds $(calc "round(${POOLED_P99[proxy-half]} - ${POOLED_P99[direct-half]}, 3)") ms (target <= 1 ms)," \
    "median of round p99s $(calc "round(${P99[proxy-half]} - ${P99[direct-half]}, 3)") ms, p50 $(calc "round(${POOLED_P50[proxy-half]} - ${POOLED_P50[direct-half]}, 3)") ms;" \
    "nginx mirror at the same pacing: p99 pooled $(calc "round(${POOLED_P99[mirror-half]} - ${POOLED_P99[direct-half]}, 3)") ms, median $(calc "round(${P99[mirror-half]} - ${P99[direct-half]}, 3)") ms"
fi
# The median of the rounds' p99s (the pooled effect, its interval and the paired rounds come from slow_effect.py).
slow_effect_median() { calc "round((${P99[proxy-slow-half$1]} - ${P99[proxy-prompt-half$1]}) / ${P99[proxy-prompt-half$1]} * 100, 1)"; }
forks() { # suffix: each proxy's pooled p99
  local i out=
  for i in $(seq 1 "$SLOW_FORKS"); do
    out+="${out:+, }prompt$i ${FORK_P99[$1.prompt$i]} vs slow$i ${FORK_P99[$1.slow$i]}"
  done
  echo "each proxy's pooled p99 (ms): $out"
}
slow_summary() { # suffix: one variant's slow-candidate figures
  echo "${SLOW_EFFECT[x$1]}; median of run p99s $(slow_effect_median "$1")%; $(forks "$1"); shadows dropped: ${SLOW_DROPPED[x$1]}; CPU over the rounds, prompt vs slow: ${SLOW_CPU[x$1]}; connections to the candidate: ${SLOW_CONNS[x$1]}"
}
echo "slow candidate (+${SLOW_MS} ms) moves client p99 (pooled over all rounds), vs the same candidate server without delay (target < ${SLOW_TARGET_PCT}%), by $(slow_summary "")"
[ -z "$CANDIDATE_NICE" ] || echo "  the same with both candidate servers at nice $CANDIDATE_NICE (as on machines of their own): $(slow_summary -nice)"
[ -z "$ALT_JAVA_OPTS" ] || echo "  the same with $ALT_JAVA_OPTS: $(slow_summary -alt)"
[ -z "$IDLE_LANES" ] || echo "  the same with the low-priority threads at SCHED_IDLE: $(slow_summary -idle)"
[ -z "$HTTP2" ] || echo "  the same with the candidate spoken to over HTTP/2 (protocol: HTTP2, h2c): $(slow_summary -h2)"
# The control has one candidate server and sheds nothing: its proxies' CPU only.
[ -z "$CONTROL" ] || echo "  control, both proxies in front of the same prompt candidate (the method's noise): ${SLOW_EFFECT[x-control]}; median of run p99s $(slow_effect_median -control)%; $(forks -control); CPU: ${SLOW_CPU[x-control]%%, candidate server*}"
[ -n "$SLOW_ONLY" ] || echo "stack cost: this proxy's pass-through path (Vert.x; no endpoint matched) vs a plain Netty HTTP proxy: $(calc "round(${RPS[proxy-passthrough-1k]} / ${RPS[netty-plain-1k]}, 2)")x throughput, p99 ${P99[proxy-passthrough-1k]} vs ${P99[netty-plain-1k]} ms"
[ -n "$SLOW_ONLY" ] || echo "at ~80% load ($EIGHTY req/s): shadows dropped $DROPPED ($POOL_FULL of them for a full shadow pool, the rest at the in-flight limit), comparisons counted $COMPARED for ${RPS[proxy-80]} req/s x ${D}s (target: 0 dropped)"
