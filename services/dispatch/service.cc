#include "services/dispatch/service.h"

#include "common/grpc_status.h"
#include "common/idempotency.h"
#include "common/page_limit.h"
#include "common/status_macros.h"
#include "common/timestamps.h"
#include "services/dispatch/grid.h"
#include "services/dispatch/rank.h"
#include "services/dispatch/rules.h"

namespace relais::dispatch {
namespace {

using namespace relais::v1;

constexpr int kChangeRetries = 3;  // a consent change retried when the record changed meanwhile

}  // namespace

DispatchService::DispatchService(Store& store, BedsClient& beds, ServiceOptions options)
    : store_(store), beds_(beds), options_(options), work_(options.workers, options.max_pending) {}

DispatchService::~DispatchService() { work_.Stop(); }

// ---- Calls ----

DispatchService::Reactor* DispatchService::OpenCall(Ctx* ctx, const OpenCallRequest* req, OpenCallResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayHandleCalls(caller));
    RETURN_IF_ERROR(ValidateOpenCall(*req));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto call = store_.OpenCall(req->caller_kind(), req->language(), req->idempotency_key(), RequestFingerprint(*req));
    if (!call.ok()) return call.status();
    *resp->mutable_call() = std::move(*call);
    return absl::OkStatus();
  });
}

absl::Status DispatchService::StepCall(const Caller& caller, const std::string& call_id, const Store::CallStep& step,
                                       const std::string& idem_key, const google::protobuf::Message& request,
                                       Call* call) {
  RETURN_IF_ERROR(MayHandleCalls(caller));
  RETURN_IF_ERROR(ValidateCallId(call_id));
  RETURN_IF_ERROR(ValidateIdempotencyKey(idem_key));
  auto stepped = store_.StepCall(call_id, step, idem_key, RequestFingerprint(request));
  if (!stepped.ok()) return stepped.status();
  *call = std::move(*stepped);
  return absl::OkStatus();
}

DispatchService::Reactor* DispatchService::AnswerCall(Ctx* ctx, const AnswerCallRequest* req, AnswerCallResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp] {
    return StepCall(caller, req->call_id(), {"answer", caller.subject, CALL_OUTCOME_UNSPECIFIED, "", ""},
                    req->idempotency_key(), *req, resp->mutable_call());
  });
}

DispatchService::Reactor* DispatchService::EndCall(Ctx* ctx, const EndCallRequest* req, EndCallResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    if (req->outcome() == CALL_OUTCOME_UNSPECIFIED || !CallOutcome_IsValid(req->outcome())) {
      return absl::InvalidArgumentError("outcome: required");
    }
    bool call_back = req->outcome() == CALL_OUTCOME_CALL_BACK_NEEDED;
    if (!call_back && !req->call_back_contact().empty()) {
      return absl::InvalidArgumentError("call_back_contact: only with the call-back outcome");
    }
    RETURN_IF_ERROR(ValidateContact("call_back_contact", req->call_back_contact(), call_back));
    return StepCall(caller, req->call_id(), {"end", caller.subject, req->outcome(), req->call_back_contact(), ""},
                    req->idempotency_key(), *req, resp->mutable_call());
  });
}

DispatchService::Reactor* DispatchService::MissCall(Ctx* ctx, const MissCallRequest* req, MissCallResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateContact("call_back_contact", req->call_back_contact(), false));
    return StepCall(caller, req->call_id(), {"miss", "", CALL_OUTCOME_UNSPECIFIED, req->call_back_contact(), ""},
                    req->idempotency_key(), *req, resp->mutable_call());
  });
}

DispatchService::Reactor* DispatchService::CompleteCallBack(Ctx* ctx, const CompleteCallBackRequest* req,
                                                            CompleteCallBackResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp] {
    return StepCall(caller, req->call_id(),
                    {"call_back", "", CALL_OUTCOME_UNSPECIFIED, "", req->reached() ? "done" : "unreachable"},
                    req->idempotency_key(), *req, resp->mutable_call());
  });
}

