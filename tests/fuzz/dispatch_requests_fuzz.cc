// The dispatch service's requests: each method's validation and rights, as
// services/dispatch/service.cc runs them before Redis (frame: service_fuzz.h). A valid person also goes
// through the vulnerability grid, the publics and lane it gets and the ranking of a small bed board,
// and a valid street report through its routing: what a created person or report meets next.
#include "common/idempotency.h"
#include "common/page_limit.h"
#include "relais/v1/dispatch.grpc.pb.h"
#include "services/dispatch/grid.h"
#include "services/dispatch/rank.h"
#include "services/dispatch/routing.h"
#include "services/dispatch/rules.h"
#include "tests/fuzz/service_fuzz.h"

namespace relais::fuzz {
namespace {

using namespace relais::v1;
using namespace relais::dispatch;

constexpr int64_t kNow = 1764000000000;  // 2025-11-24

// What a valid person meets after creation: the grid's decision, the publics and lane of a request,
// the ranking of a few pools and the alternatives.
void Place(const Person& in) {
  Person person = in;
  *person.mutable_vulnerability() = Decide(person, DefaultGrid());
  auto publics = PublicsFor(person);
  if (publics.empty()) abort();
  PlaceRequest request;
  request.set_lane(LaneFor(person));
  for (auto& p : publics) request.add_publics(p);
  static const std::vector<Pool> pools = [] {
    std::vector<Pool> out;
    for (const char* pub : {"single_men", "single_women", "families", "minors", "medical"}) {
      Pool p;
      p.set_id(std::string("ilot:") + pub);
      p.set_shelter_id("ilot");
      p.set_public_(pub);
      p.set_commune("saint-gilles");
      p.set_free(2);
      out.push_back(p);
    }
    return out;
  }();
  static const std::vector<Shelter> shelters = [] {
    Shelter s;
    s.set_id("ilot");
    s.set_commune("saint-gilles");
    s.add_languages("fr");
    s.add_languages("nl");
    s.mutable_conditions()->set_pets_allowed(true);
    Shelter cpas;
    cpas.set_id("cpas-saint-gilles");
    cpas.set_kind(SERVICE_KIND_CPAS);
    cpas.set_commune("saint-gilles");
    return std::vector<Shelter>{s, cpas};
  }();
  RankInput rank{person, request, pools, shelters};
  for (const auto& c : Rank(rank)) {
    if (c.pool_id().empty()) abort();
  }
  (void)Alternatives(rank, 5);
}

ServiceChecks Checks() {
  ServiceChecks c(ServiceOf<OpenCallRequest>("Dispatch"));
  auto step = [](const std::string& call_id, const std::string& key, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayHandleCalls(caller));
    RETURN_IF_ERROR(ValidateCallId(call_id));
    return ValidateIdempotencyKey(key);
  };
  c.On<OpenCallRequest>([](const OpenCallRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayHandleCalls(caller));
    RETURN_IF_ERROR(ValidateOpenCall(r));
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<AnswerCallRequest>([step](const AnswerCallRequest& r, const Caller& caller) {
    return step(r.call_id(), r.idempotency_key(), caller);
  });
  c.On<EndCallRequest>([step](const EndCallRequest& r, const Caller& caller) -> absl::Status {
    if (r.outcome() == CALL_OUTCOME_UNSPECIFIED || !CallOutcome_IsValid(r.outcome())) {
      return absl::InvalidArgumentError("outcome: required");
    }
    bool call_back = r.outcome() == CALL_OUTCOME_CALL_BACK_NEEDED;
    if (!call_back && !r.call_back_contact().empty()) {
      return absl::InvalidArgumentError("call_back_contact: only with the call-back outcome");
    }
    RETURN_IF_ERROR(ValidateContact("call_back_contact", r.call_back_contact(), call_back));
    return step(r.call_id(), r.idempotency_key(), caller);
  });
  c.On<MissCallRequest>([step](const MissCallRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ValidateContact("call_back_contact", r.call_back_contact(), false));
    return step(r.call_id(), r.idempotency_key(), caller);
  });
  c.On<CompleteCallBackRequest>([step](const CompleteCallBackRequest& r, const Caller& caller) {
    return step(r.call_id(), r.idempotency_key(), caller);
  });
  c.On<ListCallsRequest>([](const ListCallsRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayHandleCalls(caller));
    if (r.list() == CALL_LIST_UNSPECIFIED || !CallList_IsValid(r.list())) {
      return absl::InvalidArgumentError("list: required (waiting, call-backs or recent)");
    }
    return PageLimit(r.limit(), 500).status();
  });
  c.On<CreatePersonRequest>([](const CreatePersonRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayWritePerson(caller));
    RETURN_IF_ERROR(ValidatePerson(r.person(), kNow));
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    Place(r.person());
    return absl::OkStatus();
  });
  c.On<UpdatePersonRequest>([](const UpdatePersonRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayWritePerson(caller));
    RETURN_IF_ERROR(ValidatePersonId(r.person().id()));
    if (r.expected_version() < 1) return absl::InvalidArgumentError("expected_version: the version read, from 1");
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    Person person = r.person();
    person.clear_consent();  // consent changes only through SetConsent: the stored one is kept
    RETURN_IF_ERROR(ValidatePerson(person, kNow));
    Place(person);
    return absl::OkStatus();
  });
  c.On<GetPersonRequest>([](const GetPersonRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ValidatePersonId(r.person_id()));
    return ScopeNeededToRead(caller, r.purpose()).status();
  });
  c.On<SetConsentRequest>([](const SetConsentRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayWritePerson(caller));
    RETURN_IF_ERROR(ValidateConsentChange(r, kNow));
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    Consent consent;
    consent.set_scope(r.scope());
    *consent.mutable_expires_at() = r.expires_at();
    (void)ConsentInForce(consent, kNow);
    return absl::OkStatus();
  });
  c.On<ListPersonAuditRequest>([](const ListPersonAuditRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayReadAudit(caller));
    RETURN_IF_ERROR(ValidatePersonId(r.person_id()));
    return PageLimit(r.limit(), 1000).status();
  });
  c.On<CreatePlaceRequestRequest>([](const CreatePlaceRequestRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    RETURN_IF_ERROR(ValidatePlaceRequest(r));
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<GetPlaceRequestRequest>([](const GetPlaceRequestRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    return ValidateRequestId(r.request_id());
  });
  c.On<RankCandidatesRequest>([](const RankCandidatesRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    RETURN_IF_ERROR(ValidateRequestId(r.request_id()));
    return PageLimit(r.limit() == 0 ? 10 : r.limit(), 50).status();
  });
  c.On<ProposeRequest>([](const ProposeRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    RETURN_IF_ERROR(ValidateRequestId(r.request_id()));
    auto pool = SplitPoolId(r.pool_id());
    if (!pool.ok()) return pool.status();
    if (pool->first + ":" + pool->second != r.pool_id()) abort();
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<AcceptProposalRequest>([](const AcceptProposalRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    RETURN_IF_ERROR(ValidateProposalId(r.proposal_id()));
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<RefuseProposalRequest>([](const RefuseProposalRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    RETURN_IF_ERROR(ValidateProposalId(r.proposal_id()));
    if (r.reason() == REFUSAL_REASON_UNSPECIFIED || !RefusalReason_IsValid(r.reason())) {
      return absl::InvalidArgumentError("reason: required");
    }
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<ListQueueRequest>([](const ListQueueRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    if (!Lane_IsValid(r.lane())) return absl::InvalidArgumentError("lane: unknown lane");
    return PageLimit(r.limit(), 500).status();
  });
  c.On<ListOffersRequest>([](const ListOffersRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    return PageLimit(r.limit() == 0 ? 20 : r.limit(), 100).status();
  });
  c.On<CloseNightRequest>([](const CloseNightRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayDispatch(caller));
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<CreateStreetReportRequest>([](const CreateStreetReportRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayTakeReports(caller));
    RETURN_IF_ERROR(ValidateStreetReport(r.report()));
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    static const Routing routing = *Routing::Parse(kDefaultStreetRouting);
    StreetReport report = r.report();
    report.set_route(Routing::RouteFor(report));
    (void)routing.TeamFor(report.route(), report.commune());
    (void)SameSpot(report, r.report());
    return absl::OkStatus();
  });
  c.On<GetStreetReportRequest>([](const GetStreetReportRequest& r, const Caller&) {
    return ValidateReportId(r.report_id());
  });
  c.On<AdvanceStreetReportRequest>([](const AdvanceStreetReportRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(ValidateReportId(r.report_id()));
    if (r.state() == STREET_REPORT_STATE_UNSPECIFIED || r.state() == STREET_REPORT_STATE_NEW ||
        !StreetReportState_IsValid(r.state())) {
      return absl::InvalidArgumentError("state: the next state (assigned, on the way, found, not found or closed)");
    }
    bool closing = r.state() == STREET_REPORT_STATE_CLOSED;
    if (closing && (r.outcome() == STREET_OUTCOME_UNSPECIFIED || r.outcome() == STREET_OUTCOME_MERGED ||
                    !StreetOutcome_IsValid(r.outcome()))) {
      return absl::InvalidArgumentError("outcome: required to close (merging is MergeStreetReport)");
    }
    if (!closing && r.outcome() != STREET_OUTCOME_UNSPECIFIED) return absl::InvalidArgumentError("outcome: only when closing");
    if (!r.team().empty() && r.state() != STREET_REPORT_STATE_ASSIGNED) {
      return absl::InvalidArgumentError("team: only when assigning");
    }
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    StreetReport report;
    report.set_team("maraude-samusocial");
    RETURN_IF_ERROR(MayFollowReport(caller, report));
    if (!r.team().empty()) {
      if (caller.Is(Role::kTeam)) return absl::PermissionDeniedError("a team does not route reports to another team");
      if (r.team().size() > 64) return absl::InvalidArgumentError("team: at most 64 characters");
    }
    return absl::OkStatus();
  });
  c.On<MergeStreetReportRequest>([](const MergeStreetReportRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayTakeReports(caller));
    RETURN_IF_ERROR(ValidateReportId(r.report_id()));
    RETURN_IF_ERROR(ValidateReportId(r.into_report_id(), "into_report_id"));
    if (r.report_id() == r.into_report_id()) return absl::InvalidArgumentError("into_report_id: another report");
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<ListStreetReportsRequest>([](const ListStreetReportsRequest& r, const Caller& caller) -> absl::Status {
    if (caller.Is(Role::kTeam)) {
      if (caller.team.empty()) return absl::PermissionDeniedError("a team account names its team");
    } else {
      RETURN_IF_ERROR(MayTakeReports(caller));
    }
    return PageLimit(r.limit(), 500).status();
  });
  c.On<HoldPassNightRequest>([](const HoldPassNightRequest& r, const Caller& caller) -> absl::Status {
    if (!caller.Is(Role::kTeam) || caller.team.empty()) {
      return absl::PermissionDeniedError("pass night places are held by mobile teams");
    }
    if (r.public_().empty()) return absl::InvalidArgumentError("public: required");
    if (r.preferred_communes_size() > kMaxPreferredCommunes) {
      return absl::InvalidArgumentError("preferred_communes: at most 5");
    }
    return ValidateIdempotencyKey(r.idempotency_key());
  });
  c.On<GetPassNightQuotaRequest>([](const GetPassNightQuotaRequest& r, const Caller& caller) -> absl::Status {
    std::string team = r.team().empty() ? caller.team : r.team();
    if (caller.Is(Role::kTeam)) {
      if (team != caller.team) return absl::PermissionDeniedError("a team sees its own quota");
    } else {
      RETURN_IF_ERROR(MayTakeReports(caller));
    }
    if (team.empty() || team.size() > 64) return absl::InvalidArgumentError("team: required");
    return absl::OkStatus();
  });
  c.On<GetVulnerabilityGridRequest>([](const GetVulnerabilityGridRequest&, const Caller& caller) {
    return MayReadGrid(caller);
  });
  c.On<SetVulnerabilityGridRequest>([](const SetVulnerabilityGridRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MaySetGrid(caller));
    RETURN_IF_ERROR(ValidateGrid(r.grid()));
    RETURN_IF_ERROR(ValidateIdempotencyKey(r.idempotency_key()));
    // A valid grid decides for any person.
    Person person;
    person.add_needs(NEED_MEDICAL);
    (void)Decide(person, r.grid());
    return absl::OkStatus();
  });
  c.On<ProposeInsertionRequest>([](const ProposeInsertionRequest& r, const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(MayProposeInsertion(caller));
    RETURN_IF_ERROR(ValidateProposeInsertion(r));
    return ValidateIdempotencyKey(r.idempotency_key());
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
