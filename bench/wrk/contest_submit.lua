-- POST /api/v1/contests/attempts/<id>/submit: every request a different attempt, started before
-- the run, from the file named by LANTOA_PATHS (lines "attempt-id key address"). The address is
-- sent as X-Forwarded-For (the server trusts one proxy, as behind nginx), so each contestant is
-- limited as one phone. When a thread runs out of attempts it submits its first ones again
-- (retries, answered 200 with the stored result) and counts them as "again".
summed = {"again"}
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "counted.lua")
local lines = listed("^(%S+) (%S+) (%S+)$")
local body = os.getenv("LANTOA_BODY")
local nthreads = tonumber(os.getenv("LANTOA_THREADS") or "2")

function request()
  local index = sent * nthreads + id
  sent = sent + 1
  if index > #lines then
    again = again + 1
    index = (index - 1) % #lines + 1
  end
  local item = lines[index]
  local headers = {["Content-Type"] = "application/json", ["X-Contestant-Key"] = item[2], ["X-Forwarded-For"] = item[3]}
  return wrk.format("POST", "/api/v1/contests/attempts/" .. item[1] .. "/submit", headers, body)
end
