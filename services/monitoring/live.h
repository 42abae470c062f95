#pragma once
// Live indicators for Prometheus, refreshed every few seconds by the monitoring service from the
// region's state in Redis (read-only) and its own aggregates: calls waiting and the oldest wait, free
// and occupied places and live holds by public, how holds ended, the queue by lane, unconfirmed pools
// and stale shelters, and the consumer's lag. Labels are categories only (public, lane, outcome).
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "common/clock.h"
#include "common/redis.h"
#include "services/beds/store.h"

namespace relais::monitoring {

struct LiveOptions {
  std::string region = "brussels";
  std::chrono::milliseconds interval{5000};
  beds::StoreOptions beds;   // its freshness window decides which pools are unconfirmed
};

class LiveIndicators {
 public:
  LiveIndicators(RedisPool& redis, const Clock& clock, prometheus::Registry& registry, LiveOptions options);
  ~LiveIndicators();

  void Start();
  void Stop();
  // Reads everything once and sets the metrics (tests call it directly).
  absl::Status Refresh();

 private:
  absl::Status RefreshCalls();
  absl::Status RefreshPlaces();
  absl::Status RefreshConsumer();
  void Loop();

  RedisPool& redis_;
  const Clock& clock_;
  LiveOptions options_;
  beds::Store beds_;

  prometheus::Family<prometheus::Gauge>& calls_waiting_;
  prometheus::Family<prometheus::Gauge>& oldest_wait_;
  prometheus::Family<prometheus::Gauge>& free_;
  prometheus::Family<prometheus::Gauge>& occupied_;
  prometheus::Family<prometheus::Gauge>& holds_live_;
  prometheus::Family<prometheus::Counter>& holds_ended_;
  prometheus::Family<prometheus::Gauge>& queue_;
  prometheus::Family<prometheus::Gauge>& pools_unconfirmed_;
  prometheus::Family<prometheus::Gauge>& shelters_stale_;
  prometheus::Family<prometheus::Counter>& counted_;
  prometheus::Family<prometheus::Gauge>& lag_events_;
  prometheus::Family<prometheus::Gauge>& lag_seconds_;
  prometheus::Family<prometheus::Counter>& refresh_errors_;
  std::map<std::string, double> counter_seen_;  // counters mirror totals kept in Redis

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace relais::monitoring
