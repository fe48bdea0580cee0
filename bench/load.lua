-- One measured route for wrk. Its data file (Lua returning a table) is the argument after --:
--   kind = "get" | "create" | "flow"; paths, tokens (Authorization values), body, headers (sent
--   with every request: name = value).
-- "flow" alternates creating a draft and submitting one created earlier on the same thread, each
-- draft filed by a citizen taken at random and submitted by the same one: the citizen's number
-- travels in the X-Request-Id the API echoes, since a response does not say which request it
-- answers.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
end

local route, pending

local function hex(n) return string.format("%04x", math.random(0, 0xffff)) end

local function uuid4()
  return hex() .. hex() .. "-" .. hex() .. "-4" .. string.sub(hex(), 2) .. "-"
    .. string.format("%04x", 0x8000 + math.random(0, 0x3fff)) .. "-" .. hex() .. hex() .. hex()
end

function init(args)
  route = dofile(args[1])
  local number = thread_number or 1
  math.randomseed(os.time() * 100 + number)
  pending = {}
end

-- The route's headers, and the Authorization of citizen number ``citizen`` (default: any).
local function headers_with(extra, citizen)
  local h = extra or {}
  for name, value in pairs(route.headers or {}) do h[name] = value end
  if route.tokens and #route.tokens > 0 then
    h["Authorization"] = route.tokens[citizen or math.random(1, #route.tokens)]
  end
  return h
end

local function create()
  local h = {["Content-Type"] = "application/json", ["Idempotency-Key"] = uuid4()}
  local citizen = route.tokens and #route.tokens > 0 and math.random(1, #route.tokens) or nil
  if route.kind == "flow" and citizen then
    h["X-Request-Id"] = "bench-flow-" .. citizen .. "-" .. hex() .. hex()
  end
  return wrk.format("POST", route.paths[1], headers_with(h, citizen), route.body)
end

function request()
  if route.kind == "get" then
    return wrk.format("GET", route.paths[math.random(1, #route.paths)], headers_with())
  end
  if route.kind == "flow" and #pending > 0 then
    local draft = table.remove(pending)
    return wrk.format("POST", route.paths[1] .. draft.id .. "/submit",
      headers_with(nil, draft.citizen))
  end
  return create()
end

function response(status, headers, body)
  if route.kind == "flow" and status == 201 then
    local id = string.match(body, '"id":"([0-9a-f%-]+)"')
    local citizen = string.match(headers["x-request-id"] or "", "^bench%-flow%-(%d+)%-")
    if id and citizen then table.insert(pending, {id = id, citizen = tonumber(citizen)}) end
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
