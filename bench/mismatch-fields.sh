#!/usr/bin/env bash
# The cost of counting mismatches by field (parallelrun_mismatch_fields_total, issue 24 item 6): two proxies in
# front of the same legacy and a candidate whose every answer differs from legacy's at one field of every item
# (its price), one counting fields (--mismatch-fields-per-endpoint 20, the default), one not (0); closed loop, the
# two alternating round by round. Target: the counting proxy compares at least 95 % as many requests per second.
#
#   bench/mismatch-fields.sh      knobs: SIZE=1k (1k or 32k: the answer's size), and D, ROUNDS, PROXY_CPUS (lib.sh)
#
# Prints one RESULT line. About 1 min plus two warm-ups at the defaults.
. "$(dirname "$0")/lib.sh"
SIZE=${SIZE:-1k}
[[ "$SIZE" =~ ^(1k|32k)$ ]] || fail "SIZE must be 1k or 32k, not '$SIZE'"

start_backend $LEGACY 0
start_backend $CANDIDATE 0 13
start_proxy $CANDIDATE $PROXY $ADMIN --mismatch-fields-per-endpoint 20
COUNTING_PID=$PROXY_PID
start_proxy $CANDIDATE $PROXY2 $ADMIN2 --mismatch-fields-per-endpoint 0
warm_up counting "http://127.0.0.1:$PROXY/items/$SIZE" "$COUNTING_PID" $ADMIN
warm_up off "http://127.0.0.1:$PROXY2/items/$SIZE" "$PROXY_PID" $ADMIN2
[ "$(metric_sum parallelrun_comparisons_total $ADMIN 'result="unmatched"')" -gt 0 ] \
  || fail "the candidate's answers did not mismatch"
[ "$(metric_sum parallelrun_mismatch_fields_total $ADMIN 'field="body:$.items[*].price"')" -gt 0 ] \
  || fail "the counting proxy did not count body:\$.items[*].price"
ADMIN_OF[counting]=$ADMIN ADMIN_OF[off]=$ADMIN2
log "every request compared and mismatched, $SIZE answers, $ROUNDS interleaved rounds"
rounds "$CONN" 0 counting "http://127.0.0.1:$PROXY/items/$SIZE" off "http://127.0.0.1:$PROXY2/items/$SIZE"

ratio=$(calc "$(median_cps counting) / $(median_cps off)" 3)
verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.95 ? "met" : "missed") }')
result "mismatch fields $SIZE: counting $(median_cps counting) compared/s ($(median_rps counting) req/s)," \
  "off $(median_cps off) compared/s ($(median_rps off) req/s): ${ratio}x (target >= 0.95x: $verdict);" \
  "medians of $ROUNDS rounds (compared/s per run: counting${RUNS_CPS[counting]}, off${RUNS_CPS[off]})"
