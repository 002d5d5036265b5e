-- POST /api/v1/meetings/checkin: every request a new phone (a new form key) at the sites whose
-- codes are listed one a line in the file named by LANTOA_PATHS; LANTOA_RUN makes the keys of
-- this run unlike those of earlier runs. Counts the answers by status.
local codes = {}
for line in io.lines(os.getenv("LANTOA_PATHS")) do
  if line ~= "" then codes[#codes + 1] = line end
end
local run = os.getenv("LANTOA_RUN") or "run"

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
  sent = sent + 1
  local code = codes[(sent * 7 + id) % #codes + 1]
  local body = string.format('{"code":"%s","client_key":"%s-%d-%d","category":"party_members"}', code, run, id, sent)
  return wrk.format("POST", "/api/v1/meetings/checkin", {["Content-Type"] = "application/json"}, body)
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
