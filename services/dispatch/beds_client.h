#pragma once
// The dispatch service's view of the beds service: through its gRPC API, with the operator's own
// identity, so the beds service checks its rights again. In the all-in-one process the target is the
// process' own address; apart, it is the beds service's.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/statusor.h"
#include "common/identity.h"
#include "relais/v1/beds.grpc.pb.h"

namespace relais::dispatch {

class BedsClient {
 public:
  explicit BedsClient(std::chrono::milliseconds deadline = std::chrono::seconds(3)) : deadline_(deadline) {}
  void Connect(const std::string& target);

  absl::StatusOr<std::vector<relais::v1::Pool>> PoolsWithFreePlaces(const Caller& caller);
  absl::StatusOr<std::vector<relais::v1::Shelter>> Directory(const Caller& caller);
  absl::StatusOr<relais::v1::Shelter> Shelter(const Caller& caller, const std::string& shelter_id);
  // The idempotency key makes a retry (of a call cut off, or of the whole accept) take the same hold.
  absl::StatusOr<relais::v1::TakeHoldResponse> TakeHold(const Caller& caller, const std::string& pool_id,
                                                        const std::string& request_id, relais::v1::HoldKind kind,
                                                        const std::string& idempotency_key);

 private:
  std::unique_ptr<grpc::ClientContext> Context(const Caller& caller) const;
  relais::v1::Beds::Stub* stub();

  std::chrono::milliseconds deadline_;
  std::mutex mu_;
  std::unique_ptr<relais::v1::Beds::Stub> stub_;
};

}  // namespace relais::dispatch
