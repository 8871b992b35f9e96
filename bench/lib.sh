# Shared by the scenario scripts beside it (docs/benchmarks.md); sourced, not run.
#
# Knobs every scenario reads from the environment (each script lists its own on top of these):
#   D=8          seconds per measured run
#   ROUNDS=4     interleaved rounds per comparison; the order of the competitors alternates from round to round
#   PROXY_CPUS=  a taskset CPU list (e.g. 1) for the proxies under test (this proxy, nginx's mirror, the plain Netty
#                proxy), so that a proxy's tail is its own and not the load generator's; wrk and the backends then
#                run on the other CPUs. Empty: every process shares every CPU, as on one small VM.
#
# Everything listens on 127.0.0.1 only, every wait and loop is bounded, and every process started here is stopped
# (and the work directory removed) on exit. Needs java 17 (a JDK: jstat), wrk, curl; nginx only for the nginx
# `mirror` baseline; taskset only with PROXY_CPUS.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
PROXY_JAR=$ROOT/proxy/target/parallel-run-proxy.jar
# The backends and the plain Netty proxy; the proxy's shaded jar brings Vert.x and Netty for them.
HELPERS_CP=$BENCH/target/classes:$PROXY_JAR
BUILD="mvn -o -B -q -pl api,proxy,bench -am package -DskipTests"

D=${D:-8}
ROUNDS=${ROUNDS:-4}
PROXY_CPUS=${PROXY_CPUS-}
# Fixed, not knobs: wrk's threads and connections for closed-loop runs, and the pause each connection takes
# between requests in paced runs (a rate is then set by the number of connections, see conns_for).
THREADS=2 CONN=64 PACE_MS=5
# The proxy image's JVM flags (proxy/pom.xml: collector, thread priorities), with a fixed heap.
PROXY_JAVA_OPTS="-Xms512m -Xmx512m $(sed -n 's|.*<jvmFlag>\(-XX:[^<]*\)</jvmFlag>.*|\1|p' "$ROOT/proxy/pom.xml" \
  | grep -v MaxRAMPercentage | tr '\n' ' ')"
# Where everything listens, on 127.0.0.1.
LEGACY=18081 CANDIDATE=18082 SLOW=18083 PROXY=18080 ADMIN=19901 PROXY2=18085 ADMIN2=19902 MIRROR=18090 NETTY=18092

log() { echo "# $*" >&2; }
fail() { echo "bench: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || fail "$1 not found: $2"; }
positive() { # knob value
  [[ "$2" =~ ^[1-9][0-9]*$ ]] || fail "$1 must be a positive whole number, not '$2'"
}
calc() { awk "BEGIN { printf \"%.${2:-0}f\n\", ($1) }"; } # expression [decimals]
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

RATE=${RATE-}
positive D "$D"
positive ROUNDS "$ROUNDS"
[ -z "$RATE" ] || positive RATE "$RATE"
need java "install a JDK 17 (apt-get install -y openjdk-17-jdk-headless)"
need jstat "the warm-up needs a JDK's jstat (apt-get install -y openjdk-17-jdk-headless)"
need wrk "apt-get install -y wrk"
need curl "apt-get install -y curl"
[ -f "$PROXY_JAR" ] && [ -f "$BENCH/target/classes/io/parallelrun/bench/SlowBackend.class" ] \
  || fail "the proxy jar or the bench classes are missing: build them with $BUILD"

# --- CPU layout ------------------------------------------------------------------------------------------------
cpus_of() { # [taskset list]: the CPUs a process started under it may use, as "0 1 ..."
  local -a on=()
  [ -z "${1:-}" ] || on=(taskset -c "$1")
  "${on[@]}" awk '/^Cpus_allowed_list/ {
      n = split($2, ranges, ",")
      for (i = 1; i <= n; i++) {
        m = split(ranges[i], b, "-"); hi = m > 1 ? b[2] : b[1]
        for (c = b[1]; c <= hi; c++) out = out (out == "" ? "" : " ") c
      }
      print out
    }' /proc/self/status 2>/dev/null || fail "PROXY_CPUS: not a CPU list taskset accepts here: '$1'"
}
ON_PROXY_CPUS=() ON_LOAD_CPUS=()
if [ -n "$PROXY_CPUS" ]; then
  need taskset "PROXY_CPUS needs it (apt-get install -y util-linux)"
  proxy_cpus=" $(cpus_of "$PROXY_CPUS") "
  PROXY_NCPU=$(echo $proxy_cpus | wc -w)
  LOAD_CPUS=
  for c in $(cpus_of); do
    [[ "$proxy_cpus" == *" $c "* ]] || LOAD_CPUS+="${LOAD_CPUS:+,}$c"
  done
  [ -n "$LOAD_CPUS" ] || fail "PROXY_CPUS=$PROXY_CPUS leaves no CPU for wrk and the backends"
  # Arrays, not functions, so that a background job's $! is the server itself: taskset execs it.
  ON_PROXY_CPUS=(taskset -c "$PROXY_CPUS") ON_LOAD_CPUS=(taskset -c "$LOAD_CPUS")
  LAYOUT="proxies on CPUs $PROXY_CPUS, wrk and backends on CPUs $LOAD_CPUS"
