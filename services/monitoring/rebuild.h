#pragma once
// A rebuild counts the whole event stream from its first entry into a new generation of aggregates
// (keys.h), with a consumer group of its own, while the live consumer goes on counting into the
// generation in use. Figures of a rebuild equal the live ones: counting depends only on the events.
#include <string>

#include "absl/status/statusor.h"
#include "common/redis.h"

namespace relais::monitoring {

// Counts everything in the stream into a new generation until it has caught up, then (when
// `make_current`) makes it the generation in use. Returns the new generation's name.
absl::StatusOr<std::string> Rebuild(RedisPool& redis, const std::string& region, bool make_current);

}  // namespace relais::monitoring
