#include "services/dispatch/beds_client.h"

#include "common/grpc_status.h"

namespace relais::dispatch {

void BedsClient::Connect(const std::string& target) {
  std::lock_guard lock(mu_);
  stub_ = relais::v1::Beds::NewStub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
}

relais::v1::Beds::Stub* BedsClient::stub() {
  std::lock_guard lock(mu_);
  return stub_.get();
}

std::unique_ptr<grpc::ClientContext> BedsClient::Context(const Caller& caller) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + deadline_);
  AddCallerMetadata(*ctx, caller);
  return ctx;
}

absl::StatusOr<std::vector<relais::v1::Pool>> BedsClient::PoolsWithFreePlaces(const Caller& caller) {
  auto* beds = stub();
  if (!beds) return absl::UnavailableError("the beds service is not connected");
  relais::v1::GetAvailabilityRequest req;
  req.mutable_filter()->set_only_with_free(true);
  relais::v1::GetAvailabilityResponse resp;
  auto s = beds->GetAvailability(Context(caller).get(), req, &resp);
  if (!s.ok()) return FromGrpcStatus(s);
  return std::vector<relais::v1::Pool>(resp.pools().begin(), resp.pools().end());
}

absl::StatusOr<std::vector<relais::v1::Shelter>> BedsClient::Directory(const Caller& caller) {
  auto* beds = stub();
  if (!beds) return absl::UnavailableError("the beds service is not connected");
  relais::v1::SearchSheltersResponse resp;
  auto s = beds->SearchShelters(Context(caller).get(), {}, &resp);
  if (!s.ok()) return FromGrpcStatus(s);
  return std::vector<relais::v1::Shelter>(resp.shelters().begin(), resp.shelters().end());
}

absl::StatusOr<relais::v1::Shelter> BedsClient::Shelter(const Caller& caller, const std::string& shelter_id) {
  auto* beds = stub();
  if (!beds) return absl::UnavailableError("the beds service is not connected");
  relais::v1::GetShelterRequest req;
  req.set_shelter_id(shelter_id);
  relais::v1::GetShelterResponse resp;
  auto s = beds->GetShelter(Context(caller).get(), req, &resp);
  if (!s.ok()) return FromGrpcStatus(s);
  return resp.shelter();
}

absl::StatusOr<relais::v1::TakeHoldResponse> BedsClient::TakeHold(const Caller& caller, const std::string& pool_id,
                                                                  const std::string& request_id,
                                                                  relais::v1::HoldKind kind,
                                                                  const std::string& idempotency_key) {
  auto* beds = stub();
  if (!beds) return absl::UnavailableError("the beds service is not connected");
  relais::v1::TakeHoldRequest req;
  req.set_pool_id(pool_id);
  req.set_request_id(request_id);
  req.set_kind(kind);
  req.set_idempotency_key(idempotency_key);
  relais::v1::TakeHoldResponse resp;
  auto s = beds->TakeHold(Context(caller).get(), req, &resp);
  if (!s.ok()) return FromGrpcStatus(s);
  return resp;
}

}  // namespace relais::dispatch
