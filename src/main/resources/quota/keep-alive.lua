-- Keeps a running call's reservation alive while it runs longer than a lease (a long stream): its concurrency leases
-- run for another lease from now, and its marker for another margin, so the call's slot is not given to another
-- call while it runs, and its settlement still finds it admitted. A lease already trimmed (it ran out) is not
-- brought back: its slot may have been given away.
-- KEYS[1] the reservation's marker    KEYS[2 ..] its lease sets
-- ARGV[1] the marker's life in ms     ARGV[2] a lease's span in ms    ARGV[3] the reservation id
-- ARGV[4] a lease set's life in ms after its newest lease
-- Returns 1 when the reservation was admitted and not ended (kept alive), 0 otherwise.
local life, span, keyLife = wholeNumber(ARGV[1], 1), wholeNumber(ARGV[2], 1), wholeNumber(ARGV[4], 1)
if life == nil or span == nil or keyLife == nil or ARGV[3] == nil or ARGV[3] == '' or #ARGV ~= 4 then
  return redis.error_reply('keep-alive: bad arguments')
end
local state = redis.call('GET', KEYS[1])
if not state or string.sub(state, 1, 1) ~= 'a' then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
for i = 2, #KEYS do
  if redis.call('ZSCORE', KEYS[i], ARGV[3]) then
    redis.call('ZADD', KEYS[i], whole(clock() + span), ARGV[3])
    redis.call('PEXPIRE', KEYS[i], ARGV[4])
  end
end
return 1
