-- Folds one sample into a moving average (weight 0.2 for the newest), e.g. an account's latency for a model.
-- KEYS[1] the average's key    ARGV[1] the sample    ARGV[2] key life in ms
local old = tonumber(redis.call('GET', KEYS[1]))
local new = tonumber(ARGV[1])
if old then
  new = old * 0.8 + new * 0.2
end
redis.call('SET', KEYS[1], string.format('%.1f', new), 'PX', ARGV[2])
return tostring(new)
