-- wrk script for bench/dashboard_load.py: every request is one of the logged-in managers asking
-- one of their dashboard views. BENCH_SESSIONS names a Lua file that returns
-- {cookie = name, sessions = {{key = ..., paths = {...}}, ...}, days = {...}}.
-- BENCH_MODE=cold adds an end date not asked before, so no dashboard comes from the cache.
local data = dofile(os.getenv("BENCH_SESSIONS"))
local mode = os.getenv("BENCH_MODE") or "warm"
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = id * 7919
  bad = 0
  math.randomseed(id + 1)
end

function request()
  counter = counter + 1
  local session = data.sessions[(counter % #data.sessions) + 1]
  local path = session.paths[(math.floor(counter / #data.sessions) % #session.paths) + 1]
  if mode == "cold" then
    local glue = path:find("?", 1, true) and "&" or "?"
    path = path .. glue .. "end=" .. data.days[math.random(#data.days)]
  end
  return wrk.format("GET", path, { ["Cookie"] = data.cookie .. "=" .. session.key })
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + thread:get("bad")
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "not_200": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, not_ok,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  ))
end
