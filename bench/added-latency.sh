#!/usr/bin/env bash
# Added latency: the p99 a client sees through this proxy (comparing every request) minus the p99 direct to legacy,
# both paced at the same rate, half of the proxy's maximum. Target: <= 1 ms. nginx's mirror at the same pacing, when
# nginx is there, is the reference for what any mirroring hop adds on this machine.
#
#   bench/added-latency.sh        knobs: RATE (the proxy's maximum in compared/s, as throughput.sh prints it;
#                                 empty: measured here in one closed-loop run), and D, ROUNDS, PROXY_CPUS (lib.sh)
#
# Prints one RESULT line. The p99s are pooled over every request of every round (wrk's histograms).
. "$(dirname "$0")/lib.sh"

start_warm_proxy
half=$(paced_rate 0.5)
conns=$(conns_for "$half")
ADMIN_OF[proxy]=$ADMIN
competitors=(direct "http://127.0.0.1:$LEGACY/items/1k" proxy "http://127.0.0.1:$PROXY/items/1k")
! start_mirror /items/1k || competitors+=(mirror "http://127.0.0.1:$MIRROR/items/1k")
log "paced at about $half req/s ($conns connections, one request each per $PACE_MS ms), $ROUNDS interleaved rounds"
rounds "$conns" "$PACE_MS" "${competitors[@]}"

direct=$(pooled_p99 direct)
added=$(calc "$(pooled_p99 proxy) - $direct" 3)
verdict=$(awk -v a="$added" 'BEGIN { print (a <= 1.0 ? "met" : "missed") }')
mirror="nginx mirror not measured (no nginx)"
[ -z "${RUNS_RPS[mirror]:-}" ] || mirror="nginx mirror $(calc "$(pooled_p99 mirror) - $direct" 3) ms"
result "added-latency at $half req/s: p99 added ${added} ms (proxy $(pooled_p99 proxy) ms, direct $direct ms," \
  "pooled over $ROUNDS rounds; target <= 1 ms: $verdict); $mirror; proxy served $(median_rps proxy) req/s"
