-- wrk script: GET /health (the registry's own round trip to its state owner, no body).
wrk.method = "GET"
wrk.path = "/health"

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  local errs = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.requests, non2xx, errs))
end
