-- advance_status: remember the furthest status a call or leg reached; never go backwards.
-- KEYS[1]  {cc}:status:<sid>
-- ARGV[1]  status   ARGV[2] its rank   ARGV[3] TTL seconds
-- Returns the previous rank (-1 if none); the status moved forward when it is below ARGV[2].
local current = redis.call('GET', KEYS[1])
local previous = -1
if current then previous = tonumber(string.match(current, '^(-?%d+)')) end
if previous < tonumber(ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[2] .. '|' .. ARGV[1], 'EX', ARGV[3])
end
return previous
