-- Stores one response of one client and keeps that client's stored bytes within the cap.
-- KEYS: 1 the response's key, 2 the client's order (zset id -> stored at, ms), 3 sizes (hash id -> bytes),
--       4 total bytes. Every key shares the {resp:<client>} hash tag; the keys of other responses this script
--       evicts are ARGV[6] .. id, in the same slot.
-- ARGV: 1 id, 2 JSON, 3 ttl ms, 4 cap in bytes, 5 now ms, 6 the prefix of response keys.
-- Returns the number of responses evicted to make room, or -1 when this one alone exceeds the cap (nothing written).
local data, order, sizes, total = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, body, prefix = ARGV[1], ARGV[2], ARGV[6]
local ttl, cap, now = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
if not ttl or ttl <= 0 or not cap or cap <= 0 or not now then
  return redis.error_reply('put.lua: ttl, cap and now must be positive numbers')
end
local size = string.len(body)
if size > cap then
  return -1
end

local function forget(other)
  local bytes = tonumber(redis.call('HGET', sizes, other) or '0')
  redis.call('HDEL', sizes, other)
  redis.call('ZREM', order, other)
  redis.call('DEL', prefix .. other)
  redis.call('DECRBY', total, bytes)
end

if redis.call('HEXISTS', sizes, id) == 1 then
  forget(id)
end
-- Responses whose key expired by itself still count until they are forgotten here.
for _, other in ipairs(redis.call('ZRANGEBYSCORE', order, '-inf', now - ttl)) do
  forget(other)
end
local evicted = 0
while tonumber(redis.call('GET', total) or '0') + size > cap do
  local oldest = redis.call('ZRANGE', order, 0, 0)[1]
  if not oldest then
    redis.call('SET', total, 0)
    break
  end
  forget(oldest)
  evicted = evicted + 1
end

redis.call('SET', data, body, 'PX', ttl)
redis.call('ZADD', order, now, id)
redis.call('HSET', sizes, id, size)
redis.call('INCRBY', total, size)
-- The index lives as long as the newest response: a client that stops storing leaves nothing behind.
redis.call('PEXPIRE', order, ttl)
redis.call('PEXPIRE', sizes, ttl)
redis.call('PEXPIRE', total, ttl)
return evicted
