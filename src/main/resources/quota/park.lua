-- Park an account (or an account and model) until a moment a provider named, keeping the later of two parkings.
--
-- KEYS[1] parking key     ARGV[1] until (epoch ms; the key expires then)     ARGV[2] value "<until> <kind> <reason>"
-- Returns 1 when parked now, 0 when an existing later parking was kept.

local untilMs = wholeNumber(ARGV[1], 1)
if untilMs == nil or #KEYS ~= 1 then
  return redis.error_reply('park: bad arguments')
end
return park(KEYS[1], untilMs, ARGV[2])
