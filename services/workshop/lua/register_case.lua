-- Registers a referral. A person has at most one open case (until a plan is approved). The 7-day clock
-- starts now; a complete case waits in the queue, an incomplete one until it is completed.
-- KEYS: case, cases, person's open case, queue, open, deadline watch, events, idempotency
-- ARGV: now_ms, case_id, case protobuf, person_id, sending service, state ('incomplete' | 'waiting'),
--       deadline_ms, queue score, urgency, request bytes, retention_ms, then the event's fields
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[8], ARGV[10])
if replay then return replay end
local open_case = redis.call('GET', KEYS[3])
if open_case then
  return refuse('ALREADY_EXISTS', 'person_id: the person already has an open case (' .. open_case .. ')')
end
redis.call('HSET', KEYS[1], 'pb', ARGV[3], 'person', ARGV[4], 'sending', ARGV[5], 'state', ARGV[6], 'session', '',
    'version', 1, 'registered_ms', now, 'deadline_ms', ARGV[7], 'deadline_outcome', 'open', 'urgency', ARGV[9],
    'plan', 0, 'refusals', 0, 'receiving', '', 'priority', '', 'preconisations', 0, 'queue_score', ARGV[8])
redis.call('ZADD', KEYS[2], now, ARGV[2])
redis.call('SET', KEYS[3], ARGV[2])
if ARGV[6] == 'waiting' then redis.call('ZADD', KEYS[4], ARGV[8], ARGV[2]) end
redis.call('ZADD', KEYS[5], ARGV[7], ARGV[2])
redis.call('ZADD', KEYS[6], ARGV[7], ARGV[2])
emit(KEYS[7], concat({'type', 'case.registered', 'at', now, 'case', ARGV[2], 'person', ARGV[4]}, tail(12)))
return idem_store(KEYS[8], ARGV[10], ARGV[11], {1, ARGV[2]})
