// The workshop service's requests: each method's validation and rights, as
// services/workshop/service.cc runs them before Redis (frame: service_fuzz.h). Session ids go through
// the weekly schedule; a valid referral through the completeness check and the queue's order; a valid
// plan through the parties it needs and their approvals, applied in the order given.
#include "common/idempotency.h"
#include "common/page_limit.h"
#include "relais/v1/workshop.grpc.pb.h"
#include "services/workshop/plan.h"
#include "services/workshop/rules.h"
#include "services/workshop/schedule.h"
#include "tests/fuzz/service_fuzz.h"

namespace relais::fuzz {
namespace {

using namespace relais::v1;
using namespace relais::workshop;

constexpr int64_t kNow = 1764000000000;  // 2025-11-24

absl::Status SlotOf(const std::string& session_id) {
  static const Schedule schedule = *Schedule::Parse(kDefaultSchedule);
  if (session_id.empty()) {
    if (schedule.Next(kNow).start_ms < kNow) abort();
    return absl::OkStatus();
  }
  auto slot = schedule.Slot(session_id);
  if (!slot.ok()) return slot.status();
  // A session id on the schedule is the id of its start.
  if (Schedule::IdOf(slot->start_ms) != session_id) abort();
  return absl::OkStatus();
}

// A plan as the service completes it, then every party's answer in turn.
void Approvals(const std::string& receiving, bool direct, const RecordApprovalRequest* first) {
  Plan plan;
  plan.set_number(1);
  plan.set_state(PLAN_STATE_AWAITING_APPROVALS);
  for (Party p : PartiesFor(direct, receiving)) plan.add_parties(p);
  if (first) {
    Approval a;
    a.set_party(first->party());
    a.set_approved(first->approved());
    a.set_reason(first->reason());
    (void)ApplyApproval(plan, a);
  }
  for (int i = 0; i < plan.parties_size() && plan.state() == PLAN_STATE_AWAITING_APPROVALS; ++i) {
    Approval a;
    a.set_party(plan.parties(i));
    a.set_approved(true);
    (void)ApplyApproval(plan, a);
  }
}

ServiceChecks Checks() {
  ServiceChecks c(ServiceOf<RegisterCaseRequest>("Workshop"));
  c.On<RegisterCaseRequest>([](const RegisterCaseRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayRegisterCase(caller, r));
    RETURN_IF_ERROR(ValidateRegisterCase(r, kNow));
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    (void)Missing(r.facts(), r.direct());
    (void)QueueScore(kNow + kDeadlineMs, r.facts().urgency());
    return absl::OkStatus();
  });
  c.On<UpdateCaseRequest>([](const UpdateCaseRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ValidateCaseId(r.case_id()));
    RETURN_IF_ERROR(ValidateFacts(r.facts(), kNow));
    if (r.expected_version() < 1) return absl::InvalidArgumentError("expected_version: the version read, from 1");
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    Case stored;
    stored.set_sending_service_id("ilot");
    stored.set_registered_by("fuzz-account");
    RETURN_IF_ERROR(MayUpdateCase(caller, stored));
    (void)Missing(r.facts(), false);
    return absl::OkStatus();
  });
  c.On<GetCaseRequest>([](const GetCaseRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ValidateCaseId(r.case_id()));
    Case stored;
    stored.set_sending_service_id("ilot");
    return MayReadCase(caller, stored);
  });
  c.On<ListCasesRequest>([](const ListCasesRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayListCases(caller));
    if (!CaseState_IsValid(r.state())) return absl::InvalidArgumentError("state: unknown state");
    return PageLimit(r.limit(), 500).status();
  });
  c.On<GetWorkshopSessionRequest>([](const GetWorkshopSessionRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    return SlotOf(r.session_id());
  });
  c.On<SetSessionMembersRequest>([](const SetSessionMembersRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    RETURN_IF_ERROR(SlotOf(r.session_id()));
    RETURN_IF_ERROR(ValidateMembers(r.members()));
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<BuildAgendaRequest>([](const BuildAgendaRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    RETURN_IF_ERROR(SlotOf(r.session_id()));
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<ReorderAgendaRequest>([](const ReorderAgendaRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    RETURN_IF_ERROR(ValidateReorder(r));
    RETURN_IF_ERROR(SlotOf(r.session_id()));
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<CloseSessionRequest>([](const CloseSessionRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    if (r.session_id().empty()) return absl::InvalidArgumentError("session_id: required");
    RETURN_IF_ERROR(SlotOf(r.session_id()));
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<PreconiseRequest>([](const PreconiseRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    RETURN_IF_ERROR(ValidateCaseId(r.case_id()));
    RETURN_IF_ERROR(ValidatePreconisation(r.preconisation()));
    RETURN_IF_ERROR(ValidatePlan(r.plan(), kNow));
    if (r.expected_version() < 1) return absl::InvalidArgumentError("expected_version: the version read, from 1");
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    Approvals(r.preconisation().receiving_service_id(), false, nullptr);
    Approvals(r.preconisation().receiving_service_id(), true, nullptr);
    return absl::OkStatus();
  });
  c.On<RecordApprovalRequest>([](const RecordApprovalRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ValidateApproval(r));
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    Case stored;
    stored.set_sending_service_id("ilot");
    stored.mutable_preconisation()->set_receiving_service_id("ilot");
    RETURN_IF_ERROR(MayRecordApproval(caller, stored, r.party()));
    Approvals("ilot", false, &r);
    return absl::OkStatus();
  });
  c.On<DeclarePriorityPlacesRequest>([](const DeclarePriorityPlacesRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ValidateDeclarePlaces(r));
    RETURN_IF_ERROR(MayDeclarePlaces(caller, r.service_id()));
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<TakePriorityPlaceRequest>([](const TakePriorityPlaceRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    RETURN_IF_ERROR(ValidateCaseId(r.case_id()));
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<ReleasePriorityPlaceRequest>([](const ReleasePriorityPlaceRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ValidateCaseId(r.case_id()));
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    return MayReleasePlace(caller, "ilot");
  });
  c.On<ListPriorityPlacesRequest>([](const ListPriorityPlacesRequest&, const Caller& caller) {
    return MayListPlaces(caller);
  });
  c.On<GetWorkshopSummaryRequest>([](const GetWorkshopSummaryRequest&, const Caller& caller) {
    return MayReadSummary(caller);
  });
  c.RequireAll();
  return c;
}

}  // namespace
}  // namespace relais::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const relais::fuzz::ServiceChecks checks = relais::fuzz::Checks();
  return checks.Run(data, size);
}
