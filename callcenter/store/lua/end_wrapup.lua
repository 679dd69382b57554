-- end_wrapup: end one wrap-up (identified by its token), early or on time.
-- KEYS[1]  {cc}:wrapup:<staff>
-- ARGV[1]  wrap-up token
-- Returns 1 if this ended it, 0 if it had already ended (expired, or a newer one began).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
