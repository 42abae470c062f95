-- Helpers shared by the beds scripts (prepended after the common prelude).

-- free is derived, never stored: places in service (+ buffer while open) - occupied - live holds.
local function derive_free(s)
  local capacity = s.in_service
  if s.buffer_open then capacity = capacity + s.buffer end
  s.free = math.max(0, capacity - s.occupied - s.live_holds)
  return s
end

-- A pool's figures now. Free is derived, never stored:
--   free = places in service + buffer places if a crisis opened them - occupied - live holds
-- where a hold is live until its deadline passes: an expired hold frees its place at once, for
-- every reader, even before the sweeper records the expiry.
local function pool_state(pool_key, holds_key, shelter_key, region_key, now)
  local f = redis.call('HMGET', pool_key, 'in_service', 'buffer', 'occupied', 'updated_ms', 'version')
  local shelter = redis.call('HMGET', shelter_key, 'crises_open', 'commune')
  local open = tonumber(shelter[1] or '0') > 0 or tonumber(redis.call('HGET', region_key, 'crises_open') or '0') > 0
  local s = {
    exists = f[1] ~= false,
    in_service = tonumber(f[1] or '0'),
    buffer = tonumber(f[2] or '0'),
    occupied = tonumber(f[3] or '0'),
    updated_ms = tonumber(f[4] or '0'),
    version = tonumber(f[5] or '0'),
    buffer_open = open,
    live_holds = redis.call('ZCOUNT', holds_key, '(' .. now, '+inf'),
    commune = shelter[2] or '',
  }
  return derive_free(s)
end

-- The pool part of every answer, in the order the C++ side reads it (beds/store.cc PoolFromAnswer).
local function pool_answer(s)
  return {s.in_service, s.buffer, s.buffer_open and 1 or 0, s.occupied, s.live_holds, s.free, s.updated_ms, s.version}
end

-- The pool part of every event: categorical figures only.
local function pool_event_fields(s)
  return {'in_service', s.in_service, 'buffer', s.buffer, 'buffer_open', s.buffer_open and 1 or 0,
          'occupied', s.occupied, 'holds', s.live_holds, 'free', s.free, 'version', s.version,
          'commune', s.commune, 'updated_ms', s.updated_ms}
end
