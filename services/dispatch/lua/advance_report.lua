-- Moves a street report on: new -> assigned -> on the way -> found / not found -> closed (with an
-- outcome). A report can also be closed as merged into another one from any open state. Closing
-- deletes the reporter's contact from the report; if the reporter asked for the outcome, the contact
-- moves to the call-back list, where it is deleted once the reporter was called back.
-- KEYS: report, open reports, commune's open reports, old team's reports, new team's reports, events,
--       idempotency, call for the reporter, call-backs
-- ARGV: now_ms, report_id, next state, outcome, new team, old team as read, acting team ('' for the
--       hotline), merged_into, call id, caller kind of the reporter, request bytes, retention_ms
local now = tonumber(ARGV[1])
local replay = idem_replay(KEYS[7], ARGV[11])
if replay then return replay end
local r = redis.call('HMGET', KEYS[1], 'state', 'team', 'created_ms', 'contact', 'contact_ms', 'pb')
if not r[1] then
  return refuse('NOT_FOUND', 'report_id: no such report')
end
if r[2] ~= ARGV[6] then
  return refuse('ABORTED', 'report_id: the report was routed elsewhere meanwhile, read it again')
end
if ARGV[7] ~= '' and ARGV[7] ~= r[2] then
  return refuse('PERMISSION_DENIED', 'the report is routed to another team')
end
local from, to = r[1], ARGV[3]
local allowed = {
  STREET_REPORT_STATE_NEW = {STREET_REPORT_STATE_ASSIGNED = true},
  STREET_REPORT_STATE_ASSIGNED = {STREET_REPORT_STATE_ASSIGNED = true, STREET_REPORT_STATE_ON_THE_WAY = true},
  STREET_REPORT_STATE_ON_THE_WAY = {STREET_REPORT_STATE_FOUND = true, STREET_REPORT_STATE_NOT_FOUND = true},
  STREET_REPORT_STATE_FOUND = {STREET_REPORT_STATE_CLOSED = true},
  STREET_REPORT_STATE_NOT_FOUND = {STREET_REPORT_STATE_CLOSED = true},
}
local merging = ARGV[8] ~= ''
if not merging and not (allowed[from] and allowed[from][to]) then
  return refuse('FAILED_PRECONDITION', 'state: a report ' .. from .. ' cannot become ' .. to)
end
if merging and from == 'STREET_REPORT_STATE_CLOSED' then
  return refuse('FAILED_PRECONDITION', 'report_id: the report is already closed')
end
local fields = {'state', to}
local event = {'type', 'report.' .. string.lower(string.sub(to, 21)), 'at', now, 'report', ARGV[2], 'team', ARGV[5]}
if to == 'STREET_REPORT_STATE_ASSIGNED' and ARGV[5] ~= r[2] then
  fields = concat(fields, {'team', ARGV[5]})
  redis.call('ZREM', KEYS[4], ARGV[2])
  redis.call('ZADD', KEYS[5], tonumber(r[3]), ARGV[2])
end
if (to == 'STREET_REPORT_STATE_FOUND' or to == 'STREET_REPORT_STATE_NOT_FOUND') and tonumber(r[5]) == 0 then
  fields = concat(fields, {'contact_ms', now})
  event = concat(event, {'to_contact_ms', now - tonumber(r[3])})
end
if to == 'STREET_REPORT_STATE_CLOSED' then
  fields = concat(fields, {'outcome', ARGV[4], 'closed_ms', now, 'contact', '', 'merged_into', ARGV[8]})
  redis.call('ZREM', KEYS[2], ARGV[2])
  redis.call('ZREM', KEYS[3], ARGV[2])
  event = concat(event, {'outcome', ARGV[4], 'open_ms', now - tonumber(r[3]), 'reporter_told', r[4] ~= '' and 1 or 0})
  if r[4] ~= '' then
    -- The reporter asked to be told: a call-back carries the number until it is done.
    redis.call('HSET', KEYS[8], 'kind', ARGV[10], 'lang', '', 'state', 'ended', 'queued_ms', now, 'answered_ms', 0,
        'ended_ms', now, 'operator', '', 'outcome', 'CALL_OUTCOME_CALL_BACK_NEEDED', 'call_back', 'pending',
        'contact', r[4])
    redis.call('ZADD', KEYS[9], now, ARGV[9])
  end
end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('HINCRBY', KEYS[1], 'version', 1)
emit(KEYS[6], event)
return idem_store(KEYS[7], ARGV[11], ARGV[12], {1, ARGV[2]})
