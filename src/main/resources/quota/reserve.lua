-- Reserve one call against every rule of an account and model: count all of them, or change nothing.
--
-- KEYS[1]      the account's parking key        KEYS[2] the account-and-model parking key
-- KEYS[2 + i]  rule i's key: a counter (calendar window or grant), or a sorted set (rolling window, leases)
-- ARGV[1]      number of rules n                ARGV[2] reservation id (lease member, rolling entry prefix)
-- ARGV[3 + 5(i-1)] ... five per rule: kind, amount, limit, expiry, span
--   kind 'c' calendar window or dated grant: a counter; expiry = absolute ms (window end + margin)
--   kind 'g' grant without a known end: a counter; expiry = ms of life, set once when the key is created
--   kind 'r' rolling window: sorted set of "<id>|<amount>" scored by Redis time; span = window ms
--   kind 'l' concurrency lease: sorted set of ids scored by lease expiry; span = lease ms
--   for 'r' and 'l' expiry = ms of life after the newest member
-- Returns {1, now, used_1 .. used_n} (usage after counting) or {0, i, retry} (rule i denied; retry = ms when it
-- frees up, -1 when the caller knows better) or {0, 0, parking} (parked: "<until ms> <reason>").

local n = tonumber(ARGV[1])
local id = ARGV[2]

for p = 1, 2 do
  local parking = redis.call('GET', KEYS[p])
  if parking then
    return {0, 0, parking}
  end
end

-- Redis TIME only for rolling windows and leases: every process must agree on "now" to the millisecond there.
-- Calendar windows were cut in Java and arrive as keys.
local now = 0
local function clock()
  if now == 0 then
    local t = redis.call('TIME')
    now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return now
end

local function entryAmount(member)
  return tonumber(string.match(member, '|(%d+)$'))
end

local function rollingUse(key, span)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', clock() - span)
  local sum = 0
  for _, member in ipairs(redis.call('ZRANGE', key, 0, -1)) do
    sum = sum + entryAmount(member)
  end
  return sum
end

-- When enough of a rolling window has slid out that `need` more fits: the moment its oldest entries leave.
local function rollingRetry(key, span, need)
  local freed = 0
  local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  for j = 1, #entries, 2 do
    freed = freed + entryAmount(entries[j])
    if freed >= need then
      return tonumber(entries[j + 1]) + span
    end
  end
  return -1
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

-- Check every rule before counting any, so a denial leaves nothing behind.
local used = {}
for i = 1, n do
  local a = 3 + (i - 1) * 5
  local kind, amount, limit, span = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 4])
  local key = KEYS[2 + i]
  local use
  if kind == 'r' then
    use = rollingUse(key, span)
  elseif kind == 'l' then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', clock())
    use = redis.call('ZCARD', key)
  else
    use = tonumber(redis.call('GET', key) or '0')
  end
  if use + amount > limit then
    local retry = -1
    if kind == 'r' then
      retry = rollingRetry(key, span, use + amount - limit)
    elseif kind == 'l' then
      local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      if first[2] then retry = tonumber(first[2]) end
    end
    return {0, i, retry}
  end
  used[i] = use
end

for i = 1, n do
  local a = 3 + (i - 1) * 5
  local kind, amount, expiry, span = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local key = KEYS[2 + i]
  if kind == 'r' then
    redis.call('ZADD', key, clock(), id .. '|' .. ARGV[a + 1])
  elseif kind == 'l' then
    redis.call('ZADD', key, clock() + span, id)
  else
    redis.call('INCRBY', key, amount)
  end
  keepAlive(kind, key, expiry)
  used[i] = used[i] + amount
end

local result = {1, now}
for i = 1, n do
  result[2 + i] = used[i]
end
return result
