-- POST /api/v1/contests/rounds/<round>/attempts: a spike of contestants starting an attempt,
-- each request a different contestant from the file named by LANTOA_PATHS (lines "key address"),
-- the round's id in LANTOA_ROUND. A contestant asked again (the list is used up) sends the same
-- client_key and is answered the attempt already started (200), not a second one.
local lines = {}
for line in io.lines(os.getenv("LANTOA_PATHS")) do
  local key, address = line:match("^(%S+) (%S+)$")
  if key then lines[#lines + 1] = {key, address} end
end
local path = "/api/v1/contests/rounds/" .. os.getenv("LANTOA_ROUND") .. "/attempts"
local nthreads = tonumber(os.getenv("LANTOA_THREADS") or "2")

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  statuses = {}
end

function request()
  local index = (sent * nthreads + id - 1) % #lines + 1
  sent = sent + 1
  local item = lines[index]
  local headers = {["Content-Type"] = "application/json", ["X-Contestant-Key"] = item[1], ["X-Forwarded-For"] = item[2]}
  return wrk.format("POST", path, headers, string.format('{"client_key":"spike-%d"}', index))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d %d\n", status, n))
  end
end
