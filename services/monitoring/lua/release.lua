-- Gives up a generation's lease if this consumer holds it, so a standby takes over at once (a
-- consumer stopping cleanly, or a rebuild handing its new generation to the live consumer).
-- KEYS: lease
-- ARGV: consumer
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
