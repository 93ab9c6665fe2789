-- Park an account (or an account and model) until a moment a provider named, keeping the later of two parkings:
-- a short "retry in 20s" must not cut short an earlier "exhausted until midnight".
--
-- KEYS[1] parking key     ARGV[1] until (epoch ms; the key expires then)     ARGV[2] reason
-- Returns 1 when parked now, 0 when an existing later parking was kept.

local current = redis.call('GET', KEYS[1])
if current then
  local parkedUntil = tonumber(string.match(current, '^(%d+)'))
  if parkedUntil and parkedUntil >= tonumber(ARGV[1]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 1
