-- Deletes one stored response and gives its bytes back. KEYS as put.lua; ARGV: 1 id.
-- Returns 1 when the response existed, 0 otherwise.
local data, order, sizes, total = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id = ARGV[1]
local existed = redis.call('DEL', data)
local bytes = redis.call('HGET', sizes, id)
if bytes then
  redis.call('HDEL', sizes, id)
  redis.call('ZREM', order, id)
  redis.call('DECRBY', total, tonumber(bytes))
end
return existed
