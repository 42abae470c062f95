#pragma once
// The gRPC services behind the gateway, called without blocking: a generic stub per service (methods
// by name, messages as bytes, so a new service needs no code here), the callback API, a deadline on
// every call, and the caller's identity in metadata (common/identity.h). The completion runs on a gRPC
// thread; callers post it back to their own strand.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/identity.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace relais::gateway {

class Backends {
 public:
  explicit Backends(std::chrono::milliseconds deadline) : deadline_(deadline) {}

  // name ("beds") -> target ("127.0.0.1:50061"). Every name of routes.h's AllBackends() that is not local.
  void Connect(const std::map<std::string, std::string>& targets);

  using Done = std::function<void(const grpc::Status& status, std::string response_bytes)>;
  // Calls "/relais.v1.Beds/GetAvailability" on backend `name`.
  void Call(const std::string& name, const std::string& method, const Caller& caller, std::string request_bytes,
            Done done);
  // Health of every backend (gRPC health checking), all at once; done(all_serving, which_not).
  void CheckHealth(std::function<void(bool, std::string)> done);

  std::shared_ptr<grpc::Channel> channel(const std::string& name) const;
  // Calls started and not yet completed: shutdown waits for zero before the event loop goes away.
  int in_flight() const { return in_flight_.load(); }

 private:
  struct Entry {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::GenericStub> stub;
    std::unique_ptr<grpc::health::v1::Health::Stub> health;
  };
  std::chrono::milliseconds deadline_;
  std::map<std::string, Entry> entries_;
  std::atomic<int> in_flight_{0};
};

}  // namespace relais::gateway
