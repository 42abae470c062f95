-- Fills a session's agenda from the queue, in queue order (deadline, urgency), up to its capacity.
-- The service reads the head of the queue and passes those cases; each is taken only if it still waits.
-- KEYS: session, agenda, queue, events, idempotency, then the candidate cases
-- ARGV: now_ms, session_id, capacity, start_ms, request bytes, retention_ms, then the candidates' ids
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[5], ARGV[5])
if replay then return replay end
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'closed' then
  return refuse('FAILED_PRECONDITION', 'session_id: the session is closed')
end
if not state then
  redis.call('HSET', KEYS[1], 'state', 'open', 'start_ms', ARGV[4], 'examined', 0, 'carried_over', 0, 'members_pb', '')
end
redis.call('HSET', KEYS[1], 'capacity', ARGV[3])
local room = tonumber(ARGV[3]) - redis.call('LLEN', KEYS[2])
local added = 0
for i = 6, #KEYS do
  if room <= 0 then break end
  local id = ARGV[i + 1]
  local c = redis.call('HMGET', KEYS[i], 'state', 'urgency')
  if c[1] == 'waiting' and redis.call('ZSCORE', KEYS[3], id) then
    redis.call('ZREM', KEYS[3], id)
    redis.call('HSET', KEYS[i], 'state', 'scheduled', 'session', ARGV[2])
    local position = redis.call('RPUSH', KEYS[2], id)
    emit(KEYS[4], {'type', 'case.scheduled', 'at', now, 'case', id, 'session', ARGV[2], 'position', position,
        'urgency', c[2]})
    added = added + 1
    room = room - 1
  end
end
local waiting = redis.call('ZCARD', KEYS[3])
emit(KEYS[4], {'type', 'session.agenda_built', 'at', now, 'session', ARGV[2], 'added', added,
    'scheduled', redis.call('LLEN', KEYS[2]), 'capacity', ARGV[3], 'waiting', waiting})
return idem_store(KEYS[5], ARGV[5], ARGV[6], {1, added, waiting})
