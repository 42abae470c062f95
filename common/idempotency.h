#pragma once
// Idempotency keys. Every mutating call carries one; the Lua prelude (common/lua/prelude.lua) stores
// the first answer under the key in the same atomic step as the change, so a retry returns that
// answer and the same key with another payload is refused.
#include <google/protobuf/message.h>

#include <chrono>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace relais {

inline constexpr size_t kIdempotencyKeyMin = 8;
inline constexpr size_t kIdempotencyKeyMax = 128;
// How long a first answer is kept for retries.
inline constexpr std::chrono::hours kIdempotencyRetention{24};

// INVALID_ARGUMENT naming the field unless the key is 8-128 characters of [A-Za-z0-9._:-].
absl::Status ValidateIdempotencyKey(std::string_view key);

// The request's payload in deterministic serialization; the script hashes it (SHA1) to compare a
// retry with the first call.
std::string RequestFingerprint(const google::protobuf::Message& request);

}  // namespace relais