else
  PROXY_NCPU=$(nproc)
  LAYOUT="all processes share all CPUs"
fi

# --- processes and clean-up ------------------------------------------------------------------------------------
for port in $LEGACY $CANDIDATE $SLOW $PROXY $ADMIN $PROXY2 $ADMIN2 $MIRROR $NETTY; do
  [ -z "$(ss -Htln "( sport = :$port )" 2>/dev/null)" ] || fail "port $port on 127.0.0.1 is in use (another benchmark running?)"
done
WORK=$(mktemp -d /tmp/parallel-run-bench.XXXXXX)
chmod 755 "$WORK" # nginx workers run as an unprivileged user
mkdir -p "$WORK/hist"
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'echo "bench: failed at ${BASH_SOURCE[0]##*/} line $LINENO" >&2' ERR

wait_http() { # url: up to 30 s for it to answer
  local _
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.1
  done
  fail "timed out waiting for $1 (logs in $WORK)"
}

start_backend() { # port delay-ms [price]: a legacy or candidate (SlowBackend), on the load CPUs
  "${ON_LOAD_CPUS[@]}" java -Xmx256m -cp "$HELPERS_CP" io.parallelrun.bench.SlowBackend "$1" "$2" ${3:-} >"$WORK/backend-$1.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$1/items/1k"
}

start_proxy() { # candidate-port listen-port admin-port [flag ...]: the proxy comparing every request; sets PROXY_PID
  cat >"$WORK/parallelrun-$2.yaml" <<YAML
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
  # shellcheck disable=SC2086
  "${ON_PROXY_CPUS[@]}" java $PROXY_JAVA_OPTS -jar "$PROXY_JAR" --manifest "$WORK/parallelrun-$2.yaml" \
    --listen "127.0.0.1:$2" --admin "127.0.0.1:$3" --event-loops "$PROXY_NCPU" --compare-threads 1 \
    --max-in-flight-comparisons 4096 "${@:4}" >"$WORK/proxy-$2.log" 2>&1 &
  PROXY_PID=$!
  PIDS+=($!)
  wait_http "http://127.0.0.1:$3/readyz"
}

start_netty() { # listen-port upstream-port: the plain Netty proxy, on the proxies' CPUs; sets NETTY_PID
  "${ON_PROXY_CPUS[@]}" java -Xms512m -Xmx512m -cp "$HELPERS_CP" io.parallelrun.bench.NettyPlainProxy "$1" "$2" >"$WORK/netty.log" 2>&1 &
  NETTY_PID=$!
  PIDS+=($!)
  wait_http "http://127.0.0.1:$1/items/1k"
}

