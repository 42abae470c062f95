-- Prelude of every Relais script (prepended at build time by cmake/EmbedLuaRun.cmake).
--
-- Conventions:
--  * A script answers {1, ...} when it did its work, or {0, CODE, message} when it refused, CODE
--    being a canonical gRPC status name. It checks everything before it writes anything: Redis does
--    not roll back a script that fails halfway.
--  * Time comes from the caller (ARGV), so tests can move the clock.
--  * Idempotency: idem_replay() returns the stored first answer for a key (or a refusal when the
--    payload differs); idem_store() keeps the answer in the same atomic step as the change.
--  * Every change appends one event to the stream in the same script: emit().

local function refuse(code, message)
  return {0, code, message}
end

local function idem_replay(idem_key, request_bytes)
  local stored = redis.call('HMGET', idem_key, 'fp', 'answer')
  if not stored[1] then
    return nil
  end
  if stored[1] ~= redis.sha1hex(request_bytes) then
    return refuse('ALREADY_EXISTS', 'idempotency_key: already used for a different request')
  end
  return cjson.decode(stored[2])
end

local function idem_store(idem_key, request_bytes, retention_ms, answer)
  redis.call('HSET', idem_key, 'fp', redis.sha1hex(request_bytes), 'answer', cjson.encode(answer))
  redis.call('PEXPIRE', idem_key, retention_ms)
  return answer
end

-- fields: flat list {name, value, name, value, ...}; values must be categorical, never about a person.
local function emit(stream, fields)
  return redis.call('XADD', stream, '*', unpack(fields))
end

-- Appends the items of list b to list a; returns a.
local function concat(a, b)
  for _, v in ipairs(b) do a[#a + 1] = v end
  return a
end
