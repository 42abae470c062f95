#pragma once
// Generations of the aggregates. The consumer counts into the generation in use; a rebuild counts the
// whole stream again into a new generation, with its own consumer group starting at the stream's first
// entry, and makes it the one in use once it has caught up. Figures of two generations can be compared
// key by key before the old one is dropped.
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/redis.h"
#include "services/monitoring/keys.h"

namespace relais::monitoring {

// The generation in use; "1" is created the first time (its group then reads the whole stream).
absl::StatusOr<std::string> CurrentGeneration(RedisPool& redis, const std::string& region);
absl::Status SetCurrentGeneration(RedisPool& redis, const std::string& region, const std::string& generation);

// Creates the generation's consumer group at the stream's start, if it does not exist.
absl::Status EnsureGroup(RedisConnection& redis, const Keys& keys);

// The next unused generation name after the one in use ("1" -> "2").
absl::StatusOr<std::string> NextGeneration(RedisPool& redis, const std::string& region);

// Deletes a generation's aggregates and its consumer group (refused for the generation in use).
absl::Status DropGeneration(RedisPool& redis, const std::string& region, const std::string& generation);

// Where counting stands in a generation.
struct AggregationStatus {
  std::string generation;
  int64_t counted = 0;       // events counted
  int64_t last_at_ms = 0;    // time of the latest event counted
  int64_t lag_events = 0;    // entries of the stream not counted yet (pending ones included)
  double lag_seconds = 0;    // age of the oldest entry not counted yet
  int64_t oldest_uncounted_ms = 0;  // stream time of the oldest entry not counted yet (0: none)
};
absl::StatusOr<AggregationStatus> ReadStatus(RedisPool& redis, const Keys& keys, int64_t now_ms);

}  // namespace relais::monitoring
