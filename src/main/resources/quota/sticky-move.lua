-- A sticky conversation moved on: an account after the one it was offered first served it, and it sticks there now.
-- When the conversation took its turn in this request (stored as '~<account>' by sticky-turn.lua), the round-robin
-- position also moves past the account that served, as round robin does, so new conversations share the accounts
-- with room evenly instead of the one after a full account taking its turns too.
-- KEYS[1] the round-robin position    KEYS[2] the conversation's account (in the position's slot)
-- ARGV[1] the account that served     ARGV[2] how long a conversation sticks in ms
-- ARGV[3] where that account was in the order offered (1 or more)    ARGV[4] the position's life in ms
local stickFor, position, life = wholeNumber(ARGV[2], 1), wholeNumber(ARGV[3], 1), wholeNumber(ARGV[4], 1)
if stickFor == nil or position == nil or life == nil or ARGV[1] == nil or ARGV[1] == '' then
  return redis.error_reply('sticky-move: bad arguments')
end
local was = redis.call('GET', KEYS[2])
local turned = was and string.sub(was, 1, 1) == '~'
if turned then
  redis.call('INCRBY', KEYS[1], position)
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return turned and 1 or 0
