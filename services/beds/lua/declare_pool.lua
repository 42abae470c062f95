-- A shelter declares the figures of one of its pools (creating the pool the first time).
-- KEYS: pool, pool holds, shelter, region, pools index, events, idempotency
-- ARGV: now_ms, pool_id, shelter_id, public, in_service, buffer, occupied, expected_version (0: any),
--       request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[7], ARGV[9])
if replay then return replay end
if redis.call('EXISTS', KEYS[3]) == 0 then
  return refuse('NOT_FOUND', 'shelter_id: no such shelter')
end
local s = pool_state(KEYS[1], KEYS[2], KEYS[3], KEYS[4], now)
local expected = tonumber(ARGV[8])
if expected > 0 and expected ~= s.version then
  return refuse('FAILED_PRECONDITION', 'expected_version: the pool changed since (now version ' .. s.version .. ')')
end
local in_service, buffer, occupied = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local capacity = in_service
if s.buffer_open then capacity = capacity + buffer end
if occupied + s.live_holds > capacity then
  return refuse('FAILED_PRECONDITION', 'figures: occupied places plus ' .. s.live_holds ..
      ' live holds would exceed the places; settle the holds first')
end
redis.call('HSET', KEYS[1], 'shelter', ARGV[3], 'public', ARGV[4], 'in_service', in_service, 'buffer', buffer,
    'occupied', occupied, 'updated_ms', now, 'version', s.version + 1)
redis.call('SADD', KEYS[5], ARGV[2])
s = pool_state(KEYS[1], KEYS[2], KEYS[3], KEYS[4], now)
emit(KEYS[6], concat({'type', 'pool.declared', 'at', now, 'pool', ARGV[2], 'shelter', ARGV[3], 'public', ARGV[4]},
    pool_event_fields(s)))
return idem_store(KEYS[7], ARGV[9], ARGV[10], concat({1}, pool_answer(s)))
