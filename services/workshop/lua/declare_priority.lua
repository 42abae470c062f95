-- A receiving service declares how many of its places it reserves for the workshop's plans; never
-- fewer than the places plans hold now.
-- KEYS: priority pool, priority pools, events, idempotency
-- ARGV: now_ms, service_id, places, request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[4], ARGV[4])
if replay then return replay end
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
local places = tonumber(ARGV[3])
if places < used then
  return refuse('FAILED_PRECONDITION', 'places: ' .. used .. ' places are held by plans now')
end
redis.call('HSET', KEYS[1], 'places', places, 'used', used, 'updated_ms', now)
redis.call('SADD', KEYS[2], ARGV[2])
emit(KEYS[3], {'type', 'priority_place.declared', 'at', now, 'service', ARGV[2], 'places', places, 'used', used})
return idem_store(KEYS[4], ARGV[4], ARGV[5], {1, places, used, now})
