#pragma once
// The dispatch service assembled from its configuration: store and gRPC service. Used by the
// dispatch executable and by the all-in-one executable, so both wire it the same way.
#include "common/clock.h"
#include "common/config.h"
#include "common/redis.h"
#include "services/dispatch/service.h"
#include "services/dispatch/store.h"

namespace relais::dispatch {

struct DispatchConfig {
  StoreOptions store;
  ServiceOptions service;
  std::string beds_target = "127.0.0.1:50061";  // the beds service, when it runs apart
};

// --call-target-minutes, --street-routing, --pass-night-quota, --beds-target
void AddDispatchOptions(po::options_description& options, DispatchConfig& config);

class DispatchRuntime {
 public:
  DispatchRuntime(const DispatchConfig& config, RedisPool& redis, const Clock& clock)
      : store_(redis, clock, config.store), service_(store_, beds_, config.service) {}
  grpc::Service* service() { return &service_; }
  Store& store() { return store_; }
  // Where the beds service answers: the process' own address in the all-in-one executable.
  void ConnectBeds(const std::string& target) { beds_.Connect(target); }

 private:
  Store store_;
  BedsClient beds_;
  DispatchService service_;
};

}  // namespace relais::dispatch
