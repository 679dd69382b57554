-- end_call: a staff member's call is over; start their wrap-up.
-- KEYS[1]  {cc}:busy:<staff>   KEYS[2] {cc}:wrapup:<staff>
-- KEYS[3]  {cc}:available      KEYS[4] {cc}:talking
-- ARGV[1]  call sid   ARGV[2] staff id   ARGV[3] wrap-up ms (0 = none)
-- ARGV[4]  wrap-up token       ARGV[5] when they become idle (ms), their new place in line
-- Returns 1 if this ended the call for them, 0 if it had ended already.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[4], ARGV[1] .. '|' .. ARGV[2])
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[3])
end
redis.call('ZADD', KEYS[3], 'XX', ARGV[5], ARGV[2])
return 1
