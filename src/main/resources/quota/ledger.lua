-- Read an account's usage ledger for a range of hours in one round trip.
--
-- KEYS[1 .. n] ledger hour keys, oldest first.     Returns one flat field/value list per hour ({} when none).

local result = {}
for i = 1, #KEYS do
  result[i] = redis.call('HGETALL', KEYS[i])
end
return result
