-- Replaces a directory entry.
-- KEYS: shelter, events, idempotency
-- ARGV: now_ms, shelter_id, shelter protobuf, commune, kind, expected_version (0: any), request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[3], ARGV[7])
if replay then return replay end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return refuse('NOT_FOUND', 'shelter.id: no such shelter')
end
local version = tonumber(redis.call('HGET', KEYS[1], 'version'))
local expected = tonumber(ARGV[6])
if expected > 0 and expected ~= version then
  return refuse('FAILED_PRECONDITION', 'expected_version: the entry changed since (now version ' .. version .. ')')
end
version = version + 1
redis.call('HSET', KEYS[1], 'pb', ARGV[3], 'commune', ARGV[4], 'kind', ARGV[5], 'version', version, 'updated_ms', now)
emit(KEYS[2], {'type', 'shelter.updated', 'at', now, 'shelter', ARGV[2], 'commune', ARGV[4], 'kind', ARGV[5]})
return idem_store(KEYS[3], ARGV[7], ARGV[8], {1, version, now})
