-- Helpers shared by the dispatch scripts (prepended after the common prelude).

-- A call's fields in the order the C++ side reads them (dispatch/store.cc CallFromAnswer).
local CALL_FIELDS = {'kind', 'lang', 'state', 'queued_ms', 'answered_ms', 'ended_ms', 'operator', 'outcome',
                     'call_back', 'contact'}

local function call_answer(call_key, call_id)
  return concat({1, call_id}, redis.call('HMGET', call_key, unpack(CALL_FIELDS)))
end

-- Stores the call's answer for retries without the call-back number: the number lives only in the call,
-- until the call-back is done. Returns the full answer to this caller.
local function call_idem_store(idem_key, request_bytes, retention_ms, answer)
  local kept = {}
  for i, v in ipairs(answer) do kept[i] = v end
  kept[12] = ''
  idem_store(idem_key, request_bytes, retention_ms, kept)
  return answer
end

-- Trailing ARGV from position `from` on: {name, value, ...} pairs of categorical event fields built
-- by the C++ side (never an alias or free text).
local function tail(from)
  local out = {}
  for i = from, #ARGV do out[#out + 1] = ARGV[i] end
  return out
end
