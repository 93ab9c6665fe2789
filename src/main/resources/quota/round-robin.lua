-- Advances a round-robin position and keeps it alive; INCR and PEXPIRE in one step so the key never lives forever.
-- KEYS[1] the position's key    ARGV[1] key life in ms
local position = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return position