# nginx with the `mirror` directive, legacy and candidate as keepalive upstreams, one worker per CPU it has: the
# reference for what a mirroring hop costs; warmed with a 3 s run. Returns 1 (and says so) without nginx: that
# baseline is then skipped.
start_mirror() { # path to warm it with
  local nginx
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  if [ ! -x "$nginx" ]; then
    log "nginx not found: skipping the nginx mirror baseline (apt-get install -y nginx-light)"
    return 1
  fi
  mkdir -p "$WORK/nginx"
  cat >"$WORK/mirror.conf" <<NGX
worker_processes $PROXY_NCPU;
pid $WORK/mirror.pid;
error_log $WORK/mirror.error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  keepalive_requests 1000000;
  upstream legacy { server 127.0.0.1:$LEGACY; keepalive 128; }
  upstream candidate { server 127.0.0.1:$CANDIDATE; keepalive 128; }
  server {
    listen 127.0.0.1:$MIRROR;
    location / {
      mirror /mirror;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://legacy;
    }
    location = /mirror {
      internal;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://candidate\$request_uri;
    }
  }
}
NGX
  "${ON_PROXY_CPUS[@]}" "$nginx" -c "$WORK/mirror.conf" -p "$WORK" -g 'daemon off;' >"$WORK/mirror.out" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$MIRROR/items/1k"
  wrk_run "http://127.0.0.1:$MIRROR$1" 3 "$CONN" 0 >/dev/null
}

# --- measuring ---------------------------------------------------------------------------------------------------
metric_sum() { # name admin-port [label, e.g. reason="shadow_pool_full"]: the sum of the name's series (with that label)
  curl -fs "http://127.0.0.1:$2/metrics" \
    | awk -v n="$1" -v l="${3:-}" '($1 ~ "^"n"[{ ]" || $1 == n) && (l == "" || index($1, l)) { s += $2 } END { printf "%d\n", s }'
}

# What Prometheus and the kubelet do to a proxy pod all the time. The admin port runs on the proxy's event loop, so
# the first scrape of a warm proxy gives its hot paths new types: in a run of 2026-12-01 it made 96 compiled
# methods not entrant and the next run's p99 3.6 ms against 1.2-1.4 ms. So every run of a proxy is followed by one.
probe_admin() { # admin port
  curl -fs -o /dev/null "http://127.0.0.1:$1/metrics"
  curl -fs -o /dev/null "http://127.0.0.1:$1/readyz"
}

# Compared per second: a saturated proxy sheds shadows (their lanes run at low priority) and serves more clients
# than it mirrors and compares, so its throughput against nginx's mirror, which mirrors every request, counts these.
# ADMIN_OF: key -> the admin port of the proxy a key measures, for the keys that count compared/s.
declare -A ADMIN_OF RPS P99 CPS REQUESTS RUNS_RPS RUNS_CPS RUNS_P99
wrk_run() { # url seconds conns pace-ms [histogram file]: wrk's RESULT line (result.lua)
  WRK_DELAY_MS=$4 WRK_HIST=${5:-} "${ON_LOAD_CPUS[@]}" wrk -t"$THREADS" -c"$3" -d"$2s" -s "$BENCH/result.lua" "$1" \
    | grep '^RESULT' || fail "wrk gave no result for $1"
}
field() { sed -E "s/.*[ ]$1=([0-9.]+).*/\\1/" <<<"$2"; } # name result-line

measure() { # key url conns pace-ms: one run of D seconds; appends to the key's histogram and per-run figures
  local out c0=0 admin=${ADMIN_OF[$1]:-}
  [ -z "$admin" ] || c0=$(metric_sum parallelrun_comparisons_total "$admin")
  out=$(wrk_run "$2" "$D" "$3" "$4" "$WORK/hist/$1")
  RPS[$1]=$(field rps "$out") P99[$1]=$(field p99_ms "$out") REQUESTS[$1]=$(field requests "$out")
  RUNS_RPS[$1]+=" ${RPS[$1]}" RUNS_P99[$1]+=" ${P99[$1]}"
  if [ -n "$admin" ]; then
    sleep 0.5 # the run's last shadows
    CPS[$1]=$(calc "($(metric_sum parallelrun_comparisons_total "$admin") - $c0) / $D" 1)
    RUNS_CPS[$1]+=" ${CPS[$1]}"
    out+=" compared_per_s=${CPS[$1]}"
    probe_admin "$admin"
  fi
  log "$1: ${out#RESULT }"
}

