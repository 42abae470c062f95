-- Helpers shared by the workshop scripts (prepended after the common prelude).
--
-- A case is a hash: 'pb' holds the parts the service computes (facts, consent, préconisation, plan);
-- the fields the scripts check and change are apart: state, session, version, deadline_ms,
-- deadline_outcome (open, met, missed), urgency, plan (number), refusals, receiving, priority,
-- preconisations, queue_score, person, sending.

-- Trailing ARGV from position `from` on: {name, value, ...} pairs of categorical event fields built
-- by the C++ side (never free text).
local function tail(from)
  local out = {}
  for i = from, #ARGV do out[#out + 1] = ARGV[i] end
  return out
end

-- Refuses unless the case exists and is still at the version the service read.
local function check_version(case_key, expected)
  local v = redis.call('HGET', case_key, 'version')
  if not v then
    return refuse('NOT_FOUND', 'case_id: no such case')
  end
  if tonumber(v) ~= tonumber(expected) then
    return refuse('ABORTED', 'expected_version: the case changed since it was read (now version ' .. v .. ')')
  end
  return nil
end
