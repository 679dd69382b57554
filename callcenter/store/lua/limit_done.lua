-- limit_done: the request behind a grant has finished; it arrived at the latest now.
-- KEYS[1]  {cc}:limit:<name>   ARGV[1] the grant id
-- Returns 1 if the grant was still recorded.
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', 'CH', now, ARGV[1])
