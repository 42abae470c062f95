-- Records, once, that a case's 7-day deadline passed without a préconisation (run by the sweeper).
-- KEYS: case, deadline watch, events
-- ARGV: now_ms, case_id
local now = tonumber(ARGV[1])
local deadline = redis.call('ZSCORE', KEYS[2], ARGV[2])
if not deadline or tonumber(deadline) >= now then
  return {1, 0}
end
redis.call('ZREM', KEYS[2], ARGV[2])
local c = redis.call('HMGET', KEYS[1], 'deadline_outcome', 'urgency', 'state')
if c[1] ~= 'open' then
  return {1, 0}
end
redis.call('HSET', KEYS[1], 'deadline_outcome', 'missed')
emit(KEYS[3], {'type', 'case.deadline_missed', 'at', now, 'case', ARGV[2], 'urgency', c[2],
    'late_ms', now - tonumber(deadline), 'state', c[3]})
return {1, 1}
