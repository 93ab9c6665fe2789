-- Stores one response of one client and keeps that client's stored bytes within the cap (starts with
-- capped/capped.lua).
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

local evicted = capped_make_room(order, sizes, total, prefix, id, size, cap, now, ttl)

redis.call('SET', data, body, 'PX', ttl)
capped_index(order, sizes, total, id, size, now, ttl)
return evicted
