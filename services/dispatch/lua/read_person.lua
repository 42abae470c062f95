-- Reads a person's record and writes the read to the audit trail, in one step: no read without its
-- audit entry. A role that needs the person's consent gets nothing (and no entry) without it.
-- KEYS: person, person's audit stream, region audit stream
-- ARGV: now_ms, person_id, subject, role, purpose, consent scope needed (0: none)
local now = tonumber(ARGV[1])
local p = redis.call('HMGET', KEYS[1], 'pb', 'version', 'created_ms', 'updated_ms', 'consent_scope', 'consent_expires_ms')
if not p[1] then
  return refuse('NOT_FOUND', 'person_id: no such person')
end
local needed = tonumber(ARGV[6])
if needed > 0 and (tonumber(p[5] or '0') < needed or tonumber(p[6] or '0') <= now) then
  return refuse('PERMISSION_DENIED', 'the person has not agreed to share their record with this role')
end
redis.call('XADD', KEYS[2], '*', 'at', now, 'subject', ARGV[3], 'role', ARGV[4], 'purpose', ARGV[5])
redis.call('XADD', KEYS[3], '*', 'at', now, 'person', ARGV[2], 'subject', ARGV[3], 'role', ARGV[4], 'purpose', ARGV[5])
return {1, p[1], tonumber(p[2]), tonumber(p[3]), tonumber(p[4])}
