#pragma once
// The beds gRPC service: validates, checks the caller's rights, calls the store, maps statuses.
// Handlers hand their Redis work to a bounded WorkPool and return at once (see common/work_pool.h).
#include <atomic>

#include "common/work_pool.h"
#include "relais/v1/beds.grpc.pb.h"
#include "services/beds/store.h"

namespace relais::beds {

struct ServiceOptions {
  int workers = 8;             // threads doing Redis work; match the Redis pool size
  int max_pending = 2048;      // calls queued beyond this are shed with UNAVAILABLE
  int max_watchers = 256;      // concurrent WatchAvailability streams
};

class BedsService final : public relais::v1::Beds::CallbackService {
 public:
  BedsService(Store& store, RedisPool& redis, ServiceOptions options);
  ~BedsService() override;

  // Ends live streams; call before the server shuts down (which then lets unary calls finish).
  void Stop();

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  Reactor* CreateShelter(Ctx*, const v1::CreateShelterRequest*, v1::CreateShelterResponse*) override;
  Reactor* UpdateShelter(Ctx*, const v1::UpdateShelterRequest*, v1::UpdateShelterResponse*) override;
  Reactor* GetShelter(Ctx*, const v1::GetShelterRequest*, v1::GetShelterResponse*) override;
  Reactor* SearchShelters(Ctx*, const v1::SearchSheltersRequest*, v1::SearchSheltersResponse*) override;
  Reactor* DeclarePool(Ctx*, const v1::DeclarePoolRequest*, v1::DeclarePoolResponse*) override;
  Reactor* ConfirmPool(Ctx*, const v1::ConfirmPoolRequest*, v1::ConfirmPoolResponse*) override;
  Reactor* RecordDeparture(Ctx*, const v1::RecordDepartureRequest*, v1::RecordDepartureResponse*) override;
  Reactor* TakeHold(Ctx*, const v1::TakeHoldRequest*, v1::TakeHoldResponse*) override;
  Reactor* ConfirmArrival(Ctx*, const v1::ConfirmArrivalRequest*, v1::ConfirmArrivalResponse*) override;
  Reactor* ReportNoShow(Ctx*, const v1::ReportNoShowRequest*, v1::ReportNoShowResponse*) override;
  Reactor* CancelHold(Ctx*, const v1::CancelHoldRequest*, v1::CancelHoldResponse*) override;
  Reactor* GetHold(Ctx*, const v1::GetHoldRequest*, v1::GetHoldResponse*) override;
  Reactor* ListHolds(Ctx*, const v1::ListHoldsRequest*, v1::ListHoldsResponse*) override;
  Reactor* GetAvailability(Ctx*, const v1::GetAvailabilityRequest*, v1::GetAvailabilityResponse*) override;
  Reactor* GetRegionSummary(Ctx*, const v1::GetRegionSummaryRequest*, v1::GetRegionSummaryResponse*) override;
  Reactor* OpenBuffer(Ctx*, const v1::OpenBufferRequest*, v1::OpenBufferResponse*) override;
  Reactor* CloseBuffer(Ctx*, const v1::CloseBufferRequest*, v1::CloseBufferResponse*) override;
  Reactor* ListCrises(Ctx*, const v1::ListCrisesRequest*, v1::ListCrisesResponse*) override;
  grpc::ServerWriteReactor<v1::AvailabilityChange>* WatchAvailability(Ctx*,
                                                                      const v1::WatchAvailabilityRequest*) override;

 private:
  // A shelter's "figures still correct" (action "confirm") or a departure.
  absl::Status TouchPool(const Caller& caller, const std::string& pool_id, const std::string& idem_key,
                         const google::protobuf::Message& request, const char* action, v1::Pool* pool);
  // Ends a hold: shared by arrival, no-show and cancel.
  absl::Status EndHold(const Caller& caller, const std::string& hold_id, const std::string& idem_key,
                       const google::protobuf::Message& request, const char* outcome, v1::Hold* hold, v1::Pool* pool);
  void RedactForCaller(const Caller& caller, v1::Shelter& shelter) const;

  Store& store_;
  RedisPool& redis_;
  ServiceOptions options_;
  WorkPool work_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> watchers_{0};
};

}  // namespace relais::beds
