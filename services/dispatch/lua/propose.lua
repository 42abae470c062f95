-- An operator proposes a place to a waiting request.
-- KEYS: request, proposal, events, idempotency
-- ARGV: now_ms, proposal_id, request_id, pool_id, public, request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[4], ARGV[6])
if replay then return replay end
local r = redis.call('HMGET', KEYS[1], 'state', 'lane')
if not r[1] then
  return refuse('NOT_FOUND', 'request_id: no such request')
end
if r[1] ~= 'waiting' then
  return refuse('FAILED_PRECONDITION', 'request_id: the request is already dispatched')
end
redis.call('HSET', KEYS[2], 'request', ARGV[3], 'pool', ARGV[4], 'state', 'proposed', 'reason', '', 'hold', '',
    'proposed_ms', now, 'decided_ms', 0)
emit(KEYS[3], {'type', 'proposal.made', 'at', now, 'proposal', ARGV[2], 'request', ARGV[3], 'pool', ARGV[4],
    'public', ARGV[5], 'lane', r[2]})
return idem_store(KEYS[4], ARGV[6], ARGV[7], {1, ARGV[2]})
