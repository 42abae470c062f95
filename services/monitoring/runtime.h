#pragma once
// The monitoring service assembled from its configuration: the consumer that keeps the aggregates,
// the live indicators and the gRPC service. Used by relais-monitoring and by the all-in-one executable,
// so both wire it the same way.
#include <prometheus/registry.h>

#include <memory>

#include "common/clock.h"
#include "common/config.h"
#include "common/redis.h"
#include "services/monitoring/consumer.h"
#include "services/monitoring/live.h"
#include "services/monitoring/service.h"

namespace relais::monitoring {

struct MonitoringConfig {
  ConsumerOptions consumer;
  LiveOptions live;
  ServiceOptions service;
  bool consume = true;  // run a consumer in this process
};

// --consume, --consumer-name, --consumer-batch, --lease-ms, --live-interval-ms. The region comes
// from the process options; the freshness window from the beds options (or its own flag in
// relais-monitoring, see main.cc).
void AddMonitoringOptions(po::options_description& options, MonitoringConfig& config);
// After parsing: the region everywhere.
void SetRegion(MonitoringConfig& config, const std::string& region);

class MonitoringRuntime {
 public:
  MonitoringRuntime(const MonitoringConfig& config, RedisPool& redis, const Clock& clock, prometheus::Registry& registry);
  grpc::Service* service() { return &service_; }
  void Start();
  void Stop();  // before the gRPC server shuts down

 private:
  bool consume_;
  MonitoringService service_;
  LiveIndicators live_;
  std::unique_ptr<Consumer> consumer_;
};

}  // namespace relais::monitoring
