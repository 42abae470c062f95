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
-- The batch's changes are gathered in memory and written once per field at the end (counters add up,
-- occupancy is carried from event to event in order): the same result as writing event by event, with
-- far fewer commands, since the whole script is one atomic step anyway.
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

-- Stream ids "<ms>-<seq>" in stream order.
local function id_parts(id)
  local dash = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end
local function id_less(a, b)
  local am, as = id_parts(a)
  local bm, bs = id_parts(b)
  return am < bm or (am == bm and as < bs)
end

-- ---- Reads the batch first and refuses it whole if anything is malformed: Redis does not roll back a
-- script that fails halfway, so nothing is written before everything is known to be well formed. ----
local stream, meta, lease, group = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
if redis.call('GET', lease) ~= ARGV[2] then
  return {-1}
end
local events = {}
local pos = 4
for _ = 1, tonumber(ARGV[3]) or 0 do
  local event = {id = ARGV[pos], at = tonumber(ARGV[pos + 1]), ops = {}}
  local nops = tonumber(ARGV[pos + 2])
  if not event.id or not event.at or not nops or not string.find(event.id, '^%d+%-%d+$') then
    return redis.error_reply('apply: malformed event')
  end
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
if #events == 0 then return {0, 0} end

-- ---- Which events are still pending: one range read for the batch. ----
local low, high = events[1].id, events[1].id
for _, e in ipairs(events) do
  if id_less(e.id, low) then low = e.id end
  if id_less(high, e.id) then high = e.id end
end
local limit = 2 * #events + 100
local range = redis.call('XPENDING', stream, group, low, high, limit)
local pending = {}
for _, entry in ipairs(range) do pending[entry[1]] = true end
if #range >= limit then  -- more pending entries in that range than expected: ask one by one
  for _, e in ipairs(events) do
    pending[e.id] = #redis.call('XPENDING', stream, group, e.id, e.id, 1) > 0
  end
end

-- ---- Changes gathered in memory, written at the end. ----
local incr = {}    -- key -> field -> amount
local function add(key, field, n)
  local h = incr[key]
  if not h then h = {}; incr[key] = h end
  h[field] = (h[field] or 0) + n
end
local peaks = {}   -- key -> field -> the batch's highest value (kept if above what Redis holds)
local function peak(key, field, v)
  local h = peaks[key]
  if not h then h = {}; peaks[key] = h end
  if not h[field] or v > h[field] then h[field] = v end
end
local distinct = {}  -- key -> members
local cached = {}    -- key -> field -> value as read or changed (hashes read and written here)
local dirty = {}     -- key -> field -> true
local function get(key, field)
  local h = cached[key]
  if not h then h = {}; cached[key] = h end
  if h[field] == nil then h[field] = redis.call('HGET', key, field) or false end
  return h[field] or nil
end
local function set(key, field, v)
  get(key, field)
  cached[key][field] = v
  if not dirty[key] then dirty[key] = {} end
  dirty[key][field] = true
end
local function num(key, field) return tonumber(get(key, field) or '0') end

-- Occupancy now, per group ("all", "public|<code>", "commune|<code>"), read once.
local occ_now = {}
local occ_key = nil
local function occupancy(key)
  if occ_key then return end
  occ_key = key
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do occ_now[all[i]] = tonumber(all[i + 1]) end
end

-- Place-time (place x ms) of every group from `from` to `to`, split at midnights; a new day starts
-- with its peak at least the occupancy it inherits.
local function integrate(days, from, to)
  while from < to do
    local day = math.floor(from / DAY)
    local stop = math.min(to, (day + 1) * DAY)
    local span = stop - from
    for f, v in pairs(occ_now) do
      local suffix = string.sub(f, -4)
      if v ~= 0 and (suffix == '|occ' or suffix == '|cap') then add(days, day .. '|' .. f, v * span) end
    end
    add(days, day .. '|covered', span)
    if stop == (day + 1) * DAY then
      for f, v in pairs(occ_now) do
        if string.sub(f, -4) == '|occ' then peak(days, (day + 1) .. '|' .. string.sub(f, 1, -5) .. '|peak', v) end
      end
    end
    from = stop
  end
end

