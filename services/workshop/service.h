#pragma once
// The workshop gRPC service: validates, checks the caller's rights, checks persons with the dispatch
// service and directory entries with the beds service, calls the store, maps statuses. Handlers hand
// their work to a bounded WorkPool and return at once (see common/work_pool.h).
#include "common/identity.h"
#include "common/work_pool.h"
#include "relais/v1/workshop.grpc.pb.h"
#include "services/dispatch/beds_client.h"
#include "services/workshop/dispatch_client.h"
#include "services/workshop/schedule.h"
#include "services/workshop/store.h"

namespace relais::workshop {

struct ServiceOptions {
  int workers = 8;          // threads doing Redis work; match the Redis pool size
  int max_pending = 2048;   // calls queued beyond this are shed with UNAVAILABLE
  Schedule schedule = *Schedule::Parse(kDefaultSchedule);
};

class WorkshopService final : public relais::v1::Workshop::CallbackService {
 public:
  WorkshopService(Store& store, dispatch::BedsClient& beds, DispatchClient& dispatch, ServiceOptions options);
  ~WorkshopService() override;

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  Reactor* RegisterCase(Ctx*, const v1::RegisterCaseRequest*, v1::RegisterCaseResponse*) override;
  Reactor* UpdateCase(Ctx*, const v1::UpdateCaseRequest*, v1::UpdateCaseResponse*) override;
  Reactor* GetCase(Ctx*, const v1::GetCaseRequest*, v1::GetCaseResponse*) override;
  Reactor* ListCases(Ctx*, const v1::ListCasesRequest*, v1::ListCasesResponse*) override;
  Reactor* GetWorkshopSession(Ctx*, const v1::GetWorkshopSessionRequest*, v1::GetWorkshopSessionResponse*) override;
  Reactor* SetSessionMembers(Ctx*, const v1::SetSessionMembersRequest*, v1::SetSessionMembersResponse*) override;
  Reactor* BuildAgenda(Ctx*, const v1::BuildAgendaRequest*, v1::BuildAgendaResponse*) override;
  Reactor* ReorderAgenda(Ctx*, const v1::ReorderAgendaRequest*, v1::ReorderAgendaResponse*) override;
  Reactor* CloseSession(Ctx*, const v1::CloseSessionRequest*, v1::CloseSessionResponse*) override;
  Reactor* Preconise(Ctx*, const v1::PreconiseRequest*, v1::PreconiseResponse*) override;
  Reactor* RecordApproval(Ctx*, const v1::RecordApprovalRequest*, v1::RecordApprovalResponse*) override;
  Reactor* DeclarePriorityPlaces(Ctx*, const v1::DeclarePriorityPlacesRequest*, v1::DeclarePriorityPlacesResponse*) override;
  Reactor* TakePriorityPlace(Ctx*, const v1::TakePriorityPlaceRequest*, v1::TakePriorityPlaceResponse*) override;
  Reactor* ReleasePriorityPlace(Ctx*, const v1::ReleasePriorityPlaceRequest*, v1::ReleasePriorityPlaceResponse*) override;
  Reactor* ListPriorityPlaces(Ctx*, const v1::ListPriorityPlacesRequest*, v1::ListPriorityPlacesResponse*) override;
  Reactor* GetWorkshopSummary(Ctx*, const v1::GetWorkshopSummaryRequest*, v1::GetWorkshopSummaryResponse*) override;

 private:
  // The session named, or the next one on the schedule when the id is empty or kNextSession.
  absl::StatusOr<SessionSlot> SlotOf(const std::string& session_id) const;
  // NOT_FOUND naming the field unless the directory (beds service) has this entry.
  absl::Status InDirectory(const Caller& caller, std::string_view field, const std::string& service_id);
  absl::Status SessionAnswer(const SessionSlot& slot, v1::Session* out);

  Store& store_;
  dispatch::BedsClient& beds_;
  DispatchClient& dispatch_;
  ServiceOptions options_;
  WorkPool work_;
};

}  // namespace relais::workshop
