#pragma once
// The workshop's view of the dispatch service, where persons live: through its gRPC API, never its
// Redis keys. A case names a person id; before registering or préconising, the workshop reads the
// person as the `workshop` role for the purpose ORIENTATION, on behalf of the calling account. The
// dispatch service lets that read through only with the person's consent of scope ORIENTATION in force,
// and writes it to the person's audit trail. The workshop keeps nothing of the record.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "common/identity.h"
#include "relais/v1/dispatch.grpc.pb.h"

namespace relais::workshop {

class DispatchClient {
 public:
  explicit DispatchClient(std::chrono::milliseconds deadline = std::chrono::seconds(3)) : deadline_(deadline) {}
  void Connect(const std::string& target);

  // OK when the person exists and agreed to share with the workshop; NOT_FOUND ("person_id: ...") or
  // FAILED_PRECONDITION ("person_id: ... consent ...") otherwise; UNAVAILABLE when dispatch is away.
  absl::Status CheckOrientationConsent(const Caller& caller, const std::string& person_id);

 private:
  std::chrono::milliseconds deadline_;
  std::mutex mu_;
  std::unique_ptr<relais::v1::Dispatch::Stub> stub_;
};

}  // namespace relais::workshop
