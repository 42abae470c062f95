#include "services/workshop/service.h"

#include "common/grpc_status.h"
#include "common/idempotency.h"
#include "common/page_limit.h"
#include "common/status_macros.h"
#include "common/timestamps.h"
#include "services/workshop/plan.h"
#include "services/workshop/rules.h"

namespace relais::workshop {
namespace {

using namespace relais::v1;

constexpr int kChangeRetries = 3;  // an approval retried when another party answered meanwhile

}  // namespace

WorkshopService::WorkshopService(Store& store, dispatch::BedsClient& beds, DispatchClient& dispatch,
                                 ServiceOptions options)
    : store_(store), beds_(beds), dispatch_(dispatch), options_(std::move(options)),
      work_(options_.workers, options_.max_pending) {}

WorkshopService::~WorkshopService() { work_.Stop(); }

absl::StatusOr<SessionSlot> WorkshopService::SlotOf(const std::string& session_id) const {
  if (session_id.empty() || session_id == kNextSession) return options_.schedule.Next(store_.NowMs());
  return options_.schedule.Slot(session_id);
}

absl::Status WorkshopService::InDirectory(const Caller& caller, std::string_view field, const std::string& service_id) {
  auto entry = beds_.Shelter(caller, service_id);
  if (absl::IsNotFound(entry.status())) return absl::NotFoundError(std::string(field) + ": not in the directory");
  return entry.status();
}

absl::Status WorkshopService::SessionAnswer(const SessionSlot& slot, Session* out) {
  auto session = store_.GetSession(slot);
  if (!session.ok()) return session.status();
  *out = std::move(*session);
  return absl::OkStatus();
}

// ---- Cases ----

WorkshopService::Reactor* WorkshopService::RegisterCase(Ctx* ctx, const RegisterCaseRequest* req,
                                                        RegisterCaseResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayRegisterCase(caller, *req));
    int64_t now = store_.NowMs();
    RETURN_IF_ERROR(ValidateRegisterCase(*req, now));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    if (!req->direct()) RETURN_IF_ERROR(InDirectory(caller, "sending_service_id", req->sending_service_id()));
    std::string fingerprint = RequestFingerprint(*req);
    auto retry = store_.AlreadyAnswered("register_case", req->idempotency_key(), fingerprint);
    if (!retry.ok()) return retry.status();
    if (!*retry) {
      // A referral that would be refused reads nothing of the person (every read is audited); the
      // script checks again atomically.
      auto open_case = store_.OpenCaseOf(req->person_id());
      if (!open_case.ok()) return open_case.status();
      if (!open_case->empty()) {
        return absl::AlreadyExistsError("person_id: the person already has an open case (" + *open_case + ")");
      }
      RETURN_IF_ERROR(dispatch_.CheckOrientationConsent(caller, req->person_id()));
    }
    Case c;
    c.set_person_id(req->person_id());
    c.set_sending_service_id(req->sending_service_id());
    c.set_direct(req->direct());
    *c.mutable_facts() = req->facts();
    *c.mutable_consent() = req->consent();
    c.mutable_consent()->set_recorded_by(caller.subject);
    *c.mutable_consent()->mutable_recorded_at() = TimestampFromMs(now);
    c.set_registered_by(caller.subject);
    auto id = store_.RegisterCase(c, req->idempotency_key(), fingerprint);
    if (!id.ok()) return id.status();
    auto registered = store_.GetCase(*id);
    if (!registered.ok()) return registered.status();
    *resp->mutable_case_() = std::move(*registered);
    return absl::OkStatus();
  });
}

WorkshopService::Reactor* WorkshopService::UpdateCase(Ctx* ctx, const UpdateCaseRequest* req, UpdateCaseResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateCaseId(req->case_id()));
    RETURN_IF_ERROR(ValidateFacts(req->facts(), store_.NowMs()));
    if (req->expected_version() < 1) return absl::InvalidArgumentError("expected_version: the version read, from 1");
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto current = store_.GetCase(req->case_id());
    if (!current.ok()) return current.status();
    RETURN_IF_ERROR(MayUpdateCase(caller, *current));
    if (current->direct() && !req->facts().referent().empty()) {
      return absl::InvalidArgumentError("facts.referent: a direct referral is for a person without a referent worker");
    }
    Case c = *current;
    *c.mutable_facts() = req->facts();
    RETURN_IF_ERROR(store_.UpdateCase(c, req->expected_version(), req->idempotency_key(), RequestFingerprint(*req)));
    auto now = store_.GetCase(req->case_id());
    if (!now.ok()) return now.status();
    *resp->mutable_case_() = std::move(*now);
    return absl::OkStatus();
  });
}

