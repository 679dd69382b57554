-- release: end a staff member's reservation, but only if it is still for this call.
-- KEYS[1]  {cc}:busy:<staff>
-- ARGV[1]  call sid
-- Returns 1 if released, 0 if the reservation had already ended or belongs to another call.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
