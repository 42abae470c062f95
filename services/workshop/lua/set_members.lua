-- Records who sits in a session: sending and receiving services, the orientation cell, experts.
-- KEYS: session, events, idempotency
-- ARGV: now_ms, session_id, capacity, start_ms, members protobuf, request bytes, retention_ms, then the
--       event's fields (counts per role)
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[3], ARGV[6])
if replay then return replay end
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'closed' then
  return refuse('FAILED_PRECONDITION', 'session_id: the session is closed')
end
if not state then
  redis.call('HSET', KEYS[1], 'state', 'open', 'start_ms', ARGV[4], 'capacity', ARGV[3], 'examined', 0,
      'carried_over', 0)
end
redis.call('HSET', KEYS[1], 'members_pb', ARGV[5])
emit(KEYS[2], concat({'type', 'session.members_set', 'at', now, 'session', ARGV[2]}, tail(8)))
return idem_store(KEYS[3], ARGV[6], ARGV[7], {1})
