-- end_wrapup: end one wrap-up (identified by its token), early or on time.
-- KEYS[1]  {cc}:wrapup:<staff>   KEYS[2] {cc}:available
-- ARGV[1]  wrap-up token         ARGV[2] staff id   ARGV[3] now (ms)
-- Ended early, they are free (and idle) from now, not from when wrap-up would have ended.
-- Returns 1 if this ended it, 0 if it had already ended (expired, or a newer one began).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('ZADD', KEYS[2], 'XX', ARGV[3], ARGV[2])
  return 1
end
return 0
