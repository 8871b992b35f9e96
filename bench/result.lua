-- Prints one machine-readable line at the end of a wrk run. WRK_DELAY_MS > 0 paces each connection.
-- WRK_HIST names a file to which the run's latency histogram is appended, one "microseconds count" line per
-- distinct latency, so that the runs of several rounds can be pooled into one distribution.
local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "0")
local hist_file = os.getenv("WRK_HIST") or ""
if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
  if hist_file ~= "" then
    local f = assert(io.open(hist_file, "a"))
    for i = 1, #latency do
      local us, count = latency(i) -- wrk's stats object: the i-th distinct latency and how often it occurred
      f:write(string.format("%d %d\n", us, count))
    end
    f:close()
  end
end
