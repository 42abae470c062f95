#pragma once
// The Relais services (beds, dispatch, workshop, monitoring) running in-process in one gRPC server against a private Redis,
// on a free port, with a clock the test moves. Calls go through a real gRPC channel, so the tests see
// exactly what a client sees.
#include <grpcpp/grpcpp.h>
#include <prometheus/registry.h>

#include <memory>

#include "common/clock.h"
#include "common/grpc_server.h"
#include "common/identity.h"
#include "relais/v1/beds.grpc.pb.h"
#include "relais/v1/dispatch.grpc.pb.h"
#include "relais/v1/workshop.grpc.pb.h"
#include "services/beds/runtime.h"
#include "services/dispatch/runtime.h"
#include "services/workshop/runtime.h"
#include "relais/v1/monitoring.grpc.pb.h"
#include "services/monitoring/service.h"
#include "tests/support/redis_server.h"

namespace relais::testing {

class Harness {
 public:
  explicit Harness(RedisServer& redis, beds::BedsConfig config = {}, dispatch::DispatchConfig dispatch_config = {},
                   workshop::WorkshopConfig workshop_config = {});
  // Against any Redis deployment (Sentinel, Cluster): `redis` says where.
  explicit Harness(RedisOptions redis, beds::BedsConfig config = {}, dispatch::DispatchConfig dispatch_config = {},
                   workshop::WorkshopConfig workshop_config = {});
  ~Harness();

  relais::v1::Beds::Stub& stub() { return *stub_; }
  relais::v1::Dispatch::Stub& dispatch() { return *dispatch_stub_; }
  relais::v1::Monitoring::Stub& monitoring() { return *monitoring_stub_; }
  dispatch::Store& dispatch_store() { return dispatch_->store(); }
  relais::v1::Workshop::Stub& workshop() { return *workshop_stub_; }
  workshop::WorkshopRuntime& workshop_runtime() { return *workshop_; }
  prometheus::Registry& registry() { return registry_; }
  ManualClock& clock() { return clock_; }
  beds::Store& store() { return runtime_->store(); }
  RedisPool& redis() { return pool_; }
  int port() const { return server_->port(); }

  // A client context carrying the caller's identity and a deadline.
  static std::unique_ptr<grpc::ClientContext> As(const Caller& caller,
                                                 std::chrono::milliseconds deadline = std::chrono::seconds(5));

 private:
  ManualClock clock_;
  RedisPool pool_;
  prometheus::Registry registry_;
  std::unique_ptr<beds::BedsRuntime> runtime_;
  std::unique_ptr<dispatch::DispatchRuntime> dispatch_;
  std::unique_ptr<workshop::WorkshopRuntime> workshop_;
  std::unique_ptr<monitoring::MonitoringService> monitoring_;  // reports only: tests drive the consumer
  std::unique_ptr<GrpcServer> server_;
  std::unique_ptr<relais::v1::Beds::Stub> stub_;
  std::unique_ptr<relais::v1::Dispatch::Stub> dispatch_stub_;
  std::unique_ptr<relais::v1::Workshop::Stub> workshop_stub_;
  std::unique_ptr<relais::v1::Monitoring::Stub> monitoring_stub_;
};

// Callers used across tests.
Caller Admin();
Caller Operator(const std::string& subject = "op-1");
Caller Medical();
Caller Team(const std::string& team = "maraude-1");
Caller ShelterAccount(const std::string& shelter_id);
Caller Monitoring();
Caller WorkshopAccount(const std::string& subject = "cell-1");
Caller Anonymous();

// A minimal valid shelter.
relais::v1::Shelter MakeShelter(const std::string& id, const std::string& commune = "ixelles");

}  // namespace relais::testing
