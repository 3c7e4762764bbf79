-- wrk script: POST /submit with a unique url per request (thread id + per-thread counter) and an
-- embedding of N floats (fixed per thread, generated once so Lua does not dominate the client).
--   wrk ... -s bench/registry/submit.lua URL -- <brand> <floats>
local counter = 0
local thread_id = 0
local threads = {}
local next_id = 0
local head, tail

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  thread_id = tonumber(tid) or 0
  local brand = args[1] or "bench"
  local floats = tonumber(args[2] or "16")
  math.randomseed(1000 + thread_id)
  local parts = {}
  for i = 1, floats do
    parts[i] = string.format("%.7f", math.random() * 2 - 1)
  end
  local embedding = table.concat(parts, ",")
  head = '{"brand":"' .. brand .. '","result":{"url":"https://market.example.com/listing/t' .. thread_id .. '-'
  tail = '/photo.jpg","embedding":[' .. embedding .. '],"s3_path":"s3://brandscan-bench/' .. brand .. '/img.jpg"}}'
  wrk.method = "POST"
  wrk.path = "/submit"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, head .. counter .. tail)
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  local errs = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.requests, non2xx, errs))
end
