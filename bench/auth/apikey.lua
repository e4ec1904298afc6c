-- wrk script: every request carries the API key given after "--" (wrk's -H needs "Name: value",
-- which the benchmark's argument handling would split at the space).
-- Usage: wrk -s apikey.lua URL -- KEY
local key

function init(args)
  key = args[1]
end

function request()
  return wrk.format(nil, nil, { ["X-API-Key"] = key })
end
