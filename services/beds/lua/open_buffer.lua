-- Opens the buffer places of one shelter, or of the whole region, for a crisis.
-- KEYS: crisis, crises index, scope (shelter or region hash), events, idempotency
-- ARGV: now_ms, crisis_id, shelter_id ('' for the region), reason, mode, request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[5], ARGV[6])
if replay then return replay end
if ARGV[3] ~= '' and redis.call('EXISTS', KEYS[3]) == 0 then
  return refuse('NOT_FOUND', 'shelter_id: no such shelter')
end
redis.call('HINCRBY', KEYS[3], 'crises_open', 1)
redis.call('HSET', KEYS[1], 'shelter', ARGV[3], 'reason', ARGV[4], 'mode', ARGV[5], 'opened_ms', now, 'closed_ms', 0)
redis.call('ZADD', KEYS[2], now, ARGV[2])
emit(KEYS[4], {'type', 'buffer.opened', 'at', now, 'crisis', ARGV[2], 'shelter', ARGV[3], 'reason', ARGV[4],
    'mode', ARGV[5]})
return idem_store(KEYS[5], ARGV[6], ARGV[7], {1, ARGV[2], ARGV[3], ARGV[4], ARGV[5], now, 0})
