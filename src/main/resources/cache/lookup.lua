-- Reads one kept answer and counts the lookup in this hour's figures, in one round trip.
-- KEYS: 1 the entry (a hash), 2 this hour's figures (a hash). Both share the {cache:<scope>} hash tag.
-- ARGV: 1 when the figures expire (unix ms).
-- Returns {} on a miss; on a hit {provider, model, account, input tokens, output tokens, answer}.
local entry, figures = KEYS[1], KEYS[2]
local expiry = tonumber(ARGV[1])
if not expiry or expiry <= 0 then
  return redis.error_reply('lookup.lua: the figures expiry must be a positive number')
end
local found = redis.call('HMGET', entry, 'provider', 'model', 'account', 'in', 'out', 'answer')
if not found[1] or not found[2] or not found[6] then
  redis.call('HINCRBY', figures, 'misses', 1)
  redis.call('PEXPIREAT', figures, expiry)
  return {}
end
-- provider names never hold '/', so the field splits back into provider and model at the first one
local served = found[1] .. '/' .. found[2]
redis.call('HINCRBY', figures, 'hits', 1)
redis.call('HINCRBY', figures, 'requests:' .. served, 1)
redis.call('HINCRBY', figures, 'input_tokens:' .. served, tonumber(found[4]) or 0)
redis.call('HINCRBY', figures, 'output_tokens:' .. served, tonumber(found[5]) or 0)
redis.call('PEXPIREAT', figures, expiry)
return {found[1], found[2], found[3] or '', found[4] or '0', found[5] or '0', found[6]}
