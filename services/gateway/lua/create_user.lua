-- An account is added.
-- KEYS: user, users
-- ARGV: username, role, shelters (comma-separated), team, password hash, now_ms
if redis.call('EXISTS', KEYS[1]) == 1 then
  return refuse('ALREADY_EXISTS', 'username: already taken')
end
redis.call('HSET', KEYS[1], 'role', ARGV[2], 'shelters', ARGV[3], 'team', ARGV[4], 'pwhash', ARGV[5],
    'created_ms', ARGV[6], 'rev', 1)
redis.call('SADD', KEYS[2], ARGV[1])
return {1}
