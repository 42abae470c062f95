-- Takes one place of a pool for a request, if one is free. The check and the take are one atomic
-- step: whatever the concurrency, the last place is taken once.
-- KEYS: pool, pool holds, shelter, region, hold, deadlines, shelter holds, events, idempotency
-- ARGV: now_ms, deadline_ms, hold_id, pool_id, shelter_id, public, request_id, kind, request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[9], ARGV[9])
if replay then return replay end
local s = pool_state(KEYS[1], KEYS[2], KEYS[3], KEYS[4], now)
if not s.exists then
  return refuse('NOT_FOUND', 'pool_id: no such pool')
end
if s.free < 1 then
  return refuse('FAILED_PRECONDITION', 'pool_id: no free place left in this pool')
end
local deadline = tonumber(ARGV[2])
redis.call('ZADD', KEYS[2], deadline, ARGV[3])
redis.call('HSET', KEYS[5], 'pool', ARGV[4], 'shelter', ARGV[5], 'public', ARGV[6], 'request', ARGV[7],
    'kind', ARGV[8], 'state', 'held', 'created_ms', now, 'deadline_ms', deadline, 'ended_ms', 0)
redis.call('ZADD', KEYS[6], deadline, ARGV[3])
redis.call('ZADD', KEYS[7], now, ARGV[3])
redis.call('HINCRBY', KEYS[1], 'version', 1)
-- The state after the take, derived rather than read again: one more live hold, one more version.
s.live_holds = s.live_holds + 1
s.version = s.version + 1
s = derive_free(s)
emit(KEYS[8], concat({'type', 'hold.taken', 'at', now, 'pool', ARGV[4], 'shelter', ARGV[5], 'public', ARGV[6],
    'hold', ARGV[3], 'request', ARGV[7], 'kind', ARGV[8]}, pool_event_fields(s)))
local answer = concat({1}, pool_answer(s))
answer = concat(answer, {ARGV[3], 'held', now, deadline, 0, ARGV[7], ARGV[8]})
return idem_store(KEYS[9], ARGV[9], ARGV[10], answer)
