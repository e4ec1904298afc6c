-- wrk script: every request carries the next token of a file (one per line), so a gateway cannot
-- serve a request from a verified-token cache. Usage: wrk -s tokens.lua URL -- tokens.txt
local tokens = {}
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      tokens[#tokens + 1] = "Bearer " .. line
    end
  end
  -- Threads start at different places in the file.
  i = math.random(#tokens) - 1
end

function request()
  i = i % #tokens + 1
  return wrk.format(nil, nil, { ["Authorization"] = tokens[i] })
end
