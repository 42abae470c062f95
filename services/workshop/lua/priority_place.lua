-- An approved plan takes one priority place of its receiving service, or gives it back. The check and
-- the take are one atomic step: the last place goes to one plan, and a plan never holds two.
-- KEYS: priority pool, case, events, idempotency
-- ARGV: now_ms, 'take' | 'release', case_id, service_id, request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[4], ARGV[5])
if replay then return replay end
local c = redis.call('HMGET', KEYS[2], 'state', 'receiving', 'priority')
if not c[1] then
  return refuse('NOT_FOUND', 'case_id: no such case')
end
local p = redis.call('HMGET', KEYS[1], 'places', 'used', 'updated_ms')
local places, used = tonumber(p[1] or '0'), tonumber(p[2] or '0')
local event
if ARGV[2] == 'take' then
  if c[1] ~= 'approved' then
    return refuse('FAILED_PRECONDITION', "case_id: the case's plan is not approved (" .. c[1] .. ')')
  end
  if c[2] ~= ARGV[4] then
    return refuse('FAILED_PRECONDITION', 'case_id: the plan has no receiving service for a priority place')
  end
  if c[3] ~= '' then
    return refuse('FAILED_PRECONDITION', 'case_id: the plan already holds a priority place')
  end
  if not p[1] then
    return refuse('FAILED_PRECONDITION', 'case_id: ' .. ARGV[4] .. ' declared no priority places')
  end
  if used >= places then
    return refuse('FAILED_PRECONDITION', 'case_id: no priority place left at ' .. ARGV[4])
  end
  used = redis.call('HINCRBY', KEYS[1], 'used', 1)
  redis.call('HSET', KEYS[2], 'priority', ARGV[4])
  event = 'priority_place.taken'
else
  if c[3] ~= ARGV[4] or ARGV[4] == '' then
    return refuse('FAILED_PRECONDITION', 'case_id: the case holds no priority place')
  end
  used = redis.call('HINCRBY', KEYS[1], 'used', -1)
  redis.call('HSET', KEYS[2], 'priority', '')
  event = 'priority_place.released'
end
emit(KEYS[3], {'type', event, 'at', now, 'case', ARGV[3], 'service', ARGV[4], 'places', places, 'used', used})
return idem_store(KEYS[4], ARGV[5], ARGV[6], {1, places, used, tonumber(p[3] or '0'), ARGV[4]})
