-- Closes a night: every request still waiting is recorded as unmet, one event each, and the night's
-- figures are kept. The requests stay in the queue: the need goes on. A night closes once.
-- KEYS: night, priority queue, medical queue, standard queue, events, idempotency
-- ARGV: now_ms, night (YYYY-MM-DD), request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[6], ARGV[3])
if replay then return replay end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return refuse('FAILED_PRECONDITION', 'the night of ' .. ARGV[2] .. ' is already closed')
end
local lanes = {'LANE_PRIORITY', 'LANE_MEDICAL', 'LANE_STANDARD'}
local counts = {}
for i, lane in ipairs(lanes) do
  local waiting = redis.call('ZRANGE', KEYS[i + 1], 0, -1)
  counts[i] = #waiting
  for _, id in ipairs(waiting) do
    emit(KEYS[5], {'type', 'request.unmet', 'at', now, 'request', id, 'lane', lane, 'night', ARGV[2]})
  end
end
local total = counts[1] + counts[2] + counts[3]
redis.call('HSET', KEYS[1], 'closed_ms', now, 'unmet', total, 'priority', counts[1], 'medical', counts[2],
    'standard', counts[3])
emit(KEYS[5], {'type', 'night.closed', 'at', now, 'night', ARGV[2], 'unmet', total, 'priority', counts[1],
    'medical', counts[2], 'standard', counts[3]})
return idem_store(KEYS[6], ARGV[3], ARGV[4], {1, ARGV[2], total, counts[1], counts[2], counts[3]})
