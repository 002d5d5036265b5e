-- GET the paths listed one a line in the file named by LANTOA_PATHS, in turn, each thread
-- starting at its own place; counts the answers by status for the check afterwards.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "counted.lua")
local paths = listed("^(%S+)$")

function request()
  local position = (sent + id - 1) % #paths + 1
  sent = sent + 1
  return wrk.format("GET", paths[position][1])
end
