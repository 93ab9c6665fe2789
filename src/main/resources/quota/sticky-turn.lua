-- A sticky conversation's turn in one step: reads the account the conversation sticks to; a conversation that
-- sticks to nothing (or to an account no longer configured) takes the provider's next round-robin turn and is stuck
-- here to the account whose turn it is, so serving it there needs no write of its own. A conversation already stuck
-- takes no turn: the turns are the new conversations', so a long conversation does not skew where they go (with two
-- accounts, one talk between each new one would otherwise send every new one to the same account). Both keys are
-- kept alive.
-- KEYS[1] the round-robin position    KEYS[2] the conversation's account (in the position's slot)
-- ARGV[1] the position's life in ms   ARGV[2] how long a conversation sticks in ms
-- ARGV[3..] the provider's account ids, in their configured order
-- A conversation stuck here by its turn is stored as '~<account>' until its next request, so that if another account
-- serves this request (the turn's was full), sticky-move.lua knows the turn was this request's and moves the
-- position past the account that served, as round robin does.
-- Returns {the turn (counted from 1: for a stuck conversation the last turn taken, to order the accounts after its
-- own), the account}.
local stuck = redis.call('GET', KEYS[2])
if stuck and string.sub(stuck, 1, 1) == '~' then
  stuck = string.sub(stuck, 2)
end
local known = false
for i = 3, #ARGV do
  if ARGV[i] == stuck then
    known = true
  end
end
local turn, stored
if known then
  turn = tonumber(redis.call('GET', KEYS[1]) or '1')
  stored = stuck
else
  turn = redis.call('INCRBY', KEYS[1], 1)
  stuck = ARGV[3 + ((turn - 1) % (#ARGV - 2))]
  stored = '~' .. stuck
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], stored, 'PX', ARGV[2])
return {turn, stuck}