DispatchService::Reactor* DispatchService::ListCalls(Ctx* ctx, const ListCallsRequest* req, ListCallsResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayHandleCalls(caller));
    if (req->list() == CALL_LIST_UNSPECIFIED || !CallList_IsValid(req->list())) {
      return absl::InvalidArgumentError("list: required (waiting, call-backs or recent)");
    }
    auto limit = PageLimit(req->limit(), 500);
    if (!limit.ok()) return limit.status();
    auto list = store_.ListCalls(req->list(), *limit);
    if (!list.ok()) return list.status();
    *resp = std::move(*list);
    return absl::OkStatus();
  });
}

// ---- Persons ----

DispatchService::Reactor* DispatchService::CreatePerson(Ctx* ctx, const CreatePersonRequest* req,
                                                        CreatePersonResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayWritePerson(caller));
    int64_t now = store_.NowMs();
    RETURN_IF_ERROR(ValidatePerson(req->person(), now));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto grid = store_.Grid();
    if (!grid.ok()) return grid.status();
    Person person = req->person();
    person.clear_id();
    if (person.consent().scope() != CONSENT_SCOPE_UNSPECIFIED) {
      *person.mutable_consent()->mutable_given_at() = TimestampFromMs(now);
    }
    person.mutable_consent()->set_withdrawn(false);
    person.mutable_consent()->clear_withdrawn_at();
    *person.mutable_vulnerability() = Decide(person, *grid);
    auto created = store_.CreatePerson(std::move(person), req->idempotency_key(), RequestFingerprint(*req));
    if (!created.ok()) return created.status();
    *resp->mutable_person() = std::move(*created);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::UpdatePerson(Ctx* ctx, const UpdatePersonRequest* req,
                                                        UpdatePersonResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayWritePerson(caller));
    RETURN_IF_ERROR(ValidatePersonId(req->person().id()));
    if (req->expected_version() < 1) return absl::InvalidArgumentError("expected_version: the version read, from 1");
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto current = store_.LoadPerson(req->person().id());
    if (!current.ok()) return current.status();
    Person person = req->person();
    *person.mutable_consent() = current->consent();  // consent changes only through SetConsent
    RETURN_IF_ERROR(ValidatePerson(person, store_.NowMs()));
    auto grid = store_.Grid();
    if (!grid.ok()) return grid.status();
    *person.mutable_vulnerability() = Decide(person, *grid);
    auto replaced = store_.ReplacePerson(std::move(person), req->expected_version(), "person.updated",
                                         req->idempotency_key(), RequestFingerprint(*req));
    if (!replaced.ok()) return replaced.status();
    *resp->mutable_person() = std::move(*replaced);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::GetPerson(Ctx* ctx, const GetPersonRequest* req, GetPersonResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidatePersonId(req->person_id()));
    auto scope = ScopeNeededToRead(caller, req->purpose());
    if (!scope.ok()) return scope.status();
    Reader reader{caller.subject, std::string(RoleName(caller.role)), req->purpose(), *scope};
    auto person = store_.ReadPerson(req->person_id(), reader);
    if (!person.ok()) return person.status();
    // An alias lives only as long as the consent that allowed it.
    if (!ConsentInForce(person->consent(), store_.NowMs())) person->clear_alias();
    *resp->mutable_person() = std::move(*person);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::SetConsent(Ctx* ctx, const SetConsentRequest* req, SetConsentResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayWritePerson(caller));
    int64_t now = store_.NowMs();
    RETURN_IF_ERROR(ValidateConsentChange(*req, now));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    absl::Status last;
    for (int attempt = 0; attempt < kChangeRetries; ++attempt) {
      auto current = store_.LoadPerson(req->person_id());
      if (!current.ok()) return current.status();
      Person person = *current;
      Consent* consent = person.mutable_consent();
      if (req->withdraw()) {
        if (!ConsentInForce(*consent, now)) return absl::FailedPreconditionError("person_id: no consent in force to withdraw");
        consent->set_withdrawn(true);
        *consent->mutable_withdrawn_at() = TimestampFromMs(now);
        person.clear_alias();  // identifying details go with the consent
      } else {
        consent->set_scope(req->scope());
        *consent->mutable_expires_at() = req->expires_at();
        *consent->mutable_given_at() = TimestampFromMs(now);
        consent->set_withdrawn(false);
        consent->clear_withdrawn_at();
      }
      auto replaced = store_.ReplacePerson(std::move(person), current->version(), "person.consent",
                                           req->idempotency_key(), RequestFingerprint(*req));
      if (replaced.ok()) {
        *resp->mutable_person() = std::move(*replaced);
        return absl::OkStatus();
      }
      last = replaced.status();
      if (!absl::IsAborted(last)) return last;
    }
    return last;
  });
}

