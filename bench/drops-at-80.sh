#!/usr/bin/env bash
# Drops at 80 %: shadows the proxy does not send (parallelrun_shadows_dropped_total) in one run paced at 80 % of its
# maximum. Target: 0.
#
#   bench/drops-at-80.sh          knobs: RATE (as in added-latency.sh), and D, PROXY_CPUS (lib.sh)
#
# Prints one RESULT line with the drops by reason and the comparisons counted.
. "$(dirname "$0")/lib.sh"

start_warm_proxy
eighty=$(paced_rate 0.8)
conns=$(conns_for "$eighty")
settled_counters() { # "dropped compared pool-full", once two reads 0.2 s apart agree (at most 5 s): no shadow in flight
  local now before= _
  for _ in $(seq 1 25); do
    now="$(metric_sum parallelrun_shadows_dropped_total $ADMIN) $(metric_sum parallelrun_comparisons_total $ADMIN) \
$(metric_sum parallelrun_shadows_dropped_total $ADMIN 'reason="shadow_pool_full"')"
    [ "$now" != "$before" ] || break
    before=$now
    sleep 0.2
  done
  echo "$now"
}
read -r dropped0 compared0 full0 < <(settled_counters)
log "paced at about $eighty req/s ($conns connections) for $D s"
measure proxy "http://127.0.0.1:$PROXY/items/1k" "$conns" "$PACE_MS"
read -r dropped compared full < <(settled_counters)
dropped=$((dropped - dropped0)) full=$((full - full0)) compared=$((compared - compared0))
verdict=$([ "$dropped" -eq 0 ] && echo met || echo missed)
result "drops-at-80 at $eighty req/s: $dropped shadows dropped ($full for a full shadow pool, the rest at the in-flight" \
  "limit; target 0: $verdict), $compared compared of ${REQUESTS[proxy]} requests served"
