-- GCRA (generic cell rate algorithm), one counter per key, atomic in Redis.
-- KEYS[1]  the counter
-- ARGV[1]  emission interval in microseconds (window / requests; may be fractional)
-- ARGV[2]  burst: requests allowed at once from a full bucket (>= 1)
-- Returns {allowed 0|1, remaining, retry-after us, reset us}: reset is when the bucket is full again.
-- The clock is the Redis server's, so replicas with skewed clocks share one timeline.
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local stored = redis.call('GET', KEYS[1])
local tat = now
if stored then
  tat = math.max(tonumber(stored), now)
end
local new_tat = tat + interval
local allow_at = new_tat - burst * interval
if now < allow_at then
  return {0, 0, math.ceil(allow_at - now), math.ceil(tat - now)}
end
-- %.17g keeps every bit of the double; tostring would round it to 14 digits.
redis.call('SET', KEYS[1], string.format('%.17g', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1)
return {1, math.floor((now - allow_at) / interval), 0, math.ceil(new_tat - now)}
