-- start_flow: create a call's flow state once; a replayed first webhook keeps the original.
-- KEYS[1]  {cc}:call:<call>
-- ARGV[1]  TTL seconds   ARGV[2..] field, value pairs
-- Returns 1 if created, 0 if it existed.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
