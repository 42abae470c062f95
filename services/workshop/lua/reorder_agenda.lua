-- Moves a case of an open session's agenda to another position, with a reason.
-- KEYS: session, agenda, events, idempotency
-- ARGV: now_ms, session_id, case_id, new position (1-based), reason, request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[4], ARGV[6])
if replay then return replay end
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  return refuse('NOT_FOUND', 'session_id: the session has no agenda yet')
end
if state == 'closed' then
  return refuse('FAILED_PRECONDITION', 'session_id: the session is closed')
end
local items = redis.call('LRANGE', KEYS[2], 0, -1)
local from
for i, id in ipairs(items) do
  if id == ARGV[3] then from = i end
end
if not from then
  return refuse('NOT_FOUND', "case_id: not on this session's agenda")
end
local to = tonumber(ARGV[4])
if to > #items then
  return refuse('INVALID_ARGUMENT', 'position: the agenda has ' .. #items .. ' cases')
end
table.remove(items, from)
table.insert(items, to, ARGV[3])
redis.call('DEL', KEYS[2])
redis.call('RPUSH', KEYS[2], unpack(items))
emit(KEYS[3], {'type', 'session.agenda_reordered', 'at', now, 'session', ARGV[2], 'case', ARGV[3], 'from', from,
    'to', to, 'reason', ARGV[5]})
return idem_store(KEYS[4], ARGV[6], ARGV[7], {1})
