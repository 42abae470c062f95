-- Adds a service to the directory.
-- KEYS: shelter, shelters index, events, idempotency
-- ARGV: now_ms, shelter_id, shelter protobuf, commune, kind, request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[4], ARGV[6])
if replay then return replay end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return refuse('ALREADY_EXISTS', 'shelter.id: a shelter with this id exists')
end
redis.call('HSET', KEYS[1], 'pb', ARGV[3], 'commune', ARGV[4], 'kind', ARGV[5], 'version', 1, 'updated_ms', now)
redis.call('SADD', KEYS[2], ARGV[2])
emit(KEYS[3], {'type', 'shelter.created', 'at', now, 'shelter', ARGV[2], 'commune', ARGV[4], 'kind', ARGV[5]})
return idem_store(KEYS[4], ARGV[6], ARGV[7], {1, 1, now})