-- A pool's figures after a change: moves the region's, its public's and its commune's occupied
-- places and places by the difference, after counting the time spent at the previous figures.
local function pool_figures(pools, occ, days, pool, public, commune, shelter, occupied, capacity, buffer, at)
  occupancy(occ)
  local last = occ_now['last_ms']
  if last then
    if at < last then at = last end  -- writers' clocks differ a little: time never runs back
    integrate(days, last, at)
  else
    occ_now['first_ms'] = at
  end
  occ_now['last_ms'] = at
  local old_occ, old_cap, old_buf = num(pools, pool .. '|occ'), num(pools, pool .. '|cap'), num(pools, pool .. '|buf')
  local old_public, old_commune = get(pools, pool .. '|public') or public, get(pools, pool .. '|commune') or commune
  for _, g in ipairs({'all', 'public|' .. old_public, 'commune|' .. old_commune}) do
    occ_now[g .. '|occ'] = (occ_now[g .. '|occ'] or 0) - old_occ
    occ_now[g .. '|cap'] = (occ_now[g .. '|cap'] or 0) - old_cap
  end
  local day = math.floor(at / DAY)
  for _, g in ipairs({'all', 'public|' .. public, 'commune|' .. commune}) do
    occ_now[g .. '|occ'] = (occ_now[g .. '|occ'] or 0) + occupied
    occ_now[g .. '|cap'] = (occ_now[g .. '|cap'] or 0) + capacity
    peak(days, day .. '|' .. g .. '|peak', occ_now[g .. '|occ'])
  end
  set(pools, pool .. '|occ', occupied)
  set(pools, pool .. '|cap', capacity)
  set(pools, pool .. '|buf', buffer)
  set(pools, pool .. '|public', public)
  set(pools, pool .. '|commune', commune)
  set(pools, 'shelter|' .. shelter .. '|buf', num(pools, 'shelter|' .. shelter .. '|buf') + buffer - old_buf)
  set(pools, 'region|buf', num(pools, 'region|buf') + buffer - old_buf)
end

-- ---- Counting. ----
local counted, skipped, acks, last_at = 0, 0, {}, nil
for _, event in ipairs(events) do
  if pending[event.id] then
    for _, op in ipairs(event.ops) do
      local k, a = op.k, op.a
      if op.kind == 'i' then
        add(k[1], a[1], tonumber(a[2]))
      elseif op.kind == 'p' then
        if not distinct[k[1]] then distinct[k[1]] = {} end
        table.insert(distinct[k[1]], a[1])
      elseif op.kind == 's' then
        set(k[1], a[1], a[2])
      elseif op.kind == 'd' then
        set(k[1], a[1], false)
      elseif op.kind == 'o' then
        pool_figures(k[1], k[2], k[3], a[1], a[2], a[3], a[4], tonumber(a[5]), tonumber(a[6]), tonumber(a[7]),
            tonumber(a[8]))
      elseif op.kind == 'b' then
        local scope = a[2] == 'none' and 'region|buf' or ('shelter|' .. a[2] .. '|buf')
        add(k[1], a[1], num(k[2], scope))
      end
    end
    acks[#acks + 1] = event.id
    if not last_at or event.at > last_at then last_at = event.at end
    counted = counted + 1
  else
    skipped = skipped + 1
  end
end
if counted == 0 then return {0, skipped} end

-- ---- Writing, once per field. ----
local function chunks(list, size, fn)
  for i = 1, #list, size do fn({unpack(list, i, math.min(#list, i + size - 1))}) end
end
for key, fields in pairs(dirty) do
  local put, gone = {}, {}
  for field in pairs(fields) do
    local v = cached[key][field]
    if v == false then
      gone[#gone + 1] = field
    else
      put[#put + 1] = field
      put[#put + 1] = type(v) == 'number' and int(v) or v
    end
  end
  chunks(put, 1000, function(part) redis.call('HSET', key, unpack(part)) end)
  chunks(gone, 1000, function(part) redis.call('HDEL', key, unpack(part)) end)
end
if occ_key then
  local flat = {}
  for f, v in pairs(occ_now) do flat[#flat + 1] = f; flat[#flat + 1] = int(v) end
  chunks(flat, 1000, function(part) redis.call('HSET', occ_key, unpack(part)) end)
end
for key, fields in pairs(incr) do
  for field, n in pairs(fields) do
    if n ~= 0 then redis.call('HINCRBY', key, field, int(n)) end
  end
end
for key, fields in pairs(peaks) do
  for field, v in pairs(fields) do
    local old = tonumber(redis.call('HGET', key, field) or '')
    if not old or v > old then redis.call('HSET', key, field, int(v)) end
  end
end
for key, members in pairs(distinct) do
  chunks(members, 1000, function(part) redis.call('PFADD', key, unpack(part)) end)
end
chunks(acks, 1000, function(part) redis.call('XACK', stream, group, unpack(part)) end)
redis.call('HINCRBY', meta, 'counted', counted)
local old_last = tonumber(redis.call('HGET', meta, 'last_at') or '')
if not old_last or last_at > old_last then redis.call('HSET', meta, 'last_at', int(last_at)) end
return {counted, skipped}