DispatchService::Reactor* DispatchService::ListPersonAudit(Ctx* ctx, const ListPersonAuditRequest* req,
                                                           ListPersonAuditResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayReadAudit(caller));
    RETURN_IF_ERROR(ValidatePersonId(req->person_id()));
    auto limit = PageLimit(req->limit(), 1000);
    if (!limit.ok()) return limit.status();
    auto entries = store_.PersonAudit(req->person_id(), *limit);
    if (!entries.ok()) return entries.status();
    for (auto& e : *entries) *resp->add_entries() = std::move(e);
    return absl::OkStatus();
  });
}

// ---- Requests, proposals, queue ----

DispatchService::Reactor* DispatchService::CreatePlaceRequest(Ctx* ctx, const CreatePlaceRequestRequest* req,
                                                              CreatePlaceRequestResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    RETURN_IF_ERROR(ValidatePlaceRequest(*req));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto person = store_.LoadPerson(req->person_id());  // for its categories; not disclosed, not a read
    if (!person.ok()) return person.status();
    PlaceRequest request;
    request.set_person_id(req->person_id());
    request.set_lane(LaneFor(*person));
    for (auto& p : PublicsFor(*person)) request.add_publics(std::move(p));
    *request.mutable_preferred_communes() = req->preferred_communes();
    request.set_preferred_shelter_id(req->preferred_shelter_id());
    auto id = store_.CreateRequest(request, *person, req->idempotency_key(), RequestFingerprint(*req));
    if (!id.ok()) return id.status();
    auto created = store_.GetRequest(*id);
    if (!created.ok()) return created.status();
    *resp->mutable_request() = std::move(*created);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::GetPlaceRequest(Ctx* ctx, const GetPlaceRequestRequest* req,
                                                           GetPlaceRequestResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    RETURN_IF_ERROR(ValidateRequestId(req->request_id()));
    auto request = store_.GetRequest(req->request_id());
    if (!request.ok()) return request.status();
    *resp->mutable_request() = std::move(*request);
    return absl::OkStatus();
  });
}

absl::StatusOr<DispatchService::LoadedProposal> DispatchService::LoadProposal(const std::string& proposal_id) {
  auto proposal = store_.GetProposal(proposal_id);
  if (!proposal.ok()) return proposal.status();
  auto request = store_.GetRequest(proposal->request_id());
  if (!request.ok()) return request.status();
  auto pool = SplitPoolId(proposal->pool_id());
  if (!pool.ok()) return absl::InternalError("stored proposal names a malformed pool");
  return LoadedProposal{std::move(*proposal), std::move(*request), pool->second};
}

absl::StatusOr<RankCandidatesResponse> DispatchService::RankNow(const Caller& caller, const std::string& request_id,
                                                                int limit) {
  auto request = store_.GetRequest(request_id);
  if (!request.ok()) return request.status();
  auto facts = store_.RequestFacts(request_id);
  if (!facts.ok()) return facts.status();
  auto pools = beds_.PoolsWithFreePlaces(caller);
  if (!pools.ok()) return pools.status();
  auto shelters = beds_.Directory(caller);
  if (!shelters.ok()) return shelters.status();
  RankInput in{*facts, *request, *pools, *shelters};
  RankCandidatesResponse out;
  for (auto& a : Alternatives(in, 5)) *out.add_alternatives() = std::move(a);
  auto ranked = Rank(in);
  for (size_t i = 0; i < ranked.size() && static_cast<int>(i) < limit; ++i) *out.add_candidates() = std::move(ranked[i]);
  return out;
}

