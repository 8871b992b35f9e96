#!/usr/bin/env bash
# Slow candidate: how much a candidate answering SLOW_MS late moves the clients' p99, against the same candidate
# server without the delay. Two proxies, one in front of each, paced at half of the proxy's maximum, in
# interleaved rounds. Target: < 5 %.
#
#   bench/slow-candidate.sh       knobs: SLOW_MS=50, RATE (as in added-latency.sh), ROUNDS=12, and D, PROXY_CPUS (lib.sh)
#
# Prints one RESULT line: the change of the p99 pooled over all rounds, and the range of the paired rounds'
# changes. One round's p99 moves by tens of per cent on a 2-vCPU VM, so the verdict is "met" or "missed" only when
# every paired round lies on one side of the target; otherwise more rounds are needed (docs/benchmarks.md).
ROUNDS=${ROUNDS:-12}
. "$(dirname "$0")/lib.sh"
SLOW_MS=${SLOW_MS:-50}
positive SLOW_MS "$SLOW_MS"

start_warm_proxy
prompt_pid=$PROXY_PID
half=$(paced_rate 0.5)
conns=$(conns_for "$half")
start_backend $SLOW "$SLOW_MS"
start_proxy $SLOW $PROXY2 $ADMIN2
slow_pid=$PROXY_PID
# Warmed at the rounds' pacing, not closed-loop: at saturation the proxy in front of the slow candidate opened
# 1 000-2 000 shadow connections, which idled out together 60 s later, in the middle of the measured rounds.
log "warming both proxies at the rounds' pacing, $half req/s, until the JIT is quiet (4 to 12 runs each)"
for i in $(seq 1 12); do
  c0=$(( $(jit_compiled $prompt_pid) + $(jit_compiled $slow_pid) ))
  wrk_run "http://127.0.0.1:$PROXY/items/1k" "$D" "$conns" "$PACE_MS" >/dev/null && probe_admin $ADMIN
  wrk_run "http://127.0.0.1:$PROXY2/items/1k" "$D" "$conns" "$PACE_MS" >/dev/null && probe_admin $ADMIN2
  compiled=$(( $(jit_compiled $prompt_pid) + $(jit_compiled $slow_pid) - c0 ))
  log "warm-up round $i: $compiled methods compiled"
  [ "$i" -lt 4 ] || [ "$compiled" -gt 40 ] || break
done

ADMIN_OF[prompt]=$ADMIN ADMIN_OF[slow]=$ADMIN2
dropped0=$(metric_sum parallelrun_shadows_dropped_total $ADMIN2)
log "paced at about $half req/s ($conns connections), $ROUNDS interleaved rounds"
rounds "$conns" "$PACE_MS" prompt "http://127.0.0.1:$PROXY/items/1k" slow "http://127.0.0.1:$PROXY2/items/1k"
dropped=$(( $(metric_sum parallelrun_shadows_dropped_total $ADMIN2) - dropped0 ))

prompt=$(pooled_p99 prompt) slow=$(pooled_p99 slow)
effect=$(awk "BEGIN { printf \"%+.1f\", ($slow - $prompt) / $prompt * 100 }")
read -r low high verdict < <(paste -d' ' <(tr ' ' '\n' <<<"${RUNS_P99[prompt]}" | grep .) \
  <(tr ' ' '\n' <<<"${RUNS_P99[slow]}" | grep .) \
  | awk '{ c = ($2 - $1) / $1 * 100; if (NR == 1 || c < lo) lo = c; if (NR == 1 || c > hi) hi = c }
    END { printf "%+.0f %+.0f %s\n", lo, hi, (hi < 5 ? "met" : (lo >= 5 ? "missed" : "not-settled")) }')
result "slow-candidate +$SLOW_MS ms at $half req/s: client p99 ${effect} % (prompt $prompt ms, slow $slow ms," \
  "pooled over $ROUNDS rounds; paired rounds $low to $high %; target < 5 %: $verdict); shadows dropped in front of" \
  "the slow candidate: $dropped"
