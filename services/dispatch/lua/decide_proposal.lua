-- The person's answer to a proposal:
--   accepted    the place is held (the hold was taken through the beds service, with an idempotency
--               key of the proposal, before this step): the request leaves the queue
--   refused     with a reason; the request keeps its lane and its place in the queue
--   place_gone  accepted, but the last place was taken by someone else meanwhile
-- KEYS: proposal, request, queue of the request's lane, events, idempotency
-- ARGV: now_ms, proposal_id, decision, hold_id, refusal reason, public, request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[5], ARGV[7])
if replay then return replay end
local p = redis.call('HMGET', KEYS[1], 'state', 'request', 'pool')
if not p[1] then
  return refuse('NOT_FOUND', 'proposal_id: no such proposal')
end
if p[1] ~= 'proposed' then
  return refuse('FAILED_PRECONDITION', 'proposal_id: the proposal was already answered (' .. p[1] .. ')')
end
local r = redis.call('HMGET', KEYS[2], 'state', 'lane', 'created_ms')
local decision = ARGV[3]
local base = {'at', now, 'proposal', ARGV[2], 'request', p[2], 'pool', p[3], 'public', ARGV[6], 'lane', r[2]}
if decision == 'accepted' then
  if r[1] ~= 'waiting' then
    return refuse('FAILED_PRECONDITION', 'proposal_id: the request is already dispatched')
  end
  redis.call('HSET', KEYS[1], 'state', 'accepted', 'hold', ARGV[4], 'decided_ms', now)
  redis.call('HSET', KEYS[2], 'state', 'dispatched', 'hold', ARGV[4], 'pool', p[3], 'dispatched_ms', now)
  redis.call('ZREM', KEYS[3], p[2])
  emit(KEYS[4], concat({'type', 'proposal.accepted', 'hold', ARGV[4], 'waited_ms', now - tonumber(r[3])}, base))
elseif decision == 'refused' then
  redis.call('HSET', KEYS[1], 'state', 'refused', 'reason', ARGV[5], 'decided_ms', now)
  redis.call('HINCRBY', KEYS[2], 'refusals', 1)
  emit(KEYS[4], concat({'type', 'proposal.refused', 'reason', ARGV[5]}, base))
elseif decision == 'place_gone' then
  redis.call('HSET', KEYS[1], 'state', 'place_gone', 'decided_ms', now)
  emit(KEYS[4], concat({'type', 'proposal.place_gone'}, base))
else
  return refuse('INVALID_ARGUMENT', 'unknown decision')
end
return idem_store(KEYS[5], ARGV[7], ARGV[8], {1, ARGV[2]})