DispatchService::Reactor* DispatchService::RankCandidates(Ctx* ctx, const RankCandidatesRequest* req,
                                                          RankCandidatesResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    RETURN_IF_ERROR(ValidateRequestId(req->request_id()));
    auto limit = PageLimit(req->limit() == 0 ? 10 : req->limit(), 50);
    if (!limit.ok()) return limit.status();
    auto ranked = RankNow(caller, req->request_id(), *limit);
    if (!ranked.ok()) return ranked.status();
    *resp = std::move(*ranked);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::Propose(Ctx* ctx, const ProposeRequest* req, ProposeResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    RETURN_IF_ERROR(ValidateRequestId(req->request_id()));
    auto pool = SplitPoolId(req->pool_id());
    if (!pool.ok()) return pool.status();
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto request = store_.GetRequest(req->request_id());
    if (!request.ok()) return request.status();
    if (std::find(request->publics().begin(), request->publics().end(), pool->second) == request->publics().end()) {
      return absl::InvalidArgumentError("pool_id: its public does not fit the person");
    }
    auto id = store_.Propose(req->request_id(), req->pool_id(), pool->second, req->idempotency_key(),
                             RequestFingerprint(*req));
    if (!id.ok()) return id.status();
    auto proposal = store_.GetProposal(*id);
    if (!proposal.ok()) return proposal.status();
    *resp->mutable_proposal() = std::move(*proposal);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::AcceptProposal(Ctx* ctx, const AcceptProposalRequest* req,
                                                          AcceptProposalResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    RETURN_IF_ERROR(ValidateProposalId(req->proposal_id()));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto loaded = LoadProposal(req->proposal_id());
    if (!loaded.ok()) return loaded.status();
    auto& [proposal, request, public_code] = *loaded;
    std::string fingerprint = RequestFingerprint(*req);
    if (proposal.state() == PROPOSAL_STATE_PROPOSED) {
      // One hold per proposal, whatever the retries: the beds service's idempotency key is the proposal's.
      HoldKind kind = request.lane() == LANE_MEDICAL ? HOLD_KIND_MEDICAL : HOLD_KIND_STANDARD;
      auto held = beds_.TakeHold(caller, proposal.pool_id(), proposal.request_id(), kind, "accept:" + proposal.id());
      if (held.ok()) {
        RETURN_IF_ERROR(store_.Decide(proposal, request.lane(), "accepted", held->hold().id(),
                                      REFUSAL_REASON_UNSPECIFIED, public_code, req->idempotency_key(), fingerprint));
      } else if (absl::IsFailedPrecondition(held.status()) || absl::IsNotFound(held.status())) {
        RETURN_IF_ERROR(store_.Decide(proposal, request.lane(), "place_gone", "", REFUSAL_REASON_UNSPECIFIED,
                                      public_code, req->idempotency_key(), fingerprint));
      } else {
        return held.status();
      }
    }
    auto decided = store_.GetProposal(req->proposal_id());
    if (!decided.ok()) return decided.status();
    if (decided->state() != PROPOSAL_STATE_ACCEPTED && decided->state() != PROPOSAL_STATE_PLACE_GONE) {
      return absl::FailedPreconditionError("proposal_id: the proposal was already answered");
    }
    auto now = store_.GetRequest(decided->request_id());
    if (!now.ok()) return now.status();
    if (decided->state() == PROPOSAL_STATE_PLACE_GONE && now->state() == PLACE_REQUEST_STATE_WAITING) {
      auto next = RankNow(caller, decided->request_id(), 1);
      if (next.ok() && next->candidates_size() > 0) *resp->mutable_next_candidate() = next->candidates(0);
    }
    *resp->mutable_proposal() = std::move(*decided);
    *resp->mutable_request() = std::move(*now);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::RefuseProposal(Ctx* ctx, const RefuseProposalRequest* req,
                                                          RefuseProposalResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    RETURN_IF_ERROR(ValidateProposalId(req->proposal_id()));
    if (req->reason() == REFUSAL_REASON_UNSPECIFIED || !RefusalReason_IsValid(req->reason())) {
      return absl::InvalidArgumentError("reason: required");
    }
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto loaded = LoadProposal(req->proposal_id());
    if (!loaded.ok()) return loaded.status();
    auto& [proposal, request, public_code] = *loaded;
    RETURN_IF_ERROR(store_.Decide(proposal, request.lane(), "refused", "", req->reason(), public_code,
                                  req->idempotency_key(), RequestFingerprint(*req)));
    auto decided = store_.GetProposal(req->proposal_id());
    if (!decided.ok()) return decided.status();
    auto now = store_.GetRequest(decided->request_id());
    if (!now.ok()) return now.status();
    *resp->mutable_proposal() = std::move(*decided);
    *resp->mutable_request() = std::move(*now);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::ListQueue(Ctx* ctx, const ListQueueRequest* req, ListQueueResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    if (!Lane_IsValid(req->lane())) return absl::InvalidArgumentError("lane: unknown lane");
    auto limit = PageLimit(req->limit(), 500);
    if (!limit.ok()) return limit.status();
    auto queue = store_.ListQueue(req->lane(), *limit);
    if (!queue.ok()) return queue.status();
    *resp = std::move(*queue);
    return absl::OkStatus();
  });
}

// ---- Offers and the night close-out ----

DispatchService::Reactor* DispatchService::ListOffers(Ctx* ctx, const ListOffersRequest* req, ListOffersResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    auto limit = PageLimit(req->limit() == 0 ? 20 : req->limit(), 100);
    if (!limit.ok()) return limit.status();
    auto queue = store_.ListQueue(LANE_UNSPECIFIED, 500);
    if (!queue.ok()) return queue.status();
    if (queue->requests_size() == 0) return absl::OkStatus();
    auto pools = beds_.PoolsWithFreePlaces(caller);
    if (!pools.ok()) return pools.status();
    auto shelters = beds_.Directory(caller);
    if (!shelters.ok()) return shelters.status();
    // In queue order, each request is offered the best place still unoffered: a place goes to the
    // first request it fits, never to two requests at once.
    for (const auto& request : queue->requests()) {
      if (resp->offers_size() == *limit) break;
      auto facts = store_.RequestFacts(request.id());
      if (!facts.ok()) return facts.status();
      auto ranked = Rank(RankInput{*facts, request, *pools, *shelters});
      if (ranked.empty()) continue;
      Offer* offer = resp->add_offers();
      *offer->mutable_request() = request;
      *offer->mutable_candidate() = ranked.front();
      for (auto& pool : *pools) {
        if (pool.id() == ranked.front().pool_id()) pool.set_free(pool.free() - 1);
      }
    }
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::CloseNight(Ctx* ctx, const CloseNightRequest* req, CloseNightResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto closed = store_.CloseNight(req->idempotency_key(), RequestFingerprint(*req));
    if (!closed.ok()) return closed.status();
    *resp = std::move(*closed);
    return absl::OkStatus();
  });
}

// ---- Street reports ----

void DispatchService::RedactForCaller(const Caller& caller, StreetReport& report) {
  if (caller.Is(Role::kTeam)) report.clear_reporter_contact();
}

DispatchService::Reactor* DispatchService::CreateStreetReport(Ctx* ctx, const CreateStreetReportRequest* req,
                                                              CreateStreetReportResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayTakeReports(caller));
    RETURN_IF_ERROR(ValidateStreetReport(req->report()));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    StreetReport report = req->report();
    report.set_route(Routing::RouteFor(report));
    report.set_team(options_.routing.TeamFor(report.route(), report.commune()));
    if (report.team().empty()) {
      return absl::FailedPreconditionError("report.commune: no team covers this commune for this need (street routing)");
    }
    auto id = store_.CreateReport(report, req->idempotency_key(), RequestFingerprint(*req));
    if (!id.ok()) return id.status();
    auto created = store_.GetReport(*id);
    if (!created.ok()) return created.status();
    auto window = std::chrono::duration_cast<std::chrono::milliseconds>(options_.merge_window).count();
    auto nearby = store_.OpenReportsIn(created->commune(), store_.NowMs() - window);
    if (!nearby.ok()) return nearby.status();
    for (auto& other : *nearby) {
      if (other.id() != created->id() && SameSpot(*created, other)) *resp->add_possible_duplicates() = std::move(other);
    }
    *resp->mutable_report() = std::move(*created);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::GetStreetReport(Ctx* ctx, const GetStreetReportRequest* req,
                                                           GetStreetReportResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateReportId(req->report_id()));
    auto report = store_.GetReport(req->report_id());
    if (!report.ok()) return report.status();
    RETURN_IF_ERROR(MayFollowReport(caller, *report));
    RedactForCaller(caller, *report);
    *resp->mutable_report() = std::move(*report);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::AdvanceStreetReport(Ctx* ctx, const AdvanceStreetReportRequest* req,
                                                               AdvanceStreetReportResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(ValidateReportId(req->report_id()));
    if (req->state() == STREET_REPORT_STATE_UNSPECIFIED || req->state() == STREET_REPORT_STATE_NEW ||
        !StreetReportState_IsValid(req->state())) {
      return absl::InvalidArgumentError("state: the next state (assigned, on the way, found, not found or closed)");
    }
    bool closing = req->state() == STREET_REPORT_STATE_CLOSED;
    if (closing && (req->outcome() == STREET_OUTCOME_UNSPECIFIED || req->outcome() == STREET_OUTCOME_MERGED ||
                    !StreetOutcome_IsValid(req->outcome()))) {
      return absl::InvalidArgumentError("outcome: required to close (merging is MergeStreetReport)");
    }
    if (!closing && req->outcome() != STREET_OUTCOME_UNSPECIFIED) {
      return absl::InvalidArgumentError("outcome: only when closing");
    }
    if (!req->team().empty() && req->state() != STREET_REPORT_STATE_ASSIGNED) {
      return absl::InvalidArgumentError("team: only when assigning");
    }
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto report = store_.GetReport(req->report_id());
    if (!report.ok()) return report.status();
    RETURN_IF_ERROR(MayFollowReport(caller, *report));
    Store::ReportStep step{req->state(), req->outcome(), report->team(), "", ""};
    if (caller.Is(Role::kTeam)) step.acting_team = caller.team;
    if (!req->team().empty()) {
      if (caller.Is(Role::kTeam)) return absl::PermissionDeniedError("a team does not route reports to another team");
      if (req->team().size() > 64) return absl::InvalidArgumentError("team: at most 64 characters");
      step.new_team = req->team();
    }
    RETURN_IF_ERROR(store_.AdvanceReport(*report, step, req->idempotency_key(), RequestFingerprint(*req)));
    auto now = store_.GetReport(req->report_id());
    if (!now.ok()) return now.status();
    RedactForCaller(caller, *now);
    *resp->mutable_report() = std::move(*now);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::MergeStreetReport(Ctx* ctx, const MergeStreetReportRequest* req,
                                                             MergeStreetReportResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayTakeReports(caller));
    RETURN_IF_ERROR(ValidateReportId(req->report_id()));
    RETURN_IF_ERROR(ValidateReportId(req->into_report_id(), "into_report_id"));
    if (req->report_id() == req->into_report_id()) return absl::InvalidArgumentError("into_report_id: another report");
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto into = store_.GetReport(req->into_report_id());
    if (!into.ok()) return absl::NotFoundError("into_report_id: no such report");
    if (into->state() == STREET_REPORT_STATE_CLOSED) {
      return absl::FailedPreconditionError("into_report_id: that report is closed");
    }
    auto report = store_.GetReport(req->report_id());
    if (!report.ok()) return report.status();
    Store::ReportStep step{STREET_REPORT_STATE_CLOSED, STREET_OUTCOME_MERGED, report->team(), "", into->id()};
    RETURN_IF_ERROR(store_.AdvanceReport(*report, step, req->idempotency_key(), RequestFingerprint(*req)));
    auto now = store_.GetReport(req->report_id());
    if (!now.ok()) return now.status();
    *resp->mutable_report() = std::move(*now);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::ListStreetReports(Ctx* ctx, const ListStreetReportsRequest* req,
                                                             ListStreetReportsResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    std::string team;
    if (caller.Is(Role::kTeam)) {
      if (caller.team.empty()) return absl::PermissionDeniedError("a team account names its team");
      team = caller.team;
    } else {
      RETURN_IF_ERROR(MayTakeReports(caller));
    }
    auto limit = PageLimit(req->limit(), 500);
    if (!limit.ok()) return limit.status();
    auto reports = store_.ListReports(team, req->open_only(), *limit);
    if (!reports.ok()) return reports.status();
    for (auto& r : *reports) {
      RedactForCaller(caller, r);
      *resp->add_reports() = std::move(r);
    }
    return absl::OkStatus();
  });
}

