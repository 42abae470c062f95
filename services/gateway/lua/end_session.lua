-- One session ends (logout).
-- KEYS: session, user's sessions
-- ARGV: session id
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return {1}
