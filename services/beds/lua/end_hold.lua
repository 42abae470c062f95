-- Ends a hold: the person arrived (the place becomes occupied), did not show, the hold was cancelled,
-- or its deadline passed (recorded by the sweeper; the place was already free for every reader).
-- KEYS: pool, pool holds, shelter, region, hold, deadlines, events, idempotency
-- ARGV: now_ms, hold_id, outcome ('arrived' | 'no_show' | 'cancelled' | 'expired'), request bytes,
--       retention_ms, ended hold retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[8], ARGV[4])
if replay then return replay end
if redis.call('EXISTS', KEYS[5]) == 0 then
  return refuse('NOT_FOUND', 'hold_id: no such hold')
end
local h = redis.call('HMGET', KEYS[5], 'state', 'deadline_ms', 'pool', 'shelter', 'public', 'request', 'kind', 'created_ms')
local outcome = ARGV[3]
if h[1] ~= 'held' then
  return refuse('FAILED_PRECONDITION', 'hold_id: the hold has already ended (' .. h[1] .. ')')
end
local deadline = tonumber(h[2])
local expired = deadline <= now
if outcome == 'expired' and not expired then
  return refuse('FAILED_PRECONDITION', 'hold_id: the deadline has not passed')
end
local s = pool_state(KEYS[1], KEYS[2], KEYS[3], KEYS[4], now)
if outcome == 'arrived' and expired and s.free < 1 then
  -- A late arrival is still welcome while a place is free; otherwise the place may be someone else's.
  return refuse('FAILED_PRECONDITION', 'hold_id: the hold expired and no place is free any more')
end
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[6], ARGV[2])
redis.call('HSET', KEYS[5], 'state', outcome, 'ended_ms', now)
redis.call('PEXPIRE', KEYS[5], ARGV[6])
local fields = {'version', s.version + 1}
if outcome == 'arrived' then
  fields = concat(fields, {'occupied', s.occupied + 1})
end
if outcome == 'arrived' or outcome == 'no_show' then
  fields = concat(fields, {'updated_ms', now})  -- the shelter spoke: its figures are fresh
end
redis.call('HSET', KEYS[1], unpack(fields))
-- The state after, derived rather than read again. An expired hold was no longer counted as live.
if not expired then s.live_holds = s.live_holds - 1 end
s.version = s.version + 1
if outcome == 'arrived' then s.occupied = s.occupied + 1 end
if outcome == 'arrived' or outcome == 'no_show' then s.updated_ms = now end
s = derive_free(s)
emit(KEYS[7], concat({'type', 'hold.' .. outcome, 'at', now, 'pool', h[3], 'shelter', h[4], 'public', h[5],
    'hold', ARGV[2], 'request', h[6], 'kind', h[7], 'held_ms', now - tonumber(h[8])}, pool_event_fields(s)))
local answer = concat({1}, pool_answer(s))
answer = concat(answer, {ARGV[2], outcome, tonumber(h[8]), deadline, now, h[6], h[7]})
return idem_store(KEYS[8], ARGV[4], ARGV[5], answer)