// ---- Pass night ----

DispatchService::Reactor* DispatchService::HoldPassNight(Ctx* ctx, const HoldPassNightRequest* req,
                                                         HoldPassNightResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    if (!caller.Is(Role::kTeam) || caller.team.empty()) {
      return absl::PermissionDeniedError("pass night places are held by mobile teams");
    }
    if (req->public_().empty()) return absl::InvalidArgumentError("public: required");
    if (req->preferred_communes_size() > kMaxPreferredCommunes) {
      return absl::InvalidArgumentError("preferred_communes: at most 5");
    }
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto pools = beds_.PoolsWithFreePlaces(caller);
    if (!pools.ok()) return pools.status();
    std::vector<v1::Pool> fitting;
    for (auto& p : *pools) {
      if (p.public_() == req->public_() && p.free() > 0) fitting.push_back(std::move(p));
    }
    auto preferred = [&](const v1::Pool& p) {
      return std::find(req->preferred_communes().begin(), req->preferred_communes().end(), p.commune()) !=
             req->preferred_communes().end();
    };
    std::stable_sort(fitting.begin(), fitting.end(), [&](const v1::Pool& a, const v1::Pool& b) {
      if (preferred(a) != preferred(b)) return preferred(a);
      return a.free() > b.free();
    });
    std::string fingerprint = RequestFingerprint(*req);
    // A place taken by someone else between the read and the hold: try the next one.
    for (size_t attempt = 0; attempt < std::min<size_t>(3, fitting.size()); ++attempt) {
      auto reserved = store_.ReservePassNight(caller.team, options_.pass_night_quota, fitting[attempt].id(),
                                              req->idempotency_key(), fingerprint);
      if (!reserved.ok()) return reserved.status();
      std::string key = "pass-night:" + caller.team + ":" + req->idempotency_key();
      auto held = beds_.TakeHold(caller, reserved->pool_id, "pass-night-" + caller.team, HOLD_KIND_PASS_NIGHT, key);
      if (held.ok()) {
        resp->set_hold_id(held->hold().id());
        resp->set_pool_id(held->hold().pool_id());
        for (const auto& p : fitting) {
          if (p.id() == held->hold().pool_id()) resp->set_shelter_name(p.shelter_name());
        }
        *resp->mutable_deadline() = held->hold().deadline();
        resp->set_quota(options_.pass_night_quota);
        resp->set_used(reserved->used);
        return absl::OkStatus();
      }
      RETURN_IF_ERROR(store_.ReleasePassNight(caller.team, req->idempotency_key()));
      if (!absl::IsFailedPrecondition(held.status())) return held.status();
    }
    return absl::FailedPreconditionError("public: no free place for this public now");
  });
}