WorkshopService::Reactor* WorkshopService::GetCase(Ctx* ctx, const GetCaseRequest* req, GetCaseResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateCaseId(req->case_id()));
    auto c = store_.GetCase(req->case_id());
    if (!c.ok()) return c.status();
    RETURN_IF_ERROR(MayReadCase(caller, *c));
    *resp->mutable_case_() = std::move(*c);
    return absl::OkStatus();
  });
}

WorkshopService::Reactor* WorkshopService::ListCases(Ctx* ctx, const ListCasesRequest* req, ListCasesResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayListCases(caller));
    if (!CaseState_IsValid(req->state())) return absl::InvalidArgumentError("state: unknown state");
    auto limit = PageLimit(req->limit(), 500);
    if (!limit.ok()) return limit.status();
    std::vector<std::string> sending;
    if (caller.Is(Role::kShelter)) {
      if (caller.shelters.empty()) return absl::PermissionDeniedError("a shelter account names its shelters");
      sending = caller.shelters;  // a shelter sees the cases it sent
    }
    auto cases = store_.ListCases(req->state(), req->overdue_only(), sending, *limit);
    if (!cases.ok()) return cases.status();
    for (auto& c : *cases) {
      if (c.overdue()) resp->set_overdue(resp->overdue() + 1);
      if (c.near_deadline()) resp->set_near_deadline(resp->near_deadline() + 1);
      *resp->add_cases() = std::move(c);
    }
    return absl::OkStatus();
  });
}

// ---- Sessions ----

WorkshopService::Reactor* WorkshopService::GetWorkshopSession(Ctx* ctx, const GetWorkshopSessionRequest* req,
                                                              GetWorkshopSessionResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    auto slot = SlotOf(req->session_id());
    if (!slot.ok()) return slot.status();
    return SessionAnswer(*slot, resp->mutable_session());
  });
}

WorkshopService::Reactor* WorkshopService::SetSessionMembers(Ctx* ctx, const SetSessionMembersRequest* req,
                                                             SetSessionMembersResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    auto slot = SlotOf(req->session_id());
    if (!slot.ok()) return slot.status();
    RETURN_IF_ERROR(ValidateMembers(req->members()));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    RETURN_IF_ERROR(store_.SetMembers(*slot, req->members(), req->idempotency_key(), RequestFingerprint(*req)));
    return SessionAnswer(*slot, resp->mutable_session());
  });
}

WorkshopService::Reactor* WorkshopService::BuildAgenda(Ctx* ctx, const BuildAgendaRequest* req,
                                                       BuildAgendaResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    auto slot = SlotOf(req->session_id());
    if (!slot.ok()) return slot.status();
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto added = store_.BuildAgenda(*slot, req->idempotency_key(), RequestFingerprint(*req));
    if (!added.ok()) return added.status();
    resp->set_added(*added);
    resp->set_waiting(static_cast<int32_t>(store_.QueueLength()));
    return SessionAnswer(*slot, resp->mutable_session());
  });
}

WorkshopService::Reactor* WorkshopService::ReorderAgenda(Ctx* ctx, const ReorderAgendaRequest* req,
                                                         ReorderAgendaResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    RETURN_IF_ERROR(ValidateReorder(*req));
    auto slot = SlotOf(req->session_id());
    if (!slot.ok()) return slot.status();
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    RETURN_IF_ERROR(store_.ReorderAgenda(*slot, req->case_id(), req->position(), req->reason(), req->idempotency_key(),
                                         RequestFingerprint(*req)));
    return SessionAnswer(*slot, resp->mutable_session());
  });
}

