-- Closes a session: the cases of its agenda it did not examine go back to the queue, in their place.
-- The service passes the agenda as it read it; if the agenda grew meanwhile the script refuses
-- (ABORTED) and the service reads it again.
-- KEYS: session, agenda, queue, events, idempotency, then the agenda's cases
-- ARGV: now_ms, session_id, capacity, start_ms, request bytes, retention_ms, then the agenda's case ids
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[5], ARGV[5])
if replay then return replay end
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'closed' then
  return refuse('FAILED_PRECONDITION', 'session_id: the session is already closed')
end
if redis.call('LLEN', KEYS[2]) ~= #KEYS - 5 then
  return refuse('ABORTED', 'session_id: the agenda changed while closing')
end
if not state then
  redis.call('HSET', KEYS[1], 'start_ms', ARGV[4], 'capacity', ARGV[3], 'examined', 0, 'members_pb', '')
end
local carried = 0
for i = 6, #KEYS do
  local id = ARGV[i + 1]
  local c = redis.call('HMGET', KEYS[i], 'state', 'session', 'queue_score')
  if c[1] == 'scheduled' and c[2] == ARGV[2] then
    redis.call('HSET', KEYS[i], 'state', 'waiting')
    redis.call('ZADD', KEYS[3], c[3], id)
    emit(KEYS[4], {'type', 'case.carried_over', 'at', now, 'case', id, 'session', ARGV[2]})
    carried = carried + 1
  end
end
redis.call('HSET', KEYS[1], 'state', 'closed', 'closed_ms', now, 'carried_over', carried)
local examined = tonumber(redis.call('HGET', KEYS[1], 'examined') or '0')
emit(KEYS[4], {'type', 'session.closed', 'at', now, 'session', ARGV[2], 'agenda', #KEYS - 5, 'examined', examined,
    'carried_over', carried})
return idem_store(KEYS[5], ARGV[5], ARGV[6], {1, examined, carried})
