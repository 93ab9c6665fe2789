-- Shared by the scripts that keep expiring entries of one scope within a byte cap (the response cache's answers,
-- the Responses API's stored responses); a script starts with this text, since Redis scripts cannot call one
-- another. A scope's index is an order (zset id -> kept at, ms), sizes (hash id -> bytes) and a total, all in the
-- scope's hash slot, as is each entry's key: prefix .. id.

local function capped_forget(order, sizes, total, prefix, id)
  local bytes = tonumber(redis.call('HGET', sizes, id) or '0')
  redis.call('HDEL', sizes, id)
  redis.call('ZREM', order, id)
  redis.call('DEL', prefix .. id)
  redis.call('DECRBY', total, bytes)
end

-- Makes room for size more bytes under cap: forgets id if it is kept already, then every entry older than ttl
-- (whose key expired by itself but still counts until forgotten here), then the oldest until the new one fits.
-- Returns how many entries it evicted for room.
local function capped_make_room(order, sizes, total, prefix, id, size, cap, now, ttl)
  if redis.call('HEXISTS', sizes, id) == 1 then
    capped_forget(order, sizes, total, prefix, id)
  end
  for _, other in ipairs(redis.call('ZRANGEBYSCORE', order, '-inf', now - ttl)) do
    capped_forget(order, sizes, total, prefix, other)
  end
  local evicted = 0
  while tonumber(redis.call('GET', total) or '0') + size > cap do
    local oldest = redis.call('ZRANGE', order, 0, 0)[1]
    if not oldest then
      redis.call('SET', total, 0)
      break
    end
    capped_forget(order, sizes, total, prefix, oldest)
    evicted = evicted + 1
  end
  return evicted
end

-- Indexes id as kept now with its size. The index lives as long as the newest entry: a scope that stops keeping
-- leaves nothing behind.
local function capped_index(order, sizes, total, id, size, now, ttl)
  redis.call('ZADD', order, now, id)
  redis.call('HSET', sizes, id, size)
  redis.call('INCRBY', total, size)
  redis.call('PEXPIRE', order, ttl)
  redis.call('PEXPIRE', sizes, ttl)
  redis.call('PEXPIRE', total, ttl)
end
