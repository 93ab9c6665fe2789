-- Folds one call's latency into an account-and-model moving average (weight 0.2 for the newest call).
-- KEYS[1] the average's key    ARGV[1] latency in ms    ARGV[2] key life in ms
local old = tonumber(redis.call('GET', KEYS[1]))
local new = tonumber(ARGV[1])
if old then
  new = old * 0.8 + new * 0.2
end
redis.call('SET', KEYS[1], string.format('%.1f', new), 'PX', ARGV[2])
return tostring(new)
