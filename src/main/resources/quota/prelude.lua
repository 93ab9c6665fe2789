-- Shared by every quota script: LuaScript puts this text in front of each one when it loads it, because Redis
-- scripts cannot call one another.

-- Redis TIME in ms, read once per script: every process must agree on "now" to the millisecond for rolling windows,
-- leases and deadlines. Calendar windows were cut in Java and arrive as keys.
local now = 0
local function clock()
  if now == 0 then
    local t = redis.call('TIME')
    now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return now
end

-- Integers a script may be given: Lua numbers are doubles, exact to 2^53. Anything else is refused before the
-- first write, so a bad argument can never leave half a reservation behind. Only plain digits count: Lua would read
-- 1.8e12, 0x1A or ' 7' as whole numbers that Redis's own commands (PEXPIREAT, HINCRBY, SET PX) then refuse after
-- the script has written.
local LARGEST = 9007199254740991
local function wholeNumber(value, lowest)
  if type(value) ~= 'string' or not string.match(value, '^%-?%d+$') then
    return nil
  end
  local n = tonumber(value)
  if n == nil or n ~= math.floor(n) or n < (lowest or 0) or n > LARGEST then
    return nil
  end
  return n
end

-- A whole number as Redis reads it: never in Lua's exponent notation.
local function whole(n)
  return string.format('%d', n)
end

local KINDS = {c = true, g = true, r = true, l = true}

-- Checks `count` rule groups of `width` arguments starting at ARGV[first]: kind, then integers (the floor, when
-- `floorAt` names its place in the group, may be -1). Returns an error text or nil.
local function badRules(first, count, width, floorAt)
  if #ARGV ~= first - 1 + count * width then
    return 'expected ' .. (first - 1 + count * width) .. ' arguments, got ' .. #ARGV
  end
  for i = 1, count do
    local a = first + (i - 1) * width
    if not KINDS[ARGV[a]] then
      return 'rule ' .. i .. ': unknown kind ' .. tostring(ARGV[a])
    end
    for j = 1, width - 1 do
      local lowest = (j == floorAt) and -1 or 0
      if wholeNumber(ARGV[a + j], lowest) == nil then
        return 'rule ' .. i .. ': argument ' .. (j + 1) .. ' is not a whole number in range: ' .. tostring(ARGV[a + j])
      end
    end
  end
  return nil
end

local function entryAmount(member)
  return tonumber(string.match(member, '|(%d+)$')) or 0
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

-- Parks until `untilMs`, keeping the later of two parkings: a short "retry in 20s" must not cut short an earlier
-- "exhausted until midnight". The value is "<until ms> <kind> <reason>".
local function park(key, untilMs, value)
  local current = redis.call('GET', key)
  if current then
    local parkedUntil = tonumber(string.match(current, '^(%d+)'))
    if parkedUntil and parkedUntil >= untilMs then
      return 0
    end
  end
  redis.call('SET', key, value)
  redis.call('PEXPIREAT', key, untilMs)
  return 1
end
