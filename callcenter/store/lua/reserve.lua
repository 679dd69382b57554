-- reserve: claim free staff for one call, trying candidates in the order given.
-- A staff member is free when present (in the available set), not busy and not in wrap-up.
-- KEYS[1]          {cc}:available            sorted set of present staff
-- KEYS[2i], [2i+1] {cc}:busy:<id_i>, {cc}:wrapup:<id_i>   for candidate i = 1..n
-- ARGV[1]          call sid the reservation is for
-- ARGV[2]          reservation TTL in milliseconds (it expires if nobody reports back)
-- ARGV[3]          how many staff to reserve (1, or up to 10 for ring-all)
-- ARGV[3+i]        staff id of candidate i
-- Returns the ids reserved, in order (empty when nobody was still free).
local reserved = {}
local want = tonumber(ARGV[3])
for i = 1, #ARGV - 3 do
  if #reserved >= want then break end
  local id = ARGV[3 + i]
  local busy, wrap = KEYS[2 * i], KEYS[2 * i + 1]
  if redis.call('ZSCORE', KEYS[1], id) and redis.call('EXISTS', busy) == 0
      and redis.call('EXISTS', wrap) == 0 then
    redis.call('SET', busy, ARGV[1], 'PX', ARGV[2])
    reserved[#reserved + 1] = id
  end
end
return reserved
