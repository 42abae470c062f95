#pragma once
// The beds service assembled from its configuration: store, gRPC service and sweeper. Used by the
// beds executable and by the all-in-one executable, so both wire it the same way.
#include <memory>

#include "common/clock.h"
#include "common/config.h"
#include "common/redis.h"
#include "services/beds/service.h"
#include "services/beds/store.h"
#include "services/beds/sweeper.h"

namespace relais::beds {

struct BedsConfig {
  StoreOptions store;
  ServiceOptions service;
  std::string communes;  // comma-separated; empty: Brussels' 19 communes
  std::string publics;   // comma-separated; empty: the default publics
  int sweep_interval_ms = 1000;
};

// --hold-minutes, --medical-hold-minutes, --pass-night-hold-minutes, --stale-after-minutes,
// --communes, --publics, --workers, --max-pending, --sweep-interval-ms
void AddBedsOptions(po::options_description& options, BedsConfig& config);

class BedsRuntime {
 public:
  BedsRuntime(const BedsConfig& config, RedisPool& redis, const Clock& clock);
  grpc::Service* service() { return &service_; }
  Store& store() { return store_; }
  void Start() { sweeper_.Start(); }
  void Stop();  // before the gRPC server shuts down

 private:
  Store store_;
  BedsService service_;
  Sweeper sweeper_;
};

}  // namespace relais::beds
