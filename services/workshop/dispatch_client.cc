#include "services/workshop/dispatch_client.h"

#include "common/grpc_status.h"

namespace relais::workshop {

void DispatchClient::Connect(const std::string& target) {
  std::lock_guard lock(mu_);
  stub_ = relais::v1::Dispatch::NewStub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
}

absl::Status DispatchClient::CheckOrientationConsent(const Caller& caller, const std::string& person_id) {
  relais::v1::Dispatch::Stub* dispatch;
  {
    std::lock_guard lock(mu_);
    dispatch = stub_.get();
  }
  if (!dispatch) return absl::UnavailableError("the dispatch service is not connected");
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + deadline_);
  // The workshop reads on behalf of the calling account, which the person's audit trail names.
  AddCallerMetadata(ctx, Caller{Role::kWorkshop, caller.subject, {}, ""});
  relais::v1::GetPersonRequest req;
  req.set_person_id(person_id);
  req.set_purpose(relais::v1::READ_PURPOSE_ORIENTATION);
  relais::v1::GetPersonResponse resp;
  auto s = dispatch->GetPerson(&ctx, req, &resp);
  switch (s.error_code()) {
    case grpc::StatusCode::OK: return absl::OkStatus();
    case grpc::StatusCode::NOT_FOUND: return absl::NotFoundError("person_id: no such person");
    case grpc::StatusCode::PERMISSION_DENIED:
      return absl::FailedPreconditionError(
          "person_id: the person has not agreed to share their record with the workshop (consent of scope ORIENTATION)");
    case grpc::StatusCode::INVALID_ARGUMENT: return absl::InvalidArgumentError("person_id: not a person id");
    default: return FromGrpcStatus(s);
  }
}

}  // namespace relais::workshop