WorkshopService::Reactor* WorkshopService::CloseSession(Ctx* ctx, const CloseSessionRequest* req,
                                                        CloseSessionResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    // A session is closed by its id: "next" may already name another session by the time the call runs.
    if (req->session_id().empty() || req->session_id() == kNextSession) {
      return absl::InvalidArgumentError("session_id: required, the session's own id (its start)");
    }
    auto slot = SlotOf(req->session_id());
    if (!slot.ok()) return slot.status();
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    RETURN_IF_ERROR(store_.CloseSession(*slot, req->idempotency_key(), RequestFingerprint(*req)));
    return SessionAnswer(*slot, resp->mutable_session());
  });
}

// ---- Préconisation and plan ----

WorkshopService::Reactor* WorkshopService::Preconise(Ctx* ctx, const PreconiseRequest* req, PreconiseResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    RETURN_IF_ERROR(ValidateCaseId(req->case_id()));
    RETURN_IF_ERROR(ValidatePreconisation(req->preconisation()));
    int64_t now = store_.NowMs();
    RETURN_IF_ERROR(ValidatePlan(req->plan(), now));
    if (req->expected_version() < 1) return absl::InvalidArgumentError("expected_version: the version read, from 1");
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    std::string fingerprint = RequestFingerprint(*req);
    auto retry = store_.AlreadyAnswered("preconise", req->idempotency_key(), fingerprint);
    if (!retry.ok()) return retry.status();
    auto c = store_.GetCase(req->case_id());
    if (!c.ok()) return c.status();
    if (!*retry) {
      if (c->state() != CASE_STATE_SCHEDULED) {
        return absl::FailedPreconditionError("case_id: the case is not on an agenda (préconisations are made in session)");
      }
      auto slot = options_.schedule.Slot(c->session_id());
      if (!slot.ok()) return absl::FailedPreconditionError("case_id: its session is no longer on the schedule");
      if (now < slot->start_ms) return absl::FailedPreconditionError("case_id: its session has not started yet");
      const std::string& receiving = req->preconisation().receiving_service_id();
      if (!receiving.empty()) RETURN_IF_ERROR(InDirectory(caller, "preconisation.receiving_service_id", receiving));
      // Sharing the situation with a receiving service needs the person's consent still in force.
      RETURN_IF_ERROR(dispatch_.CheckOrientationConsent(caller, c->person_id()));
      Case next = *c;
      *next.mutable_preconisation() = req->preconisation();
      next.mutable_preconisation()->set_session_id(c->session_id());
      *next.mutable_preconisation()->mutable_at() = TimestampFromMs(now);
      Plan* plan = next.mutable_plan();
      int number = c->plan().number() + 1;
      *plan = req->plan();
      plan->set_number(number);
      plan->set_state(PLAN_STATE_AWAITING_APPROVALS);
      for (Party p : PartiesFor(c->direct(), receiving)) plan->add_parties(p);
      *plan->mutable_proposed_at() = TimestampFromMs(now);
      RETURN_IF_ERROR(store_.Preconise(next, req->expected_version(), req->idempotency_key(), fingerprint));
      c = store_.GetCase(req->case_id());
      if (!c.ok()) return c.status();
    }
    *resp->mutable_case_() = std::move(*c);
    return absl::OkStatus();
  });
}

WorkshopService::Reactor* WorkshopService::RecordApproval(Ctx* ctx, const RecordApprovalRequest* req,
                                                          RecordApprovalResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateApproval(*req));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    std::string fingerprint = RequestFingerprint(*req);
    for (int attempt = 0;; ++attempt) {
      auto retry = store_.AlreadyAnswered("decide_plan", req->idempotency_key(), fingerprint);
      if (!retry.ok()) return retry.status();
      auto c = store_.GetCase(req->case_id());
      if (!c.ok()) return c.status();
      RETURN_IF_ERROR(MayRecordApproval(caller, *c, req->party()));
      if (*retry) {
        *resp->mutable_case_() = std::move(*c);
        return absl::OkStatus();
      }
      if (c->state() != CASE_STATE_PRECONISED) {
        return absl::FailedPreconditionError("case_id: no plan awaits approvals");
      }
      if (c->plan().number() != req->plan_number()) {
        return absl::FailedPreconditionError("plan_number: not the case's current plan (" +
                                             std::to_string(c->plan().number()) + ")");
      }
      Approval answer;
      answer.set_party(req->party());
      answer.set_approved(req->approved());
      answer.set_reason(req->reason());
      answer.set_recorded_by(caller.subject);
      *answer.mutable_at() = TimestampFromMs(store_.NowMs());
      Case next = *c;
      auto outcome = ApplyApproval(*next.mutable_plan(), answer);
      if (!outcome.ok()) return outcome.status();
      const char* code = *outcome == PlanOutcome::kApproved ? "approved"
                         : *outcome == PlanOutcome::kRefused ? "refused"
                                                             : "awaiting";
      auto decided = store_.DecidePlan(next, c->version(), answer, code, req->idempotency_key(), fingerprint);
      if (absl::IsAborted(decided) && attempt + 1 < kChangeRetries) continue;  // another party answered meanwhile
      RETURN_IF_ERROR(decided);
      auto now = store_.GetCase(req->case_id());
      if (!now.ok()) return now.status();
      *resp->mutable_case_() = std::move(*now);
      return absl::OkStatus();
    }
  });
}

