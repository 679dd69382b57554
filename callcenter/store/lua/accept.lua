-- accept: a staff member pressed 1; make them the call's one and only winner.
-- KEYS[1]  {cc}:busy:<staff>      their reservation
-- KEYS[2]  {cc}:winner:<call>     set once per call
-- KEYS[3]  {cc}:call:<call>       the call's flow state ('ended' = caller gone)
-- KEYS[4]  {cc}:staff:<staff>     their card ('misses' is reset, 'last_call' remembered for wrap-up)
-- KEYS[5]  {cc}:taken:<day>       calls accepted today, per staff member
-- KEYS[6]  {cc}:talking           calls in progress, scored by when the reaper checks them
-- ARGV[1]  call sid   ARGV[2] staff id   ARGV[3] talk TTL ms (longest call allowed)
-- ARGV[4]  reaper check time (ms)        ARGV[5] TTL of the daily count, seconds
-- Returns 'accepted', 'already' (they had won already), 'taken' (a colleague won),
-- 'gone' (the caller hung up) or 'expired' (their reservation ended).
local w = redis.call('GET', KEYS[2])
if w then
  if w == ARGV[2] then return 'already' end
  return 'taken'
end
if redis.call('HGET', KEYS[3], 'ended') == '1' then return 'gone' end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'expired' end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[3], 'winner', ARGV[2])
redis.call('HSET', KEYS[4], 'misses', 0, 'last_call', ARGV[1])
redis.call('HINCRBY', KEYS[5], ARGV[2], 1)
redis.call('EXPIRE', KEYS[5], ARGV[5])
redis.call('ZADD', KEYS[6], ARGV[4], ARGV[1] .. '|' .. ARGV[2])
return 'accepted'
