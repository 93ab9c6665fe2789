-- End a reservation in one step: correct what it counted to what was really used (release: to zero), end its lease,
-- add to the usage ledger and park where the provider said to wait. A provider's own remaining figure is a floor
-- under a counter. Ending is idempotent: only a reservation whose marker says 'a' (admitted, not yet ended) is
-- corrected and added to the ledger, so a settlement sent again after a timeout changes nothing the second time.
--
-- KEYS[1] the reservation's marker (see reserve.lua)     KEYS[2 .. n + 1] rule keys, as in reserve.lua
-- then the ledger hour (when m > 0), then the parking key (when a parking is given), then one key per extra
-- ARGV[1] number of rules n     ARGV[2] reservation id
-- ARGV[3] mode: 's' end an admitted reservation; 'c' Freeway gave up waiting for its reserve: undo it if it ran,
--         and leave a tombstone so that it never runs later; 'f' no reservation: floors, ledger and parking only
-- ARGV[4] for 'c': until when the tombstone lives (Redis ms; past the reserve's deadline), else 0
-- ARGV[5] number of ledger fields m     ARGV[6] ledger expiry (absolute ms)     ARGV[7 .. 6 + 2m] field, increment
-- ARGV[7 + 2m] parking until (absolute ms, 0: none)     ARGV[8 + 2m] parking value "<until> <kind> <reason>"
-- ARGV[9 + 2m] number of extras e, then four per extra, written with the ledger: op, a, b, c
--   op 'h' a histogram bucket: HINCRBY key a b, the key expiring at c (absolute ms)
--   op 'x' a capped stream of recent requests: XADD key MAXLEN ~ a * entry b, the key living c ms more
--   op 'a' a moving average: the newest sample a (whole) weighs 0.2, the key living c ms more; b unused
-- then six per rule: kind, counted, actual, floor (-1: none), expiry, span  (kinds and expiry as in reserve.lua)
-- Returns 1 when the reservation was ended now, 0 when there was nothing (left) to end.

local n, m = wholeNumber(ARGV[1]), wholeNumber(ARGV[5])
if n == nil or m == nil then
  return redis.error_reply('settle: bad counts ' .. tostring(ARGV[1]) .. ', ' .. tostring(ARGV[5]))
end
local id, mode = ARGV[2], ARGV[3]
local parkAt = 7 + 2 * m
local parkUntil = wholeNumber(ARGV[parkAt])
local e = wholeNumber(ARGV[parkAt + 2]) or -1
local extrasAt = parkAt + 3
local base = extrasAt + 4 * math.max(e, 0)
local bad = e < 0 and 'bad number of extras' or badRules(base, n, 6, 3)
local keysWanted = 1 + n + (m > 0 and 1 or 0) + ((parkUntil or 0) > 0 and 1 or 0) + math.max(e, 0)
for j = 0, e - 1 do
  local a = extrasAt + 4 * j
  local op = ARGV[a]
  if not bad and not ((op == 'h' and wholeNumber(ARGV[a + 2]) and wholeNumber(ARGV[a + 3]))
      or (op == 'x' and wholeNumber(ARGV[a + 1], 1) and wholeNumber(ARGV[a + 3], 1))
      or (op == 'a' and wholeNumber(ARGV[a + 1]) and wholeNumber(ARGV[a + 3], 1))) then
    bad = 'extra ' .. (j + 1) .. ': bad ' .. tostring(op)
  end
end
if not bad and (mode ~= 's' and mode ~= 'c' and mode ~= 'f') then bad = 'unknown mode ' .. tostring(mode) end
if not bad and (parkUntil == nil or wholeNumber(ARGV[4]) == nil or wholeNumber(ARGV[6]) == nil) then
  bad = 'bad tombstone, ledger expiry or parking time'
end
if not bad and #KEYS ~= keysWanted then bad = #KEYS .. ' keys, expected ' .. keysWanted end
for j = 0, m - 1 do
  if not bad and wholeNumber(ARGV[8 + 2 * j], -LARGEST) == nil then bad = 'bad ledger increment' end
end
if bad then
  return redis.error_reply('settle: ' .. bad)
end

-- An admitted reservation's marker holds what the reserve counted on each rule (see reserve.lua): an end corrects
-- from that, not from what the caller believes was counted (a give-up never learnt the grant the reserve chose).
local marker = KEYS[1]
local live = false
local written = {}
local function admitted(state)
  if not state or string.sub(state, 1, 1) ~= 'a' then
    return false
  end
  for amount in string.gmatch(string.sub(state, 2), '%S+') do
    written[#written + 1] = tonumber(amount)
  end
  return true
end
if mode == 's' then
  live = admitted(redis.call('GET', marker))
  if live then redis.call('DEL', marker) end
elseif mode == 'c' then
  local state = redis.call('GET', marker)
  live = admitted(state)
  if state ~= 'c' then
    redis.call('SET', marker, 'c')
    redis.call('PEXPIREAT', marker, ARGV[4])
  end
end

-- A counter whose window has ended and expired stays gone: recreating it would leave a key without a TTL.
local function adjustCounter(kind, key, delta, floor, expiry)
  if delta ~= 0 and redis.call('EXISTS', key) == 1 then
    if redis.call('INCRBY', key, whole(delta)) < 0 then
      redis.call('SET', key, 0, 'KEEPTTL')
    end
  end
  if floor >= 0 then
    local use = tonumber(redis.call('GET', key) or '0')
    if floor > use then
      redis.call('INCRBY', key, whole(floor - use))
      keepAlive(kind, key, expiry)
    end
  end
end

local function adjustRolling(key, counted, actual, floor, expiry, span)
  if counted ~= actual then
    local old = id .. '|' .. whole(counted)
    local score = redis.call('ZSCORE', key, old)
    if score then
      redis.call('ZREM', key, old)
      if actual > 0 then
        redis.call('ZADD', key, score, id .. '|' .. whole(actual))
      end
    end
  end
  if floor >= 0 then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', whole(clock() - span))
    local sum = 0
    for _, member in ipairs(redis.call('ZRANGE', key, 0, -1)) do
      sum = sum + entryAmount(member)
    end
    if floor > sum then
      redis.call('ZADD', key, whole(clock()), 'reported:' .. id .. '|' .. whole(floor - sum))
      redis.call('PEXPIRE', key, expiry)
    end
  end
end

for i = 1, n do
  local a = base + (i - 1) * 6
  local kind, key = ARGV[a], KEYS[1 + i]
  local counted, actual, floor = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local expiry, span = ARGV[a + 4], tonumber(ARGV[a + 5])
  if not live then
    counted = actual -- nothing of this reservation is counted any more: only the floor may still apply
  elseif written[i] then
    counted = written[i]
  end
  if kind == 'l' then
    if live then redis.call('ZREM', key, id) end
  elseif kind == 'r' then
    adjustRolling(key, counted, actual, floor, expiry, span)
  else
    adjustCounter(kind, key, actual - counted, floor, expiry)
  end
end

if m > 0 and (live or mode == 'f') then
  local ledger = KEYS[n + 2]
  for j = 0, m - 1 do
    redis.call('HINCRBY', ledger, ARGV[7 + 2 * j], ARGV[8 + 2 * j])
  end
  redis.call('PEXPIREAT', ledger, ARGV[6])
end
local parkKey = n + 2 + (m > 0 and 1 or 0)
if parkUntil > 0 then
  park(KEYS[parkKey], parkUntil, ARGV[parkAt + 1])
end
if live or mode == 'f' then
  local firstExtra = parkKey + (parkUntil > 0 and 1 or 0)
  for j = 0, e - 1 do
    local a, key = extrasAt + 4 * j, KEYS[firstExtra + j]
    if ARGV[a] == 'h' then
      redis.call('HINCRBY', key, ARGV[a + 1], ARGV[a + 2])
      redis.call('PEXPIREAT', key, ARGV[a + 3])
    elseif ARGV[a] == 'a' then
      local old, sample = tonumber(redis.call('GET', key)), tonumber(ARGV[a + 1])
      local average = old and old * 0.8 + sample * 0.2 or sample
      redis.call('SET', key, string.format('%.1f', average), 'PX', ARGV[a + 3])
    else
      redis.call('XADD', key, 'MAXLEN', '~', ARGV[a + 1], '*', 'entry', ARGV[a + 2])
      redis.call('PEXPIRE', key, ARGV[a + 3])
    end
  end
end
return live and 1 or 0