# ROUNDS rounds of one run per key, the keys in reverse order every other round: when one of two identical proxies
# always went second its p99 came out 9-15 % higher (2026-11-30), which a comparison would count as a difference.
rounds() { # conns pace-ms key url [key url ...]
  local c=$1 pace=$2 r i j
  shift 2
  local -a args=("$@")
  for r in $(seq 1 "$ROUNDS"); do
    for ((j = 0; j < ${#args[@]}; j += 2)); do
      i=$((r % 2 == 1 ? j : ${#args[@]} - 2 - j))
      measure "${args[i]}" "${args[i + 1]}" "$c" "$pace"
    done
  done
}
median_rps() { calc "$(median <<<"${RUNS_RPS[$1]}")"; } # key -> req/s over its runs
median_cps() { calc "$(median <<<"${RUNS_CPS[$1]}")"; } # key -> compared/s over its runs

# The p99 of every request of every run of a key (wrk's histograms, "microseconds count" lines): one run's p99
# rests on its slowest 1 % and moved by a third from round to round on the 2-vCPU VMs measured so far.
pooled_p99() { # key -> ms
  sort -n "$WORK/hist/$1" | awk '{ us[NR] = $1; n[NR] = $2; total += $2 }
    END { for (i = 1; i <= NR; i++) { seen += n[i]; if (seen * 100 >= total * 99) { printf "%.3f\n", us[i] / 1000; exit } } }'
}

# Closed-loop load in 2 s steps until the last three agree within 10 % (at least 5 steps, at most 60 s) and the JIT
# compiled at most 20 methods in the last step. Rates alone are not enough: on one CPU a JVM plateaus for a while
# at a fifth of its speed while C2 still compiles. The steps are logged, the first one being the cold start.
warm_up() { # name url pid [admin port]
  local rates=() r i c0 c1 jit=()
  c0=$(jit_compiled "$3")
  for i in $(seq 1 30); do
    r=$(field rps "$(wrk_run "$2" 2 "$CONN" 0)")
    [ -z "${4:-}" ] || probe_admin "$4"
    c1=$(jit_compiled "$3")
    rates+=("${r%.*}") jit+=($((c1 - c0)))
    c0=$c1
    [ "$i" -lt 5 ] || [ "${jit[-1]}" -gt 20 ] || ! steady "${rates[@]: -3}" || break
  done
  log "$1 warm-up: $((i * 2)) s (req/s per 2 s step: ${rates[*]}; methods compiled per step: ${jit[*]})"
}
jit_compiled() { jstat -compiler "$1" 2>/dev/null | awk 'NR == 2 { n = $1 } END { print n + 0 }'; } # pid: methods compiled so far
steady() { # three rates: within 10 % of their median
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { exit !(v[3] - v[2] <= 0.1 * v[2] && v[2] - v[1] <= 0.1 * v[2]) }'
}

# Legacy and candidate, both prompt, and the proxy in front of them (PROXY, ADMIN), warmed up: every scenario's start.
start_warm_proxy() { # [answer size: 1k or 32k]
  start_backend $LEGACY 0
  start_backend $CANDIDATE 0
  start_proxy $CANDIDATE $PROXY $ADMIN
  warm_up proxy "http://127.0.0.1:$PROXY/items/${1:-1k}" "$PROXY_PID" $ADMIN
}

# A share of the proxy's maximum in compared/s: RATE when given (throughput.sh's RESULT line prints it), else one
# closed-loop run of D seconds against the warm proxy of start_warm_proxy.
paced_rate() { # share, e.g. 0.5 -> req/s
  local max=$RATE
  if [ -z "$max" ]; then
    ADMIN_OF[max]=$ADMIN
    measure max "http://127.0.0.1:$PROXY/items/1k" "$CONN" 0
    max=${CPS[max]}
  fi
  calc "$max * $1"
}
# Connections for a paced run at a rate: each sends one request every PACE_MS (plus its latency).
conns_for() { calc "$1 * ($PACE_MS + 0.3) / 1000 < 2 ? 2 : $1 * ($PACE_MS + 0.3) / 1000"; } # rate

result() { # scenario's figures: the one line a scenario prints on stdout
  echo "RESULT $* [$(date -u +%F), $(nproc) CPUs, $LAYOUT, $D s runs]"
}
