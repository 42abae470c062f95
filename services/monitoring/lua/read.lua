-- Takes the next batch of events for the consumer holding this generation's lease.
--
-- One consumer counts at a time, so events are counted in the order of the stream (occupancy over time
-- depends on it) and a rebuild counts exactly what the live consumer counted. A consumer that does not
-- hold the lease waits as a standby and takes it over once the holder has been silent for lease_ms;
-- it first claims whatever the old holder had read and not counted (XAUTOCLAIM: always the oldest
-- entries, since a holder reads its next batch only after counting the last one), then reads on.
-- The apply script checks the lease again, so a holder that lost it counts nothing more.
--
-- KEYS: stream, lease
-- ARGV: group, consumer, batch, lease_ms
-- Answers {0} for a standby, else {1, entries} (entries may be empty).
local stream, lease, group, me = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
local holder = redis.call('GET', lease)
if holder and holder ~= me then
  return {0}
end
redis.call('SET', lease, me, 'PX', ARGV[4])
local claimed = redis.call('XAUTOCLAIM', stream, group, me, 0, '0-0', 'COUNT', ARGV[3])
if #claimed[2] > 0 then
  return {1, claimed[2]}
end
local read = redis.call('XREADGROUP', 'GROUP', group, me, 'COUNT', ARGV[3], 'STREAMS', stream, '>')
if not read then
  return {1, {}}
end
return {1, read[1][2]}
