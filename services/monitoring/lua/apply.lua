-- Counts a batch of events exactly once, in one atomic step with their acknowledgement.
--
-- An event is counted only while it is still pending in this generation's consumer group, and it is
-- acknowledged in the same step. Once counted it is no longer pending, so a second attempt (a
-- consumer thought dead that wakes up, a retry after a timeout, a claim by another consumer) is a
-- no-op. The group's pending list is the record of what is left to count: no set of event ids grows.
--
-- Only the holder of the generation's lease counts (lua/read.lua): a consumer that lost it, say after
-- a long pause, is refused before it writes anything.
--
-- KEYS: stream, meta, lease, then every key the operations name
-- ARGV: group, consumer, event count, then per event: id, at, op count, then per op: kind, its key
--       indexes (into KEYS), its arguments (services/monitoring/counters.h lists the kinds)
-- Answers {counted, skipped}, or {-1} when this consumer does not hold the lease.
local DAY = 86400000
local ARITY = {i = {1, 2}, p = {1, 1}, s = {1, 2}, d = {1, 1}, o = {3, 8}, b = {2, 2}}

-- An integer as Redis reads one ("-0" is not one).
local function int(n)
  if n == 0 then return '0' end
  return string.format('%.0f', n)
end

local function hmax(key, field, value)
  local old = tonumber(redis.call('HGET', key, field) or '')
  if not old or value > old then redis.call('HSET', key, field, int(value)) end
end

-- Place-time (place x ms) of every group from `from` to `to`, split at midnights; a new day starts
-- with its peak at least the occupancy it inherits.
local function integrate(occ, days, from, to)
  local now = redis.call('HGETALL', occ)
  while from < to do
    local day = math.floor(from / DAY)
    local stop = math.min(to, (day + 1) * DAY)
    local span = stop - from
    for i = 1, #now, 2 do
      local f, v = now[i], tonumber(now[i + 1])
      if v ~= 0 and (string.sub(f, -4) == '|occ' or string.sub(f, -4) == '|cap') then
        redis.call('HINCRBY', days, day .. '|' .. f, int(v * span))
      end
    end
    redis.call('HINCRBY', days, day .. '|covered', int(span))
    if stop == (day + 1) * DAY then
      for i = 1, #now, 2 do
        local f = now[i]
        if string.sub(f, -4) == '|occ' then
          hmax(days, (day + 1) .. '|' .. string.sub(f, 1, -5) .. '|peak', tonumber(now[i + 1]))
        end
      end
    end
    from = stop
  end
end

-- A pool's figures after a change: moves the region's, its public's and its commune's occupied
-- places and places by the difference, after counting the time spent at the previous figures.
local function pool_figures(pools, occ, days, pool, public, commune, shelter, occupied, capacity, buffer, at)
  local last = tonumber(redis.call('HGET', occ, 'last_ms') or '')
  if last then
    if at < last then at = last end  -- writers' clocks differ a little: time never runs back
    integrate(occ, days, last, at)
  else
    redis.call('HSET', occ, 'first_ms', int(at))
  end
  redis.call('HSET', occ, 'last_ms', int(at))
  local p = redis.call('HMGET', pools, pool .. '|occ', pool .. '|cap', pool .. '|buf', pool .. '|public',
      pool .. '|commune')
  local old_occ, old_cap, old_buf = tonumber(p[1] or '0'), tonumber(p[2] or '0'), tonumber(p[3] or '0')
  local old_groups = {'all', 'public|' .. (p[4] or public), 'commune|' .. (p[5] or commune)}
  local new_groups = {'all', 'public|' .. public, 'commune|' .. commune}
  for _, g in ipairs(old_groups) do
    redis.call('HINCRBY', occ, g .. '|occ', int(-old_occ))
    redis.call('HINCRBY', occ, g .. '|cap', int(-old_cap))
  end
  local day = math.floor(at / DAY)
  for _, g in ipairs(new_groups) do
    local now_occ = redis.call('HINCRBY', occ, g .. '|occ', int(occupied))
    redis.call('HINCRBY', occ, g .. '|cap', int(capacity))
    hmax(days, day .. '|' .. g .. '|peak', now_occ)
  end
  redis.call('HSET', pools, pool .. '|occ', int(occupied), pool .. '|cap', int(capacity), pool .. '|buf', int(buffer),
      pool .. '|public', public, pool .. '|commune', commune)
  redis.call('HINCRBY', pools, 'shelter|' .. shelter .. '|buf', int(buffer - old_buf))
  redis.call('HINCRBY', pools, 'region|buf', int(buffer - old_buf))
end

-- Reads the batch first and refuses it whole if anything is malformed: Redis does not roll back a
-- script that fails halfway, so nothing is written before everything is known to be well formed.
local stream, meta, lease, group = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
if redis.call('GET', lease) ~= ARGV[2] then
  return {-1}
end
local events = {}
local pos = 4
for _ = 1, tonumber(ARGV[3]) or 0 do
  local event = {id = ARGV[pos], at = tonumber(ARGV[pos + 1]), ops = {}}
  local nops = tonumber(ARGV[pos + 2])
  if not event.id or not event.at or not nops then return redis.error_reply('apply: malformed event') end
  pos = pos + 3
  for _ = 1, nops do
    local kind = ARGV[pos]
    local arity = ARITY[kind]
    if not arity then return redis.error_reply('apply: unknown operation') end
    local op = {kind = kind, k = {}, a = {}}
    for j = 1, arity[1] do
      op.k[j] = KEYS[tonumber(ARGV[pos + j]) or 0]
      if not op.k[j] then return redis.error_reply('apply: bad key index') end
    end
    for j = 1, arity[2] do
      op.a[j] = ARGV[pos + arity[1] + j]
      if not op.a[j] then return redis.error_reply('apply: missing argument') end
    end
    local numeric = {i = {2}, o = {5, 6, 7, 8}}
    for _, j in ipairs(numeric[kind] or {}) do
      if not tonumber(op.a[j]) then return redis.error_reply('apply: not a number') end
    end
    pos = pos + 1 + arity[1] + arity[2]
    event.ops[#event.ops + 1] = op
  end
  events[#events + 1] = event
end

local counted, skipped = 0, 0
for _, event in ipairs(events) do
  if #redis.call('XPENDING', stream, group, event.id, event.id, 1) > 0 then
    for _, op in ipairs(event.ops) do
      local k, a = op.k, op.a
      if op.kind == 'i' then
        redis.call('HINCRBY', k[1], a[1], a[2])
      elseif op.kind == 'p' then
        redis.call('PFADD', k[1], a[1])
      elseif op.kind == 's' then
        redis.call('HSET', k[1], a[1], a[2])
      elseif op.kind == 'd' then
        redis.call('HDEL', k[1], a[1])
      elseif op.kind == 'o' then
        pool_figures(k[1], k[2], k[3], a[1], a[2], a[3], a[4], tonumber(a[5]), tonumber(a[6]), tonumber(a[7]),
            tonumber(a[8]))
      elseif op.kind == 'b' then
        local scope = a[2] == 'none' and 'region|buf' or ('shelter|' .. a[2] .. '|buf')
        redis.call('HINCRBY', k[1], a[1], redis.call('HGET', k[2], scope) or '0')
      end
    end
    redis.call('XACK', stream, group, event.id)
    redis.call('HINCRBY', meta, 'counted', 1)
    hmax(meta, 'last_at', event.at)
    counted = counted + 1
  else
    skipped = skipped + 1
  end
end
return {counted, skipped}
