-- Shelter actions on a pool that need no hold: "figures still correct" (confirm) and a departure.
-- KEYS: pool, pool holds, shelter, region, events, idempotency
-- ARGV: now_ms, pool_id, shelter_id, public, action ('confirm' | 'departure'), request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[6], ARGV[6])
if replay then return replay end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return refuse('NOT_FOUND', 'pool_id: no such pool')
end
local s = pool_state(KEYS[1], KEYS[2], KEYS[3], KEYS[4], now)
local action = ARGV[5]
if action == 'departure' then
  if s.occupied < 1 then
    return refuse('FAILED_PRECONDITION', 'pool_id: no occupied place to release')
  end
  redis.call('HSET', KEYS[1], 'occupied', s.occupied - 1, 'version', s.version + 1, 'updated_ms', now)
else
  redis.call('HSET', KEYS[1], 'updated_ms', now)
end
s = pool_state(KEYS[1], KEYS[2], KEYS[3], KEYS[4], now)
local event_type = action == 'departure' and 'pool.departure' or 'pool.confirmed'
emit(KEYS[5], concat({'type', event_type, 'at', now, 'pool', ARGV[2], 'shelter', ARGV[3], 'public', ARGV[4]},
    pool_event_fields(s)))
return idem_store(KEYS[6], ARGV[6], ARGV[7], concat({1}, pool_answer(s)))