// ---- Priority places ----

WorkshopService::Reactor* WorkshopService::DeclarePriorityPlaces(Ctx* ctx, const DeclarePriorityPlacesRequest* req,
                                                                 DeclarePriorityPlacesResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateDeclarePlaces(*req));
    RETURN_IF_ERROR(MayDeclarePlaces(caller, req->service_id()));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    RETURN_IF_ERROR(InDirectory(caller, "service_id", req->service_id()));
    auto pool = store_.DeclarePlaces(req->service_id(), req->places(), req->idempotency_key(), RequestFingerprint(*req));
    if (!pool.ok()) return pool.status();
    *resp->mutable_pool() = std::move(*pool);
    return absl::OkStatus();
  });
}

WorkshopService::Reactor* WorkshopService::TakePriorityPlace(Ctx* ctx, const TakePriorityPlaceRequest* req,
                                                             TakePriorityPlaceResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayRunWorkshop(caller));
    RETURN_IF_ERROR(ValidateCaseId(req->case_id()));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto c = store_.GetCase(req->case_id());
    if (!c.ok()) return c.status();
    const std::string& service = c->preconisation().receiving_service_id();
    if (service.empty()) return absl::FailedPreconditionError("case_id: the plan names no receiving service");
    auto pool = store_.PriorityPlace("take", c->id(), service, req->idempotency_key(), RequestFingerprint(*req));
    if (!pool.ok()) return pool.status();
    auto now = store_.GetCase(req->case_id());
    if (!now.ok()) return now.status();
    *resp->mutable_pool() = std::move(*pool);
    *resp->mutable_case_() = std::move(*now);
    return absl::OkStatus();
  });
}

WorkshopService::Reactor* WorkshopService::ReleasePriorityPlace(Ctx* ctx, const ReleasePriorityPlaceRequest* req,
                                                                ReleasePriorityPlaceResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateCaseId(req->case_id()));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto c = store_.GetCase(req->case_id());
    if (!c.ok()) return c.status();
    const std::string& service = c->preconisation().receiving_service_id();  // where a plan's place is
    RETURN_IF_ERROR(MayReleasePlace(caller, service));
    if (service.empty()) return absl::FailedPreconditionError("case_id: the case holds no priority place");
    auto pool = store_.PriorityPlace("release", c->id(), service, req->idempotency_key(), RequestFingerprint(*req));
    if (!pool.ok()) return pool.status();
    auto now = store_.GetCase(req->case_id());
    if (!now.ok()) return now.status();
    *resp->mutable_pool() = std::move(*pool);
    *resp->mutable_case_() = std::move(*now);
    return absl::OkStatus();
  });
}

WorkshopService::Reactor* WorkshopService::ListPriorityPlaces(Ctx* ctx, const ListPriorityPlacesRequest*,
                                                              ListPriorityPlacesResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayListPlaces(caller));
    auto pools = store_.ListPlaces();
    if (!pools.ok()) return pools.status();
    for (auto& p : *pools) *resp->add_pools() = std::move(p);
    return absl::OkStatus();
  });
}

WorkshopService::Reactor* WorkshopService::GetWorkshopSummary(Ctx* ctx, const GetWorkshopSummaryRequest*,
                                                              GetWorkshopSummaryResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayReadSummary(caller));
    auto summary = store_.Summary();
    if (!summary.ok()) return summary.status();
    *resp = std::move(*summary);
    return absl::OkStatus();
  });
}

}  // namespace relais::workshop
