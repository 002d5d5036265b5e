-- What every load script here shares, loaded first by each (wrk runs a script in one Lua state
-- per thread and one for setup and done): threads numbered from 1 (`id` in each thread), the
-- answers counted by status in each thread, and at the end the totals on standard output —
-- "status <code> <n>" lines, then "<name> <n>" for each per-thread counter the script lists in
-- `summed` — which the Python side reads to check the run.

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
  for _, name in ipairs(summed or {}) do
    _G[name] = 0
  end
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
  for _, name in ipairs(summed or {}) do
    local n = 0
    for _, thread in ipairs(threads) do
      n = n + thread:get(name)
    end
    io.write(string.format("%s %d\n", name, n))
  end
end

-- The lines of the file named by LANTOA_PATHS that match `pattern`, each as the list of its
-- captures.
function listed(pattern)
  local found = {}
  for line in io.lines(os.getenv("LANTOA_PATHS")) do
    local captures = {line:match(pattern)}
    if #captures > 0 then found[#found + 1] = captures end
  end
  return found
end