DispatchService::Reactor* DispatchService::GetPassNightQuota(Ctx* ctx, const GetPassNightQuotaRequest* req,
                                                             GetPassNightQuotaResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    std::string team = req->team().empty() ? caller.team : req->team();
    if (caller.Is(Role::kTeam)) {
      if (team != caller.team) return absl::PermissionDeniedError("a team sees its own quota");
    } else {
      RETURN_IF_ERROR(MayTakeReports(caller));
    }
    if (team.empty() || team.size() > 64) return absl::InvalidArgumentError("team: required");
    auto used = store_.PassNightUsed(team);
    if (!used.ok()) return used.status();
    resp->set_team(team);
    resp->set_night(Store::NightOf(store_.NowMs()));
    resp->set_quota(options_.pass_night_quota);
    resp->set_used(*used);
    return absl::OkStatus();
  });
}

// ---- Vulnerability grid ----

DispatchService::Reactor* DispatchService::GetVulnerabilityGrid(Ctx* ctx, const GetVulnerabilityGridRequest*,
                                                                GetVulnerabilityGridResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, resp]() -> absl::Status {
    RETURN_IF_ERROR(MayReadGrid(caller));
    auto grid = store_.Grid();
    if (!grid.ok()) return grid.status();
    *resp->mutable_grid() = std::move(*grid);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::SetVulnerabilityGrid(Ctx* ctx, const SetVulnerabilityGridRequest* req,
                                                                SetVulnerabilityGridResponse* resp) {
  Caller caller = CallerFromMetadata(ctx->client_metadata());
  return RunUnary(ctx, work_, [this, caller, req, resp]() -> absl::Status {
    RETURN_IF_ERROR(MaySetGrid(caller));
    RETURN_IF_ERROR(ValidateGrid(req->grid()));
    RETURN_IF_ERROR(ValidateIdempotencyKey(req->idempotency_key()));
    auto grid = store_.SetGrid(req->grid(), req->idempotency_key(), RequestFingerprint(*req));
    if (!grid.ok()) return grid.status();
    *resp->mutable_grid() = std::move(*grid);
    return absl::OkStatus();
  });
}

}  // namespace relais::dispatch
