-- POST /api/v1/surveys/answer: every request a different card, issued before the run, from the
-- file named by LANTOA_PATHS (lines "code address"). The answers (a JSON object by question id)
-- come from LANTOA_ANSWERS. The address is sent as X-Forwarded-For (the server trusts one
-- proxy, as behind nginx), so each card comes from its own phone. When a thread runs out of
-- cards it sends its first ones again (answered 409 token_used) and counts them as "again".
summed = {"again"}
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "counted.lua")
local lines = listed("^(%S+) (%S+)$")
local answers = os.getenv("LANTOA_ANSWERS")
local nthreads = tonumber(os.getenv("LANTOA_THREADS") or "2")

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
