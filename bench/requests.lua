-- wrk script for Frontline's benchmarks (bench/run.py writes the request file and reads what done() prints).
--
--   wrk -t2 -c16 -d10s -s bench/requests.lua http://127.0.0.1:PORT -- REQUESTS_FILE [EXPECT_HEADER]
--
-- REQUESTS_FILE has one request a line, tab-separated: thread number (1-based), method, path, Cookie header,
-- CSRF token, body ("-" for none). Each wrk thread takes its own lines and sends them in turn, round and round,
-- so the signed-in sessions are spread over the connections. "{{key}}" in a body becomes a fresh key each time
-- (idempotency keys: each send is a new thank-you or booking). POSTs go as htmx sends them (HX-Request and the
-- CSRF token in X-CSRFToken).
--
-- Every response that is not 2xx counts as failed, and so does one without EXPECT_HEADER when that is given
-- (an htmx POST that succeeded answers 200 with HX-Location; one whose form was refused answers 200 without).
-- Every HX-Location of a 2xx answer (the thank-you or booking a POST made) is kept, so bench/capacity.py can check
-- each acknowledged write is in the database. done() prints one line, "BENCH-JSON {...}", that bench/run.py parses.

local threads = {}
local counter = 1

function setup(thread)
  thread:set("number", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local lines = {}
local position = 0
local sent = 0
failed = 0
server_errors = 0
first_failure = ""
acked = ""  -- the HX-Location of every write the server acknowledged, space-separated
local expect = nil

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  local number = tonumber(wrk.thread:get("number"))
  local total = 0
  for line in io.lines(args[1]) do
    local f = split(line)
    if tonumber(f[1]) == number then
      table.insert(lines, {method = f[2], path = f[3], cookie = f[4], csrf = f[5], body = f[6]})
    end
    total = total + 1
  end
  if args[2] and args[2] ~= "" then
    expect = string.lower(args[2])
  end
  math.randomseed(os.time() + number * 7919)
end

function request()
  position = position % #lines + 1
  sent = sent + 1
  local line = lines[position]
  local headers = {Cookie = line.cookie}
  local body = nil
  if line.method == "GET" then
    headers["Accept-Encoding"] = "gzip"  -- pages as browsers fetch them; a POST's short answer stays readable
  end
  if line.method == "POST" then
    headers["HX-Request"] = "true"
    headers["X-CSRFToken"] = line.csrf
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local key = string.format("bench-%02d-%08d-%010d", wrk.thread:get("number"), sent, math.random(1, 2000000000))
    body = string.gsub(line.body, "{{key}}", key)
  end
  return wrk.format(line.method, line.path, headers, body)
end

function response(status, headers, body)
  local ok = status >= 200 and status < 300
  local location = nil
  for name, value in pairs(headers) do
    if string.lower(name) == "hx-location" then
      location = value
    end
  end
  if ok and location then
    acked = acked .. location .. " "
  end
  if status >= 500 then
    server_errors = server_errors + 1
  end
  if ok and expect and expect == "hx-location" then
    ok = location ~= nil
  elseif ok and expect then
    ok = false
    for name, _ in pairs(headers) do
      if string.lower(name) == expect then
        ok = true
      end
    end
  end
  if not ok then
    failed = failed + 1
    if first_failure == "" then
      -- A page's title says what it is ("Error: …", "That time has gone"); else the body's start.
      local title = (body or ""):match("<title>(.-)</title>") or string.sub(body or "", 1, 200)
      first_failure = tostring(status) .. " " .. title:gsub("[%c\"\\]", " ")
    end
  end
end

function done(summary, latency, requests)
  local total_failed = 0
  local total_server_errors = 0
  local all_acked = ""
  local sample = ""
  for _, thread in ipairs(threads) do
    total_failed = total_failed + (tonumber(thread:get("failed")) or 0)
    total_server_errors = total_server_errors + (tonumber(thread:get("server_errors")) or 0)
    all_acked = all_acked .. (thread:get("acked") or "")
    local first = thread:get("first_failure")
    if sample == "" and first and first ~= "" then
      sample = first
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "failed": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, "first_failure": "%s", ' ..
    '"server_errors": %d, "acked": "%s"}\n',
    summary.requests, summary.duration, summary.bytes, total_failed,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max, sample,
    total_server_errors, all_acked))
end
