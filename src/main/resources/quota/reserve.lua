-- Reserve one call against every rule of an account and model: count all of them, or change nothing.
--
-- KEYS[1]      the account's parking key        KEYS[2] the account-and-model parking key
-- KEYS[3]      this reservation's marker: once admitted 'a' and the amount counted on each rule ('a 1 1024 1'),
--              so that an end undoes exactly what was written even when Freeway never learnt the grant; 'c' when
--              Freeway gave up waiting for this answer
-- KEYS[3 + i]  rule i's key: a counter (calendar window or grant), or a sorted set (rolling window, leases)
-- ARGV[1]      number of rules n                ARGV[2] reservation id (lease member, rolling entry prefix)
-- ARGV[3]      deadline, Redis ms: a script that runs later than this changes nothing (0: none)
-- ARGV[4]      marker life in ms (the lease and its margin)
-- ARGV[5..7]   the output grant: wanted and least output tokens per choice, and the number of choices. The grant g
--              is the wanted output, lowered to what every growing rule still has room for; below the least, the
--              call is denied. Wanted = least: a fixed call.
-- ARGV[8 + 6(i-1)] ... six per rule: kind, amount, limit, expiry, span, grows
--   grows 1: the rule counts the output too: its amount is the given amount plus choices × g
--   kind 'c' calendar window or dated grant: a counter; expiry = absolute ms (window end + margin)
--   kind 'g' grant without a known end: a counter; expiry = ms of life, set once when the key is created
--   kind 'r' rolling window: sorted set of "<id>|<amount>" scored by Redis time; span = window ms
--   kind 'l' concurrency lease: sorted set of ids scored by lease expiry; span = lease ms
--   for 'r' and 'l' expiry = ms of life after the newest member
-- Returns {1, now, g, used_1 .. used_n} (usage after counting); {0, i, retry, now} (rule i denied; retry = ms when
-- it frees up, -1 when the caller knows better); {0, 0, parking, now} (parked: "<until ms> <kind> <reason>");
-- {-1, now} (ran after its deadline); {-2, now} (Freeway had already given up on it). Only an admission writes.

local n = wholeNumber(ARGV[1])
if n == nil or #KEYS ~= 3 + n then
  return redis.error_reply('reserve: ' .. #KEYS .. ' keys do not match ' .. tostring(ARGV[1]) .. ' rules')
end
local id = ARGV[2]
local deadline, markerLife = wholeNumber(ARGV[3]), wholeNumber(ARGV[4], 1)
local wanted, least, choices = wholeNumber(ARGV[5]), wholeNumber(ARGV[6]), wholeNumber(ARGV[7], 1)
local bad = badRules(8, n, 6)
if not bad and (deadline == nil or markerLife == nil or id == nil or id == '') then bad = 'bad id, deadline or life' end
if not bad and (wanted == nil or least == nil or choices == nil or least > wanted) then bad = 'bad output grant' end
if bad then
  return redis.error_reply('reserve: ' .. bad)
end

if deadline > 0 and clock() > deadline then
  return {-1, clock()}
end
if redis.call('EXISTS', KEYS[3]) == 1 then
  return {-2, clock()}
end
-- Parked (the account, or its model): the later of the two says when the call could be made again.
local parked, parkedUntil = nil, -1
for p = 1, 2 do
  local parking = redis.call('GET', KEYS[p])
  if parking then
    local untilMs = tonumber(string.match(parking, '^(%d+)')) or 0
    if untilMs > parkedUntil then
      parked, parkedUntil = parking, untilMs
    end
  end
end
if parked then
  return {0, 0, parked, clock()}
end

local function rollingUse(key, span)
  local sum = 0
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', key, '(' .. (clock() - span), '+inf')) do
    sum = sum + entryAmount(member)
  end
  return sum
end

-- When enough of a rolling window has slid out that `need` more fits: the moment its oldest entries leave.
local function rollingRetry(key, span, need)
  local freed = 0
  local entries = redis.call('ZRANGEBYSCORE', key, '(' .. (clock() - span), '+inf', 'WITHSCORES')
  for j = 1, #entries, 2 do
    freed = freed + entryAmount(entries[j])
    if freed >= need then
      return tonumber(entries[j + 1]) + span
    end
  end
  return -1
end

-- Read every rule before counting any, so a denial leaves nothing behind.
local used = {}
for i = 1, n do
  local a = 8 + (i - 1) * 6
  local kind, span = ARGV[a], tonumber(ARGV[a + 4])
  local key = KEYS[3 + i]
  if kind == 'r' then
    used[i] = rollingUse(key, span)
  elseif kind == 'l' then
    used[i] = redis.call('ZCOUNT', key, '(' .. clock(), '+inf')
  else
    used[i] = tonumber(redis.call('GET', key) or '0')
  end
end

local function denial(i, need)
  local a = 8 + (i - 1) * 6
  local kind, key, span = ARGV[a], KEYS[3 + i], tonumber(ARGV[a + 4])
  local retry = -1
  if kind == 'r' then
    retry = rollingRetry(key, span, need)
  elseif kind == 'l' then
    local first = redis.call('ZRANGEBYSCORE', key, '(' .. clock(), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    if first[2] then retry = tonumber(first[2]) end
  end
  return {0, i, retry, clock()}
end

-- The grant: the wanted output, lowered to the room of every rule that counts output; never below the least.
local grant = wanted
for i = 1, n do
  local a = 8 + (i - 1) * 6
  if ARGV[a + 5] == '1' then
    local room = math.floor((tonumber(ARGV[a + 2]) - used[i] - tonumber(ARGV[a + 1])) / choices)
    if room < least then
      return denial(i, used[i] + tonumber(ARGV[a + 1]) + choices * least - tonumber(ARGV[a + 2]))
    end
    if room < grant then grant = room end
  end
end
local amounts = {}
for i = 1, n do
  local a = 8 + (i - 1) * 6
  amounts[i] = tonumber(ARGV[a + 1]) + (ARGV[a + 5] == '1' and choices * grant or 0)
  if used[i] + amounts[i] > tonumber(ARGV[a + 2]) then
    return denial(i, used[i] + amounts[i] - tonumber(ARGV[a + 2]))
  end
end

for i = 1, n do
  local a = 8 + (i - 1) * 6
  -- Amounts go to Redis as whole-number text: Lua would print a number of 15 or more digits as 1e+15.
  local kind, amount, expiry, span = ARGV[a], whole(amounts[i]), ARGV[a + 3], tonumber(ARGV[a + 4])
  local key = KEYS[3 + i]
  if kind == 'r' then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', whole(clock() - span))
    redis.call('ZADD', key, whole(clock()), id .. '|' .. amount)
  elseif kind == 'l' then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', whole(clock()))
    redis.call('ZADD', key, whole(clock() + span), id)
  else
    redis.call('INCRBY', key, amount)
  end
  keepAlive(kind, key, expiry)
  used[i] = used[i] + amounts[i]
end
local written = {'a'}
for i = 1, n do
  written[i + 1] = whole(amounts[i])
end
redis.call('SET', KEYS[3], table.concat(written, ' '), 'PX', markerLife)

local result = {1, clock(), grant}
for i = 1, n do
  result[3 + i] = used[i]
end
return result
