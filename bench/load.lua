-- wrk script for bench/load.py: each request is the next one of one of the logged-in sessions.
-- BENCH_DATA names a Lua file that returns
--   {cookie = "sessionid", csrf_cookie = "csrftoken", csrf = "<32 characters>", expect = 200,
--    sessions = {{key = "...", requests = {{method = "GET", path = "/...", body = nil}, ...}}}}
-- Sessions take turns; each session goes through its own requests in order (a POST that
-- accepts a referral names a referral of its own, never one asked before), wrapping around.
-- A response other than `expect` is counted as bad and printed in the summary.
local data = dofile(os.getenv("BENCH_DATA"))
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  turn = 0
  position = {}
  bad = 0
  statuses = ""
end

function request()
  turn = turn + 1
  local index = (turn % #data.sessions) + 1
  local session = data.sessions[index]
  local at = (position[index] or 0) % #session.requests + 1
  position[index] = at
  local r = session.requests[at]
  local headers = {
    ["Cookie"] = data.cookie .. "=" .. session.key .. "; " .. data.csrf_cookie .. "=" .. data.csrf,
  }
  if r.method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", r.path, headers, r.body .. "&csrfmiddlewaretoken=" .. data.csrf)
  end
  return wrk.format("GET", r.path, headers)
end

function response(status, headers, body)
  if status ~= data.expect then
    bad = bad + 1
    if #statuses < 60 then
      statuses = statuses .. status .. " "
    end
  end
end

function done(summary, latency, requests)
  local not_ok, seen = 0, ""
  for _, thread in ipairs(threads) do
    not_ok = not_ok + thread:get("bad")
    seen = seen .. thread:get("statuses")
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "bad": %d, "bad_statuses": "%s", "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, not_ok, seen,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  ))
end
