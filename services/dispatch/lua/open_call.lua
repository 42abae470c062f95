-- A call rings: it enters the waiting queue.
-- KEYS: call, waiting calls, recent calls, events, idempotency
-- ARGV: now_ms, call_id, caller_kind, language, request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[5], ARGV[5])
if replay then return replay end
redis.call('HSET', KEYS[1], 'kind', ARGV[3], 'lang', ARGV[4], 'state', 'queued', 'queued_ms', now,
    'answered_ms', 0, 'ended_ms', 0, 'operator', '', 'outcome', '', 'call_back', '', 'contact', '')
redis.call('ZADD', KEYS[2], now, ARGV[2])
redis.call('ZADD', KEYS[3], now, ARGV[2])
emit(KEYS[4], {'type', 'call.queued', 'at', now, 'call', ARGV[2], 'caller_kind', ARGV[3], 'language', ARGV[4]})
return idem_store(KEYS[5], ARGV[5], ARGV[6], call_answer(KEYS[1], ARGV[2]))
