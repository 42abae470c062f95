-- Puts a new version of the vulnerability grid in force.
-- KEYS: grid, events, idempotency
-- ARGV: now_ms, grid protobuf (without version), request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[3], ARGV[3])
if replay then return replay end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'pb', ARGV[2], 'set_ms', now)
emit(KEYS[2], {'type', 'grid.set', 'at', now, 'version', version})
return idem_store(KEYS[3], ARGV[3], ARGV[4], {1, version, now})
