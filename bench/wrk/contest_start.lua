-- POST /api/v1/contests/rounds/<round>/attempts: a spike of contestants starting an attempt,
-- each request a different contestant from the file named by LANTOA_PATHS (lines "key address"),
-- the round's id in LANTOA_ROUND. A contestant asked again (the list is used up) sends the same
-- client_key and is answered the attempt already started (200), not a second one.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "counted.lua")
local lines = listed("^(%S+) (%S+)$")
local path = "/api/v1/contests/rounds/" .. os.getenv("LANTOA_ROUND") .. "/attempts"
local nthreads = tonumber(os.getenv("LANTOA_THREADS") or "2")

function request()
  local index = (sent * nthreads + id - 1) % #lines + 1
  sent = sent + 1
  local item = lines[index]
  local headers = {["Content-Type"] = "application/json", ["X-Contestant-Key"] = item[1], ["X-Forwarded-For"] = item[2]}
  return wrk.format("POST", path, headers, string.format('{"client_key":"spike-%d"}', index))
end
