-- The workshop's outcome for a case on a session's agenda: an orientation, a receiving service and a
-- plan awaiting approvals. The first préconisation settles the 7-day deadline: met when it comes at
-- most 7 days after registration (unless the deadline was already recorded as missed).
-- KEYS: case, open, deadline watch, session, events, idempotency
-- ARGV: now_ms, case_id, case protobuf, expected version, session_id, receiving service, plan number,
--       request bytes, retention_ms, then the case.preconised event's fields
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[6], ARGV[8])
if replay then return replay end
local refused = check_version(KEYS[1], ARGV[4])
if refused then return refused end
local c = redis.call('HMGET', KEYS[1], 'state', 'session', 'deadline_ms', 'deadline_outcome', 'urgency',
    'registered_ms', 'person')
if c[1] ~= 'scheduled' or c[2] ~= ARGV[5] then
  return refuse('FAILED_PRECONDITION', "case_id: the case is not on this session's agenda (" .. c[1] .. ')')
end
if redis.call('HGET', KEYS[4], 'state') ~= 'open' then
  return refuse('FAILED_PRECONDITION', 'case_id: its session is closed')
end
local outcome = c[4]
if outcome == 'open' then
  redis.call('ZREM', KEYS[3], ARGV[2])
  if now <= tonumber(c[3]) then
    outcome = 'met'
    emit(KEYS[5], {'type', 'case.deadline_met', 'at', now, 'case', ARGV[2], 'urgency', c[5],
        'took_ms', now - tonumber(c[6])})
  else
    outcome = 'missed'
    emit(KEYS[5], {'type', 'case.deadline_missed', 'at', now, 'case', ARGV[2], 'urgency', c[5],
        'late_ms', now - tonumber(c[3])})
  end
end
redis.call('ZREM', KEYS[2], ARGV[2])
local count = redis.call('HINCRBY', KEYS[1], 'preconisations', 1)
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'pb', ARGV[3], 'state', 'preconised', 'receiving', ARGV[6], 'plan', ARGV[7],
    'deadline_outcome', outcome)
redis.call('HINCRBY', KEYS[4], 'examined', 1)
emit(KEYS[5], concat({'type', 'case.preconised', 'at', now, 'case', ARGV[2], 'person', c[7], 'session', ARGV[5],
    'first', count == 1 and 1 or 0, 'deadline', outcome, 'source', 'workshop'}, tail(10)))
return idem_store(KEYS[6], ARGV[8], ARGV[9], {1, version})
