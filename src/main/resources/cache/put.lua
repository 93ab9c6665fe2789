-- Keeps one answer of one scope and keeps that scope's kept bytes within the cap, oldest first (starts with
-- capped/capped.lua).
-- KEYS: 1 the entry (a hash), 2 the scope's order (zset key -> kept at, ms), 3 sizes (hash key -> bytes),
--       4 total bytes. Every key shares the {cache:<scope>} hash tag; the entries this script evicts are
--       ARGV[6] .. key, in the same slot.
-- ARGV: 1 the entry's key hash, 2 the answer, 3 ttl ms, 4 cap in bytes, 5 now ms, 6 the prefix of entry keys,
--       7 provider, 8 model, 9 account, 10 input tokens, 11 output tokens.
-- Returns the number of entries evicted to make room, or -1 when this one alone exceeds the cap (nothing written).
local data, order, sizes, total = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, answer, prefix = ARGV[1], ARGV[2], ARGV[6]
local ttl, cap, now = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local input, output = tonumber(ARGV[10]), tonumber(ARGV[11])
if not ttl or ttl <= 0 or not cap or cap <= 0 or not now or not input or not output then
  return redis.error_reply('put.lua: ttl, cap, now and the token counts must be numbers, ttl and cap positive')
end
if ARGV[7] == '' or ARGV[8] == '' then
  return redis.error_reply('put.lua: provider and model must not be empty')
end
local size = string.len(answer) + string.len(ARGV[7]) + string.len(ARGV[8]) + string.len(ARGV[9])
if size > cap then
  return -1
end

local evicted = capped_make_room(order, sizes, total, prefix, id, size, cap, now, ttl)

redis.call('DEL', data)
redis.call('HSET', data, 'provider', ARGV[7], 'model', ARGV[8], 'account', ARGV[9], 'in', input, 'out', output,
  'answer', answer)
redis.call('PEXPIRE', data, ttl)
capped_index(order, sizes, total, id, size, now, ttl)
return evicted
