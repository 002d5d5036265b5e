-- GET the paths listed one a line in the file named by LANTOA_PATHS, in turn, each thread
-- starting at its own place; counts the answers by status for the check afterwards.
local paths = {}
for line in io.lines(os.getenv("LANTOA_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end

local threads = {}
local counter = 1

function setup(thread)
  thread:set("first", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  position = first
  statuses = {}
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
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
