-- A sticky conversation's turn in one step: takes the provider's next round-robin turn and reads the account the
-- conversation sticks to, keeping both alive; a conversation that sticks to nothing (or to an account no longer
-- configured) is stuck here to the account whose turn it is, so serving it there needs no write of its own.
-- KEYS[1] the round-robin position    KEYS[2] the conversation's account (in the position's slot)
-- ARGV[1] the position's life in ms   ARGV[2] how long a conversation sticks in ms
-- ARGV[3..] the provider's account ids, in their configured order
local turn = redis.call('INCRBY', KEYS[1], 1)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local stuck = redis.call('GET', KEYS[2])
local known = false
for i = 3, #ARGV do
  if ARGV[i] == stuck then
    known = true
  end
end
if not known then
  stuck = ARGV[3 + ((turn - 1) % (#ARGV - 2))]
end
redis.call('SET', KEYS[2], stuck, 'PX', ARGV[2])
return {turn, stuck}
