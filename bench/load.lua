-- One measured route for wrk. Its data file (Lua returning a table) is the argument after --:
--   kind = "get" | "create" | "flow"; paths, tokens (Authorization values), body, headers (sent
--   with every request: name = value).
-- "flow" alternates creating a draft and submitting one created earlier on the same thread.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
end

local route, token, pending

local function hex(n) return string.format("%04x", math.random(0, 0xffff)) end

local function uuid4()
  return hex() .. hex() .. "-" .. hex() .. "-4" .. string.sub(hex(), 2) .. "-"
    .. string.format("%04x", 0x8000 + math.random(0, 0x3fff)) .. "-" .. hex() .. hex() .. hex()
end

function init(args)
  route = dofile(args[1])
  local number = thread_number or 1
  math.randomseed(os.time() * 100 + number)
  if route.tokens and #route.tokens > 0 then
    token = route.tokens[(number - 1) % #route.tokens + 1]
  end
  pending = {}
end

local function headers_with(extra)
  local h = extra or {}
  for name, value in pairs(route.headers or {}) do h[name] = value end
  if route.tokens and #route.tokens > 0 then
    h["Authorization"] = route.kind == "flow" and token
      or route.tokens[math.random(1, #route.tokens)]
  end
  return h
end

local function create()
  return wrk.format("POST", route.paths[1], headers_with({
    ["Content-Type"] = "application/json", ["Idempotency-Key"] = uuid4()}), route.body)
end

function request()
  if route.kind == "get" then
    return wrk.format("GET", route.paths[math.random(1, #route.paths)], headers_with())
  end
  if route.kind == "flow" and #pending > 0 then
    local id = table.remove(pending)
    return wrk.format("POST", route.paths[1] .. id .. "/submit", headers_with())
  end
  return create()
end

function response(status, headers, body)
  if route.kind == "flow" and status == 201 then
    local id = string.match(body, '"id":"([0-9a-f%-]+)"')
    if id then table.insert(pending, id) end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d,'
    .. ' "errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
