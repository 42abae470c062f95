#pragma once
// The workshop service assembled from its configuration: store, gRPC service, the clients of the
// beds and dispatch services, and the deadline sweeper with its gauges. Used by the workshop
// executable and by the all-in-one executable, so both wire it the same way.
#include <prometheus/registry.h>

#include "common/clock.h"
#include "common/config.h"
#include "common/redis.h"
#include "services/dispatch/beds_client.h"
#include "services/workshop/deadline_sweeper.h"
#include "services/workshop/dispatch_client.h"
#include "services/workshop/service.h"
#include "services/workshop/store.h"

namespace relais::workshop {

struct WorkshopConfig {
  StoreOptions store;
  ServiceOptions service;
  int sweep_interval_ms = 5000;
  std::string beds_target = "127.0.0.1:50061";      // when the workshop runs apart
  std::string dispatch_target = "127.0.0.1:50062";
};

// --workshop-schedule, --near-deadline-hours, --deadline-sweep-interval-ms
void AddWorkshopOptions(po::options_description& options, WorkshopConfig& config);
// --beds-target, --dispatch-target: for relais-workshop only (the all-in-one process uses itself).
void AddWorkshopTargetOptions(po::options_description& options, WorkshopConfig& config);

class WorkshopRuntime {
 public:
  WorkshopRuntime(const WorkshopConfig& config, RedisPool& redis, const Clock& clock, prometheus::Registry& registry)
      : store_(redis, clock, config.store),
        service_(store_, beds_, dispatch_, config.service),
        sweeper_(store_, registry, std::chrono::milliseconds(config.sweep_interval_ms)) {}
  grpc::Service* service() { return &service_; }
  Store& store() { return store_; }
  DeadlineSweeper& sweeper() { return sweeper_; }
  // Where the beds and dispatch services answer: the process' own address in the all-in-one executable.
  void Connect(const std::string& beds_target, const std::string& dispatch_target) {
    beds_.Connect(beds_target);
    dispatch_.Connect(dispatch_target);
  }
  void Start() { sweeper_.Start(); }
  void Stop() { sweeper_.Stop(); }  // before the gRPC server shuts down

 private:
  Store store_;
  dispatch::BedsClient beds_;
  DispatchClient dispatch_;
  WorkshopService service_;
  DeadlineSweeper sweeper_;
};

}  // namespace relais::workshop
