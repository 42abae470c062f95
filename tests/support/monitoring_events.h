#pragma once
// Events written straight to a region's stream, field for field as the services' scripts write them
// (services/*/lua/*.lua, `emit`), with stream ids at the events' own times. Used by the monitoring
// tests (a hand-built month whose every figure is worked out) and benchmarks (a million events).
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/redis.h"

namespace relais::testing {

using Fields = std::vector<std::pair<std::string, std::string>>;

class EventLog {
 public:
  EventLog(RedisPool& redis, std::string stream) : redis_(redis), stream_(std::move(stream)) {}
  ~EventLog() { Flush(); }

  // Queues one event at `at` (ms); `fields` start with the type. Written in batches; Flush() writes now.
  void Add(int64_t at, const std::string& type, const Fields& fields);
  void Flush();
  int64_t count() const { return count_; }

  // A pool event as beds writes it: the pool's figures after the change.
  struct Pool {
    std::string id, shelter, public_code, commune;
    int in_service = 0, buffer = 0, occupied = 0;
    bool buffer_open = false;
  };
  void PoolEvent(int64_t at, const std::string& type, const Pool& pool, const Fields& extra = {});

 private:
  RedisPool& redis_;
  std::string stream_;
  std::vector<Argv> pending_;
  int64_t last_ms_ = 0, seq_ = 0, count_ = 0;
};

// March 2026 (with a few events in February 2026 and March 2025), hand-built: every figure of its
// report is worked out in tests/integration/monitoring_month_test.cc. Person ids are p1..p14.
inline constexpr int64_t kMarch2026 = 1772323200000;  // 2026-03-01T00:00:00Z
void WriteHandBuiltMonth(EventLog& log);

// Every aggregate of a generation, by key without its generation prefix, in a canonical form (hash
// fields sorted; a HyperLogLog as its count). The lease is left out: it says who counts, not what.
// Equal snapshots of two generations mean equal figures.
std::map<std::string, std::string> GenerationSnapshot(RedisPool& redis, const std::string& region,
                                                      const std::string& generation);

// Counts everything pending and new with one consumer until nothing is left.
void CountEverything(RedisPool& redis, const std::string& consumer, const std::string& generation = "");

}  // namespace relais::testing
