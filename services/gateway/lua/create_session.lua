-- A session starts after a good password, unless the account changed or went away meanwhile.
-- KEYS: user, user's sessions, session
-- ARGV: session id, account revision read with the password, expires_ms, csrf token, username
local u = redis.call('HMGET', KEYS[1], 'rev', 'role', 'shelters', 'team')
if not u[1] or u[1] ~= ARGV[2] then
  return refuse('UNAUTHENTICATED', 'the account changed; sign in again')
end
redis.call('HSET', KEYS[3], 'user', ARGV[5], 'role', u[2], 'shelters', u[3], 'team', u[4], 'csrf', ARGV[4],
    'expires_ms', ARGV[3])
redis.call('PEXPIREAT', KEYS[3], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
-- The set of sessions lives as long as its longest session.
if redis.call('PEXPIRETIME', KEYS[2]) < tonumber(ARGV[3]) then
  redis.call('PEXPIREAT', KEYS[2], ARGV[3])
end
return {1}
