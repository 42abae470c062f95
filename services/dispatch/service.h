#pragma once
// The dispatch gRPC service: validates, checks the caller's rights, calls the store, maps statuses.
// Handlers hand their Redis work to a bounded WorkPool and return at once (see common/work_pool.h).
#include "common/identity.h"
#include "common/work_pool.h"
#include "relais/v1/dispatch.grpc.pb.h"
#include "services/dispatch/beds_client.h"
#include "services/dispatch/routing.h"
#include "services/dispatch/store.h"

namespace relais::dispatch {

struct ServiceOptions {
  int workers = 8;           // threads doing Redis work; match the Redis pool size
  int max_pending = 2048;    // calls queued beyond this are shed with UNAVAILABLE
  Routing routing = *Routing::Parse(kDefaultStreetRouting);
  int pass_night_quota = 3;  // places a mobile team may hold from the street per night
  std::chrono::minutes merge_window{120};  // reports of the same spot within this are offered for merging
};

class DispatchService final : public relais::v1::Dispatch::CallbackService {
 public:
  DispatchService(Store& store, BedsClient& beds, ServiceOptions options);
  ~DispatchService() override;

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  Reactor* OpenCall(Ctx*, const v1::OpenCallRequest*, v1::OpenCallResponse*) override;
  Reactor* AnswerCall(Ctx*, const v1::AnswerCallRequest*, v1::AnswerCallResponse*) override;
  Reactor* EndCall(Ctx*, const v1::EndCallRequest*, v1::EndCallResponse*) override;
  Reactor* MissCall(Ctx*, const v1::MissCallRequest*, v1::MissCallResponse*) override;
  Reactor* CompleteCallBack(Ctx*, const v1::CompleteCallBackRequest*, v1::CompleteCallBackResponse*) override;
  Reactor* ListCalls(Ctx*, const v1::ListCallsRequest*, v1::ListCallsResponse*) override;
  Reactor* CreatePerson(Ctx*, const v1::CreatePersonRequest*, v1::CreatePersonResponse*) override;
  Reactor* UpdatePerson(Ctx*, const v1::UpdatePersonRequest*, v1::UpdatePersonResponse*) override;
  Reactor* GetPerson(Ctx*, const v1::GetPersonRequest*, v1::GetPersonResponse*) override;
  Reactor* SetConsent(Ctx*, const v1::SetConsentRequest*, v1::SetConsentResponse*) override;
  Reactor* ListPersonAudit(Ctx*, const v1::ListPersonAuditRequest*, v1::ListPersonAuditResponse*) override;
  Reactor* CreatePlaceRequest(Ctx*, const v1::CreatePlaceRequestRequest*, v1::CreatePlaceRequestResponse*) override;
  Reactor* GetPlaceRequest(Ctx*, const v1::GetPlaceRequestRequest*, v1::GetPlaceRequestResponse*) override;
  Reactor* RankCandidates(Ctx*, const v1::RankCandidatesRequest*, v1::RankCandidatesResponse*) override;
  Reactor* Propose(Ctx*, const v1::ProposeRequest*, v1::ProposeResponse*) override;
  Reactor* AcceptProposal(Ctx*, const v1::AcceptProposalRequest*, v1::AcceptProposalResponse*) override;
  Reactor* RefuseProposal(Ctx*, const v1::RefuseProposalRequest*, v1::RefuseProposalResponse*) override;
  Reactor* ListQueue(Ctx*, const v1::ListQueueRequest*, v1::ListQueueResponse*) override;
  Reactor* ListOffers(Ctx*, const v1::ListOffersRequest*, v1::ListOffersResponse*) override;
  Reactor* CloseNight(Ctx*, const v1::CloseNightRequest*, v1::CloseNightResponse*) override;
  Reactor* CreateStreetReport(Ctx*, const v1::CreateStreetReportRequest*, v1::CreateStreetReportResponse*) override;
  Reactor* GetStreetReport(Ctx*, const v1::GetStreetReportRequest*, v1::GetStreetReportResponse*) override;
  Reactor* AdvanceStreetReport(Ctx*, const v1::AdvanceStreetReportRequest*, v1::AdvanceStreetReportResponse*) override;
  Reactor* MergeStreetReport(Ctx*, const v1::MergeStreetReportRequest*, v1::MergeStreetReportResponse*) override;
  Reactor* ListStreetReports(Ctx*, const v1::ListStreetReportsRequest*, v1::ListStreetReportsResponse*) override;
  Reactor* HoldPassNight(Ctx*, const v1::HoldPassNightRequest*, v1::HoldPassNightResponse*) override;
  Reactor* GetPassNightQuota(Ctx*, const v1::GetPassNightQuotaRequest*, v1::GetPassNightQuotaResponse*) override;
  Reactor* GetVulnerabilityGrid(Ctx*, const v1::GetVulnerabilityGridRequest*, v1::GetVulnerabilityGridResponse*) override;
  Reactor* SetVulnerabilityGrid(Ctx*, const v1::SetVulnerabilityGridRequest*, v1::SetVulnerabilityGridResponse*) override;
  // In insertion_service.cc.
  Reactor* ProposeInsertion(Ctx*, const v1::ProposeInsertionRequest*, v1::ProposeInsertionResponse*) override;

 private:
  // One step of a call after it rang, shared by answer, end, miss and call-back.
  absl::Status StepCall(const Caller& caller, const std::string& call_id, const Store::CallStep& step,
                        const std::string& idem_key, const google::protobuf::Message& request, v1::Call* call);

  // A proposal with its request and the public of its pool, as Accept and Refuse need them.
  struct LoadedProposal {
    v1::Proposal proposal;
    v1::PlaceRequest request;
    std::string public_code;
  };
  absl::StatusOr<LoadedProposal> LoadProposal(const std::string& proposal_id);
  // The places that fit a request now, best first, and the insertion alternatives.
  absl::StatusOr<v1::RankCandidatesResponse> RankNow(const Caller& caller, const std::string& request_id, int limit);

  // A report as this caller may see it: a team never sees the reporter's contact.
  static void RedactForCaller(const Caller& caller, v1::StreetReport& report);

  Store& store_;
  BedsClient& beds_;
  ServiceOptions options_;
  WorkPool work_;
};

}  // namespace relais::dispatch
