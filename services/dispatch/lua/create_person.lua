-- Records a pseudonymous person.
-- KEYS: person, persons index, events, idempotency
-- ARGV: now_ms, person_id, person protobuf, consent scope, consent expiry ms, request bytes, retention_ms,
--       then the event's categorical fields
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[4], ARGV[6])
if replay then return replay end
redis.call('HSET', KEYS[1], 'pb', ARGV[3], 'version', 1, 'created_ms', now, 'updated_ms', now,
    'consent_scope', ARGV[4], 'consent_expires_ms', ARGV[5])
redis.call('SADD', KEYS[2], ARGV[2])
emit(KEYS[3], concat({'type', 'person.created', 'at', now, 'person', ARGV[2]}, tail(8)))
return idem_store(KEYS[4], ARGV[6], ARGV[7], {1, 1, now, now, ARGV[2]})
