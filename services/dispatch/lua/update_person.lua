-- Replaces a person's record if nobody changed it since it was read (optimistic concurrency).
-- KEYS: person, events, idempotency
-- ARGV: now_ms, person_id, person protobuf, expected version, consent scope, consent expiry ms,
--       event type, request bytes, retention_ms, then the event's categorical fields
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[3], ARGV[8])
if replay then return replay end
local p = redis.call('HMGET', KEYS[1], 'version', 'created_ms')
if not p[1] then
  return refuse('NOT_FOUND', 'person_id: no such person')
end
if tonumber(p[1]) ~= tonumber(ARGV[4]) then
  return refuse('ABORTED', 'expected_version: the record changed since it was read (now version ' .. p[1] .. ')')
end
local version = tonumber(p[1]) + 1
redis.call('HSET', KEYS[1], 'pb', ARGV[3], 'version', version, 'updated_ms', now,
    'consent_scope', ARGV[5], 'consent_expires_ms', ARGV[6])
emit(KEYS[2], concat({'type', ARGV[7], 'at', now, 'person', ARGV[2]}, tail(10)))
return idem_store(KEYS[3], ARGV[8], ARGV[9], {1, version, tonumber(p[2]), now})
