-- Adds to a counter and keeps it alive; INCRBY and PEXPIRE in one step so the key never lives forever.
-- A round-robin position is one: each request takes a turn, and a turn that passed to a later account moves it on.
-- KEYS[1] the counter's key    ARGV[1] key life in ms    ARGV[2] the amount to add
local value = redis.call('INCRBY', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return value
