-- POST /api/v1/contests/rounds/<round>/attempts: a spike of contestants starting an attempt,
-- each request a different contestant from the file named by LANTOA_PATHS (lines "key address"),
-- the round's id in LANTOA_ROUND. The threads share the list (thread k takes every k-th line) and
-- each stops once its own contestants are answered: a spike is each contestant starting once,
-- and contestants asked again would compete with the ones still waiting. The few requests a
-- thread sends between its last answer and its stop repeat a contestant with the same
-- client_key and are answered the attempt already started (200), not a second one.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "counted.lua")
local lines = listed("^(%S+) (%S+)$")
local path = "/api/v1/contests/rounds/" .. os.getenv("LANTOA_ROUND") .. "/attempts"
local nthreads = tonumber(os.getenv("LANTOA_THREADS") or "2")
local counted_response = response
local fresh = 0

function request()
  local index = (sent * nthreads + id - 1) % #lines + 1
  sent = sent + 1
  local item = lines[index]
  local headers = {["Content-Type"] = "application/json", ["X-Contestant-Key"] = item[1], ["X-Forwarded-For"] = item[2]}
  return wrk.format("POST", path, headers, string.format('{"client_key":"spike-%d"}', index))
end

function response(status, headers, body)
  counted_response(status, headers, body)
  -- A contestant asked again is answered 200; a first start 201 (or a refusal, counted too).
  if status ~= 200 then
    fresh = fresh + 1
  end
  -- This thread's share of the list: lines id, id + nthreads, id + 2 * nthreads, …
  if fresh >= math.floor((#lines - id) / nthreads) + 1 then
    wrk.thread:stop()
  end
end
