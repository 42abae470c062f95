-- Closes a crisis: its buffer places stop counting as free (people already inside stay).
-- KEYS: crisis, scope (shelter or region hash), events, idempotency
-- ARGV: now_ms, crisis_id, request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[4], ARGV[3])
if replay then return replay end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return refuse('NOT_FOUND', 'crisis_id: no such crisis')
end
local c = redis.call('HMGET', KEYS[1], 'shelter', 'reason', 'mode', 'opened_ms', 'closed_ms')
if tonumber(c[5]) > 0 then
  return refuse('FAILED_PRECONDITION', 'crisis_id: the crisis is already closed')
end
redis.call('HINCRBY', KEYS[2], 'crises_open', -1)
redis.call('HSET', KEYS[1], 'closed_ms', now)
emit(KEYS[3], {'type', 'buffer.closed', 'at', now, 'crisis', ARGV[2], 'shelter', c[1], 'reason', c[2], 'mode', c[3],
    'open_ms', now - tonumber(c[4])})
return idem_store(KEYS[4], ARGV[3], ARGV[4], {1, ARGV[2], c[1], c[2], c[3], tonumber(c[4]), now})
