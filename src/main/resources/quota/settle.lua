-- Correct what a reservation counted to what was really used, end its lease, and add to the usage ledger.
-- Release is a settlement to zero; a provider's own remaining figure is a floor under the counter.
--
-- KEYS[1 .. n]  rule keys, as in reserve.lua        KEYS[n + 1] the ledger hour (when ledger fields are given)
-- ARGV[1] number of rules n     ARGV[2] reservation id     ARGV[3] number of ledger fields m
-- ARGV[4] ledger expiry (absolute ms)     ARGV[5 .. 4 + 2m] ledger field, increment pairs
-- then six per rule: kind, counted, actual, floor (-1: none), expiry, span  (kinds and expiry as in reserve.lua)
-- Returns the number of rules touched.

local n = tonumber(ARGV[1])
local id = ARGV[2]
local m = tonumber(ARGV[3])

local now = 0
local function clock()
  if now == 0 then
    local t = redis.call('TIME')
    now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return now
end

local function keepAlive(kind, key, expiry)
  if kind == 'c' then
    redis.call('PEXPIREAT', key, expiry)
  elseif kind == 'g' then
    if redis.call('PTTL', key) < 0 then
      redis.call('PEXPIRE', key, expiry)
    end
  else
    redis.call('PEXPIRE', key, expiry)
  end
end

-- A counter whose window has ended and expired stays gone: recreating it would leave a key without a TTL.
local function adjustCounter(kind, key, delta, floor, expiry)
  if delta ~= 0 and redis.call('EXISTS', key) == 1 then
    if redis.call('INCRBY', key, delta) < 0 then
      redis.call('SET', key, 0, 'KEEPTTL')
    end
  end
  if floor >= 0 then
    local use = tonumber(redis.call('GET', key) or '0')
    if floor > use then
      redis.call('INCRBY', key, floor - use)
      keepAlive(kind, key, expiry)
    end
  end
end

local function adjustRolling(key, counted, actual, floor, expiry, span)
  if counted ~= actual then
    local old = id .. '|' .. string.format('%d', counted)
    local score = redis.call('ZSCORE', key, old)
    if score then
      redis.call('ZREM', key, old)
      if actual > 0 then
        redis.call('ZADD', key, score, id .. '|' .. string.format('%d', actual))
      end
    end
  end
  if floor >= 0 then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', clock() - span)
    local sum = 0
    for _, member in ipairs(redis.call('ZRANGE', key, 0, -1)) do
      sum = sum + tonumber(string.match(member, '|(%d+)$'))
    end
    if floor > sum then
      redis.call('ZADD', key, clock(), 'reported:' .. id .. '|' .. (floor - sum))
      redis.call('PEXPIRE', key, expiry)
    end
  end
end

local base = 5 + 2 * m
for i = 1, n do
  local a = base + (i - 1) * 6
  local kind, key = ARGV[a], KEYS[i]
  local counted, actual, floor = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local expiry, span = tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5])
  if kind == 'l' then
    redis.call('ZREM', key, id)
  elseif kind == 'r' then
    adjustRolling(key, counted, actual, floor, expiry, span)
  else
    adjustCounter(kind, key, actual - counted, floor, expiry)
  end
end

if m > 0 then
  local ledger = KEYS[n + 1]
  for j = 0, m - 1 do
    redis.call('HINCRBY', ledger, ARGV[5 + 2 * j], ARGV[6 + 2 * j])
  end
  redis.call('PEXPIREAT', ledger, ARGV[4])
end
return n
