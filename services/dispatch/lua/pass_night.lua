-- Pass night quota: `reserve` counts one more hold of the team this night, refused once the quota is
-- used; `release` gives it back when no hold could be taken (and forgets the reservation's key, so a
-- retry reserves again).
-- KEYS: team's counter for the night, idempotency, events
-- ARGV: action, quota, request bytes, retention_ms, now_ms, team, night, pool chosen
-- A retry answers the first reservation, pool included, so it takes the same place.
local now = tonumber(ARGV[5])
if ARGV[1] == 'release' then
  local used = redis.call('DECR', KEYS[1])
  redis.call('DEL', KEYS[2])
  emit(KEYS[3], {'type', 'pass_night.released', 'at', now, 'team', ARGV[6], 'night', ARGV[7], 'used', used})
  return {1, used}
end
local replay = idem_replay(KEYS[2], ARGV[3])
if replay then return replay end
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[2]) then
  return refuse('RESOURCE_EXHAUSTED', 'the team used its ' .. ARGV[2] .. ' pass night places for this night')
end
used = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], 3 * 24 * 3600 * 1000)
emit(KEYS[3], {'type', 'pass_night.reserved', 'at', now, 'team', ARGV[6], 'night', ARGV[7], 'used', used,
    'quota', ARGV[2]})
return idem_store(KEYS[2], ARGV[3], ARGV[4], {1, used, ARGV[8]})
