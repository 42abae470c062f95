#include "common/redis_topology.h"

#include <charconv>

#include "common/redis.h"

namespace relais {
namespace {

// CRC16-CCITT (XMODEM), the checksum Redis Cluster maps keys to its 16384 slots with.
uint16_t Crc16(std::string_view data) {
  uint16_t crc = 0;
  for (unsigned char byte : data) {
    crc ^= static_cast<uint16_t>(byte) << 8;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021) : crc << 1;
  }
  return crc;
}

absl::StatusOr<RedisEndpoint> AskSentinels(const RedisOptions& options) {
  std::string last_error = "no sentinel configured";
  for (const auto& text : options.sentinels) {
    auto sentinel = ParseEndpoint(text);
    if (!sentinel.ok()) return sentinel.status();
    RedisOptions plain = options;  // sentinels are asked without the data nodes' password
    plain.password.clear();
    auto conn = RedisConnection::ConnectTo(plain, sentinel->host, sentinel->port);
    if (!conn.ok()) {
      last_error = std::string(conn.status().message());
      continue;
    }
    auto reply = (*conn)->Command({"SENTINEL", "get-master-addr-by-name", options.sentinel_master});
    if (!reply.ok() || (*reply)->type != REDIS_REPLY_ARRAY || (*reply)->elements != 2) {
      last_error = "sentinel " + text + " does not know master " + options.sentinel_master;
      continue;
    }
    return RedisEndpoint{std::string(ReplyStr((*reply)->element[0])), static_cast<int>(ReplyInt((*reply)->element[1]))};
  }
  return absl::UnavailableError("redis sentinel: " + last_error);
}

absl::StatusOr<RedisEndpoint> AskCluster(const RedisOptions& options) {
  const int slot = ClusterSlot(options.routing_key);
  std::string last_error = "no seed node configured";
  for (const auto& text : options.cluster_seeds) {
    auto seed = ParseEndpoint(text);
    if (!seed.ok()) return seed.status();
    auto conn = RedisConnection::ConnectTo(options, seed->host, seed->port);
    if (!conn.ok()) {
      last_error = std::string(conn.status().message());
      continue;
    }
    // CLUSTER SLOTS: [[first slot, last slot, [host, port, id], replicas...], ...]
    auto reply = (*conn)->Command({"CLUSTER", "SLOTS"});
    if (!reply.ok() || (*reply)->type != REDIS_REPLY_ARRAY) {
      last_error = "seed " + text + " is not a cluster node";
      continue;
    }
    for (size_t i = 0; i < (*reply)->elements; ++i) {
      const redisReply* range = (*reply)->element[i];
      if (range->type != REDIS_REPLY_ARRAY || range->elements < 3) continue;
      if (slot < ReplyInt(range->element[0]) || slot > ReplyInt(range->element[1])) continue;
      const redisReply* primary = range->element[2];
      if (primary->type != REDIS_REPLY_ARRAY || primary->elements < 2) break;
      std::string host(ReplyStr(primary->element[0]));
      return RedisEndpoint{host.empty() ? seed->host : host, static_cast<int>(ReplyInt(primary->element[1]))};
    }
    last_error = "no primary serves slot " + std::to_string(slot);
  }
  return absl::UnavailableError("redis cluster: " + last_error);
}

}  // namespace

absl::StatusOr<RedisEndpoint> ParseEndpoint(const std::string& text) {
  size_t colon = text.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      std::from_chars(text.data() + colon + 1, text.data() + text.size(), port).ec != std::errc() || port < 1 ||
      port > 65535) {
    return absl::InvalidArgumentError("redis endpoint: expected host:port, got '" + text + "'");
  }
  return RedisEndpoint{text.substr(0, colon), port};
}

absl::StatusOr<std::vector<RedisEndpoint>> ParseEndpoints(const std::string& text) {
  std::vector<RedisEndpoint> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    auto e = ParseEndpoint(text.substr(start, comma - start));
    if (!e.ok()) return e.status();
    out.push_back(*e);
    start = comma + 1;
  }
  return out;
}

int ClusterSlot(const std::string& key) {
  std::string_view hashed = key;
  size_t open = key.find('{');
  if (open != std::string::npos) {
    size_t close = key.find('}', open + 1);
    if (close != std::string::npos && close > open + 1) hashed = std::string_view(key).substr(open + 1, close - open - 1);
  }
  return Crc16(hashed) % 16384;
}

absl::StatusOr<RedisEndpoint> ResolvePrimary(const RedisOptions& options) {
  if (!options.sentinels.empty()) return AskSentinels(options);
  if (!options.cluster_seeds.empty()) return AskCluster(options);
  return RedisEndpoint{options.host, options.port};
}

}  // namespace relais
