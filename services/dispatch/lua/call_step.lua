-- One step of a call after it rang:
--   answer     queued   -> answered (by an operator)
--   end        answered -> ended, with an outcome; a call-back outcome puts it on the call-back list
--   miss       queued   -> missed (the caller hung up first); with a contact it goes on the call-back list
--   call_back  a pending call-back is done or the caller was unreachable; the contact is deleted
-- KEYS: call, waiting calls, call-backs, events, idempotency
-- ARGV: now_ms, call_id, step, operator, outcome, contact, call-back result, request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[5], ARGV[8])
if replay then return replay end
local c = redis.call('HMGET', KEYS[1], 'state', 'kind', 'lang', 'queued_ms', 'answered_ms', 'call_back')
if not c[1] then
  return refuse('NOT_FOUND', 'call_id: no such call')
end
local step, state = ARGV[3], c[1]
local base = {'at', now, 'call', ARGV[2], 'caller_kind', c[2], 'language', c[3]}
if step == 'answer' then
  if state ~= 'queued' then return refuse('FAILED_PRECONDITION', 'call_id: the call is ' .. state .. ', not queued') end
  redis.call('HSET', KEYS[1], 'state', 'answered', 'answered_ms', now, 'operator', ARGV[4])
  redis.call('ZREM', KEYS[2], ARGV[2])
  emit(KEYS[4], concat({'type', 'call.answered', 'waited_ms', now - tonumber(c[4])}, base))
elseif step == 'end' then
  if state ~= 'answered' then return refuse('FAILED_PRECONDITION', 'call_id: the call is ' .. state .. ', not answered') end
  local pending = ARGV[6] ~= ''
  redis.call('HSET', KEYS[1], 'state', 'ended', 'ended_ms', now, 'outcome', ARGV[5],
      'call_back', pending and 'pending' or '', 'contact', ARGV[6])
  if pending then redis.call('ZADD', KEYS[3], now, ARGV[2]) end
  emit(KEYS[4], concat({'type', 'call.ended', 'outcome', ARGV[5], 'talk_ms', now - tonumber(c[5]),
      'call_back', pending and 1 or 0}, base))
elseif step == 'miss' then
  if state ~= 'queued' then return refuse('FAILED_PRECONDITION', 'call_id: the call is ' .. state .. ', not queued') end
  local pending = ARGV[6] ~= ''
  redis.call('HSET', KEYS[1], 'state', 'missed', 'ended_ms', now, 'call_back', pending and 'pending' or '',
      'contact', ARGV[6])
  redis.call('ZREM', KEYS[2], ARGV[2])
  if pending then redis.call('ZADD', KEYS[3], now, ARGV[2]) end
  emit(KEYS[4], concat({'type', 'call.missed', 'waited_ms', now - tonumber(c[4]), 'call_back', pending and 1 or 0}, base))
elseif step == 'call_back' then
  if c[6] ~= 'pending' then return refuse('FAILED_PRECONDITION', 'call_id: no call-back is pending for this call') end
  -- The number was kept only to call back: it goes now.
  redis.call('HSET', KEYS[1], 'call_back', ARGV[7], 'contact', '')
  redis.call('ZREM', KEYS[3], ARGV[2])
  emit(KEYS[4], concat({'type', 'call.call_back', 'result', ARGV[7]}, base))
else
  return refuse('INVALID_ARGUMENT', 'unknown call step')
end
return call_idem_store(KEYS[5], ARGV[8], ARGV[9], call_answer(KEYS[1], ARGV[2]))
