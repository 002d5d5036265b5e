-- POST /api/v1/meetings/checkin: every request a new phone (a new form key) at the sites whose
-- codes are listed one a line in the file named by LANTOA_PATHS; LANTOA_RUN makes the keys of
-- this run unlike those of earlier runs. Counts the answers by status.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "counted.lua")
local codes = listed("^(%S+)$")
local run = os.getenv("LANTOA_RUN") or "run"

function request()
  sent = sent + 1
  local code = codes[(sent * 7 + id) % #codes + 1][1]
  local body = string.format('{"code":"%s","client_key":"%s-%d-%d","category":"party_members"}', code, run, id, sent)
  return wrk.format("POST", "/api/v1/meetings/checkin", {["Content-Type"] = "application/json"}, body)
end
