-- wrk script for the gateway benchmark: POSTs the JSON body in the file $BENCH_BODY, with extra headers from
-- $BENCH_HEADERS ("Name: value|Name: value"), and prints one RESULT line (latency in milliseconds) at the end.
local file = assert(io.open(os.getenv("BENCH_BODY"), "r"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
for header in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^|]+") do
  local name, value = header:match("^%s*([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f p50=%.3f p90=%.3f p99=%.3f max=%.3f"
      .. " non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
