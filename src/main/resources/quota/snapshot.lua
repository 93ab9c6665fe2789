-- Read, without changing anything, how much of each rule is used now (for status pages and the strategies that
-- weigh how full an account is).
--
-- KEYS[1 .. n] rule keys, as in reserve.lua     ARGV[1 + 2(i-1)] kind, ARGV[2 + 2(i-1)] span
-- A key of kind 'v' is read as it is stored (a latency average, for a strategy that weighs it; false when unset).
-- Returns {used_1 .. used_n}, a 'v' key's entry its stored text.

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local result = {}
for i = 1, #KEYS do
  local kind, span = ARGV[2 * i - 1], tonumber(ARGV[2 * i])
  local key = KEYS[i]
  local use = 0
  if kind == 'r' then
    for _, member in ipairs(redis.call('ZRANGEBYSCORE', key, '(' .. (now - span), '+inf')) do
      use = use + tonumber(string.match(member, '|(%d+)$'))
    end
  elseif kind == 'l' then
    use = redis.call('ZCOUNT', key, '(' .. now, '+inf')
  elseif kind == 'v' then
    use = redis.call('GET', key)
  else
    use = tonumber(redis.call('GET', key) or '0')
  end
  result[i] = use
end
return result
