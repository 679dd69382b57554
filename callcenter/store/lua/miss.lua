-- miss: a staff member did not accept a call offered to them. Counted once per call;
-- K misses in a row set them away (Asterisk's autopause).
-- KEYS[1]  {cc}:missed:<call>:<staff>   guard: this miss was counted
-- KEYS[2]  {cc}:staff:<staff>           their card ('misses', 'presence')
-- KEYS[3]  {cc}:available
-- KEYS[4]  {cc}:busy:<staff>            released if still for this call
-- ARGV[1]  call sid   ARGV[2] staff id   ARGV[3] K (0 = never pause)
-- ARGV[4]  guard TTL seconds             ARGV[5] now (ms)
-- Returns {misses in a row, 1 if this paused them, 1 if this miss was counted now}.
if redis.call('GET', KEYS[4]) == ARGV[1] then redis.call('DEL', KEYS[4]) end
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then
  return {tonumber(redis.call('HGET', KEYS[2], 'misses') or '0'), 0, 0}
end
if redis.call('EXISTS', KEYS[2]) == 0 then return {0, 0, 1} end
local misses = redis.call('HINCRBY', KEYS[2], 'misses', 1)
local k = tonumber(ARGV[3])
if k > 0 and misses >= k and redis.call('ZSCORE', KEYS[3], ARGV[2]) then
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('HSET', KEYS[2], 'presence', 'away', 'reason', 'missed calls', 'presence_at', ARGV[5])
  return {misses, 1, 1}
end
return {misses, 0, 1}
