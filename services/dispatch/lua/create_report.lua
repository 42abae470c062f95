-- A street report is taken: stored with its route and team, indexed for the team and for finding
-- reports of the same spot.
-- KEYS: report, recent reports, open reports, team's reports, commune's open reports, events, idempotency
-- ARGV: now_ms, report_id, report protobuf, team, route, commune, reporter contact, reporter kind,
--       needs (comma-separated), request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[7], ARGV[10])
if replay then return replay end
redis.call('HSET', KEYS[1], 'pb', ARGV[3], 'state', 'STREET_REPORT_STATE_NEW', 'team', ARGV[4], 'outcome', '',
    'contact', ARGV[7], 'created_ms', now, 'contact_ms', 0, 'closed_ms', 0, 'merged_into', '', 'version', 1)
redis.call('ZADD', KEYS[2], now, ARGV[2])
redis.call('ZADD', KEYS[3], now, ARGV[2])
redis.call('ZADD', KEYS[4], now, ARGV[2])
redis.call('ZADD', KEYS[5], now, ARGV[2])
emit(KEYS[6], {'type', 'report.created', 'at', now, 'report', ARGV[2], 'reporter_kind', ARGV[8], 'commune', ARGV[6],
    'needs', ARGV[9], 'route', ARGV[5], 'team', ARGV[4]})
return idem_store(KEYS[7], ARGV[10], ARGV[11], {1, ARGV[2]})
