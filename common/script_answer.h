#pragma once
// Reading the answers of Relais' Lua scripts. A script answers {1, ...} when it did its work, or
// {0, CODE, message} when it refused, CODE being a canonical gRPC status name (common/lua/prelude.lua).
#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "common/redis.h"

namespace relais {

// The answer when the script did its work; the refusal as a status otherwise (unknown codes: INTERNAL).
absl::StatusOr<const redisReply*> ScriptAnswer(const ReplyPtr& reply);

// Element i of an array reply (nullptr when `r` is no array or has no element i).
const redisReply* Element(const redisReply* r, size_t i);
// Element i of an array reply, as text or integer; "" or 0 when it is missing, like a nil.
std::string Str(const redisReply* r, size_t i);
int64_t Int(const redisReply* r, size_t i);

// A flat {field, value, ...} reply (HGETALL) as a map.
std::map<std::string, std::string> FieldMap(const redisReply* r);
int64_t ToInt(const std::map<std::string, std::string>& fields, const std::string& key);  // missing: 0

}  // namespace relais
