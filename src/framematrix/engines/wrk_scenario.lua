-- framematrix: a scenario for wrk, generated from framematrix.scenarios (see engines/wrk.py).
-- `config` below is filled in by Python; the rest runs any scenario alike.
--
-- wrk gives Lua no connection identity, so flows are followed by their id: a request of step k
-- notes `waiting[id] = k`; a success response names its id in its body, and its flow goes back
-- to the `ready` queue at step k + 1 (a response with an unknown id and the first step's status
-- is a new flow). Each request() advances the oldest ready flow, or starts a new one.

local config = @CONFIG@

local steps = config.steps
local nsteps = #steps
local success = {}
for _, code in ipairs(config.success) do success[code] = true end

-- main state: threads, for done()
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("fm_tid", thread_count)
  table.insert(threads, thread)
end

-- thread state (globals, so done() can read them with thread:get)
fm_statuses = {}
fm_responses = 0
local user, iteration = 0, 0
local ready, ready_head, ready_tail = {}, 1, 0
local waiting = {}

function init(args)
  user = fm_tid
  math.randomseed(config.seed * 1000 + fm_tid)
end

local function fill(template, id)
  if template == nil then return nil end
  return (template:gsub("{(%l+)}", function(name)
    if name == "author" then return tostring(math.random(1, config.authors)) end
    if name == "id" then return id end
    if name == "user" then return tostring(user) end
    if name == "n" then return tostring(iteration) end
    if name == "run" then return config.run end
    return nil
  end))
end

local function build(step, id)
  local headers = {}
  for name, value in pairs(config.headers) do headers[name] = value end
  local body = fill(step.body, id)
  if body ~= nil then headers["Content-Type"] = "application/json" end
  return wrk.format(step.method, config.prefix .. fill(step.path, id), headers, body)
end

if nsteps == 1 and not steps[1].path:find("{%l+}") and steps[1].body == nil then
  -- one constant request: leave request() undefined, so wrk builds it once per connection
  wrk.method = steps[1].method
  wrk.path = config.prefix .. steps[1].path
  for name, value in pairs(config.headers) do wrk.headers[name] = value end
else
  function request()
    if ready_head <= ready_tail then
      local flow = ready[ready_head]
      ready[ready_head] = nil
      ready_head = ready_head + 1
      if flow.step < nsteps then waiting[flow.id] = flow.step else waiting[flow.id] = nil end
      return build(steps[flow.step], flow.id)
    end
    iteration = iteration + 1
    return build(steps[1], nil)
  end
end

function response(status, headers, body)
  fm_responses = fm_responses + 1
  fm_statuses[status] = (fm_statuses[status] or 0) + 1
  if nsteps > 1 and success[status] then
    local id = body:match('"id"%s*:%s*(%d+)')
    if id ~= nil then
      local step = waiting[id]
      if step == nil and status == steps[1].expect then step = 1 end
      if step ~= nil then
        waiting[id] = nil
        ready_tail = ready_tail + 1
        ready[ready_tail] = {id = id, step = step + 1}
      end
    end
  end
  if fm_responses % config.progress_every == 0 then
    io.stderr:write(string.format("fm-progress %d %d\n", fm_tid, fm_responses))
  end
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("fm_statuses")) do
      totals[code] = (totals[code] or 0) + count
    end
  end
  local statuses = {}
  for code, count in pairs(totals) do
    statuses[#statuses + 1] = string.format('"%d":%d', code, count)
  end
  -- exact buckets when reading them is affordable (each latency(i) scans from the minimum),
  -- else the distribution at many percentiles
  local buckets, points = {}, {}
  if latency.max > 0 then
    local distinct = #latency
    if distinct * (latency.max - latency.min + 1) <= config.bucket_budget then
      for i = 1, distinct do
        local value, count = latency(i)
        buckets[#buckets + 1] = string.format("[%d,%d]", value, count)
      end
    else
      for _, p in ipairs(config.percentiles) do
        points[#points + 1] = string.format("[%.6f,%d]", p, latency:percentile(p))
      end
    end
  end
  local e = summary.errors
  io.write(string.format(
    'FRAMEMATRIX-WRK {"duration_us":%d,"requests":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"statuses":{%s},"latency":{"min":%d,"max":%d,"mean":%.3f,' ..
    '"buckets":[%s],"percentiles":[%s]}}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(statuses, ","), latency.min, latency.max, latency.mean,
    table.concat(buckets, ","), table.concat(points, ",")))
end
