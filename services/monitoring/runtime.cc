#include "services/monitoring/runtime.h"

#include <unistd.h>

#include <cstdio>

namespace relais::monitoring {
namespace {

// A name no other running consumer has: the lease is held by name. A process restarted after a crash
// takes over once the old name's lease expires (--lease-ms); a clean stop hands it over at once.
std::string DefaultConsumerName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "host");
  return std::string("monitoring-") + host + "-" + std::to_string(getpid());
}

}  // namespace

void AddMonitoringOptions(po::options_description& options, MonitoringConfig& c) {
  auto ms = [](std::chrono::milliseconds& target) {
    return po::value<int>()->default_value(static_cast<int>(target.count()))->notifier([&target](int v) {
      target = std::chrono::milliseconds(v);
    });
  };
  c.consumer.name = DefaultConsumerName();
  options.add_options()
      ("consume", po::value(&c.consume)->default_value(c.consume),
       "count the event stream into the aggregates in this process (true or false)")
      ("consumer-name", po::value(&c.consumer.name)->default_value(c.consumer.name),
       "this consumer's name in the group: each running consumer needs its own")
      ("consumer-batch", po::value(&c.consumer.batch)->default_value(c.consumer.batch), "events counted per step")
      ("lease-ms", ms(c.consumer.lease),
       "one consumer counts at a time; another takes over (and counts what it left) after this long silent")
      ("live-interval-ms", ms(c.live.interval), "how often the live indicators are refreshed");
}

void SetRegion(MonitoringConfig& c, const std::string& region) {
  c.consumer.region = c.live.region = c.service.region = region;
}

MonitoringRuntime::MonitoringRuntime(const MonitoringConfig& config, RedisPool& redis, const Clock& clock,
                                     prometheus::Registry& registry)
    : consume_(config.consume),
      service_(redis, clock, config.service, registry),
      live_(redis, clock, registry, config.live),
      consumer_(std::make_unique<Consumer>(redis, config.consumer)) {}

void MonitoringRuntime::Start() {
  if (consume_) consumer_->Start();
  live_.Start();
}

void MonitoringRuntime::Stop() {
  live_.Stop();
  consumer_->Stop();
}

}  // namespace relais::monitoring
