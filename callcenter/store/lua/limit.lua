-- limit: a sliding-window rate limiter shared by every process, on Redis's own clock.
-- KEYS[1]  {cc}:limit:<name>   sorted set of recent grants (member = unique id, score = ms)
-- ARGV[1]  grants allowed per window   ARGV[2] window (ms)   ARGV[3] unique id of this request
-- Returns 0 when granted (and recorded), else milliseconds to wait before asking again.
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window * 2)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
