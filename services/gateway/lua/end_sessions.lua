-- An account changes, is removed, or has its sessions revoked: every session of it ends in the same
-- step, so the very next request of any of them is refused.
-- KEYS: user, user's sessions, users
-- ARGV: action ('update', 'delete' or 'revoke'), session key prefix, username,
--       then for 'update': role, shelters, team, password hash ('' keeps it)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return refuse('NOT_FOUND', 'username: no such account')
end
local sessions = redis.call('SMEMBERS', KEYS[2])
for _, id in ipairs(sessions) do
  redis.call('DEL', ARGV[2] .. id)
end
redis.call('DEL', KEYS[2])
if ARGV[1] == 'update' then
  redis.call('HSET', KEYS[1], 'role', ARGV[4], 'shelters', ARGV[5], 'team', ARGV[6])
  if ARGV[7] ~= '' then
    redis.call('HSET', KEYS[1], 'pwhash', ARGV[7])
  end
  redis.call('HINCRBY', KEYS[1], 'rev', 1)
elseif ARGV[1] == 'delete' then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[3], ARGV[3])
end
return {1, #sessions}
