-- presence: set a staff member available, away or offline.
-- KEYS[1]  {cc}:staff:<staff>   KEYS[2] {cc}:available
-- ARGV[1]  staff id   ARGV[2] presence   ARGV[3] now (ms)   ARGV[4] reason
-- Returns the previous presence; an error if the staff member is not in the directory.
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('unknown staff member') end
local previous = redis.call('HGET', KEYS[1], 'presence') or 'offline'
if ARGV[2] == 'available' then
  -- NX keeps their place in line if they were available already.
  redis.call('ZADD', KEYS[2], 'NX', ARGV[3], ARGV[1])
  redis.call('HSET', KEYS[1], 'misses', 0)
else
  redis.call('ZREM', KEYS[2], ARGV[1])
end
redis.call('HSET', KEYS[1], 'presence', ARGV[2], 'reason', ARGV[4], 'presence_at', ARGV[3])
return previous
