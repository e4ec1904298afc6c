-- GCRA (generic cell rate algorithm) over every counter one request takes from, atomic in Redis:
-- either every counter admits the request and each takes it, or none changes.
-- KEYS[i]        the i-th counter
-- ARGV[2i - 1]   its emission interval in microseconds (window / requests; may be fractional)
-- ARGV[2i]       its burst: requests allowed at once from a full counter (>= 1)
-- Returns {allowed 0|1, i, remaining, retry-after us, reset us} where i is the refusing counter, or
-- when all admit, the one with the fewest requests left; reset is when that counter is full again.
-- The clock is the Redis server's, so replicas with skewed clocks share one timeline.
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tats = {}
local best, best_remaining, best_reset = 1, -1, 0
for i = 1, #KEYS do
  local interval = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local stored = redis.call('GET', KEYS[i])
  local tat = now
  if stored then
    tat = math.max(tonumber(stored), now)
  end
  local new_tat = tat + interval
  local allow_at = new_tat - burst * interval
  if now < allow_at then
    return {0, i, 0, math.ceil(allow_at - now), math.ceil(tat - now)}
  end
  tats[i] = new_tat
  local remaining = math.floor((now - allow_at) / interval)
  if best_remaining < 0 or remaining < best_remaining then
    best, best_remaining, best_reset = i, remaining, math.ceil(new_tat - now)
  end
end
for i = 1, #KEYS do
  -- %.17g keeps every bit of the double; tostring would round it to 14 digits.
  redis.call('SET', KEYS[i], string.format('%.17g', tats[i]), 'PX',
    math.ceil((tats[i] - now) / 1000) + 1)
end
return {1, best, best_remaining, 0, best_reset}
