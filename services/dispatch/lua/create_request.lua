-- A request for a place tonight enters the queue of its lane, ordered by age.
-- KEYS: request, queue of its lane, person, events, idempotency
-- ARGV: now_ms, request_id, request protobuf, person facts protobuf, lane, person_id, publics (comma-separated),
--       request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[5], ARGV[8])
if replay then return replay end
if redis.call('EXISTS', KEYS[3]) == 0 then
  return refuse('NOT_FOUND', 'person_id: no such person')
end
redis.call('HSET', KEYS[1], 'pb', ARGV[3], 'person_pb', ARGV[4], 'lane', ARGV[5], 'state', 'waiting',
    'created_ms', now, 'refusals', 0, 'hold', '', 'pool', '', 'dispatched_ms', 0)
redis.call('ZADD', KEYS[2], now, ARGV[2])
emit(KEYS[4], {'type', 'request.created', 'at', now, 'request', ARGV[2], 'person', ARGV[6], 'lane', ARGV[5],
    'publics', ARGV[7]})
return idem_store(KEYS[5], ARGV[8], ARGV[9], {1, ARGV[2]})
