-- limit: a rate limiter shared by every process, on Redis's own clock.
-- Each grant is kept with the time its request may still arrive at the far end: while it is
-- in flight, "now + flight"; once the caller reports it done, the moment it finished. A new
-- grant is given only while fewer than ARGV[1] requests may have arrived in the last window,
-- so no window at the receiving end ever sees more, however long a request took to leave.
-- KEYS[1]  {cc}:limit:<name>   sorted set: member = grant id, score = latest possible arrival (ms)
-- ARGV[1]  grants allowed per window   ARGV[2] window (ms)   ARGV[3] unique id of this grant
-- ARGV[4]  how long a request may stay in flight (ms); 0 for a grant that is done at once
-- Returns 0 when granted (and recorded), else milliseconds to wait before asking again.
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - window))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  local flight = tonumber(ARGV[4] or '0')
  redis.call('ZADD', KEYS[1], now + flight, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window + flight + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
