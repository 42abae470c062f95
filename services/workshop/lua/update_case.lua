-- Replaces a referral's facts while it waits (incomplete or in the queue), if nobody changed it since
-- it was read. Completing it puts it in the queue; its place follows its deadline and urgency.
-- KEYS: case, queue, events, idempotency
-- ARGV: now_ms, case_id, case protobuf, expected version, state ('incomplete' | 'waiting'), queue score,
--       urgency, request bytes, retention_ms, then the event's fields
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[4], ARGV[8])
if replay then return replay end
local refused = check_version(KEYS[1], ARGV[4])
if refused then return refused end
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'incomplete' and state ~= 'waiting' then
  return refuse('FAILED_PRECONDITION', 'case_id: the case is ' .. state .. '; its facts change only while it waits')
end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'pb', ARGV[3], 'state', ARGV[5], 'queue_score', ARGV[6], 'urgency', ARGV[7])
if ARGV[5] == 'waiting' then
  redis.call('ZADD', KEYS[2], ARGV[6], ARGV[2])
else
  redis.call('ZREM', KEYS[2], ARGV[2])
end
emit(KEYS[3], concat({'type', 'case.updated', 'at', now, 'case', ARGV[2]}, tail(10)))
return idem_store(KEYS[4], ARGV[8], ARGV[9], {1, version})
