-- POST /api/v1/surveys/answer: every request a different card, issued before the run, from the
-- file named by LANTOA_PATHS (lines "code address"). The answers (a JSON object by question id)
-- come from LANTOA_ANSWERS. The address is sent as X-Forwarded-For (the server trusts one
-- proxy, as behind nginx), so each card comes from its own phone. When a thread runs out of
-- cards it sends its first ones again (answered 409 token_used) and counts them as "again".
local lines = {}
for line in io.lines(os.getenv("LANTOA_PATHS")) do
  local code, address = line:match("^(%S+) (%S+)$")
  if code then lines[#lines + 1] = {code, address} end
end
local answers = os.getenv("LANTOA_ANSWERS")
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
  again = 0
  statuses = {}
end

function request()
  local index = sent * nthreads + id
  sent = sent + 1
  if index > #lines then
    again = again + 1
    index = (index - 1) % #lines + 1
  end
  local item = lines[index]
  local headers = {["Content-Type"] = "application/json", ["X-Forwarded-For"] = item[2]}
  local body = '{"code":"' .. item[1] .. '","answers":' .. answers .. '}'
  return wrk.format("POST", "/api/v1/surveys/answer", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  local repeated = 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
    repeated = repeated + thread:get("again")
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d %d\n", status, n))
  end
  io.write(string.format("again %d\n", repeated))
end
