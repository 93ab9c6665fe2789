-- Reads one scope's hourly cache figures for a range of hours in one round trip.
-- KEYS[1 .. n] figure hour keys of one scope (one slot).     Returns one flat field/value list per hour.
local result = {}
for i = 1, #KEYS do
  result[i] = redis.call('HGETALL', KEYS[i])
end
return result
