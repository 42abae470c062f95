-- Whether a mutating call with this idempotency key was already answered: {1, 1} for a retry of the
-- same request, {1, 0} for a first call, ALREADY_EXISTS for the key used with another request. For the
-- calls whose service-side computation would refuse a retry (an approval already recorded).
-- KEYS: idempotency
-- ARGV: request bytes
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then
  if replay[1] == 0 then return replay end
  return {1, 1}
end
return {1, 0}
