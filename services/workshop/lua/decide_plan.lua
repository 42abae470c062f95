-- Records one party's answer to the case's current plan. The last approval approves the plan: the
-- person is handed to the reference operator and may be referred again later. A refusal sends the
-- case back to the queue, in its place, awaiting a new préconisation.
-- KEYS: case, queue, open, person's open case, events, idempotency
-- ARGV: now_ms, case_id, case protobuf, expected version, plan number, outcome ('awaiting' | 'approved'
--       | 'refused'), party, approved (1 | 0), reason, request bytes, retention_ms, then the
--       plan.approved event's fields
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[6], ARGV[10])
if replay then return replay end
local refused = check_version(KEYS[1], ARGV[4])
if refused then return refused end
local c = redis.call('HMGET', KEYS[1], 'state', 'plan', 'queue_score', 'deadline_ms', 'person')
if c[1] ~= 'preconised' then
  return refuse('FAILED_PRECONDITION', 'case_id: no plan awaits approvals (the case is ' .. c[1] .. ')')
end
if c[2] ~= ARGV[5] then
  return refuse('FAILED_PRECONDITION', "plan_number: not the case's current plan (" .. c[2] .. ')')
end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'pb', ARGV[3])
emit(KEYS[5], {'type', 'plan.answered', 'at', now, 'case', ARGV[2], 'plan', ARGV[5], 'party', ARGV[7],
    'approved', ARGV[8], 'reason', ARGV[9]})
if ARGV[6] == 'approved' then
  redis.call('HSET', KEYS[1], 'state', 'approved')
  if redis.call('GET', KEYS[4]) == ARGV[2] then redis.call('DEL', KEYS[4]) end
  emit(KEYS[5], concat({'type', 'plan.approved', 'at', now, 'case', ARGV[2], 'plan', ARGV[5], 'person', c[5]},
      tail(12)))
elseif ARGV[6] == 'refused' then
  redis.call('HSET', KEYS[1], 'state', 'waiting')
  redis.call('HINCRBY', KEYS[1], 'refusals', 1)
  redis.call('ZADD', KEYS[2], c[3], ARGV[2])
  redis.call('ZADD', KEYS[3], c[4], ARGV[2])
  emit(KEYS[5], {'type', 'plan.refused', 'at', now, 'case', ARGV[2], 'plan', ARGV[5], 'party', ARGV[7],
      'reason', ARGV[9]})
end
return idem_store(KEYS[6], ARGV[10], ARGV[11], {1, version})
