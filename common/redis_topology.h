#pragma once
// Where a region's Redis primary is, for the three deployments Relais supports:
//  * standalone: the configured host:port (or Unix socket);
//  * Sentinel: the sentinels are asked for the current primary of the named master, so a failover is
//    followed by the next connection;
//  * Cluster: a seed node is asked which primary serves the slot of the region's hash tag. Every key
//    of a region shares that tag, so a region lives on one primary and every script stays in one slot.
// A connection that meets MOVED, ASK or READONLY (the primary moved) is dropped, and the next one is
// resolved again (common/redis.cc).
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace relais {

struct RedisOptions;

struct RedisEndpoint {
  std::string host;
  int port = 0;
};

// "host:port" -> endpoint; INVALID_ARGUMENT when it is not one.
absl::StatusOr<RedisEndpoint> ParseEndpoint(const std::string& text);
// "host:port,host:port" -> endpoints (empty text: none).
absl::StatusOr<std::vector<RedisEndpoint>> ParseEndpoints(const std::string& text);

// The slot of a key in Redis Cluster (CRC16 of its hash tag, or of the whole key without one).
int ClusterSlot(const std::string& key);

// The primary to connect to now. UNAVAILABLE when no sentinel or seed node answers.
absl::StatusOr<RedisEndpoint> ResolvePrimary(const RedisOptions& options);

}  // namespace relais
