-- Records that an insertion or prevention solution of the directory was proposed to a person.
-- KEYS: person, insertion proposal, person's insertion proposals, events, idempotency
-- ARGV: now_ms, proposal_id, person_id, service_id, service kind, solution kind, account, request bytes,
--       retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[5], ARGV[8])
if replay then return replay end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return refuse('NOT_FOUND', 'person_id: no such person')
end
redis.call('HSET', KEYS[2], 'person', ARGV[3], 'service', ARGV[4], 'kind', ARGV[6], 'by', ARGV[7], 'at_ms', now)
redis.call('ZADD', KEYS[3], now, ARGV[2])
emit(KEYS[4], {'type', 'insertion.proposed', 'at', now, 'proposal', ARGV[2], 'person', ARGV[3], 'service', ARGV[4],
    'service_kind', ARGV[5], 'kind', ARGV[6], 'source', 'dispatch'})
return idem_store(KEYS[5], ARGV[8], ARGV[9], {1, ARGV[2], now, ARGV[7]})
