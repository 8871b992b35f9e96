#!/usr/bin/env bash
# Throughput against nginx's `mirror`: how many requests per second this proxy mirrors and compares at saturation
# (closed loop, wrk -t2 -c64) against how many nginx mirrors, both in front of the same legacy and candidate.
# Target: >= 1.0x. Also measured in the same run: direct to legacy, and the stack's own cost, this proxy's
# pass-through path (a path no endpoint matches) against a plain Netty HTTP proxy.
#
#   bench/throughput.sh           knobs: SIZE=1k (1k or 32k: the answer's size), and D, ROUNDS, PROXY_CPUS (lib.sh)
#
# Prints one RESULT line; its compared/s is the RATE the paced scenarios take. Without nginx the mirror baseline is
# skipped (the line says so). About 2 min plus warm-ups at the defaults.
. "$(dirname "$0")/lib.sh"
SIZE=${SIZE:-1k}
[[ "$SIZE" =~ ^(1k|32k)$ ]] || fail "SIZE must be 1k or 32k, not '$SIZE'"

start_warm_proxy "$SIZE"
ADMIN_OF[proxy]=$ADMIN
competitors=(direct "http://127.0.0.1:$LEGACY/items/$SIZE" proxy "http://127.0.0.1:$PROXY/items/$SIZE")
! start_mirror "/items/$SIZE" || competitors+=(mirror "http://127.0.0.1:$MIRROR/items/$SIZE")
log "maximum throughput, $SIZE answers, $ROUNDS interleaved rounds"
rounds "$CONN" 0 "${competitors[@]}"

start_netty $NETTY $LEGACY
warm_up netty "http://127.0.0.1:$NETTY/other/$SIZE" "$NETTY_PID"
log "stack cost: the proxy's pass-through path against a plain Netty proxy"
rounds "$CONN" 0 passthrough "http://127.0.0.1:$PROXY/other/$SIZE" netty "http://127.0.0.1:$NETTY/other/$SIZE"

compared=$(median_cps proxy)
if [ -n "${RUNS_RPS[mirror]:-}" ]; then
  ratio=$(calc "$compared / $(median_rps mirror)" 2)
  verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 1.0 ? "met" : "missed") }')
  vs_mirror="nginx mirror $(median_rps mirror) req/s: ${ratio}x (target >= 1.0x: $verdict)"
else
  vs_mirror="nginx mirror not measured (no nginx: apt-get install -y nginx-light)"
fi
result "throughput $SIZE: proxy $compared compared/s while serving $(median_rps proxy) req/s; $vs_mirror;" \
  "direct $(median_rps direct) req/s; pass-through vs plain Netty $(calc "$(median_rps passthrough) / $(median_rps netty)" 2)x" \
  "($(median_rps passthrough) vs $(median_rps netty) req/s); medians of $ROUNDS rounds"
