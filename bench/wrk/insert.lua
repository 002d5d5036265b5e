-- POST /bench/insert: the insert floor (one ORM row per request). Counts the answers by status.
dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "counted.lua")
wrk.method = "POST"
wrk.path = "/bench/insert"
